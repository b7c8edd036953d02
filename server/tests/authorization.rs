//! Authorization across relations, through the Router and signed as the browser signs: each
//! attack from issue 20, refused in words (never a 5xx), with the victim's data unchanged; and
//! the other way round, the owner reaching everything that is theirs.

mod common;

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use axum::http::StatusCode;
use axum::Router;
use common::session::{self, Session};
use common::{app, call_as, ok_as, settings, unique};
use serde_json::{json, Value};

fn assert_refused(status: StatusCode, answer: &Value, expected: StatusCode, words: &str) {
    assert_eq!(status, expected, "{answer}");
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(message.contains(words), "expected {words:?} in {message:?}");
}

async fn users() -> (Session, Session, Session) {
    let settings = settings();
    (
        session::new_user(&settings, "ada", &[]).await,
        session::new_user(&settings, "bob", &[]).await,
        session::guest(&settings).await,
    )
}

async fn blog(app: &Router, owner: &Session) -> Value {
    ok_as(
        app,
        owner,
        "createBlog",
        json!({ "input": { "name": unique("blog") } }),
    )
    .await
}

async fn post(app: &Router, owner: &Session, blog: &Value, status: &str) -> Value {
    let input =
        json!({ "blogId": blog["id"], "title": unique("post"), "body": "text", "status": status });
    ok_as(app, owner, "createPost", json!({ "input": input })).await
}

/// The ids of the items of a list answer.
fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn drafts_are_invisible_to_guests_and_other_users_by_id_and_in_every_list() {
    let app = app().await;
    let (ada, bob, guest) = users().await;
    let blog = blog(&app, &ada).await;
    let draft = post(&app, &ada, &blog, "DRAFT").await;
    let published = post(&app, &ada, &blog, "PUBLISHED").await;
    for stranger in [&bob, &guest] {
        assert_eq!(
            ok_as(&app, stranger, "getPost", json!({ "id": draft["id"] })).await,
            Value::Null,
            "a draft by id"
        );
        let drafts = ok_as(
            &app,
            stranger,
            "listPosts",
            json!({ "filter": { "status": { "eq": "DRAFT" }, "blogId": { "eq": blog["id"] } } }),
        )
        .await;
        assert_eq!(ids(&drafts), Vec::<String>::new(), "drafts by filter");
        let in_blog = ok_as(
            &app,
            stranger,
            "postsByBlog",
            json!({ "blogId": blog["id"] }),
        )
        .await;
        assert_eq!(
            ids(&in_blog),
            [published["id"].as_str().unwrap()],
            "the blog's posts"
        );
        let included = ok_as(
            &app,
            stranger,
            "getBlog",
            json!({ "id": blog["id"], "include": ["posts"] }),
        )
        .await;
        let included: Vec<&str> = included["posts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            included,
            [published["id"].as_str().unwrap()],
            "the blog's posts, included"
        );
        let (status, answer) =
            call_as(&app, stranger, "postComments", json!({ "id": draft["id"] })).await;
        assert_refused(
            status,
            &answer,
            StatusCode::NOT_FOUND,
            "There is no such Post.",
        );
        let (status, answer) = call_as(
            &app,
            &bob,
            "add_comment",
            json!({ "postId": draft["id"], "content": "first!" }),
        )
        .await;
        assert!(
            status.is_client_error(),
            "commenting on a draft: {status} {answer}"
        );
    }
    assert_eq!(
        ok_as(&app, &ada, "getPost", json!({ "id": draft["id"] })).await["id"],
        draft["id"],
        "the author reads her draft"
    );
    let mine = ok_as(&app, &ada, "postsByBlog", json!({ "blogId": blog["id"] })).await;
    assert_eq!(ids(&mine).len(), 2, "the author lists both: {mine}");
}

