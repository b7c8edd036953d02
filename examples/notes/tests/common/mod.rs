//! What the notes app's tests share: signed-up users and calls over the Router.

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use axum::Router;
use serde_json::Value;
use stratus_ops::api_client::{register_confirmed, ApiClient};
use stratus_server::configuration::Settings;
use tower::ServiceExt;

const PASSWORD: &str = "Correct-horse-9";

pub fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// A new, confirmed, signed-in user of the local user pool.
pub async fn user(settings: &Settings, label: &str) -> ApiClient {
    let email = format!("notes-{label}-{}@example.com", nanos());
    register_confirmed(settings, &email, PASSWORD, &[])
        .await
        .expect("a new user");
    ApiClient::user(settings, &email, PASSWORD)
        .await
        .expect("sign-in")
}

/// The status and JSON body of one call.
pub async fn call(app: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.expect("an answer");
    let status = response.status();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}
