//! Shared set-up for the server's integration tests: the real Router, against the local stack.

#![allow(dead_code)] // each test binary uses a part of this module

pub mod session;

use std::path::PathBuf;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use axum::Router;
use stratus_server::configuration::Settings;
use stratus_server::startup::{router, AppState};
use tower::ServiceExt;

/// The settings the local stack was provisioned with, and a throwaway site root.
pub fn settings() -> Settings {
    let mut settings = Settings::load().expect("settings load");
    let (root, public_dir) = site_dirs();
    settings.site.root = root;
    settings.site.public_dir = public_dir;
    settings
}

/// The app, talking to the running DynamoDB Local. Fails with the fix in words when the local
/// stack is down, because these tests are about the real thing.
pub async fn app() -> Router {
    let settings = settings();
    let endpoint = settings
        .dynamodb_endpoint()
        .expect("a local DynamoDB endpoint in Leptos.toml")
        .to_owned();
    let authority = endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let reachable = tokio::time::timeout(
        Duration::from_secs(2),
        tokio::net::TcpStream::connect(&authority),
    )
    .await;
    assert!(
        matches!(reachable, Ok(Ok(_))),
        "DynamoDB Local is not running at {endpoint}: run the tests with `cargo xtask test`, or start the stack with `cargo xtask stack`"
    );
    app_with(settings).await
}

pub async fn app_with(settings: Settings) -> Router {
    router(
        AppState::from_settings(&settings, app::models::MODELS).await,
        &settings,
    )
}

/// The content hash in the name of the test site's hashed `pkg/stratus.<hash>.js`.
pub const HASHED: &str = "kC2ZpXQ5qU3VdJ1mWbE7Rw";

/// The two halves of a site, with recognisable files: (built, static). Written once per test
/// binary: tests run side by side, and one rewriting a file another reads would race.
fn site_dirs() -> (PathBuf, PathBuf) {
    static DIRS: std::sync::OnceLock<(PathBuf, PathBuf)> = std::sync::OnceLock::new();
    DIRS.get_or_init(write_site_dirs).clone()
}

fn write_site_dirs() -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("stratus-test-site-{}", std::process::id()));
    let (built, public) = (dir.join("built"), dir.join("public"));
    std::fs::create_dir_all(built.join("pkg")).unwrap();
    std::fs::create_dir_all(&public).unwrap();
    std::fs::write(
        public.join("index.html"),
        r#"<!doctype html><title>shell</title><script type="module" src="/boot.js"></script>"#,
    )
    .unwrap();
    std::fs::write(public.join("robots.txt"), "User-agent: *").unwrap();
    std::fs::write(
        public.join("boot.js"),
        r#"import init from "/pkg/stratus.js"; init();"#,
    )
    .unwrap();
    std::fs::write(
        built.join("pkg/stratus.js"),
        "export default function init() {}",
    )
    .unwrap();
    // A release build's file: its name carries its content's hash; large enough to compress.
    std::fs::write(
        built.join(format!("pkg/stratus.{HASHED}.js")),
        "export default function init() {}\n".repeat(100),
    )
    .unwrap();
    (built, public)
}

pub async fn call(app: &Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router never fails");
    let status = response.status();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// A POST as the browser sends it, before signing: what the edge refuses.
pub fn unsigned_post(path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

/// A POST signed by the suite's signed-in author.
pub async fn post_json(path: &str, body: &str) -> Request<Body> {
    author().await.post(path, body)
}

static AUTHOR: tokio::sync::OnceCell<(String, session::Session)> =
    tokio::sync::OnceCell::const_new();

async fn author_and_email() -> &'static (String, session::Session) {
    AUTHOR
        .get_or_init(|| async {
            let settings = settings();
            let email = session::email("author");
            stratus_ops::api_client::register_confirmed(&settings, &email, session::PASSWORD, &[])
                .await
                .expect("the author signs up");
            (
                email.clone(),
                session::Session::user(&settings, &email, session::PASSWORD)
                    .await
                    .expect("the author signs in"),
            )
        })
        .await
}

/// The signed-in user the tests call as unless they say otherwise: it owns what it creates.
pub async fn author() -> session::Session {
    author_and_email().await.1.clone()
}

pub async fn author_email() -> String {
    author_and_email().await.0.clone()
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A message no other test run can have written.
pub fn unique(label: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{label} {nanos}")
}

/// Calls a server function the way a browser does, as the suite's author; the answer must be
/// JSON.
pub async fn call_fn(
    app: &Router,
    endpoint: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    call_as(app, &author().await, endpoint, body).await
}

pub async fn call_as(
    app: &Router,
    caller: &session::Session,
    endpoint: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let (status, text) = call(
        app,
        caller.post(&format!("/api/{endpoint}"), &body.to_string()),
    )
    .await;
    (
        status,
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{endpoint} answered non-JSON ({e}): {text}")),
    )
}

/// Calls a server function as `caller`; it must succeed.
pub async fn ok_as(
    app: &Router,
    caller: &session::Session,
    endpoint: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let (status, answer) = call_as(app, caller, endpoint, body.clone()).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{endpoint} {body} answered {answer}"
    );
    answer
}

/// Calls a server function that must succeed.
pub async fn ok(app: &Router, endpoint: &str, body: serde_json::Value) -> serde_json::Value {
    let (status, answer) = call_fn(app, endpoint, body.clone()).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{endpoint} {body} answered {answer}"
    );
    answer
}