#[tokio::test]
async fn nobody_creates_or_changes_another_users_profile_and_emails_stay_private() {
    let app = app().await;
    let (ada, bob, guest) = users().await;
    let ada_id = blog(&app, &ada).await["owner"].clone();
    let forged = json!({ "input": { "userId": ada_id, "displayName": "Not Ada" } });
    let (status, answer) = call_as(&app, &bob, "createProfile", forged).await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "`userId` names this Profile's owner",
    );
    assert_eq!(
        ok_as(&app, &guest, "getProfile", json!({ "userId": ada_id })).await,
        Value::Null,
        "nothing was written"
    );

    let input = json!({ "input": { "displayName": "Ada", "email": "ada@example.com" } });
    let profile = ok_as(&app, &ada, "createProfile", input).await;
    assert_eq!(
        profile["userId"], ada_id,
        "the key is the caller's id, set by the server"
    );
    let (status, answer) = call_as(
        &app,
        &bob,
        "updateProfile",
        json!({ "input": { "userId": ada_id, "displayName": "Bob was here", "_version": 1 } }),
    )
    .await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "Only its owner may change this Profile.",
    );

    for reader in [&bob, &guest] {
        let seen = ok_as(&app, reader, "getProfile", json!({ "userId": ada_id })).await;
        assert_eq!(
            (seen["displayName"].as_str(), seen.get("email")),
            (Some("Ada"), None),
            "a field rule hides the email: {seen}"
        );
        let (status, answer) = call_as(
            &app,
            reader,
            "listProfiles",
            json!({ "filter": { "email": { "beginsWith": "ada" } } }),
        )
        .await;
        assert_refused(
            status,
            &answer,
            StatusCode::FORBIDDEN,
            "You may not filter Profile items on `email`.",
        );
    }
    assert_eq!(
        ok_as(&app, &ada, "getProfile", json!({ "userId": ada_id })).await["email"],
        "ada@example.com"
    );
}

#[tokio::test]
async fn a_stranger_cannot_put_a_post_in_my_blog_by_create_or_by_update() {
    let app = app().await;
    let (ada, bob, _) = users().await;
    let adas = blog(&app, &ada).await;
    let input = json!({ "input": { "blogId": adas["id"], "title": "spam", "body": "spam", "status": "PUBLISHED" } });
    let (status, answer) = call_as(&app, &bob, "createPost", input).await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "`blogId` names no Blog that you may change",
    );

    let bobs = post(&app, &bob, &blog(&app, &bob).await, "PUBLISHED").await;
    let moved = json!({ "input": { "id": bobs["id"], "blogId": adas["id"], "_version": 1 } });
    let (status, answer) = call_as(&app, &bob, "updatePost", moved).await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "`blogId` names no Blog that you may change",
    );
    assert_eq!(
        ids(&ok_as(&app, &ada, "postsByBlog", json!({ "blogId": adas["id"] })).await),
        Vec::<String>::new(),
        "Ada's blog is empty"
    );
    let (status, answer) = call_as(
        &app,
        &bob,
        "createPost",
        json!({ "input": { "blogId": "no-such-blog", "title": "t", "body": "b" } }),
    )
    .await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "`blogId` names no Blog that you may change",
    );
}

