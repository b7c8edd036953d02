//! `bench`: the server's figures, run by `cargo xtask bench` against the local stack, in a
//! release build: server-side time per generated call (the Router in process, signed calls as
//! the browser makes them, DynamoDB Local over loopback), DynamoDB requests per call, and the
//! cost of authentication (ID token verification with the JWKS cached; the whole edge check).
//! With STRATUS_BENCH_HTTP_TARGETS (`stratus=host:port,axum=host:port,node=host:port`, set by
//! xtask), the same load again over HTTP against those processes. Prints one JSON document.
//!
//! `bench --serve-baseline host:port` serves the bare axum baseline over HTTP instead;
//! `bench --lambda <dir>` measures the functions deployed into the local cloud (lambda.rs);
//! `bench --live <host:port>:<pid>` measures live delivery to many subscribers (live.rs).

mod baseline;
mod behind_function_url;
mod lambda;
mod lambda_cost;
mod live;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::interceptors::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_types::config_bag::{Storable, StoreReplace};

use axum::body::to_bytes;
use axum::Router;
use behind_function_url::as_behind_the_url;
use serde_json::{json, Value};
use stratus_ops::api_client::{register_confirmed, ApiClient};
use stratus_server::aws::RequestCounter;
use stratus_server::configuration::Settings;
use stratus_server::startup::{router, AppState, Platform};
use tower::ServiceExt;

const ITERATIONS: usize = 200;

/// The body of the i-th call of an operation.
type MakeBody<'a> = Box<dyn Fn(usize) -> Value + 'a>;

