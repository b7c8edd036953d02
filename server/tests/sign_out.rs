//! Signing out on the server's side: after `end_session`, the session's ID token is refused on
//! every call though it has not expired; after `end_session` everywhere, every token the user
//! had is. Other sessions and other users are untouched, and a new sign-in works.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::session::{self, Session, PASSWORD};
use common::{app, call_as, settings};
use serde_json::{json, Value};

/// Any call that carries the session's ID token.
async fn read_as(app: &axum::Router, caller: &Session) -> (StatusCode, Value) {
    call_as(app, caller, "listBlogs", json!({ "limit": 1 })).await
}

async fn end_session(
    app: &axum::Router,
    caller: &Session,
    everywhere: bool,
) -> (StatusCode, Value) {
    call_as(
        app,
        caller,
        "end_session",
        json!({ "everywhere": everywhere }),
    )
    .await
}

#[tokio::test]
async fn a_signed_out_session_is_refused_and_the_others_are_not() {
    let app = app().await;
    let settings = settings();
    let email = session::email("two-devices");
    stratus_ops::api_client::register_confirmed(&settings, &email, PASSWORD, &[])
        .await
        .unwrap();
    let laptop = Session::user(&settings, &email, PASSWORD).await.unwrap();
    let phone = Session::user(&settings, &email, PASSWORD).await.unwrap();
    assert_eq!(read_as(&app, &laptop).await.0, StatusCode::OK);

    assert_eq!(end_session(&app, &laptop, false).await.0, StatusCode::OK);
    let (status, answer) = read_as(&app, &laptop).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("signed out of this session"),
        "{answer}"
    );
    assert_eq!(
        read_as(&app, &phone).await.0,
        StatusCode::OK,
        "the phone's session is another one"
    );
}

#[tokio::test]
async fn signing_out_everywhere_refuses_every_earlier_token_of_that_user_only() {
    let app = app().await;
    let settings = settings();
    let email = session::email("everywhere");
    stratus_ops::api_client::register_confirmed(&settings, &email, PASSWORD, &[])
        .await
        .unwrap();
    let laptop = Session::user(&settings, &email, PASSWORD).await.unwrap();
    let phone = Session::user(&settings, &email, PASSWORD).await.unwrap();
    let stranger = session::new_user(&settings, "stranger", &[]).await;

    // A stranger signing out everywhere signs out only themselves.
    assert_eq!(end_session(&app, &stranger, true).await.0, StatusCode::OK);
    assert_eq!(read_as(&app, &phone).await.0, StatusCode::OK);

    assert_eq!(end_session(&app, &laptop, true).await.0, StatusCode::OK);
    for device in [&laptop, &phone] {
        let (status, answer) = read_as(&app, device).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
        assert!(
            answer["message"].as_str().unwrap().contains("every device"),
            "{answer}"
        );
    }

    // Tokens carry whole seconds: a sign-in in the second of the sign-out is refused too.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let again = Session::user(&settings, &email, PASSWORD).await.unwrap();
    assert_eq!(
        read_as(&app, &again).await.0,
        StatusCode::OK,
        "a new sign-in after signing out everywhere works"
    );
}

#[tokio::test]
async fn a_guest_has_nothing_to_sign_out_of() {
    let app = app().await;
    let guest = session::guest(&settings()).await;
    let (status, answer) = end_session(&app, &guest, false).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("not signed in"),
        "{answer}"
    );
}
