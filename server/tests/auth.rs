//! Auth end to end through the Router, against the local user pool and identity pool: the
//! edge's SigV4 check, ID tokens the user pool really issued, and the blog's @auth rules.
//! Every refusal is checked for its status, its words, and that nothing was written.

mod common;

use std::time::{Duration, SystemTime};

use axum::http::StatusCode;
use axum::Router;
use common::session::{self, Session, ID_TOKEN_HEADER};
use common::{app, call, call_as, json, ok_as, settings, unique};
use serde_json::{json, Value};

/// A published post (guests read published posts only).
async fn create_post(app: &Router, author: &Session, title: &str) -> Value {
    let blog = ok_as(
        app,
        author,
        "createBlog",
        json!({ "input": { "name": unique("blog") } }),
    )
    .await;
    ok_as(
        app,
        author,
        "createPost",
        json!({ "input": { "blogId": blog["id"], "title": title, "body": "text", "status": "PUBLISHED" } }),
    )
    .await
}

/// The title stored for `id` now, read as a guest.
async fn stored_title(app: &Router, id: &Value) -> Option<String> {
    let guest = session::guest(&settings()).await;
    let post = ok_as(app, &guest, "getPost", json!({ "id": id })).await;
    post["title"].as_str().map(str::to_owned)
}

fn assert_refused(status: StatusCode, answer: &Value, expected_status: StatusCode, words: &str) {
    assert_eq!(status, expected_status, "{answer}");
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(message.contains(words), "expected {words:?} in {message:?}");
}

#[tokio::test]
async fn guests_read_but_must_sign_in_to_write() {
    let app = app().await;
    let guest = session::guest(&settings()).await;
    let marker = unique("guest-write");
    let (status, answer) = call_as(
        &app,
        &guest,
        "createBlog",
        json!({ "input": { "name": marker } }),
    )
    .await;
    assert_refused(
        status,
        &answer,
        StatusCode::UNAUTHORIZED,
        "Please sign in to create this Blog.",
    );
    assert_eq!(answer["kind"], "unauthorized");
    let (status, page) = call_as(
        &app,
        &guest,
        "listBlogs",
        json!({ "filter": { "name": { "eq": marker } } }),
    )
    .await;
    assert_eq!(
        (status, page["items"].as_array().unwrap().len()),
        (StatusCode::OK, 0),
        "nothing was written"
    );
}

#[tokio::test]
async fn an_owner_edits_their_post_and_nobody_else_does() {
    let app = app().await;
    let (ada, bob) = (
        session::new_user(&settings(), "ada", &[]).await,
        session::new_user(&settings(), "bob", &[]).await,
    );
    let post = create_post(&app, &ada, "Ada's").await;
    assert!(
        post["owner"].as_str().is_some_and(|o| !o.is_empty()),
        "the post belongs to its author: {post}"
    );

    let (status, answer) = call_as(
        &app,
        &bob,
        "updatePost",
        json!({ "input": { "id": post["id"], "title": "Bob's now", "_version": 1 } }),
    )
    .await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "Only its owner may change this Post.",
    );
    let (status, answer) = call_as(&app, &bob, "deletePost", json!({ "id": post["id"] })).await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "Only its owner may delete this Post.",
    );
    assert_eq!(
        stored_title(&app, &post["id"]).await.as_deref(),
        Some("Ada's"),
        "nothing changed"
    );

    let updated = ok_as(
        &app,
        &ada,
        "updatePost",
        json!({ "input": { "id": post["id"], "title": "Ada's, edited", "_version": 1 } }),
    )
    .await;
    assert_eq!(updated["owner"], post["owner"]);
    ok_as(&app, &ada, "deletePost", json!({ "id": post["id"] })).await;
}

#[tokio::test]
async fn admins_delete_anything_but_edit_nothing_of_others() {
    let app = app().await;
    let ada = session::new_user(&settings(), "ada", &[]).await;
    let admin = session::new_user(&settings(), "admin", &["admins"]).await;
    let post = create_post(&app, &ada, "moderated").await;
    let (status, answer) = call_as(
        &app,
        &admin,
        "updatePost",
        json!({ "input": { "id": post["id"], "title": "x", "_version": 1 } }),
    )
    .await;
    assert_refused(
        status,
        &answer,
        StatusCode::FORBIDDEN,
        "Only its owner may change this Post.",
    );
    ok_as(&app, &admin, "deletePost", json!({ "id": post["id"] })).await;
    let guest = session::guest(&settings()).await;
    assert_eq!(
        ok_as(&app, &guest, "getPost", json!({ "id": post["id"] })).await,
        Value::Null
    );
}