#[tokio::main]
async fn main() {
    stratus_server::telemetry::init(false);
    let settings = Settings::load().expect("settings");
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, addr] = args.as_slice() {
        if flag == "--serve-baseline" {
            let listener = tokio::net::TcpListener::bind(addr.as_str())
                .await
                .expect("the baseline's address is free");
            let app = baseline::router(
                stratus_server::aws::dynamodb(&sdk, &settings.aws),
                &settings.data.table_prefix,
            );
            println!("listening");
            axum::serve(listener, app)
                .await
                .expect("the baseline serves");
            return;
        }
        if flag == "--live" {
            let report = live::run(&settings, addr).await;
            println!("{}", serde_json::to_string_pretty(&report).expect("JSON"));
            return;
        }
        if flag == "--lambda" {
            let report = lambda::run(settings, std::path::Path::new(addr)).await;
            println!("{}", serde_json::to_string_pretty(&report).expect("JSON"));
            return;
        }
    }
    let requests = RequestCounter::default();
    let timer = DynamoTimer::default();
    let dynamodb = {
        let base = requests.dynamodb(&sdk, &settings.aws);
        aws_sdk_dynamodb::Client::from_conf(
            base.config()
                .to_builder()
                .interceptor(timer.clone())
                .build(),
        )
    };
    let dynamodb_for_baseline = dynamodb.clone();
    // As the function runs in the cloud, behind its Function URL (behind_function_url.rs).
    let state = AppState::with_clients(app::models::MODELS, dynamodb, &settings, Platform::Lambda);
    let pool = user_pool_provider(&settings);
    let app = Target::InProcess(router(state.clone(), &settings).layer(
        axum::middleware::map_request(move |request| {
            let pool = pool.clone();
            async move { as_behind_the_url(request, &pool) }
        }),
    ));

    let email = format!("bench-{}@example.com", uuid::Uuid::new_v4());
    let password = "Bench-password-1";
    register_confirmed(&settings, &email, password, &[])
        .await
        .expect("the bench user signs up");
    let author = ApiClient::user(&settings, &email, password)
        .await
        .expect("the bench user signs in");
    let call = |endpoint: &'static str, body: Value| call(&app, &author, endpoint, body);

    tracing::info!("seeding a blog (with a cover) with 100 posts, 5 tags, 2 tags per post");
    let cover = call(
        "createBlogCover",
        json!({ "input": { "imageUrl": "https://example.com/cover.png" } }),
    )
    .await;
    let blog = call(
        "createBlog",
        json!({ "input": { "name": "bench", "blogCoverId": cover["id"] } }),
    )
    .await;
    let mut tags = Vec::new();
    for n in 0..5 {
        tags.push(
            call(
                "createTag",
                json!({ "input": { "label": format!("bench-{n}") } }),
            )
            .await["id"]
                .clone(),
        );
    }
    let mut posts = Vec::new();
    for n in 0..100 {
        let post = call("createPost", json!({ "input": { "blogId": blog["id"], "title": format!("post {n}"), "body": "text" } })).await;
        for tag in [&tags[n % 5], &tags[(n + 1) % 5]] {
            call(
                "linkPostTags",
                json!({ "postId": post["id"], "tagId": tag }),
            )
            .await;
        }
        posts.push(post["id"].clone());
    }

    let list_with_relations =
        json!({ "blogId": blog["id"], "limit": 100, "include": ["blog", "tags"] });
    let before = requests.count();
    let page = call("postsByBlog", list_with_relations.clone()).await;
    let list_requests = requests.count() - before;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(100));
    // Two levels: each post's tags and blog, and each blog's cover.
    let two_levels =
        json!({ "blogId": blog["id"], "limit": 100, "include": ["tags", "blog", "blog.cover"] });
    let before = requests.count();
    let page = call("postsByBlog", two_levels).await;
    let two_level_requests = requests.count() - before;
    assert_eq!(
        page["items"][0]["blog"]["cover"]["id"], cover["id"],
        "the second level is loaded"
    );

    tracing::info!("seeding {ITERATIONS} posts to delete, each with 3 comments and 2 tags");
    let mut doomed = Vec::with_capacity(ITERATIONS);
    for n in 0..ITERATIONS {
        let post = call("createPost", json!({ "input": { "blogId": blog["id"], "title": format!("doomed {n}"), "body": "b", "status": "PUBLISHED" } })).await;
        for c in 0..3 {
            call("createComment", json!({ "input": { "content": format!("comment {c}"), "postCommentsId": post["id"] } })).await;
        }
        for tag in [&tags[n % 5], &tags[(n + 1) % 5]] {
            call(
                "linkPostTags",
                json!({ "postId": post["id"], "tagId": tag }),
            )
            .await;
        }
        doomed.push(post["id"].clone());
    }

    let mut calls = serde_json::Map::new();
    let operations: Vec<(&str, &str, MakeBody)> = vec![
        (
            "getPost",
            "getPost",
            Box::new(|i| json!({ "id": posts[i % posts.len()] })),
        ),
        (
            "createPost",
            "createPost",
            Box::new(
                |i| json!({ "input": { "blogId": blog["id"], "title": format!("new {i}"), "body": "b" } }),
            ),
        ),
        (
            "postsByBlog (100 posts + blog + tags)",
            "postsByBlog",
            Box::new(|_| list_with_relations.clone()),
        ),
        (
            "deletePost (cascade: 3 comments, 2 tag links)",
            "deletePost",
            Box::new(|i| json!({ "id": doomed[i] })),
        ),
    ];
    for (label, endpoint, body) in &operations {
        tracing::info!("timing {label}: {ITERATIONS} calls");
        let mut times = Vec::with_capacity(ITERATIONS);
        let before = requests.count();
        timer.0.store(0, Ordering::SeqCst);
        for i in 0..ITERATIONS {
            let started = Instant::now();
            call(endpoint, body(i)).await;
            times.push(started.elapsed());
        }
        let per_call = (requests.count() - before) as f64 / ITERATIONS as f64;
        let mean_ms =
            times.iter().map(Duration::as_secs_f64).sum::<f64>() * 1000.0 / ITERATIONS as f64;
        let dynamodb_ms = timer.0.load(Ordering::SeqCst) as f64 / 1e6 / ITERATIONS as f64;
        times.sort();
        calls.insert(
            (*label).to_owned(),
            json!({
                "p50_ms": millis(times[ITERATIONS / 2]),
                "p99_ms": millis(times[ITERATIONS * 99 / 100]),
                "dynamodb_requests_per_call": per_call,
                "mean_dynamodb_ms": (dynamodb_ms * 1000.0).round() / 1000.0,
                // Signature, token, @auth and the data layer's own work: the call's time minus
                // the time spent waiting for DynamoDB's answers.
                "mean_stratus_ms": ((mean_ms - dynamodb_ms).max(0.0) * 1000.0).round() / 1000.0,
            }),
        );
    }
    let auth = time_authentication(&state, &settings, &author).await;

    let mut concurrency = serde_json::Map::new();
    let loads: Vec<(&str, &str, usize, MakeBody)> = vec![
        (
            "getPost",
            "getPost",
            640,
            Box::new(|i| json!({ "id": posts[i % posts.len()] })),
        ),
        (
            "postsByBlog (100 posts + blog + tags)",
            "postsByBlog",
            128,
            Box::new(|_| list_with_relations.clone()),
        ),
        (
            "createPost",
            "createPost",
            640,
            Box::new(
                |i| json!({ "input": { "blogId": blog["id"], "title": format!("load {i}"), "body": "b" } }),
            ),
        ),
    ];
    for (label, endpoint, total, body) in &loads {
        let signed = signed_post(&author, &format!("/api/{endpoint}"));
        let levels = load_levels(
            &app,
            &format!("load {label}"),
            *total,
            body,
            &signed,
            &timer,
        )
        .await;
        concurrency.insert((*label).to_owned(), levels);
    }

    // The same three operations, hand-written against the SDK in bare axum handlers.
    let baseline_app = baseline::router(dynamodb_for_baseline, &settings.data.table_prefix);
    let mut baseline = serde_json::Map::new();
    let baseline_loads: Vec<(&str, &str, usize, MakeBody)> = vec![
        (
            "getPost",
            "/get",
            640,
            Box::new(|i| json!({ "id": posts[i % posts.len()] })),
        ),
        (
            "postsByBlog (100 posts + blog + tags)",
            "/list",
            128,
            Box::new(|_| json!({ "blogId": blog["id"] })),
        ),
        (
            "createPost",
            "/create",
            640,
            Box::new(
                |i| json!({ "blogId": blog["id"], "title": format!("bare {i}"), "body": "b" }),
            ),
        ),
    ];
    let baseline_target = Target::InProcess(baseline_app);
    for (label, path, total, body) in &baseline_loads {
        let levels = load_levels(
            &baseline_target,
            &format!("baseline {label}"),
            *total,
            body,
            &plain_post(path),
            &timer,
        )
        .await;
        baseline.insert((*label).to_owned(), levels);
    }
    let over_http = match std::env::var("STRATUS_BENCH_HTTP_TARGETS") {
        Ok(targets) => {
            let operations = HttpOperations {
                author: author.clone(),
                blog: blog["id"].clone(),
                posts: posts.clone(),
                list: list_with_relations.clone(),
            };
            load_over_http(&targets, &operations, &timer).await
        }
        Err(_) => Value::Null,
    };
    let report = json!({
        "iterations": ITERATIONS,
        "over_http": over_http,
        "auth": auth,
        "concurrency": concurrency,
        "baseline_axum": baseline,
        "list_with_relations": { "rows": 100, "relations": ["blog", "tags"], "dynamodb_requests": list_requests },
        "list_with_two_relation_levels": { "rows": 100, "relations": ["tags", "blog", "blog.cover"], "dynamodb_requests": two_level_requests },
        "generated_calls": calls,
    });
    println!("{}", serde_json::to_string_pretty(&report).expect("JSON"));
}

