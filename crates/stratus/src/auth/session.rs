//! The signed-in user's tokens: kept in the browser's local storage so a reload keeps the
//! session, refreshed with the refresh token before the ID token expires, and dropped when
//! the user signs out or the refresh token stops working.

use base64::Engine;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::cognito::{AuthenticationResult, Cognito};
use super::deployment::{config, now_ms};
use crate::client_config::ClientConfig;
use crate::error::AppError;

const STORAGE_KEY: &str = "stratus.session";
/// Refresh this long before the ID token expires, so no call goes out with a stale token.
const REFRESH_MARGIN_MS: f64 = 5.0 * 60.0 * 1000.0;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Tokens {
    id_token: String,
    access_token: String,
    refresh_token: String,
    /// When the ID token expires, in milliseconds since the epoch (the browser's clock).
    expires_at_ms: f64,
}

/// Who is signed in, as the ID token says (for display; the server verifies the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedInUser {
    pub sub: String,
    pub email: String,
    pub groups: Vec<String>,
}

thread_local! {
    static USER: ArcRwSignal<Option<SignedInUser>> = ArcRwSignal::new(None);
    /// Set when the session ended by itself (not by signing out), so the UI can say so.
    static ENDED: ArcRwSignal<bool> = ArcRwSignal::new(false);
}

/// Called once at startup with the deployment's configuration.
pub fn configure(config: ClientConfig) {
    super::deployment::set(config);
    let user = load().and_then(|tokens| user_of(&tokens.id_token));
    USER.with(|u| u.set(user));
}

/// The signed-in user, as a signal the UI follows.
pub fn user() -> ArcRwSignal<Option<SignedInUser>> {
    USER.with(Clone::clone)
}

/// Whether the last session ended without the user signing out (its refresh token stopped
/// working).
pub fn ended() -> ArcRwSignal<bool> {
    ENDED.with(Clone::clone)
}

pub async fn sign_in(email: &str, password: &str) -> Result<SignedInUser, AppError> {
    let config = config()?;
    let result = Cognito::new(&config).sign_in(email, password).await?;
    let refresh_token = result.refresh_token.clone().unwrap_or_default();
    let tokens = tokens_from(result, refresh_token);
    let user = user_of(&tokens.id_token)
        .ok_or_else(|| AppError::internal("The user pool's ID token could not be read."))?;
    save(Some(&tokens));
    super::credentials::forget();
    USER.with(|u| u.set(Some(user.clone())));
    ENDED.with(|e| e.set(false));
    Ok(user)
}

/// Forgets the session in this browser.
pub fn sign_out() {
    save(None);
    super::credentials::forget();
    USER.with(|u| u.set(None));
}

/// Signs out for real: forgets the session here at once, then revokes its refresh token at
/// the user pool, so a copy of the tokens (another tab, a stolen one) stops working too. A
/// failed revocation is logged; the session is gone from this browser either way.
pub async fn end_session() {
    let tokens = load();
    sign_out();
    let (Some(tokens), Ok(config)) = (tokens, config()) else {
        return;
    };
    if let Err(error) = Cognito::new(&config).revoke(&tokens.refresh_token).await {
        leptos::logging::warn!("the refresh token could not be revoked: {error}");
    }
}

/// The ID token to send with a call: `None` for a guest; refreshed first when it is about to
/// expire. A refresh token that no longer works ends the session.
pub async fn id_token() -> Result<Option<String>, AppError> {
    let Some(tokens) = load() else {
        return Ok(None);
    };
    if tokens.expires_at_ms - now_ms() > REFRESH_MARGIN_MS {
        return Ok(Some(tokens.id_token));
    }
    let config = config()?;
    match Cognito::new(&config).refresh(&tokens.refresh_token).await {
        Ok(result) => {
            let refreshed = tokens_from(result, tokens.refresh_token);
            save(Some(&refreshed));
            Ok(Some(refreshed.id_token))
        }
        Err(network @ AppError::Network { .. }) => Err(network),
        Err(_) => {
            sign_out();
            ENDED.with(|e| e.set(true));
            Err(AppError::unauthorized(
                "Your session has ended. Please sign in again.",
            ))
        }
    }
}

fn tokens_from(result: AuthenticationResult, refresh_token: String) -> Tokens {
    Tokens {
        id_token: result.id_token,
        access_token: result.access_token,
        refresh_token,
        expires_at_ms: now_ms() + result.expires_in as f64 * 1000.0,
    }
}

/// The user an ID token names (its payload, unverified: only for showing who is signed in).
fn user_of(id_token: &str) -> Option<SignedInUser> {
    let payload = id_token.split('.').nth(1)?;
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .ok()?,
    )
    .ok()?;
    Some(SignedInUser {
        sub: claims["sub"].as_str()?.to_owned(),
        email: claims["email"].as_str().unwrap_or_default().to_owned(),
        groups: claims["cognito:groups"]
            .as_array()
            .map(|groups| {
                groups
                    .iter()
                    .filter_map(|g| g.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn load() -> Option<Tokens> {
    let text = storage()?.get_item(STORAGE_KEY).ok()??;
    serde_json::from_str(&text).ok()
}

fn save(tokens: Option<&Tokens>) {
    let Some(storage) = storage() else { return };
    let _ = match tokens.and_then(|t| serde_json::to_string(t).ok()) {
        Some(text) => storage.set_item(STORAGE_KEY, &text),
        None => storage.remove_item(STORAGE_KEY),
    };
}
