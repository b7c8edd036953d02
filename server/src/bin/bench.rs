//! `bench`: the data layer's figures, run by `cargo xtask bench` against the local stack, in a
//! release build: server-side time per generated call (the Router in process, DynamoDB Local
//! over loopback), and DynamoDB requests per call. Prints one JSON document.

use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::http::Request;
use axum::Router;
use serde_json::{json, Value};
use server::aws::RequestCounter;
use server::configuration::Settings;
use server::startup::{router, AppState};
use tower::ServiceExt;

const ITERATIONS: usize = 200;

#[tokio::main]
async fn main() {
    server::telemetry::init(false);
    let settings = Settings::load().expect("settings");
    let sdk = server::aws::sdk_config(&settings.aws).await;
    let requests = RequestCounter::default();
    let app = router(AppState::with_clients(requests.dynamodb(&sdk, &settings.aws), server::aws::cognito_identity(&sdk), &settings, server::startup::Platform::Local), &settings);

    tracing::info!("seeding a blog with 100 posts, 5 tags, 2 tags per post");
    let blog = call(&app, "createBlog", json!({ "input": { "name": "bench" } })).await;
    let mut tags = Vec::new();
    for n in 0..5 {
        tags.push(call(&app, "createTag", json!({ "input": { "label": format!("bench-{n}") } })).await["id"].clone());
    }
    let mut posts = Vec::new();
    for n in 0..100 {
        let post = call(&app, "createPost", json!({ "input": { "blogId": blog["id"], "title": format!("post {n}"), "body": "text" } })).await;
        for tag in [&tags[n % 5], &tags[(n + 1) % 5]] {
            call(&app, "linkPostTags", json!({ "postId": post["id"], "tagId": tag })).await;
        }
        posts.push(post["id"].clone());
    }

    let list_with_relations = json!({ "blogId": blog["id"], "limit": 100, "include": ["blog", "tags"] });
    let before = requests.count();
    let page = call(&app, "postsByBlog", list_with_relations.clone()).await;
    let list_requests = requests.count() - before;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(100));

    let mut calls = serde_json::Map::new();
    let operations: Vec<(&str, &str, Box<dyn Fn(usize) -> Value>)> = vec![
        ("getPost", "getPost", Box::new(|i| json!({ "id": posts[i % posts.len()] }))),
        ("createPost", "createPost", Box::new(|i| json!({ "input": { "blogId": blog["id"], "title": format!("new {i}"), "body": "b" } }))),
        ("postsByBlog (100 posts + blog + tags)", "postsByBlog", Box::new(|_| list_with_relations.clone())),
    ];
    for (label, endpoint, body) in &operations {
        tracing::info!("timing {label}: {ITERATIONS} calls");
        let mut times = Vec::with_capacity(ITERATIONS);
        let before = requests.count();
        for i in 0..ITERATIONS {
            let started = Instant::now();
            call(&app, endpoint, body(i)).await;
            times.push(started.elapsed());
        }
        let per_call = (requests.count() - before) as f64 / ITERATIONS as f64;
        times.sort();
        calls.insert(
            (*label).to_owned(),
            json!({
                "p50_ms": millis(times[ITERATIONS / 2]),
                "p99_ms": millis(times[ITERATIONS * 99 / 100]),
                "dynamodb_requests_per_call": per_call,
            }),
        );
    }
    let report = json!({
        "iterations": ITERATIONS,
        "list_with_relations": { "rows": 100, "relations": ["blog", "tags"], "dynamodb_requests": list_requests },
        "generated_calls": calls,
    });
    println!("{}", serde_json::to_string_pretty(&report).expect("JSON"));
}

fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

async fn call(app: &Router, endpoint: &str, body: Value) -> Value {
    let request = Request::post(format!("/api/{endpoint}")).header("content-type", "application/json").body(Body::from(body.to_string())).unwrap();
    let response = app.clone().oneshot(request).await.expect("the router answers");
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.expect("body");
    assert!(status.is_success(), "{endpoint} answered {status}: {}", String::from_utf8_lossy(&bytes));
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}
