//! Relations against DynamoDB Local: batched loading (requests counted), many-to-many links in
//! one transaction, cascades that clean both sides.

mod common;

use axum::http::StatusCode;
use axum::Router;
use common::{call_fn, ok, unique};
use serde_json::{json, Value};
use stratus_server::aws::RequestCounter;
use stratus_server::startup::{router, AppState};

async fn counted_app() -> (Router, RequestCounter) {
    let _ = common::app().await; // a clear failure when the stack is down
    let settings = common::settings();
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let counter = RequestCounter::default();
    let client = counter.dynamodb(&sdk, &settings.aws);
    (
        router(
            AppState::with_clients(
                app::models::MODELS,
                client,
                &settings,
                stratus_server::startup::Platform::Local,
            ),
            &settings,
        ),
        counter,
    )
}

fn ids(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn listing_100_posts_with_their_blog_and_tags_takes_three_requests_and_the_sign_out_check() {
    let (app, requests) = counted_app().await;
    let blog = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("Busy") } }),
    )
    .await;
    let mut tags = Vec::new();
    for n in 0..5 {
        tags.push(
            ok(
                &app,
                "createTag",
                json!({ "input": { "label": unique(&format!("t{n}")) } }),
            )
            .await["id"]
                .clone(),
        );
    }
    for n in 0..100 {
        let post = ok(
            &app,
            "createPost",
            json!({ "input": { "blogId": blog["id"], "title": format!("post {n}"), "body": "." } }),
        )
        .await;
        for tag in [&tags[n % 5], &tags[(n + 1) % 5]] {
            ok(
                &app,
                "linkPostTags",
                json!({ "postId": post["id"], "tagId": tag }),
            )
            .await;
        }
    }

    let before = requests.count();
    let page = ok(
        &app,
        "postsByBlog",
        json!({ "blogId": blog["id"], "limit": 100, "include": ["blog", "tags"] }),
    )
    .await;
    let used = requests.count() - before;

    let posts = page["items"].as_array().unwrap();
    assert_eq!(posts.len(), 100);
    for post in posts {
        assert_eq!(post["blog"]["id"], blog["id"], "each post carries its blog");
        assert_eq!(
            post["tags"].as_array().unwrap().len(),
            2,
            "each post carries its two tags: {post}"
        );
    }
    // One Query for the posts, one BatchGetItem for the blog, one for the tags: never one per
    // row. And one for the caller's sign-outs, which every signed-in call reads.
    assert_eq!(
        used, 4,
        "DynamoDB requests for 100 posts with blog and tags"
    );
}

