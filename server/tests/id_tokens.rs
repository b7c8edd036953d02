//! The ID token verifier against a user pool we control: our own signing key, served as a
//! JWKS over real HTTP, so that every claim can be made wrong on purpose (the local user pool
//! signs only valid tokens, and never expired ones).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::routing::get;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use stratus::data::auth::Caller;
use stratus_server::auth::id_token::{IdTokenVerifier, UserPool};

const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test";
const CLIENT_ID: &str = "test-client";
const KID: &str = "trusted-1";

fn key(name: &str) -> EncodingKey {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    EncodingKey::from_rsa_pem(&std::fs::read(path).unwrap()).unwrap()
}

/// Serves the trusted key's JWKS on a free port; counts the fetches.
async fn user_pool() -> (IdTokenVerifier, Arc<AtomicUsize>) {
    let set = trusted_jwks();
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let app = axum::Router::new().route(
        "/jwks.json",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            let set = set.clone();
            async move { axum::Json(set) }
        }),
    );
    (verifier_served_by(app).await, fetches)
}

/// The JWKS of the trusted key.
fn trusted_jwks() -> Value {
    let mut jwk = Jwk::from_encoding_key(&key("trusted-test-key.pem"), Algorithm::RS256).unwrap();
    jwk.common.key_id = Some(KID.into());
    serde_json::to_value(JwkSet { keys: vec![jwk] }).unwrap()
}

/// A verifier for the pool whose keys `app` serves at `/jwks.json`, on a free port.
async fn verifier_served_by(app: axum::Router) -> IdTokenVerifier {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    IdTokenVerifier::new(UserPool {
        issuer: ISSUER.into(),
        client_id: CLIENT_ID.into(),
        jwks_url: format!("http://{addr}/jwks.json"),
    })
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn claims() -> Value {
    json!({ "sub": "ada-sub", "iss": ISSUER, "aud": CLIENT_ID, "token_use": "id", "exp": now() + 3600, "iat": now(), "origin_jti": "ada-session",
            "email": "ada@example.com", "cognito:username": "ada", "cognito:groups": ["admins"] })
}

fn token(claims: &Value, key_file: &str, kid: &str) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.into());
    encode(&header, claims, &key(key_file)).unwrap()
}

fn with(change: impl FnOnce(&mut Value)) -> String {
    let mut claims = claims();
    change(&mut claims);
    token(&claims, "trusted-test-key.pem", KID)
}

async fn refusal(verifier: &IdTokenVerifier, token: &str) -> String {
    let error = verifier
        .verify(token)
        .await
        .expect_err("the token must be refused");
    assert_eq!(error.status(), 401, "{error}");
    error.to_string()
}

#[tokio::test]
async fn a_valid_token_names_the_user_and_groups_and_the_keys_are_fetched_once() {
    let (verifier, fetches) = user_pool().await;
    let good = with(|_| {});
    for _ in 0..5 {
        let verified = verifier.verify(&good).await.unwrap();
        assert_eq!(
            verified.caller,
            Caller::User {
                sub: "ada-sub".into(),
                username: "ada".into(),
                groups: vec!["admins".into()]
            }
        );
        assert_eq!(verified.session.origin_jti, "ada-session");
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "the JWKS is cached");
}

#[tokio::test]
async fn each_wrong_claim_is_refused_in_words() {
    let (verifier, _) = user_pool().await;
    let cases = [
        (with(|c| c["exp"] = json!(now() - 120)), "expired"),
        (with(|c| c["nbf"] = json!(now() + 3600)), "not valid yet"),
        (
            with(|c| {
                c["iss"] = json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other")
            }),
            "another user pool",
        ),
        (
            with(|c| c["aud"] = json!("another-client")),
            "issued to another app",
        ),
        (
            with(|c| {
                c["token_use"] = json!("access");
                c["client_id"] = c["aud"].take();
            }),
            "An access token was sent where the ID token is due",
        ),
        (with(|c| c["exp"] = Value::Null), "not valid"),
        (
            with(|c| {
                c.as_object_mut().unwrap().remove("origin_jti");
            }),
            "names no session",
        ),
    ];
    for (token, expected) in cases {
        let message = refusal(&verifier, &token).await;
        assert!(
            message.contains(expected),
            "expected {expected:?} in {message:?}"
        );
    }
}

