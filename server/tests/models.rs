//! The generated server functions over HTTP, through the generic data layer, against
//! DynamoDB Local: what a browser (or any client) sees.

mod common;

use axum::http::StatusCode;
use common::{app, call_fn, ok, ok_as, unique};
use serde_json::{json, Value};

#[tokio::test]
async fn a_blog_is_created_read_updated_and_deleted_with_versions() {
    let app = app().await;
    let name = unique("Blog");
    let created = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": name, "description": "first" } }),
    )
    .await;
    let id = created["id"]
        .as_str()
        .expect("the server minted an id")
        .to_owned();
    assert_eq!(created["_version"], 1);
    assert_eq!(created["createdAt"], created["updatedAt"]);

    assert_eq!(ok(&app, "getBlog", json!({ "id": id })).await, created);

    let updated = ok(
        &app,
        "updateBlog",
        json!({ "input": { "id": id, "description": "second", "_version": 1 } }),
    )
    .await;
    assert_eq!(
        (
            updated["_version"].as_u64(),
            updated["description"].as_str()
        ),
        (Some(2), Some("second"))
    );
    assert_eq!(
        updated["name"],
        name.as_str(),
        "fields not named in the update are kept"
    );
    assert!(updated["updatedAt"].as_str() >= created["updatedAt"].as_str());

    let (status, stale) = call_fn(
        &app,
        "updateBlog",
        json!({ "input": { "id": id, "name": "lost", "_version": 1 } }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(stale["code"], "version_conflict", "{stale}");
    assert!(
        stale["message"]
            .as_str()
            .unwrap()
            .contains("version 2 is stored, and your change was based on version 1"),
        "{stale}"
    );

    let (status, _) = call_fn(
        &app,
        "deleteBlog",
        json!({ "id": id, "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a delete based on an old version is refused"
    );
    let deleted = ok(
        &app,
        "deleteBlog",
        json!({ "id": id, "expectedVersion": 2 }),
    )
    .await;
    assert_eq!(deleted["description"], "second");
    assert_eq!(ok(&app, "getBlog", json!({ "id": id })).await, Value::Null);

    let (status, missing) = call_fn(
        &app,
        "updateBlog",
        json!({ "input": { "id": id, "name": "x", "_version": 2 } }),
    )
    .await;
    assert_eq!(
        (status, missing["kind"].as_str()),
        (StatusCode::NOT_FOUND, Some("notFound"))
    );
}

#[tokio::test]
async fn defaults_and_the_primary_key_come_from_the_schema() {
    let app = app().await;
    let blog = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("Defaults") } }),
    )
    .await;
    let post = ok(
        &app,
        "createPost",
        json!({ "input": { "blogId": blog["id"], "title": "T", "body": "B" } }),
    )
    .await;
    assert_eq!(
        (post["status"].as_str(), post["readingMinutes"].as_i64()),
        (Some("DRAFT"), Some(1))
    );

    // A profile is keyed by its owner's id, which the server fills in from the caller.
    let ada = common::session::new_user(&common::settings(), "ada", &[]).await;
    let profile = ok_as(
        &app,
        &ada,
        "createProfile",
        json!({ "input": { "displayName": "Ada" } }),
    )
    .await;
    let user = profile["userId"]
        .as_str()
        .expect("the caller's id")
        .to_owned();
    assert_eq!(
        ok_as(
            &app,
            &ada,
            "createBlog",
            json!({ "input": { "name": unique("id") } })
        )
        .await["owner"],
        user.as_str()
    );
    assert_eq!(
        ok(&app, "getProfile", json!({ "userId": user })).await["displayName"],
        "Ada"
    );
    let (status, twin) = common::call_as(
        &app,
        &ada,
        "createProfile",
        json!({ "input": { "userId": user, "displayName": "Twin" } }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "one profile per key");
    assert_eq!(twin["code"], "already_exists", "{twin}");
}

