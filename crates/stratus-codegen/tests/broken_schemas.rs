//! A broken schema is refused with the file, the line and the type, in words.

use stratus_codegen::compile;

fn errors(source: &str) -> Vec<String> {
    match compile("broken.graphql", source) {
        Ok(_) => panic!("the schema compiled:\n{source}"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    }
}

fn assert_one_error(source: &str, expected: &str) {
    let errors = errors(source);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with(expected),
        "expected {expected:?}\n     got {:?}",
        errors[0]
    );
}

#[test]
fn an_unknown_directive() {
    assert_one_error(
        "type Post @model {\n  id: ID!\n  blogId: ID! @connection(name: \"x\")\n}",
        "broken.graphql:3: type Post: unknown directive @connection (that is Amplify's first transformer",
    );
    assert_one_error(
        "type Post @model @searchable {\n  id: ID!\n}",
        "broken.graphql:1: type Post: unknown directive @searchable",
    );
}

#[test]
fn a_relation_to_a_type_that_does_not_exist() {
    assert_one_error(
        "type Post @model {\n  id: ID!\n  comments: [Comment] @hasMany\n}",
        "broken.graphql:3: type Post: field `comments` relates to Comment, which is not a type with @model",
    );
}

#[test]
fn belongs_to_without_its_other_side() {
    assert_one_error(
        "type Blog @model {\n  id: ID!\n}\n\ntype Post @model {\n  id: ID!\n  blog: Blog @belongsTo\n}",
        "broken.graphql:7: type Post: field `blog` is @belongsTo Blog, but Blog has no @hasMany or @hasOne field of type Post",
    );
}

#[test]
fn an_unsupported_scalar() {
    assert_one_error(
        "type Contact @model {\n  id: ID!\n  color: AWSColor\n}",
        "broken.graphql:3: type Contact: field `color` has the scalar AWSColor, which Stratus does not support; supported: ID, String",
    );
}

#[test]
fn a_model_used_without_a_relation_and_a_missing_type() {
    let found = errors("type Blog @model {\n  id: ID!\n}\ntype Post @model {\n  id: ID!\n  blog: Blog\n  mood: Mood\n}");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with(
        "broken.graphql:6: type Post: field `blog` has type Blog, a model, without a relation"
    ));
    assert!(found[1].starts_with("broken.graphql:7: type Post: field `mood` has the type Mood, which this schema does not declare"));
}

#[test]
fn keys_that_name_missing_fields() {
    assert_one_error(
        "type Post @model {\n  id: ID!\n  blogId: ID! @index(name: \"byBlog\", sortKeyFields: [\"publishedOn\"])\n}",
        "broken.graphql:1: type Post: index \"byBlog\" names `publishedOn`, which is not a field of Post",
    );
}

#[test]
fn a_many_to_many_with_one_side() {
    assert_one_error(
        "type Post @model {\n  id: ID!\n  tags: [Tag] @manyToMany(relationName: \"PostTags\")\n}\ntype Tag @model {\n  id: ID!\n}",
        "broken.graphql:3: type Post: relationName \"PostTags\" needs exactly two @manyToMany fields",
    );
}

#[test]
fn a_default_of_the_wrong_type_and_an_enum_default_that_is_not_a_value() {
    let found = errors(
        "enum Status { DRAFT PUBLISHED }\ntype Post @model {\n  id: ID!\n  views: Int @default(value: \"many\")\n  status: Status @default(value: \"GONE\")\n}",
    );
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("broken.graphql:4: type Post: field `views` has @default(value: \"many\"), which is not a Int"));
    assert!(
        found[1].contains("which is not one of DRAFT, PUBLISHED"),
        "{}",
        found[1]
    );
}

#[test]
fn has_many_on_a_single_field() {
    assert_one_error(
        "type Blog @model {\n  id: ID!\n  post: Post @hasMany\n}\ntype Post @model {\n  id: ID!\n}",
        "broken.graphql:3: type Blog: field `post` is @hasMany, so its type must be a list: [Post]",
    );
}

#[test]
fn syntax_errors_name_their_line() {
    let found = errors("type Post @model {\n  id: ID!\n  title String\n}");
    assert!(
        found[0].starts_with("broken.graphql:3: this is not valid GraphQL"),
        "{found:#?}"
    );
}

