//! The Lambda path: Function URL events, as the Lambda runtime delivers them, go through
//! lambda_http's adapter (what `lambda_http::run` wraps around the Router) and come back as the
//! JSON the runtime returns to AWS.

mod common;

use common::{author, json, settings, unique};
use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Context, LambdaEvent, Service};
use stratus_server::startup::{router, AppState, Platform};

/// Sends one event through the adapter; returns (statusCode, body) of the serialized answer.
async fn invoke(event: serde_json::Value) -> (u16, String) {
    invoke_with(&settings(), event).await
}

async fn invoke_with(
    settings: &stratus_server::configuration::Settings,
    event: serde_json::Value,
) -> (u16, String) {
    let request: LambdaRequest = serde_json::from_value(event).expect("a valid Function URL event");
    let _ = common::app().await; // a clear failure when the stack is down
    let app = router(
        AppState::for_platform(settings, app::models::MODELS, Platform::Lambda).await,
        settings,
    );
    let mut adapter = Adapter::from(app);
    let response = adapter
        .call(LambdaEvent::new(request, Context::default()))
        .await
        .expect("the adapter answers");
    let wire = serde_json::to_value(&response).expect("the answer serializes");
    let status = wire["statusCode"].as_u64().expect("statusCode") as u16;
    let body = match wire["isBase64Encoded"].as_bool() {
        Some(true) => panic!("expected a text body: {wire}"),
        _ => wire["body"].as_str().unwrap_or_default().to_owned(),
    };
    (status, body)
}

fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    json(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

#[tokio::test]
async fn a_function_url_get_is_answered_by_the_router() {
    let (status, body) = invoke(fixture("function_url_get_config.json")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        json(&body)["region"],
        common::settings().aws.region.as_str()
    );
}

/// A Function URL event from the suite's signed-in author: the URL's IAM check has passed (the
/// fixture's authorizer), and the ID token rides along.
async fn signed_in_event() -> serde_json::Value {
    let token = author().await.id_token.unwrap();
    let settings = settings();
    let pool = format!(
        "cognito-idp.{}.amazonaws.com/{}",
        settings.aws.region, settings.auth.user_pool_id
    );
    let mut event = fixture("function_url_post_sign_guestbook.json");
    event["headers"][common::session::ID_TOKEN_HEADER] = token.clone().into();
    // What the identity pool reports for a signed-in user's credentials.
    event["requestContext"]["authorizer"]["iam"]["cognitoIdentity"]["amr"] = serde_json::json!([
        "authenticated",
        pool,
        format!("{pool}:CognitoSignIn:{}", sub_of(&token))
    ]);
    event
}

fn sub_of(id_token: &str) -> String {
    use base64::Engine;
    let payload = id_token.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    claims["sub"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_function_url_post_runs_a_server_function_against_dynamodb() {
    let message = unique("via Lambda");
    let mut event = signed_in_event().await;
    event["body"] = serde_json::json!({ "name": "Lambda", "message": message })
        .to_string()
        .into();
    let (status, body) = invoke(event).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["message"], message.as_str());

    let mut list = signed_in_event().await;
    list["rawPath"] = "/api/list_guestbook".into();
    list["requestContext"]["http"]["path"] = "/api/list_guestbook".into();
    list["body"] = "{}".into();
    let (status, body) = invoke(list).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(&message),
        "the stored entry is listed: {body}"
    );
}

#[tokio::test]
async fn a_function_url_event_for_an_unknown_function_is_a_404() {
    let mut event = fixture("function_url_post_sign_guestbook.json");
    event["rawPath"] = "/api/nope".into();
    event["requestContext"]["http"]["path"] = "/api/nope".into();
    let (status, body) = invoke(event).await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test]
async fn without_the_function_urls_iam_check_a_call_is_refused() {
    let mut event = signed_in_event().await;
    event["requestContext"]["authorizer"] = serde_json::Value::Null;
    event["body"] = serde_json::json!({ "name": "Lambda", "message": unique("never stored") })
        .to_string()
        .into();
    let (status, body) = invoke(event).await;
    assert_eq!(status, 401, "{body}");
    assert!(
        json(&body)["message"].as_str().unwrap().contains("AWS_IAM"),
        "{body}"
    );
}

/// ministack's Function URL checks the signature but reports no signer: the local cloud's
/// setting lets such a call through, and its ID token is still verified.
#[tokio::test]
async fn where_the_url_reports_no_signer_a_setting_trusts_its_check_and_still_verifies_the_token() {
    let mut settings = settings();
    settings.auth.function_url_reports_signer = false;
    let message = unique("no signer reported");
    let mut event = signed_in_event().await;
    event["requestContext"]["authorizer"] = serde_json::Value::Null;
    event["body"] = serde_json::json!({ "name": "Lambda", "message": message })
        .to_string()
        .into();
    let (status, body) = invoke_with(&settings, event.clone()).await;
    assert_eq!(status, 200, "{body}");

    event["headers"][common::session::ID_TOKEN_HEADER] = "not.a.token".into();
    let (status, body) = invoke_with(&settings, event).await;
    assert_eq!(status, 401, "{body}");
}

#[tokio::test]
async fn a_forged_id_token_behind_the_function_url_is_refused() {
    let mut event = signed_in_event().await;
    let token = event["headers"][common::session::ID_TOKEN_HEADER]
        .as_str()
        .unwrap()
        .to_owned();
    event["headers"][common::session::ID_TOKEN_HEADER] = format!("{token}x").into();
    let (status, body) = invoke(event).await;
    assert_eq!(status, 401, "{body}");
}

#[tokio::test]
async fn a_token_riding_on_someone_elses_credentials_is_refused() {
    let mut guest_signed = signed_in_event().await;
    guest_signed["requestContext"]["authorizer"]["iam"]["cognitoIdentity"]["amr"] =
        serde_json::json!(["unauthenticated"]);
    let (status, body) = invoke(guest_signed).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("guest credentials"), "{body}");

    let mut other_user = signed_in_event().await;
    other_user["requestContext"]["authorizer"]["iam"]["cognitoIdentity"]["amr"] =
        serde_json::json!([
            "authenticated",
            "cognito-idp.us-east-1.amazonaws.com/pool",
            "cognito-idp.us-east-1.amazonaws.com/pool:CognitoSignIn:someone-else"
        ]);
    let (status, body) = invoke(other_user).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("another user"), "{body}");
}