#[tokio::test]
async fn links_page_from_both_sides_and_unlink_clears_both() {
    let (app, _) = counted_app().await;
    let blog = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("Linked") } }),
    )
    .await;
    let post = ok(
        &app,
        "createPost",
        json!({ "input": { "blogId": blog["id"], "title": "p", "body": "." } }),
    )
    .await;
    let rust = ok(
        &app,
        "createTag",
        json!({ "input": { "label": unique("rust") } }),
    )
    .await;
    let aws = ok(
        &app,
        "createTag",
        json!({ "input": { "label": unique("aws") } }),
    )
    .await;
    for tag in [&rust, &aws, &rust] {
        ok(
            &app,
            "linkPostTags",
            json!({ "postId": post["id"], "tagId": tag["id"] }),
        )
        .await;
    }

    let first = ok(&app, "postTags", json!({ "id": post["id"], "limit": 1 })).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    let second = ok(
        &app,
        "postTags",
        json!({ "id": post["id"], "limit": 1, "nextToken": first["nextToken"] }),
    )
    .await;
    let mut both = ids(&first["items"]);
    both.extend(ids(&second["items"]));
    both.sort();
    assert_eq!(
        both,
        ids(&json!([rust, aws])),
        "linking twice made one link"
    );
    assert_eq!(
        ids(&ok(&app, "tagPosts", json!({ "id": rust["id"] })).await["items"]),
        ids(&json!([post]))
    );

    ok(
        &app,
        "unlinkPostTags",
        json!({ "postId": post["id"], "tagId": rust["id"] }),
    )
    .await;
    assert_eq!(
        ids(&ok(&app, "postTags", json!({ "id": post["id"] })).await["items"]),
        ids(&json!([aws]))
    );
    assert_eq!(
        ok(&app, "tagPosts", json!({ "id": rust["id"] })).await["items"],
        json!([])
    );
    let with_tags = ok(
        &app,
        "getPost",
        json!({ "id": post["id"], "include": ["tags"] }),
    )
    .await;
    assert_eq!(ids(&with_tags["tags"]), ids(&json!([aws])));
    let (status, _) = call_fn(
        &app,
        "unlinkPostTags",
        json!({ "postId": post["id"], "tagId": rust["id"] }),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_link_to_a_missing_tag_fails_whole_and_leaves_nothing_behind() {
    let (app, _) = counted_app().await;
    let blog = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("Careful") } }),
    )
    .await;
    let post = ok(
        &app,
        "createPost",
        json!({ "input": { "blogId": blog["id"], "title": "p", "body": "." } }),
    )
    .await;

    let (status, error) = call_fn(
        &app,
        "linkPostTags",
        json!({ "postId": post["id"], "tagId": "no-such-tag" }),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{error}");
    assert_eq!(error["message"], "There is no Tag no-such-tag.");
    // The join row was the transaction's first write; it is not there.
    assert_eq!(
        ok(&app, "postTags", json!({ "id": post["id"] })).await["items"],
        json!([])
    );
    let stored = ok(
        &app,
        "getPost",
        json!({ "id": post["id"], "include": ["tags"] }),
    )
    .await;
    assert_eq!(stored["tags"], json!([]));
    assert_eq!(stored["_version"], 1);
}

#[tokio::test]
async fn deleting_a_post_removes_its_links_from_the_tags_too() {
    let (app, _) = counted_app().await;
    let blog = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("Cleanup") } }),
    )
    .await;
    let doomed = ok(
        &app,
        "createPost",
        json!({ "input": { "blogId": blog["id"], "title": "doomed", "body": "." } }),
    )
    .await;
    let kept = ok(
        &app,
        "createPost",
        json!({ "input": { "blogId": blog["id"], "title": "kept", "body": "." } }),
    )
    .await;
    let tag = ok(
        &app,
        "createTag",
        json!({ "input": { "label": unique("shared") } }),
    )
    .await;
    for post in [&doomed, &kept] {
        ok(
            &app,
            "linkPostTags",
            json!({ "postId": post["id"], "tagId": tag["id"] }),
        )
        .await;
    }
    let comment = ok(
        &app,
        "createComment",
        json!({ "input": { "content": "bye", "postCommentsId": doomed["id"] } }),
    )
    .await;

    ok(&app, "deletePost", json!({ "id": doomed["id"] })).await;
    assert_eq!(
        ok(&app, "getComment", json!({ "id": comment["id"] })).await,
        Value::Null
    );
    assert_eq!(
        ids(&ok(&app, "tagPosts", json!({ "id": tag["id"] })).await["items"]),
        ids(&json!([kept]))
    );
    let tag_with_posts = ok(
        &app,
        "getTag",
        json!({ "id": tag["id"], "include": ["posts"] }),
    )
    .await;
    assert_eq!(
        ids(&tag_with_posts["posts"]),
        ids(&json!([kept])),
        "the tag's link set lost the deleted post"
    );
}

#[tokio::test]
async fn has_many_is_included_for_one_item_and_refused_for_a_list() {
    let (app, _) = counted_app().await;
    let blog = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("Chatty") } }),
    )
    .await;
    let post = ok(
        &app,
        "createPost",
        json!({ "input": { "blogId": blog["id"], "title": "p", "body": "." } }),
    )
    .await;
    for n in 0..3 {
        ok(
            &app,
            "createComment",
            json!({ "input": { "content": format!("c{n}"), "postCommentsId": post["id"] } }),
        )
        .await;
    }
    let with_comments = ok(
        &app,
        "getPost",
        json!({ "id": post["id"], "include": ["comments", "blog"] }),
    )
    .await;
    assert_eq!(with_comments["comments"].as_array().unwrap().len(), 3);
    assert_eq!(with_comments["blog"]["id"], blog["id"]);
    assert_eq!(
        ok(
            &app,
            "postComments",
            json!({ "id": post["id"], "limit": 2 })
        )
        .await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        ok(
            &app,
            "commentPost",
            json!({ "id": with_comments["comments"][0]["id"] })
        )
        .await["id"],
        post["id"]
    );

    let (status, error) = call_fn(
        &app,
        "postsByBlog",
        json!({ "blogId": blog["id"], "include": ["comments"] }),
    )
    .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("include")),
        "{error}"
    );
    let (status, error) = call_fn(
        &app,
        "getPost",
        json!({ "id": post["id"], "include": ["authors"] }),
    )
    .await;
    assert_eq!(
        (status, error["message"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("Post has no relation `authors`.")
        )
    );
}

