//! The blog's hand-written server functions against the local stack: the home feed's paging
//! and cards, saving posts (tags, validation, conflicts), and who may delete a comment.

mod common;

use std::collections::HashSet;

use axum::http::StatusCode;
use axum::Router;
use common::session::{self, Session};
use common::{app, call_as, ok_as, settings, unique};
use serde_json::{json, Value};

/// A signed-in writer with a profile and a blog; returns (writer, blog id).
async fn writer(app: &Router, name: &str) -> (Session, String) {
    let writer = session::new_user(&settings(), name, &[]).await;
    ok_as(
        app,
        &writer,
        "save_profile",
        json!({ "displayName": name, "bio": "", "expectedVersion": null }),
    )
    .await;
    let blog = ok_as(
        app,
        &writer,
        "createBlog",
        json!({ "input": { "name": unique(name) } }),
    )
    .await;
    (writer, blog["id"].as_str().unwrap().to_owned())
}

fn draft(blog: &str, title: &str, tags: &str, publish: bool) -> Value {
    json!({ "draft": { "id": null, "expectedVersion": null, "blogId": blog, "title": title, "body": "Some **text**.", "tags": tags, "publish": publish } })
}

#[tokio::test]
async fn the_feed_pages_through_published_posts_newest_first_with_authors_and_comment_counts() {
    let app = app().await;
    let (ada, blog) = writer(&app, "Ada").await;
    let run = unique("feed").replace(' ', "-");
    let mut mine = Vec::new();
    for n in 0..12 {
        let post = ok_as(
            &app,
            &ada,
            "save_post",
            draft(&blog, &format!("{run} {n}"), "feed-test", true),
        )
        .await;
        mine.push(post["id"].as_str().unwrap().to_owned());
    }
    let hidden = ok_as(
        &app,
        &ada,
        "save_post",
        draft(&blog, &format!("{run} draft"), "", false),
    )
    .await;
    let reader = session::new_user(&settings(), "reader", &[]).await;
    for text in ["first", "second"] {
        ok_as(
            &app,
            &reader,
            "add_comment",
            json!({ "postId": mine[11], "content": text }),
        )
        .await;
    }

    let guest = session::guest(&settings()).await;
    let (mut seen, mut order, mut token) = (HashSet::new(), Vec::new(), Value::Null);
    loop {
        let page = ok_as(&app, &guest, "recent_posts", json!({ "nextToken": token })).await;
        let cards = page["cards"].as_array().unwrap();
        assert!(cards.len() <= 10);
        for card in cards {
            let id = card["post"]["id"].as_str().unwrap().to_owned();
            assert!(seen.insert(id.clone()), "{id} came twice");
            if mine.contains(&id) {
                order.push(id.clone());
                assert_eq!(card["author"], "Ada");
                assert_eq!(
                    card["post"]["blog"]["id"],
                    blog.as_str(),
                    "the blog is included"
                );
                assert_eq!(card["post"]["tags"][0]["label"], "feed-test");
                let expected = if id == mine[11] { 2 } else { 0 };
                assert_eq!(card["commentCount"].as_u64(), Some(expected));
            }
        }
        token = page["nextToken"].clone();
        if token.is_null() || order.len() == mine.len() {
            break;
        }
    }
    let newest_first: Vec<String> = mine.iter().rev().cloned().collect();
    assert_eq!(
        order, newest_first,
        "every published post once, newest first"
    );
    assert!(
        !seen.contains(hidden["id"].as_str().unwrap()),
        "drafts stay off the feed"
    );
}

