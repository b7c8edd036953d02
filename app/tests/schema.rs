//! The blog's schema resolves to the tables an Amplify user would expect (what
//! `cargo xtask schema app/schema.graphql` prints).

use stratus_codegen::compile;
use stratus_codegen::ir::{DefaultValue, FieldType, RelationKind, Scalar};

fn blog() -> stratus_codegen::ir::Schema {
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    compile("schema.graphql", &source).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_model_and_the_join_table_become_tables() {
    let names: Vec<_> = blog().models.iter().map(|m| m.name.clone()).collect();
    assert_eq!(
        names,
        [
            "Profile",
            "Blog",
            "BlogCover",
            "Post",
            "Comment",
            "Tag",
            "GuestbookEntry",
            "PostTags"
        ]
    );
}

#[test]
fn keys_and_indexes_follow_the_directives() {
    let schema = blog();
    let profile = schema.model("Profile").unwrap();
    assert_eq!(profile.primary_key.partition, "userId");
    assert!(
        profile.field("id").is_none(),
        "a @primaryKey replaces the default id"
    );

    let post = schema.model("Post").unwrap();
    let by_blog = post.indexes.iter().find(|i| i.name == "byBlog").unwrap();
    assert_eq!(
        (by_blog.partition.as_str(), by_blog.sort.as_slice()),
        ("blogId", &["createdAt".to_owned()][..])
    );
    assert_eq!(by_blog.query_field.as_deref(), Some("postsByBlog"));
    assert_eq!(
        post.indexes
            .iter()
            .find(|i| i.name == "byPublishedAt")
            .unwrap()
            .partition,
        "publishedAt"
    );
}

#[test]
fn has_many_without_arguments_puts_amplifys_foreign_key_and_gsi_on_the_child() {
    let schema = blog();
    let comment = schema.model("Comment").unwrap();
    assert!(comment
        .field("postCommentsId")
        .is_some_and(|f| f.generated && !f.required));
    assert!(comment
        .indexes
        .iter()
        .any(|i| i.name == "gsi-Post.comments" && i.partition == "postCommentsId"));
    let post_relation = comment
        .relations
        .iter()
        .find(|r| r.field == "post")
        .unwrap();
    assert_eq!(post_relation.kind, RelationKind::BelongsTo);
    assert_eq!(
        post_relation.foreign_keys,
        ["postCommentsId"],
        "@belongsTo reuses the @hasMany key"
    );

    let comments = schema
        .model("Post")
        .unwrap()
        .relations
        .iter()
        .find(|r| r.field == "comments")
        .unwrap()
        .clone();
    assert!(comments.cascade);
    assert_eq!(comments.index.as_deref(), Some("gsi-Post.comments"));
}

#[test]
fn has_many_with_an_index_reads_through_it() {
    let schema = blog();
    let posts = schema
        .model("Blog")
        .unwrap()
        .relations
        .iter()
        .find(|r| r.field == "posts")
        .unwrap()
        .clone();
    assert_eq!(
        (posts.foreign_keys.as_slice(), posts.index.as_deref()),
        (&["blogId".to_owned()][..], Some("byBlog"))
    );
    let blog = schema
        .model("Post")
        .unwrap()
        .relations
        .iter()
        .find(|r| r.field == "blog")
        .unwrap()
        .clone();
    assert_eq!(blog.foreign_keys, ["blogId"]);
}

#[test]
fn has_one_puts_the_key_on_the_parent() {
    let schema = blog();
    assert!(schema.model("Blog").unwrap().field("blogCoverId").is_some());
    let cover = schema.model("BlogCover").unwrap().relations[0].clone();
    assert_eq!(
        (cover.kind, cover.foreign_keys.as_slice()),
        (RelationKind::BelongsTo, &["blogCoverBlogId".to_owned()][..])
    );
}

#[test]
fn many_to_many_gets_a_join_table_with_an_index_per_side() {
    let schema = blog();
    let join = schema.model("PostTags").unwrap();
    assert!(join.is_join_table);
    let fields: Vec<_> = join.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, ["id", "postId", "tagId", "createdAt", "updatedAt"]);
    let indexes: Vec<_> = join
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.partition.as_str()))
        .collect();
    assert_eq!(indexes, [("byPost", "postId"), ("byTag", "tagId")]);

    let tags = schema
        .model("Post")
        .unwrap()
        .relations
        .iter()
        .find(|r| r.field == "tags")
        .unwrap()
        .clone();
    assert_eq!(
        tags.join
            .as_ref()
            .map(|j| (j.table.as_str(), j.target_key.as_str())),
        Some(("PostTags", "tagId"))
    );
}

#[test]
fn defaults_timestamps_owner_and_operations_are_filled_in() {
    let schema = blog();
    let post = schema.model("Post").unwrap();
    assert_eq!(
        post.field("status").unwrap().default,
        Some(DefaultValue::String("DRAFT".into()))
    );
    assert_eq!(
        post.field("readingMinutes").unwrap().default,
        Some(DefaultValue::Int(1))
    );
    assert_eq!(
        post.field("metadata").unwrap().ty,
        FieldType::Scalar(Scalar::AwsJson)
    );
    assert!(post.field("createdAt").is_some() && post.field("updatedAt").is_some());
    assert!(
        post.field("owner").is_some_and(|f| f.generated),
        "an owner rule adds the owner field"
    );
    assert_eq!(post.operations.list.as_deref(), Some("listPosts"));

    let profile = schema.model("Profile").unwrap();
    assert_eq!(
        profile.operations.delete, None,
        "mutations: {{ delete: null }} turns delete off"
    );
    assert_eq!(profile.operations.update.as_deref(), Some("updateProfile"));
}