struct HttpOperations {
    author: ApiClient,
    blog: Value,
    posts: Vec<Value>,
    list: Value,
}

/// The load again, over HTTP, against each process named in `targets`: Stratus's release server
/// (signed calls, as a browser makes them) and the two baselines (plain JSON).
async fn load_over_http(targets: &str, operations: &HttpOperations, timer: &DynamoTimer) -> Value {
    let client: HttpClient =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build_http();
    let mut report = serde_json::Map::new();
    for target in targets.split(',') {
        let (name, addr) = target.split_once('=').expect("name=host:port");
        let http = Target::Http(client.clone(), addr.to_owned());
        let stratus = name == "stratus";
        let (blog, posts) = (operations.blog.clone(), operations.posts.clone());
        let loads: Vec<(&str, &str, usize, MakeBody)> = if stratus {
            vec![
                (
                    "get",
                    "/api/getPost",
                    640,
                    Box::new(move |i| json!({ "id": posts[i % posts.len()] })),
                ),
                (
                    "list (100 posts + blog + tags)",
                    "/api/postsByBlog",
                    128,
                    Box::new({
                        let list = operations.list.clone();
                        move |_| list.clone()
                    }),
                ),
                (
                    "create",
                    "/api/createPost",
                    640,
                    Box::new(
                        move |i| json!({ "input": { "blogId": blog, "title": format!("http {i}"), "body": "b" } }),
                    ),
                ),
            ]
        } else {
            let list_blog = blog.clone();
            vec![
                (
                    "get",
                    "/get",
                    640,
                    Box::new(move |i| json!({ "id": posts[i % posts.len()] })),
                ),
                (
                    "list (100 posts + blog + tags)",
                    "/list",
                    128,
                    Box::new(move |_| json!({ "blogId": list_blog })),
                ),
                (
                    "create",
                    "/create",
                    640,
                    Box::new(
                        move |i| json!({ "blogId": blog, "title": format!("{name} {i}"), "body": "b" }),
                    ),
                ),
            ]
        };
        let mut by_operation = serde_json::Map::new();
        for (label, path, total, body) in &loads {
            let make = if stratus {
                signed_post(&operations.author, path)
            } else {
                plain_post(path)
            };
            let levels = load_levels(
                &http,
                &format!("over HTTP, {name} {label}"),
                *total,
                body,
                &make,
                timer,
            )
            .await;
            by_operation.insert((*label).to_owned(), levels);
        }
        report.insert(name.to_owned(), Value::Object(by_operation));
    }
    Value::Object(report)
}