#[tokio::test]
async fn forged_and_tampered_tokens_are_refused() {
    let (verifier, fetches) = user_pool().await;

    let forged = token(&claims(), "forger-test-key.pem", KID);
    assert!(refusal(&verifier, &forged)
        .await
        .contains("signature does not match"));

    // A claim changed after signing (another user's sub), signature kept.
    let good = with(|_| {});
    let parts: Vec<&str> = good.split('.').collect();
    let mut payload = claims();
    payload["sub"] = json!("bob-sub");
    let tampered = format!("{}.{}.{}", parts[0], b64(&payload.to_string()), parts[2]);
    assert!(refusal(&verifier, &tampered)
        .await
        .contains("signature does not match"));

    let unsigned = format!(
        "{}.{}.",
        b64(r#"{"alg":"none","kid":"trusted-1"}"#),
        b64(&claims().to_string())
    );
    refusal(&verifier, &unsigned).await;

    let hmac = encode(
        &Header {
            kid: Some(KID.into()),
            ..Header::new(Algorithm::HS256)
        },
        &claims(),
        &EncodingKey::from_secret(b"guess"),
    )
    .unwrap();
    assert!(refusal(&verifier, &hmac).await.contains("RS256"));

    for kid in ["made-up-1", "made-up-2", "made-up-3"] {
        let unknown = token(&claims(), "forger-test-key.pem", kid);
        assert!(refusal(&verifier, &unknown)
            .await
            .contains("key this user pool does not have"));
    }
    assert!(
        fetches.load(Ordering::SeqCst) <= 2,
        "unknown key ids do not refetch the JWKS each time"
    );

    refusal(&verifier, "not a token").await;
}

fn b64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

/// A user pool whose JWKS fails: every verification is a 503 in words, and the JWKS is asked
/// once, not once per request.
#[tokio::test]
async fn a_failing_jwks_is_fetched_at_most_once_per_30_seconds() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let app = axum::Router::new().route(
        "/jwks.json",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "down") }
        }),
    );
    let verifier = verifier_served_by(app).await;
    for _ in 0..5 {
        let error = verifier.verify(&with(|_| {})).await.unwrap_err();
        assert_eq!(error.status(), 503, "{error}");
        assert!(
            error
                .to_string()
                .contains("Sign-in cannot be checked right now"),
            "{error}"
        );
    }
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        1,
        "failed fetches are rate-limited too"
    );
}

/// A request cancelled while the keys are being fetched (the browser navigated away) does not
/// count as a failed fetch: the next request fetches them, rather than being refused for 30 s.
#[tokio::test]
async fn a_fetch_cancelled_midway_does_not_hold_back_the_next_request() {
    let slow = Arc::new(AtomicUsize::new(0));
    // The trusted keys, the first answer held back for two seconds.
    let set = trusted_jwks();
    let counter = slow.clone();
    let app = axum::Router::new().route(
        "/jwks.json",
        get(move || {
            let first = counter.fetch_add(1, Ordering::SeqCst) == 0;
            let set = set.clone();
            async move {
                if first {
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
                axum::Json(set)
            }
        }),
    );
    let verifier = verifier_served_by(app).await;
    let token = with(|_| {});
    let cancelled = tokio::time::timeout(
        std::time::Duration::from_millis(200),
        verifier.verify(&token),
    )
    .await;
    assert!(cancelled.is_err(), "the first verification was cut short");
    verifier
        .verify(&token)
        .await
        .expect("the next request fetches the keys itself");
    assert_eq!(slow.load(Ordering::SeqCst), 2);
}