#[tokio::test]
async fn the_owner_field_cannot_be_set_by_the_caller() {
    let app = app().await;
    let ada = session::new_user(&settings(), "ada", &[]).await;
    let (status, answer) = call_as(
        &app,
        &ada,
        "createBlog",
        json!({ "input": { "name": "mine", "owner": "someone-else" } }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
}

#[tokio::test]
async fn unsigned_stale_replayed_and_foreign_requests_are_refused_at_the_edge() {
    let app = app().await;
    let author = common::author().await;
    let marker = unique("edge");
    let body = json!({ "input": { "name": marker } }).to_string();

    let (status, text) = call(&app, common::unsigned_post("/api/createBlog", body.clone())).await;
    assert_refused(status, &json(&text), StatusCode::UNAUTHORIZED, "not signed");

    let stale = author.signed(
        "POST",
        "/api/createBlog",
        &body,
        SystemTime::now() - Duration::from_secs(20 * 60),
        &[],
    );
    let (status, text) = call(&app, stale).await;
    assert_refused(
        status,
        &json(&text),
        StatusCode::UNAUTHORIZED,
        "20 minutes away",
    );

    // Signed for one body, sent with another.
    let mut replayed = author.post("/api/createBlog", &body);
    *replayed.body_mut() = json!({ "input": { "name": format!("{marker} changed") } })
        .to_string()
        .into();
    let (status, text) = call(&app, replayed).await;
    assert_refused(
        status,
        &json(&text),
        StatusCode::UNAUTHORIZED,
        "does not match its contents",
    );

    // Credentials nobody issued; the author's key with a guessed secret; and the local cloud's
    // administrator key, whose signatures ministack never checks, so the edge must not ask it.
    let mut stranger = author.clone();
    stranger.credentials.access_key_id = "ASIANOTISSUED0000000".into();
    stranger.credentials.secret_key = "guess".into();
    let mut guesser = author.clone();
    guesser.credentials.secret_key = "guess".into();
    let mut administrator = author.clone();
    administrator.credentials.access_key_id = stratus_server::aws::LOCAL_ADMIN_KEY.into();
    administrator.credentials.secret_key = "guess".into();
    for (caller, words) in [
        (&stranger, "did not issue"),
        (&guesser, "does not match its contents"),
        (
            &administrator,
            "temporary credentials the identity pool issues",
        ),
    ] {
        let (status, answer) = call_as(
            &app,
            caller,
            "createBlog",
            json!({ "input": { "name": marker } }),
        )
        .await;
        assert_refused(status, &answer, StatusCode::UNAUTHORIZED, words);
    }

    // An ID token added after signing (the header is not among the signed ones).
    let guest = session::guest(&settings()).await;
    let mut smuggled = guest.post("/api/createBlog", &body);
    smuggled.headers_mut().insert(
        ID_TOKEN_HEADER,
        author.id_token.clone().unwrap().parse().unwrap(),
    );
    let (status, text) = call(&app, smuggled).await;
    assert_refused(
        status,
        &json(&text),
        StatusCode::UNAUTHORIZED,
        "must be signed",
    );

    let guest = session::guest(&settings()).await;
    let (_, page) = call_as(
        &app,
        &guest,
        "listBlogs",
        json!({ "filter": { "name": { "beginsWith": marker } } }),
    )
    .await;
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        0,
        "nothing was written: {page}"
    );
}

#[tokio::test]
async fn tokens_the_user_pool_did_not_issue_for_this_app_are_refused() {
    let app = app().await;
    let settings = settings();
    let author = common::author().await;
    let marker = unique("token");
    let id_token = author.id_token.clone().unwrap();
    let access_token =
        session::sign_in(&settings, &common::author_email().await, session::PASSWORD)
            .await
            .unwrap()
            .access_token;

    let parts: Vec<&str> = id_token.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&unb64(parts[1])).unwrap();
    claims["sub"] = json!("someone-else");
    let tampered = format!("{}.{}.{}", parts[0], b64(&claims.to_string()), parts[2]);
    let alg_none = format!("{}.{}.", b64(r#"{"alg":"none","kid":"dummy"}"#), parts[1]);
    let header: Value = serde_json::from_slice(&unb64(parts[0])).unwrap();
    let forged = forged_with_our_own_key(&claims, header["kid"].as_str().unwrap());
    let other_client = token_from_another_client(&settings).await;
    let other_pool = token_from_another_pool(&settings).await;
    let cases = [
        (
            access_token.as_str(),
            "An access token was sent where the ID token is due",
        ),
        (tampered.as_str(), "signature does not match"),
        (forged.as_str(), "signature does not match"),
        (alg_none.as_str(), "not a valid signed token"),
        (other_client.as_str(), "issued to another app"),
        // Each pool signs with keys of its own (in AWS as in ministack): the key gives it away
        // before the issuer is read.
        (other_pool.as_str(), "a key this user pool does not have"),
    ];
    for (token, words) in cases {
        let caller = author.with_id_token(Some(token));
        let (status, answer) = call_as(
            &app,
            &caller,
            "createBlog",
            json!({ "input": { "name": marker } }),
        )
        .await;
        assert_refused(status, &answer, StatusCode::UNAUTHORIZED, words);
    }
    assert_issuer_is_checked(&settings, &other_pool).await;
    let guest = session::guest(&settings).await;
    let (_, page) = call_as(
        &app,
        &guest,
        "listBlogs",
        json!({ "filter": { "name": { "eq": marker } } }),
    )
    .await;
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        0,
        "nothing was written"
    );
}

#[tokio::test]
async fn the_user_pool_refuses_wrong_passwords_unknown_and_unconfirmed_users() {
    let settings = settings();
    let email = common::author_email().await;
    let wrong = session::sign_in(&settings, &email, "Wrong-password-1")
        .await
        .unwrap_err();
    assert!(wrong.contains("NotAuthorizedException"), "{wrong}");
    // The app client prevents user-existence errors: an unknown user reads like a wrong password.
    let unknown = session::sign_in(&settings, "nobody-at-all@example.com", session::PASSWORD)
        .await
        .unwrap_err();
    assert!(unknown.contains("NotAuthorizedException"), "{unknown}");

    let pools = stratus_server::aws::cognito_user_pools(
        &stratus_server::aws::sdk_config(&settings.aws).await,
    );
    let pending = format!("{}@example.com", unique("pending").replace(' ', "-"));
    pools
        .sign_up()
        .client_id(&settings.auth.user_pool_client_id)
        .username(&pending)
        .password(session::PASSWORD)
        .send()
        .await
        .unwrap();
    let unconfirmed = session::sign_in(&settings, &pending, session::PASSWORD)
        .await
        .unwrap_err();
    assert!(
        unconfirmed.contains("UserNotConfirmedException"),
        "{unconfirmed}"
    );
}

/// The user pool's claims and key id, signed with a key of ours instead.
fn forged_with_our_own_key(claims: &Value, kid: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/forger-test-key.pem",
        env!("CARGO_MANIFEST_DIR")
    );
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(&std::fs::read(path).unwrap()).unwrap();
    let header = jsonwebtoken::Header {
        kid: Some(kid.to_owned()),
        ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256)
    };
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