/// Requests as the browser sends them: signed, with the caller's ID token.
fn signed_post(caller: &ApiClient, path: &str) -> MakeRequest {
    let (caller, path) = (caller.clone(), path.to_owned());
    Arc::new(move |body: &Value| caller.post(&path, &body.to_string()))
}

/// Plain JSON requests, for the baselines.
fn plain_post(path: &str) -> MakeRequest {
    let path = path.to_owned();
    Arc::new(move |body: &Value| {
        axum::http::Request::post(path.as_str())
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .expect("a request")
    })
}

/// One operation loaded from 1, 8 and 64 concurrent callers in turn: the figures of each level.
async fn load_levels(
    target: &Target,
    label: &str,
    total: usize,
    body: &dyn Fn(usize) -> Value,
    make_request: &MakeRequest,
    timer: &DynamoTimer,
) -> Value {
    let mut levels = Vec::new();
    for callers in [1usize, 8, 64] {
        tracing::info!("{label}: {total} calls from {callers} concurrent callers");
        let bodies: Vec<Value> = (0..total).map(body).collect();
        let mut figures = load(target, make_request.clone(), bodies, callers, timer).await;
        figures["callers"] = callers.into();
        levels.push(figures);
    }
    Value::Array(levels)
}

fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

/// p50/p99 of verifying the ID token alone (JWKS cached), and of the whole check a request
/// passes in the function before its server function runs (the signer the Function URL
/// reports, then the token; the URL checked the signature before the function ran).
async fn time_authentication(state: &AppState, settings: &Settings, author: &ApiClient) -> Value {
    let token = author.id_token.clone().expect("a signed-in author");
    let verifier = stratus_server::auth::id_token::IdTokenVerifier::new(
        stratus_server::auth::id_token::UserPool {
            issuer: settings.auth.issuer(&settings.aws.region),
            client_id: settings.auth.user_pool_client_id.clone(),
            jwks_url: settings.auth.jwks_url(&settings.aws.region),
        },
    );
    verifier
        .verify(&token)
        .await
        .expect("the bench user's token verifies"); // fetches the JWKS once
    let mut verify = Vec::with_capacity(ITERATIONS);
    let mut edge = Vec::with_capacity(ITERATIONS);
    for _ in 0..ITERATIONS {
        let started = Instant::now();
        verifier.verify(&token).await.expect("verifies");
        verify.push(started.elapsed());
        let request = as_behind_the_url(
            author.post("/api/getPost", r#"{"id":"x"}"#),
            &user_pool_provider(settings),
        );
        let started = Instant::now();
        state
            .authenticator
            .caller(request)
            .await
            .expect("authenticates");
        edge.push(started.elapsed());
    }
    verify.sort();
    edge.sort();
    json!({
        "id_token_verify_p50_us": micros(verify[ITERATIONS / 2]),
        "id_token_verify_p99_us": micros(verify[ITERATIONS * 99 / 100]),
        "request_authentication_p50_us": micros(edge[ITERATIONS / 2]),
        "request_authentication_p99_us": micros(edge[ITERATIONS * 99 / 100]),
    })
}

/// Sums the time DynamoDB takes to answer each attempt, so a call's time splits into
/// DynamoDB's and Stratus's own.
#[derive(Debug, Clone, Default)]
struct DynamoTimer(Arc<AtomicU64>);

#[derive(Debug, Clone)]
struct AttemptStarted(Instant);

impl Storable for AttemptStarted {
    type Storer = StoreReplace<Self>;
}

impl Intercept for DynamoTimer {
    fn name(&self) -> &'static str {
        "DynamoTimer"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        config: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        config
            .interceptor_state()
            .store_put(AttemptStarted(Instant::now()));
        Ok(())
    }

    fn read_after_attempt(
        &self,
        _context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        config: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        if let Some(started) = config.load::<AttemptStarted>() {
            self.0
                .fetch_add(started.0.elapsed().as_nanos() as u64, Ordering::SeqCst);
        }
        Ok(())
    }
}