#[tokio::test]
async fn invalid_fields_are_named_and_nothing_is_stored() {
    let app = app().await;
    let bad = common::session::new_user(&common::settings(), "bad", &[]).await;
    let user = ok_as(
        &app,
        &bad,
        "createBlog",
        json!({ "input": { "name": unique("id") } }),
    )
    .await["owner"]
        .clone();
    let cases = [
        (
            json!({ "displayName": "A", "email": "not-an-email" }),
            "email",
        ),
        (
            json!({ "displayName": "A", "website": "ftp://x" }),
            "website",
        ),
        (
            json!({ "displayName": "A", "bio": "x".repeat(410 * 1024) }),
            "bio",
        ),
    ];
    for (input, field) in cases {
        let (status, error) =
            common::call_as(&app, &bad, "createProfile", json!({ "input": input })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
        assert_eq!(error["field"], field, "{error}");
    }
    let (status, error) = call_fn(
        &app,
        "createPost",
        json!({ "input": { "title": "no body or blog" } }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error["message"].as_str().unwrap().contains("missing field"),
        "{error}"
    );
    assert_eq!(
        ok(&app, "getProfile", json!({ "userId": user })).await,
        Value::Null,
        "nothing was stored"
    );
}

#[tokio::test]
async fn sixty_four_concurrent_updates_of_one_version_have_exactly_one_winner() {
    let app = app().await;
    let blog = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("contended") } }),
    )
    .await;
    let updates = (0..64).map(|n| {
        let app = app.clone();
        let body =
            json!({ "input": { "id": blog["id"], "name": format!("writer {n}"), "_version": 1 } });
        tokio::spawn(async move { call_fn(&app, "updateBlog", body).await })
    });
    let mut statuses = Vec::new();
    for update in updates {
        statuses.push(update.await.unwrap().0);
    }
    let winners = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let conflicts = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((winners, conflicts), (1, 63), "{statuses:?}");
    assert_eq!(
        ok(&app, "getBlog", json!({ "id": blog["id"] })).await["_version"],
        2
    );
}

#[tokio::test]
async fn a_filtered_list_returns_full_pages_and_tokens_that_resume() {
    let app = app().await;
    let run = unique("page").replace(' ', "-");
    let mut expected = Vec::new();
    for n in 0..30 {
        let label = if n % 3 == 0 {
            format!("{run}-match-{n:02}")
        } else {
            format!("{run}-other-{n:02}")
        };
        if n % 3 == 0 {
            expected.push(label.clone());
        }
        ok(&app, "createTag", json!({ "input": { "label": label } })).await;
    }
    let filter = json!({ "label": { "beginsWith": format!("{run}-match") } });
    let (mut seen, mut pages, mut next_token) = (Vec::new(), Vec::new(), Value::Null);
    loop {
        let page = ok(
            &app,
            "listTags",
            json!({ "filter": filter, "limit": 4, "nextToken": next_token }),
        )
        .await;
        let labels: Vec<String> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["label"].as_str().unwrap().to_owned())
            .collect();
        pages.push(labels.len());
        seen.extend(labels);
        next_token = page["nextToken"].clone();
        if next_token.is_null() {
            break;
        }
        assert!(pages.len() < 10, "the pages never end: {pages:?}");
    }
    seen.sort();
    assert_eq!(seen, expected, "every match once, nothing else");
    let full_pages = &pages[..pages.len() - 1];
    assert!(
        full_pages.iter().all(|n| *n == 4),
        "every page but the last is full: {pages:?}"
    );

    let (status, error) = call_fn(
        &app,
        "listTags",
        json!({ "filter": filter, "limit": 4, "nextToken": "forged" }),
    )
    .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("nextToken"))
    );
    let (status, error) = call_fn(
        &app,
        "listTags",
        json!({ "filter": { "colour": { "eq": "red" } } }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
}

#[tokio::test]
async fn an_index_query_sorts_and_takes_a_key_condition() {
    let app = app().await;
    let blog = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("Indexed") } }),
    )
    .await;
    let mut created = Vec::new();
    for title in ["first", "second", "third"] {
        let post = ok(
            &app,
            "createPost",
            json!({ "input": { "blogId": blog["id"], "title": title, "body": "." } }),
        )
        .await;
        created.push(post["createdAt"].as_str().unwrap().to_owned());
    }
    let newest_first = ok(
        &app,
        "postsByBlog",
        json!({ "blogId": blog["id"], "sortDirection": "DESC" }),
    )
    .await;
    let titles: Vec<&str> = newest_first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["third", "second", "first"]);

    let after_first = ok(
        &app,
        "postsByBlog",
        json!({ "blogId": blog["id"], "sort": { "gt": created[0] } }),
    )
    .await;
    let titles: Vec<&str> = after_first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["second", "third"]);
    let (status, _) = call_fn(&app, "postsByBlog", json!({ "blogId": "" })).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an empty partition value is the caller's mistake"
    );
}

