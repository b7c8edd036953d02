//! Request decoding, fuzzed: any bytes, as the body of a call to any registered server function,
//! arriving as Lambda gets it (a Function URL event from a guest the URL's IAM check let through),
//! through lambda_http's adapter and the whole Router: the body limit, the caller, server_fn's
//! decoding of the arguments, validation, `@auth`, the error mapping. The first byte picks the
//! function; the rest is the body.
//!
//! The property: a caller's bytes never panic the server and never earn a 5xx (but a 503 if
//! DynamoDB is unreachable, which is not the caller's doing). Needs the local stack, like the
//! tests: a body that decodes runs for real against DynamoDB Local.

#![no_main]

use std::sync::LazyLock;

use base64::Engine;
use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Context, LambdaEvent, Service};
use libfuzzer_sys::fuzz_target;
use stratus_server::configuration::Settings;
use stratus_server::startup::{router, AppState, Platform};

static RUNTIME: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("a runtime"));

static ROUTER: LazyLock<axum::Router> = LazyLock::new(|| {
    let settings = Settings::load().expect("the settings load (run from the workspace, with the local stack provisioned)");
    RUNTIME.block_on(async { router(AppState::for_platform(&settings, app::models::MODELS, Platform::Lambda).await, &settings) })
});

/// Every server function the Router answers, in a fixed order.
static FUNCTIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut paths: Vec<String> = server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    paths.sort();
    paths.dedup();
    paths
});

static EVENT: LazyLock<serde_json::Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../tests/fixtures/function_url_post_sign_guestbook.json")).expect("the fixture is JSON")
});

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let path = &FUNCTIONS[pick as usize % FUNCTIONS.len()];
    let mut event = EVENT.clone();
    event["rawPath"] = path.as_str().into();
    event["requestContext"]["http"]["path"] = path.as_str().into();
    event["body"] = base64::engine::general_purpose::STANDARD.encode(body).into();
    event["isBase64Encoded"] = true.into();
    let request: LambdaRequest = serde_json::from_value(event).expect("a Function URL event");

    let mut adapter = Adapter::from(ROUTER.clone());
    let response = RUNTIME.block_on(adapter.call(LambdaEvent::new(request, Context::default()))).expect("the adapter answers");
    let wire = serde_json::to_value(&response).expect("the answer serializes");
    let status = wire["statusCode"].as_u64().expect("a status");
    assert!(status < 500 || status == 503, "{path} answered {status} to {:?}: {}", String::from_utf8_lossy(body), wire["body"]);
});