/// `bodies.len()` calls of `endpoint` from `callers` concurrent callers: latency p50/p99,
/// throughput, and the mean time per call spent waiting for DynamoDB versus in Stratus.
type MakeRequest = Arc<dyn Fn(&Value) -> axum::http::Request<axum::body::Body> + Send + Sync>;

async fn load(
    target: &Target,
    make_request: MakeRequest,
    bodies: Vec<Value>,
    callers: usize,
    timer: &DynamoTimer,
) -> Value {
    let total = bodies.len();
    let bodies = Arc::new(bodies);
    let next = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(total)));
    timer.0.store(0, Ordering::SeqCst);
    let started = Instant::now();
    let workers: Vec<_> = (0..callers)
        .map(|_| {
            let (target, make_request, bodies, next, latencies) = (
                target.clone(),
                make_request.clone(),
                bodies.clone(),
                next.clone(),
                latencies.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(body) = bodies.get(i) else { break };
                    let began = Instant::now();
                    send(&target, make_request(body)).await;
                    latencies
                        .lock()
                        .expect("not poisoned")
                        .push(began.elapsed());
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("a load worker");
    }
    let wall = started.elapsed();
    let mut latencies = std::mem::take(&mut *latencies.lock().expect("not poisoned"));
    latencies.sort();
    let mean_ms = latencies.iter().map(Duration::as_secs_f64).sum::<f64>() * 1000.0 / total as f64;
    let mut figures = json!({
        "p50_ms": millis(latencies[total / 2]),
        "p99_ms": millis(latencies[total * 99 / 100]),
        "calls_per_second": (total as f64 / wall.as_secs_f64()).round(),
        "mean_ms": (mean_ms * 100.0).round() / 100.0,
    });
    // DynamoDB's share is only known for calls served in this process.
    if let Target::InProcess(_) = target {
        let dynamodb_ms = timer.0.load(Ordering::SeqCst) as f64 / 1e6 / total as f64;
        figures["mean_dynamodb_ms"] = json!((dynamodb_ms * 100.0).round() / 100.0);
        figures["mean_stratus_ms"] =
            json!(((mean_ms - dynamodb_ms).max(0.0) * 100.0).round() / 100.0);
    }
    figures
}

/// The identity pool's name for the user pool: `cognito-idp.<region>.amazonaws.com/<poolId>`.
fn user_pool_provider(settings: &Settings) -> String {
    format!(
        "cognito-idp.{}.amazonaws.com/{}",
        settings.aws.region, settings.auth.user_pool_id
    )
}

fn micros(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1_000_000.0).round()
}

async fn call(target: &Target, caller: &ApiClient, endpoint: &str, body: Value) -> Value {
    send(
        target,
        caller.post(&format!("/api/{endpoint}"), &body.to_string()),
    )
    .await
}

/// Where calls go: a Router in this process, or a server process over HTTP (keep-alive).
#[derive(Clone)]
#[allow(clippy::large_enum_variant)] // a handful of targets, made once
enum Target {
    InProcess(Router),
    Http(HttpClient, String),
}

type HttpClient = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    axum::body::Body,
>;

/// One request; it must succeed.
async fn send(target: &Target, request: axum::http::Request<axum::body::Body>) -> Value {
    let path = request.uri().path().to_owned();
    let (status, bytes) = send_for_status(target, request).await;
    assert!(
        status.is_success(),
        "{path} answered {status}: {}",
        String::from_utf8_lossy(&bytes)
    );
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

/// One request, answered with whatever status.
async fn send_for_status(
    target: &Target,
    request: axum::http::Request<axum::body::Body>,
) -> (axum::http::StatusCode, axum::body::Bytes) {
    let path = request.uri().path().to_owned();
    match target {
        Target::InProcess(app) => {
            let response = app
                .clone()
                .oneshot(request)
                .await
                .expect("the router answers");
            (
                response.status(),
                to_bytes(response.into_body(), usize::MAX)
                    .await
                    .expect("body"),
            )
        }
        Target::Http(client, addr) => {
            // The Host header stays as signed; only the address changes.
            let (mut parts, body) = request.into_parts();
            parts.uri = format!("http://{addr}{path}").parse().expect("a valid URI");
            let response = client
                .request(axum::http::Request::from_parts(parts, body))
                .await
                .expect("the server answers");
            let status = response.status();
            (
                status,
                to_bytes(axum::body::Body::new(response.into_body()), usize::MAX)
                    .await
                    .expect("body"),
            )
        }
    }
}
