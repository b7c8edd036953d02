//! Requests as the function receives them behind its Function URL (AWS_IAM): the URL has checked
//! the signature and reports the signer in the request context. The in-process figures measure
//! what the function does in the cloud, not the round trip to ministack by which the local
//! server's edge stands in for the URL on a laptop.

use axum::body::Body;
use axum::http::Request;
use base64::Engine;
use lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpRequestContext;
use lambda_http::request::RequestContext;
use lambda_http::RequestExt;
use serde_json::{json, Value};

use stratus::auth::ID_TOKEN_HEADER;

/// A Function URL's request context, as the server's Lambda tests receive it.
const CONTEXT_FIXTURE: &str =
    include_str!("../../../tests/fixtures/function_url_post_sign_guestbook.json");

/// `request` with the context the Function URL would give it: signed by the user its ID token
/// names (or by a guest, without one), from the user pool `pool` (`cognito-idp.<region>...`).
pub fn as_behind_the_url(request: Request<Body>, pool: &str) -> Request<Body> {
    let mut context: Value = serde_json::from_str::<Value>(CONTEXT_FIXTURE)
        .expect("the fixture is JSON")["requestContext"]
        .take();
    let amr = match request
        .headers()
        .get(ID_TOKEN_HEADER)
        .and_then(|token| sub_of(token.to_str().ok()?))
    {
        Some(sub) => json!(["authenticated", pool, format!("{pool}:CognitoSignIn:{sub}")]),
        None => json!(["unauthenticated"]),
    };
    context["authorizer"]["iam"]["cognitoIdentity"]["amr"] = amr;
    context["http"]["path"] = request.uri().path().into();
    let context: ApiGatewayV2httpRequestContext =
        serde_json::from_value(context).expect("a Function URL request context");
    request.with_request_context(RequestContext::ApiGatewayV2(context))
}

/// The `sub` claim of an ID token (its signature is the server's to check).
fn sub_of(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .ok()?,
    )
    .ok()?;
    claims["sub"].as_str().map(str::to_owned)
}