#[tokio::test]
async fn deleting_a_blog_deletes_its_posts_and_their_comments_in_one_transaction() {
    let app = app().await;
    let blog = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("Doomed") } }),
    )
    .await;
    let mut posts = Vec::new();
    let mut comments = Vec::new();
    for n in 0..2 {
        let post = ok(
            &app,
            "createPost",
            json!({ "input": { "blogId": blog["id"], "title": format!("p{n}"), "body": "." } }),
        )
        .await;
        for m in 0..2 {
            let comment = ok(
                &app,
                "createComment",
                json!({ "input": { "content": format!("c{m}"), "postCommentsId": post["id"] } }),
            )
            .await;
            comments.push(comment["id"].clone());
        }
        posts.push(post["id"].clone());
    }
    let bystander = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("Survivor") } }),
    )
    .await;

    ok(&app, "deleteBlog", json!({ "id": blog["id"] })).await;
    for id in &posts {
        assert_eq!(
            ok(&app, "getPost", json!({ "id": id })).await,
            Value::Null,
            "post {id} went with its blog"
        );
    }
    for id in &comments {
        assert_eq!(
            ok(&app, "getComment", json!({ "id": id })).await,
            Value::Null,
            "comment {id} went with its post"
        );
    }
    assert_ne!(
        ok(&app, "getBlog", json!({ "id": bystander["id"] })).await,
        Value::Null
    );
}

#[tokio::test]
async fn items_written_by_other_tools_without_a_version_read_as_version_0_and_update() {
    let app = app().await;
    let mine = ok(
        &app,
        "createBlog",
        json!({ "input": { "name": unique("mine") } }),
    )
    .await;
    // A blog put straight into the table, as a console edit or a migration would: no `_version`.
    let settings = common::settings();
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let client = stratus_server::aws::dynamodb(&sdk, &settings.aws);
    let id = unique("foreign").replace(' ', "-");
    let item = serde_dynamo::to_item(json!({
        "id": id, "name": "Imported", "owner": mine["owner"],
        "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z",
    }))
    .unwrap();
    client
        .put_item()
        .table_name(settings.table_name("Blog"))
        .set_item(Some(item))
        .send()
        .await
        .unwrap();

    let read = ok(&app, "getBlog", json!({ "id": id })).await;
    assert_eq!(read["_version"], 0, "{read}");
    let listed = ok(
        &app,
        "listBlogs",
        json!({ "filter": { "id": { "eq": id } } }),
    )
    .await;
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(1),
        "one such item does not break lists"
    );
    let updated = ok(
        &app,
        "updateBlog",
        json!({ "input": { "id": id, "name": "Imported, edited", "_version": 0 } }),
    )
    .await;
    assert_eq!(
        (updated["_version"].as_u64(), updated["name"].as_str()),
        (Some(1), Some("Imported, edited"))
    );
    let (status, _) = call_fn(
        &app,
        "updateBlog",
        json!({ "input": { "id": id, "name": "stale", "_version": 0 } }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "version 0 is only good once");
}