#[tokio::test]
async fn a_stranger_cannot_tag_my_post_but_anyone_may_use_a_shared_tag_on_their_own() {
    let app = app().await;
    let (ada, bob, _) = users().await;
    let adas = post(&app, &ada, &blog(&app, &ada).await, "PUBLISHED").await;
    let label = unique("scam");
    let (status, answer) = call_as(
        &app,
        &bob,
        "createTag",
        json!({ "input": { "label": label, "linkPosts": [adas["id"]] } }),
    )
    .await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "You may not link a Tag to this Post",
    );
    assert_eq!(
        ids(&ok_as(&app, &bob, "tagByLabel", json!({ "label": label })).await),
        Vec::<String>::new(),
        "no tag was created"
    );

    let tag = ok_as(
        &app,
        &bob,
        "createTag",
        json!({ "input": { "label": label } }),
    )
    .await;
    let (status, answer) = call_as(
        &app,
        &bob,
        "linkPostTags",
        json!({ "postId": adas["id"], "tagId": tag["id"] }),
    )
    .await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "Only its owner may change this Post.",
    );
    let (status, answer) = call_as(
        &app,
        &bob,
        "linkTagPosts",
        json!({ "tagId": tag["id"], "postId": adas["id"] }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert_eq!(
        ids(&ok_as(&app, &ada, "postTags", json!({ "id": adas["id"] })).await),
        Vec::<String>::new(),
        "Ada's post has no tags"
    );

    ok_as(
        &app,
        &ada,
        "linkPostTags",
        json!({ "postId": adas["id"], "tagId": tag["id"] }),
    )
    .await;
    assert_eq!(
        ids(&ok_as(&app, &ada, "postTags", json!({ "id": adas["id"] })).await),
        [tag["id"].as_str().unwrap()],
        "Ada uses Bob's tag"
    );
}

#[tokio::test]
async fn deleting_my_blog_never_deletes_your_cover() {
    let app = app().await;
    let (ada, bob, guest) = users().await;
    let cover = ok_as(
        &app,
        &ada,
        "createBlogCover",
        json!({ "input": { "imageUrl": "https://example.com/a.png" } }),
    )
    .await;
    let input = json!({ "input": { "name": unique("bob's"), "blogCoverId": cover["id"] } });
    let (status, answer) = call_as(&app, &bob, "createBlog", input).await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "`blogCoverId` names no BlogCover that you may change",
    );

    // A blog that points at Ada's cover anyway (written by another tool): its cascade stops there.
    let bobs = blog(&app, &bob).await;
    let settings = settings();
    let dynamodb = stratus_server::aws::dynamodb(
        &stratus_server::aws::sdk_config(&settings.aws).await,
        &settings.aws,
    );
    dynamodb
        .update_item()
        .table_name(format!("{}Blog", settings.data.table_prefix))
        .key(
            "id",
            AttributeValue::S(bobs["id"].as_str().unwrap().to_owned()),
        )
        .update_expression("SET blogCoverId = :c")
        .expression_attribute_values(
            ":c",
            AttributeValue::S(cover["id"].as_str().unwrap().to_owned()),
        )
        .send()
        .await
        .unwrap();
    let (status, answer) = call_as(&app, &bob, "deleteBlog", json!({ "id": bobs["id"] })).await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "Deleting this Blog would also delete 1 BlogCover that you may not delete",
    );
    assert_eq!(
        ok_as(&app, &guest, "getBlogCover", json!({ "id": cover["id"] })).await["id"],
        cover["id"],
        "the cover is still there"
    );
    assert_eq!(
        ok_as(&app, &bob, "getBlog", json!({ "id": bobs["id"] })).await["id"],
        bobs["id"],
        "nothing was deleted"
    );
}

#[tokio::test]
async fn an_owner_deletes_a_post_with_500_comments_by_others_and_60_tags() {
    let app = app().await;
    let (ada, bob, guest) = users().await;
    let adas = post(&app, &ada, &blog(&app, &ada).await, "PUBLISHED").await;
    let post_id = adas["id"].as_str().unwrap().to_owned();
    for chunk in (0..60).collect::<Vec<_>>().chunks(10) {
        let tags = chunk.iter().map(|n| {
            ok_as(
                &app,
                &bob,
                "createTag",
                json!({ "input": { "label": unique(&format!("t{n}")) } }),
            )
        });
        for tag in futures_util::future::join_all(tags).await {
            ok_as(
                &app,
                &ada,
                "linkPostTags",
                json!({ "postId": post_id, "tagId": tag["id"] }),
            )
            .await;
        }
    }
    for chunk in (0..500).collect::<Vec<_>>().chunks(25) {
        let comments = chunk.iter().map(|n| {
            let input = json!({ "input": { "content": format!("comment {n}"), "postCommentsId": post_id } });
            ok_as(&app, &bob, "createComment", input)
        });
        futures_util::future::join_all(comments).await;
    }
    let count = |who: &Session| {
        let (app, who) = (app.clone(), who.clone());
        let post_id = post_id.clone();
        async move {
            ok_as(
                &app,
                &who,
                "listComments",
                json!({ "filter": { "postCommentsId": { "eq": post_id } }, "limit": 1000 }),
            )
            .await
        }
    };
    assert_eq!(ids(&count(&guest).await).len(), 500);

    let (status, answer) = call_as(&app, &bob, "deletePost", json!({ "id": post_id })).await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "Only its owner may delete this Post.",
    );
    let deleted = ok_as(&app, &ada, "deletePost", json!({ "id": post_id })).await;
    assert_eq!(deleted["id"], adas["id"]);
    assert_eq!(
        ok_as(&app, &guest, "getPost", json!({ "id": post_id })).await,
        Value::Null
    );
    let mut left = Vec::new();
    let mut next_token = Value::Null;
    loop {
        let page = ok_as(&app, &guest, "listComments", json!({ "filter": { "postCommentsId": { "eq": post_id } }, "limit": 1000, "nextToken": next_token })).await;
        left.extend(ids(&page));
        next_token = page["nextToken"].clone();
        if next_token.is_null() {
            break;
        }
    }
    assert_eq!(left, Vec::<String>::new(), "no comment outlives its post");
}

