//! Server functions over HTTP, against DynamoDB Local.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{
    app, app_with, author, call, json, post_json, settings, unique, unsigned_post, HASHED,
};
use tower::ServiceExt;

#[tokio::test]
async fn a_signature_is_stored_in_dynamodb_and_listed_newest_first() {
    let app = app().await;
    let first = unique("first");
    let second = unique("second");
    for message in [&first, &second] {
        let body = serde_json::json!({ "name": "  Ada  ", "message": message }).to_string();
        let (status, text) = call(&app, post_json("/api/sign_guestbook", &body).await).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let entry = json(&text);
        assert_eq!(entry["name"], "Ada", "the name is stored trimmed");
        assert_eq!(entry["message"], message.as_str());
    }

    let (status, text) = call(&app, post_json("/api/list_guestbook", "{}").await).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let messages: Vec<String> = json(&text)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect();
    let position = |m: &String| {
        messages
            .iter()
            .position(|x| x == m)
            .unwrap_or_else(|| panic!("{m} not listed"))
    };
    assert!(
        position(&second) < position(&first),
        "newest first: {messages:?}"
    );
}

#[tokio::test]
async fn invalid_input_is_refused_with_the_field_named_and_nothing_stored() {
    let app = app().await;
    let message = unique("never stored");
    let body = serde_json::json!({ "name": "", "message": message }).to_string();
    let (status, text) = call(&app, post_json("/api/sign_guestbook", &body).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error = json(&text);
    assert_eq!(error["kind"], "invalid");
    assert_eq!(error["field"], "name");
    assert_eq!(error["message"], "Please enter your name.");

    let (_, listed) = call(&app, post_json("/api/list_guestbook", "{}").await).await;
    assert!(!listed.contains(&message));
}

#[tokio::test]
async fn malformed_bodies_are_bad_requests_with_a_message() {
    let app = app().await;
    for body in [
        "{not json",
        "{\"name\": 7, \"message\": \"x\"}",
        "{\"name\": \"Ada\"}",
        "",
    ] {
        let (status, text) = call(&app, post_json("/api/sign_guestbook", body).await).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "body {body:?} answered {text}"
        );
        let error = json(&text);
        assert_eq!(error["kind"], "invalid", "{text}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .starts_with("The request is malformed"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn unknown_functions_are_404_and_wrong_methods_405() {
    let app = app().await;
    let (status, text) = call(&app, post_json("/api/no_such_function", "{}").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        json(&text)["message"],
        "There is no server function at /api/no_such_function."
    );

    let (status, text) = call(
        &app,
        author().await.signed(
            "GET",
            "/api/sign_guestbook",
            "",
            std::time::SystemTime::now(),
            &[],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{text}");
    assert!(json(&text)["message"]
        .as_str()
        .unwrap()
        .contains("must be called with POST"));
}

#[tokio::test]
async fn oversized_requests_are_413_with_the_limit_in_words_declared_or_streamed() {
    let app = app().await;
    let limit = settings().site.max_request_bytes;
    let body = serde_json::json!({ "name": "Ada", "message": "x".repeat(limit) }).to_string();

    let declared = Request::post("/api/sign_guestbook")
        .header("content-type", "application/json")
        .header("content-length", body.len())
        .body(Body::from(body.clone()))
        .unwrap();
    let chunks = body
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
        .collect::<Vec<_>>();
    let streamed = unsigned_post(
        "/api/sign_guestbook",
        Body::from_stream(futures_util::stream::iter(chunks)),
    );

    for request in [declared, streamed] {
        let (status, text) = call(&app, request).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
        assert_eq!(
            json(&text)["message"],
            "The request is too large: the limit is 1024 KiB."
        );
    }
}

#[tokio::test]
async fn an_unreachable_dynamodb_is_a_503_with_a_message() {
    let mut settings = settings();
    // Port 9 (discard) is closed on loopback: the connection is refused at once.
    settings.aws.dynamodb_endpoint_url = Some("http://127.0.0.1:9".into());
    let app = app_with(settings).await;
    let body = serde_json::json!({ "name": "Ada", "message": "lost?" }).to_string();
    let (status, text) = call(&app, post_json("/api/sign_guestbook", &body).await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    let error = json(&text);
    assert_eq!(error["kind"], "unavailable");
    assert_eq!(error["code"], "unavailable");
    assert_eq!(
        error["message"],
        "The database cannot be reached right now. Please try again in a moment."
    );
}

#[tokio::test]
async fn the_site_falls_back_to_the_shell_for_routes_but_not_for_files() {
    let app = app().await;
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();

    let (status, text) = call(&app, get("/about")).await;
    assert_eq!(
        (status, text.contains("<title>shell</title>")),
        (StatusCode::OK, true)
    );

    let (status, text) = call(&app, get("/pkg/stratus.js")).await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::OK, "export default function init() {}")
    );

    let (status, text) = call(&app, get("/robots.txt")).await;
    assert_eq!((status, text.as_str()), (StatusCode::OK, "User-agent: *"));

    let (status, _) = call(&app, get("/pkg/missing.wasm")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn built_files_are_cached_for_good_and_the_shell_names_them_and_is_revalidated() {
    let app = app().await;
    let get = |path: &str| {
        Request::get(path)
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap()
    };
    let send = |request| async { app.clone().oneshot(request).await.unwrap() };

    let shell = send(Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(shell.headers()[header::CACHE_CONTROL], "no-cache");
    let html = body_text(shell).await;
    let boot = html
        .split('"')
        .find(|part| part.starts_with("/boot."))
        .unwrap_or_else(|| panic!("the shell loads no hashed boot script: {html}"));

    let boot_script = send(Request::get(boot).body(Body::empty()).unwrap()).await;
    assert_eq!(boot_script.status(), StatusCode::OK);
    assert_eq!(
        boot_script.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        body_text(boot_script).await,
        format!(r#"import init from "/pkg/stratus.{HASHED}.js"; init();"#)
    );

    let hashed = send(get(&format!("/pkg/stratus.{HASHED}.js"))).await;
    assert_eq!(
        hashed.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(hashed.headers()[header::CONTENT_ENCODING], "gzip");

    let plain = send(get("/pkg/stratus.js")).await;
    assert_eq!(plain.headers()[header::CACHE_CONTROL], "no-cache");

    let stale = send(get("/boot.0000000000000000aaaa.js")).await;
    assert_eq!(stale.status(), StatusCode::NOT_FOUND);
}

async fn body_text(response: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test]
async fn the_client_config_carries_the_provisioned_ids() {
    let app = app().await;
    let (status, text) = call(
        &app,
        Request::get("/config.json").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let config = json(&text);
    let settings = settings();
    assert_eq!(config["region"], settings.aws.region.as_str());
    assert_eq!(config["userPoolId"], settings.auth.user_pool_id.as_str());
    assert!(
        !settings.auth.user_pool_id.is_empty(),
        "provisioning wrote the user pool id"
    );
}