#[test]
fn a_type_without_model() {
    assert_one_error(
        "type Address {\n  street: String\n}\ntype Post @model {\n  id: ID!\n}",
        "broken.graphql:1: type Address: has no @model",
    );
}

#[test]
fn an_unknown_auth_strategy() {
    assert_one_error(
        "type Post @model @auth(rules: [{ allow: everyone }]) {\n  id: ID!\n}",
        "broken.graphql:1: type Post: @auth allow: everyone is not supported; use owner, private, public, groups or parent",
    );
}

#[test]
fn a_relation_index_sorted_on_an_optional_field() {
    assert_one_error(
        "type Blog @model {\n  id: ID!\n  posts: [Post] @hasMany(indexName: \"byBlog\", fields: [\"id\"])\n}\ntype Post @model {\n  id: ID!\n  blogId: ID! @index(name: \"byBlog\", sortKeyFields: [\"publishedAt\"])\n  publishedAt: AWSDateTime\n}",
        "broken.graphql:3: type Blog: field `posts` reads Post through index \"byBlog\", whose sort key `publishedAt` is optional",
    );
}

#[test]
fn a_condition_names_a_field_and_a_value_of_its_type() {
    let rules =
        "@auth(rules: [{ allow: public, operations: [read], where: { status: { eq: GONE } } }])";
    assert_one_error(
        &format!("enum Status {{ DRAFT PUBLISHED }}\ntype Post @model {rules} {{\n  id: ID!\n  status: Status!\n}}"),
        "broken.graphql:2: type Post: an @auth where: compares `status` with GONE, which is not a value of its type",
    );
    let rules =
        "@auth(rules: [{ allow: public, operations: [read], where: { colour: { eq: \"red\" } } }])";
    assert_one_error(
        &format!("type Post @model {rules} {{\n  id: ID!\n}}"),
        "broken.graphql:1: type Post: an @auth where: names `colour`, which is not a field of Post",
    );
}

#[test]
fn a_parent_rule_names_a_belongs_to_and_passes_on_changes_only() {
    let post = "type Post @model {\n  id: ID!\n  comments: [Comment] @hasMany\n}\n";
    assert_one_error(
        &format!("{post}type Comment @model @auth(rules: [{{ allow: parent, relation: \"post\", operations: [read] }}]) {{\n  id: ID!\n  post: Post @belongsTo\n}}"),
        "broken.graphql:5: type Comment: an `allow: parent` rule passes on update and delete only",
    );
    assert_one_error(
        &format!("{post}type Comment @model @auth(rules: [{{ allow: parent, relation: \"author\", operations: [delete] }}]) {{\n  id: ID!\n  post: Post @belongsTo\n}}"),
        "broken.graphql:5: type Comment: an `allow: parent` rule names relation \"author\", which is not a @belongsTo field of Comment",
    );
}

#[test]
fn link_access_is_read_or_update_and_owner_fields_hold_ids() {
    assert_one_error(
        "type Blog @model {\n  id: ID!\n  posts: [Post] @hasMany(linkAccess: DELETE)\n}\ntype Post @model {\n  id: ID!\n}",
        "broken.graphql:3: type Blog: linkAccess takes READ or UPDATE",
    );
    assert_one_error(
        "type Note @model @auth(rules: [{ allow: owner, ownerField: \"stars\" }]) {\n  id: ID!\n  stars: Int\n}",
        "broken.graphql:3: type Note: `stars` is an owner field, so it holds user ids",
    );
}

#[test]
fn subscription_names_are_lists_of_names() {
    assert_one_error(
        "type Note @model(subscriptions: { onCreate: \"noteCreated\" }) {\n  id: ID!\n}\n",
        "broken.graphql:1: type Note: @model(subscriptions: { onCreate: }) takes a list of names, or null",
    );
    assert_one_error(
        "type Note @model(subscriptions: { onCreated: [\"x\"] }) {\n  id: ID!\n}\n",
        "broken.graphql:1: type Note: @model(subscriptions:) has no `onCreated`",
    );
}

#[test]
fn an_auth_provider_stratus_does_not_sign_in_with() {
    assert_one_error(
        "type Post @model @auth(rules: [{ allow: owner, provider: oidc }]) {\n  id: ID!\n}",
        "broken.graphql:1: type Post: @auth provider: oidc is not supported",
    );
}