#[tokio::test]
async fn a_comment_needs_a_readable_post_and_the_posts_owner_may_remove_it() {
    let app = app().await;
    let (ada, bob, guest) = users().await;
    let adas = post(&app, &ada, &blog(&app, &ada).await, "PUBLISHED").await;
    let input = json!({ "input": { "content": "hello", "postCommentsId": adas["id"] } });
    let (status, answer) = call_as(&app, &guest, "createComment", input.clone()).await;
    assert_refused(
        status,
        &answer,
        StatusCode::UNAUTHORIZED,
        "Please sign in to create this Comment.",
    );
    let comment = ok_as(&app, &bob, "createComment", input).await;
    let (status, answer) = call_as(
        &app,
        &ada,
        "updateComment",
        json!({ "input": { "id": comment["id"], "content": "edited by Ada", "_version": 1 } }),
    )
    .await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "Only its owner may change this Comment.",
    );
    ok_as(&app, &ada, "deleteComment", json!({ "id": comment["id"] })).await;
    assert_eq!(
        ok_as(&app, &guest, "getComment", json!({ "id": comment["id"] })).await,
        Value::Null
    );
}

#[tokio::test]
async fn owner_fields_cannot_be_rewritten() {
    let app = app().await;
    let (ada, bob, _) = users().await;
    let bob_id = blog(&app, &bob).await["owner"].clone();
    let adas = blog(&app, &ada).await;
    // The generated inputs have no `owner` at all (the data layer refuses it for anyone else).
    let (status, answer) = call_as(
        &app,
        &ada,
        "updateBlog",
        json!({ "input": { "id": adas["id"], "owner": bob_id, "_version": 1 } }),
    )
    .await;
    assert_refused(
        status,
        &answer,
        StatusCode::BAD_REQUEST,
        "unknown field `owner`",
    );
    let (status, answer) = call_as(
        &app,
        &ada,
        "createBlog",
        json!({ "input": { "name": "gift", "owner": bob_id } }),
    )
    .await;
    assert_refused(
        status,
        &answer,
        StatusCode::BAD_REQUEST,
        "unknown field `owner`",
    );
    assert_eq!(
        ok_as(&app, &ada, "getBlog", json!({ "id": adas["id"] })).await["owner"],
        adas["owner"]
    );
}

/// A guest's list with a filter that matches nothing reads at most the budget per call.
#[tokio::test]
async fn a_list_call_reads_a_bounded_number_of_items() {
    let app = app().await;
    let settings = settings();
    let dynamodb = stratus_server::aws::dynamodb(
        &stratus_server::aws::sdk_config(&settings.aws).await,
        &settings.aws,
    );
    let table = format!("{}GuestbookEntry", settings.data.table_prefix);
    let book = unique("bounded");
    let rows: Vec<WriteRequest> = (0..1200)
        .map(|n| {
            let item = HashMap::from([
                ("id".to_owned(), AttributeValue::S(format!("{book}-{n}"))),
                ("book".to_owned(), AttributeValue::S(book.clone())),
                ("name".to_owned(), AttributeValue::S("filler".into())),
                ("message".to_owned(), AttributeValue::S("filler".into())),
                (
                    "createdAt".to_owned(),
                    AttributeValue::S(format!("2026-01-01T00:00:{:02}.{n:04}Z", n % 60)),
                ),
            ]);
            WriteRequest::builder()
                .put_request(PutRequest::builder().set_item(Some(item)).build().unwrap())
                .build()
        })
        .collect();
    for chunk in rows.chunks(25) {
        dynamodb
            .batch_write_item()
            .request_items(&table, chunk.to_vec())
            .send()
            .await
            .unwrap();
    }
    let guest = session::guest(&settings).await;
    let (mut calls, mut next_token) = (0, Value::Null);
    loop {
        let filter = json!({ "name": { "eq": "nobody" } });
        let page = ok_as(
            &app,
            &guest,
            "guestbookEntriesByBook",
            json!({ "book": book, "filter": filter, "limit": 1000, "nextToken": next_token }),
        )
        .await;
        assert_eq!(ids(&page), Vec::<String>::new());
        calls += 1;
        next_token = page["nextToken"].clone();
        if next_token.is_null() {
            break;
        }
    }
    assert_eq!(
        calls, 2,
        "1,200 items at 1,000 per call: two calls, the first with a token"
    );
}