/// An ID token for a second app client of the same user pool.
async fn token_from_another_client(settings: &stratus_server::configuration::Settings) -> String {
    let pools = stratus_server::aws::cognito_user_pools(
        &stratus_server::aws::sdk_config(&settings.aws).await,
    );
    let client = pools
        .create_user_pool_client()
        .user_pool_id(&settings.auth.user_pool_id)
        .client_name(unique("other-app").replace(' ', "-"))
        .explicit_auth_flows(
            aws_sdk_cognitoidentityprovider::types::ExplicitAuthFlowsType::AllowUserSrpAuth,
        )
        .send()
        .await
        .unwrap();
    let mut other = settings.clone();
    other.auth.user_pool_client_id = client.user_pool_client.unwrap().client_id.unwrap();
    // Signed in at that client only: the identity pool, which trusts this app's client alone,
    // would refuse to exchange the token for credentials.
    id_token_of_new_user(&other, "other-app-user").await
}

/// Were another pool's keys trusted too, its tokens would still be refused for their issuer.
async fn assert_issuer_is_checked(
    settings: &stratus_server::configuration::Settings,
    other_pool_token: &str,
) {
    use stratus_server::auth::id_token::{IdTokenVerifier, UserPool};
    let claims: Value =
        serde_json::from_slice(&unb64(other_pool_token.split('.').nth(1).unwrap())).unwrap();
    let other_pool_id = claims["iss"].as_str().unwrap().rsplit('/').next().unwrap();
    let mut other = settings.auth.clone();
    other.user_pool_id = other_pool_id.to_owned();
    let trusting_the_other_pools_keys = IdTokenVerifier::new(UserPool {
        issuer: settings.auth.issuer(&settings.aws.region),
        client_id: claims["aud"].as_str().unwrap().to_owned(),
        jwks_url: other.jwks_url(&settings.aws.region),
    });
    let refused = trusting_the_other_pools_keys
        .verify(other_pool_token)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("from another user pool"),
        "{refused}"
    );
}

/// An ID token from another user pool.
async fn token_from_another_pool(settings: &stratus_server::configuration::Settings) -> String {
    let pools = stratus_server::aws::cognito_user_pools(
        &stratus_server::aws::sdk_config(&settings.aws).await,
    );
    let pool = pools
        .create_user_pool()
        .pool_name(unique("other-pool").replace(' ', "-"))
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let client = pools
        .create_user_pool_client()
        .user_pool_id(pool.id.clone().unwrap())
        .client_name("other")
        .explicit_auth_flows(
            aws_sdk_cognitoidentityprovider::types::ExplicitAuthFlowsType::AllowUserSrpAuth,
        )
        .send()
        .await
        .unwrap();
    let mut other = settings.clone();
    other.auth.user_pool_id = pool.id.unwrap();
    other.auth.user_pool_client_id = client.user_pool_client.unwrap().client_id.unwrap();
    // Signed in at that client only: the identity pool, which trusts this app's client alone,
    // would refuse to exchange the token for credentials.
    id_token_of_new_user(&other, "other-pool-user").await
}

async fn id_token_of_new_user(
    settings: &stratus_server::configuration::Settings,
    label: &str,
) -> String {
    let email = session::email(label);
    stratus_ops::api_client::register_confirmed(settings, &email, session::PASSWORD, &[])
        .await
        .unwrap();
    session::sign_in(settings, &email, session::PASSWORD)
        .await
        .unwrap()
        .id_token
}

fn b64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

fn unb64(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}