#[tokio::test]
async fn a_post_is_created_with_its_tags_in_one_transaction_or_not_at_all() {
    let (app, _) = counted_app().await;
    let blog = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("Atomic") } }),
    )
    .await;
    let rust = ok(
        &app,
        "createTag",
        json!({ "input": { "label": unique("rust") } }),
    )
    .await;
    let wasm = ok(
        &app,
        "createTag",
        json!({ "input": { "label": unique("wasm") } }),
    )
    .await;

    let input = json!({ "blogId": blog["id"], "title": "tagged", "body": ".", "linkTags": [rust["id"], wasm["id"]] });
    let post = ok(&app, "createPost", json!({ "input": input })).await;
    let stored = ok(
        &app,
        "getPost",
        json!({ "id": post["id"], "include": ["tags"] }),
    )
    .await;
    assert_eq!(ids(&stored["tags"]), ids(&json!([rust, wasm])));
    assert_eq!(
        ids(&ok(&app, "tagPosts", json!({ "id": wasm["id"] })).await["items"]),
        ids(&json!([post]))
    );

    // The second tag is missing: the post, its join rows and the first tag's link set all stay unwritten.
    let doomed_id = unique("doomed").replace(' ', "-");
    let input = json!({ "id": doomed_id, "blogId": blog["id"], "title": "t", "body": ".", "linkTags": [rust["id"], "no-such-tag"] });
    let (status, error) = call_fn(&app, "createPost", json!({ "input": input })).await;
    assert_eq!(
        (status, error["message"].as_str()),
        (StatusCode::NOT_FOUND, Some("There is no Tag no-such-tag."))
    );
    assert_eq!(
        ok(&app, "getPost", json!({ "id": doomed_id })).await,
        Value::Null
    );
    assert_eq!(
        ids(&ok(&app, "tagPosts", json!({ "id": rust["id"] })).await["items"]),
        ids(&json!([post]))
    );
    let rust_now = ok(
        &app,
        "getTag",
        json!({ "id": rust["id"], "include": ["posts"] }),
    )
    .await;
    assert_eq!(
        ids(&rust_now["posts"]),
        ids(&json!([post])),
        "the first tag's link set is untouched"
    );
}

#[tokio::test]
async fn has_one_reads_both_ways_cascades_and_turned_off_operations_do_not_exist() {
    let (app, _) = counted_app().await;
    let cover = ok(
        &app,
        "createBlogCover",
        json!({ "input": { "imageUrl": "https://example.com/cover.png", "caption": "sky" } }),
    )
    .await;
    let blog = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("Covered"), "blogCoverId": cover["id"] } }),
    )
    .await;
    assert_eq!(
        ok(&app, "blogCover", json!({ "id": blog["id"] })).await["id"],
        cover["id"]
    );
    let with_cover = ok(
        &app,
        "getBlog",
        json!({ "id": blog["id"], "include": ["cover"] }),
    )
    .await;
    assert_eq!(with_cover["cover"]["caption"], "sky");

    ok(&app, "deleteBlog", json!({ "id": blog["id"] })).await;
    assert_eq!(
        ok(&app, "getBlogCover", json!({ "id": cover["id"] })).await,
        Value::Null,
        "onDelete: CASCADE on @hasOne"
    );

    // Profile's schema says `mutations: { delete: null }`.
    let (status, _) = call_fn(&app, "deleteProfile", json!({ "userId": "anyone" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
