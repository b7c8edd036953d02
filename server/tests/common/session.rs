//! Callers for the tests: guests and fresh users, made with the server's own [`ApiClient`]
//! (the browser's way: identity pool credentials, user pool tokens, SigV4).

#![allow(unused_imports)] // each test binary uses a part of this module

use stratus_server::configuration::Settings;

pub use stratus::auth::ID_TOKEN_HEADER;
pub use stratus_ops::api_client::{sign_in, ApiClient as Session};

pub const PASSWORD: &str = "Correct-horse-9";

pub async fn guest(settings: &Settings) -> Session {
    Session::guest(settings).await.expect("guest credentials")
}

/// A new user, signed up, confirmed and signed in, in `groups` (which provisioning created).
pub async fn new_user(settings: &Settings, label: &str, groups: &[&str]) -> Session {
    let email = email(label);
    stratus_ops::api_client::register_confirmed(settings, &email, PASSWORD, groups)
        .await
        .expect("a new user");
    Session::user(settings, &email, PASSWORD)
        .await
        .expect("sign-in")
}

pub fn email(label: &str) -> String {
    format!("{}@example.com", super::unique(label).replace(' ', "-"))
}