#[tokio::test]
async fn saving_a_post_checks_its_fields_its_blog_and_its_version() {
    let app = app().await;
    let (ada, blog) = writer(&app, "Ada").await;
    let (bob, bobs_blog) = writer(&app, "Bob").await;

    let (status, error) = call_as(
        &app,
        &ada,
        "save_post",
        draft(&blog, "Tagged", "two words", true),
    )
    .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("tags")),
        "{error}"
    );
    let (status, error) = call_as(&app, &ada, "save_post", draft(&blog, "  ", "", true)).await;
    assert_eq!(
        (status, error["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("title")),
        "{error}"
    );
    let (status, error) = call_as(
        &app,
        &ada,
        "save_post",
        draft(&bobs_blog, "Into Bob's blog", "", true),
    )
    .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("blogId")),
        "{error}"
    );

    let post = ok_as(
        &app,
        &ada,
        "save_post",
        draft(&blog, "Versioned", "one, two", true),
    )
    .await;
    let edit = |title: &str, version: u64, tags: &str| json!({ "draft": { "id": post["id"], "expectedVersion": version, "blogId": blog, "title": title, "body": "b", "tags": tags, "publish": true } });
    let first = ok_as(&app, &ada, "save_post", edit("First edit", 1, "two, three")).await;
    let labels: Vec<&str> = first["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(
        labels.contains(&"two") && labels.contains(&"three"),
        "tags relinked: {labels:?}"
    );

    let (status, error) = call_as(&app, &ada, "save_post", edit("Stale edit", 1, "")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Load the newer version"),
        "{error}"
    );
    let (status, error) = call_as(&app, &bob, "save_post", edit("Bob's edit", 2, "")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");

    let guest = session::guest(&settings()).await;
    let stored = ok_as(&app, &guest, "getPost", json!({ "id": post["id"] })).await;
    assert_eq!(
        stored["title"], "First edit",
        "neither the stale nor the foreign edit landed"
    );
}

#[tokio::test]
async fn a_comment_is_deleted_by_its_author_or_the_posts_owner_only() {
    let app = app().await;
    let (ada, blog) = writer(&app, "Ada").await;
    let post = ok_as(&app, &ada, "save_post", draft(&blog, "Comments", "", true)).await;
    let (bob, carol) = (
        session::new_user(&settings(), "bob", &[]).await,
        session::new_user(&settings(), "carol", &[]).await,
    );
    let by_bob = ok_as(
        &app,
        &bob,
        "add_comment",
        json!({ "postId": post["id"], "content": "from Bob" }),
    )
    .await;
    let by_carol = ok_as(
        &app,
        &carol,
        "add_comment",
        json!({ "postId": post["id"], "content": "from Carol" }),
    )
    .await;

    let (status, error) = call_as(
        &app,
        &carol,
        "remove_comment",
        json!({ "id": by_bob["id"] }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    let (status, _) = call_as(
        &app,
        &bob,
        "add_comment",
        json!({ "postId": post["id"], "content": "   " }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    ok_as(
        &app,
        &carol,
        "remove_comment",
        json!({ "id": by_carol["id"] }),
    )
    .await; // her own
    ok_as(&app, &ada, "remove_comment", json!({ "id": by_bob["id"] })).await; // on her post
    let guest = session::guest(&settings()).await;
    let left = ok_as(&app, &guest, "postComments", json!({ "id": post["id"] })).await;
    assert_eq!(left["items"].as_array().unwrap().len(), 0, "{left}");
}

#[tokio::test]
async fn a_writers_home_lists_only_their_own_and_only_they_publish_or_unpublish() {
    let app = app().await;
    let (ada, blog) = writer(&app, "Ada").await;
    let (bob, _) = writer(&app, "Bob").await;
    let out = ok_as(&app, &ada, "save_post", draft(&blog, "Out", "", true)).await;
    let hidden = ok_as(&app, &ada, "save_post", draft(&blog, "Hidden", "", false)).await;

    let home = ok_as(&app, &ada, "my_writing", json!({})).await;
    let titles: Vec<(&str, bool)> = home["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["title"].as_str().unwrap(), p["draft"].as_bool().unwrap()))
        .collect();
    assert_eq!(titles, [("Hidden", true), ("Out", false)], "drafts first");
    assert_eq!(home["blogs"][0]["posts"], 2, "{home}");

    let bobs = ok_as(&app, &bob, "my_writing", json!({})).await;
    assert_eq!(
        bobs["posts"],
        json!([]),
        "a stranger's home holds none of Ada's posts"
    );
    assert_eq!(bobs["blogs"].as_array().unwrap().len(), 1);

    // A stranger can neither unpublish Ada's post nor publish her draft (which they cannot see).
    let set = |post: &Value, publish: bool, version: u64| json!({ "id": post["id"], "publish": publish, "expectedVersion": version });
    let (status, error) = call_as(&app, &bob, "set_published", set(&out, false, 1)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    let (status, error) = call_as(&app, &bob, "set_published", set(&hidden, true, 1)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{error}");
    let guest = session::guest(&settings()).await;
    let (status, error) = call_as(&app, &guest, "my_writing", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{error}");
    let (status, error) = call_as(&app, &guest, "set_published", set(&out, false, 1)).await;
    assert!(
        status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED,
        "{status} {error}"
    );
    let still = ok_as(&app, &guest, "getPost", json!({ "id": out["id"] })).await;
    assert_eq!(still["status"], "PUBLISHED");
    assert!(
        ok_as(&app, &guest, "getPost", json!({ "id": hidden["id"] }))
            .await
            .is_null()
    );

    // Ada: a stale version is a conflict; the current one takes the post back to a draft.
    let (status, error) = call_as(&app, &ada, "set_published", set(&out, false, 7)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    ok_as(&app, &ada, "set_published", set(&out, false, 1)).await;
    assert!(ok_as(&app, &guest, "getPost", json!({ "id": out["id"] }))
        .await
        .is_null());
    ok_as(&app, &ada, "set_published", set(&hidden, true, 1)).await;
    let now_public = ok_as(&app, &guest, "getPost", json!({ "id": hidden["id"] })).await;
    assert_eq!(now_public["status"], "PUBLISHED");
    assert!(now_public["publishedAt"].is_string());
}

#[tokio::test]
async fn a_tags_posts_come_with_their_blog_and_tags_and_only_as_the_caller_may_read_them() {
    let app = app().await;
    let (ada, blog) = writer(&app, "Ada").await;
    let (bob, _) = writer(&app, "Bob").await;
    let label = unique("incl").replace(' ', "-");
    let public = ok_as(
        &app,
        &ada,
        "save_post",
        draft(&blog, "Public", &label, true),
    )
    .await;
    let hidden = ok_as(
        &app,
        &ada,
        "save_post",
        draft(&blog, "Draft", &label, false),
    )
    .await;
    let tag = public["tags"][0]["id"].clone();
    let listed = |items: &Value| -> Vec<String> {
        items["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect()
    };

    let for_bob = ok_as(
        &app,
        &bob,
        "tagPosts",
        json!({ "id": tag, "include": ["blog", "tags"] }),
    )
    .await;
    assert_eq!(
        listed(&for_bob),
        [public["id"].as_str().unwrap()],
        "no draft of Ada's: {for_bob}"
    );
    let item = &for_bob["items"][0];
    assert_eq!(item["blog"]["id"], blog.as_str());
    assert_eq!(item["tags"][0]["label"], label.as_str());

    let for_ada = ok_as(
        &app,
        &ada,
        "tagPosts",
        json!({ "id": tag, "include": ["blog"] }),
    )
    .await;
    let mut mine = listed(&for_ada);
    mine.sort();
    let mut expected = vec![
        public["id"].as_str().unwrap().to_owned(),
        hidden["id"].as_str().unwrap().to_owned(),
    ];
    expected.sort();
    assert_eq!(mine, expected, "the writer reads her own draft");

    // A list loads no @hasMany per item, as anywhere else.
    let (status, error) = call_as(
        &app,
        &bob,
        "tagPosts",
        json!({ "id": tag, "include": ["comments"] }),
    )
    .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("include")),
        "{error}"
    );
}

#[tokio::test]
async fn an_authors_page_shows_their_published_posts_and_never_a_draft() {
    let app = app().await;
    let (ada, blog) = writer(&app, "Ada").await;
    let published = ok_as(
        &app,
        &ada,
        "save_post",
        draft(&blog, "For readers", "", true),
    )
    .await;
    ok_as(&app, &ada, "save_post", draft(&blog, "Not yet", "", false)).await;
    let ada_id = published["owner"].as_str().unwrap().to_owned();

    let guest = session::guest(&settings()).await;
    let (bob, _) = writer(&app, "Bob").await;
    for caller in [&guest, &bob, &ada] {
        let page = ok_as(&app, caller, "author_posts", json!({ "userId": ada_id })).await;
        let titles: Vec<&str> = page["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["post"]["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["For readers"], "{page}");
        assert_eq!(page["cards"][0]["author"], "Ada");
    }
    let header = ok_as(&app, &guest, "read_author", json!({ "id": ada_id })).await;
    assert_eq!(header["name"], "Ada");
    assert!(header.get("email").is_none(), "{header}");
}

#[tokio::test]
async fn only_a_blogs_writer_renames_it_or_sets_replaces_or_removes_its_cover() {
    let app = app().await;
    let (ada, blog) = writer(&app, "Ada").await;
    let (bob, _) = writer(&app, "Bob").await;
    let guest = session::guest(&settings()).await;
    let read = || async {
        ok_as(
            &app,
            &guest,
            "getBlog",
            json!({ "id": blog, "include": ["cover"] }),
        )
        .await
    };
    let save = |name: &str, url: &str, caption: &str, version: u64| json!({ "settings": { "id": blog, "name": name, "description": "", "coverUrl": url, "coverCaption": caption, "expectedVersion": version } });

    let (status, error) = call_as(
        &app,
        &bob,
        "save_blog_settings",
        save("Bob's now", "https://example.com/bob.png", "Bob's", 1),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    let untouched = read().await;
    assert!(
        untouched["cover"].is_null() && untouched["name"] != "Bob's now",
        "{untouched}"
    );
    let (status, error) = call_as(
        &app,
        &ada,
        "save_blog_settings",
        save("Ada's", "javascript:alert(1)", "", 1),
    )
    .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("coverUrl")),
        "{error}"
    );

    ok_as(
        &app,
        &ada,
        "save_blog_settings",
        save("Dawn notes", "https://example.com/a.png", "Dawn", 1),
    )
    .await;
    let first = read().await;
    assert_eq!(
        (first["name"].as_str(), first["cover"]["caption"].as_str()),
        (Some("Dawn notes"), Some("Dawn")),
        "{first}"
    );
    let version = first["_version"].as_u64().unwrap();
    ok_as(
        &app,
        &ada,
        "save_blog_settings",
        save("Dawn notes", "https://example.com/b.png", "", version),
    )
    .await;
    let replaced = read().await;
    assert_eq!(replaced["cover"]["imageUrl"], "https://example.com/b.png");
    assert_eq!(
        replaced["cover"]["caption"].as_str().unwrap_or_default(),
        "",
        "{replaced}"
    );
    let (status, error) = call_as(
        &app,
        &ada,
        "save_blog_settings",
        save("Stale", "", "", version),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an edit of an older version: {error}"
    );

    let version = replaced["_version"].as_u64().unwrap();
    let (status, error) = call_as(
        &app,
        &bob,
        "save_blog_settings",
        save("Dawn notes", "", "", version),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a stranger cannot remove it: {error}"
    );
    ok_as(
        &app,
        &ada,
        "save_blog_settings",
        save("Dawn notes", "", "", version),
    )
    .await;
    assert!(read().await["cover"].is_null());
}
