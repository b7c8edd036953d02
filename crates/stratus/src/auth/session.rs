//! The signed-in user's tokens: kept in the browser's local storage so a reload keeps the
//! session, refreshed with the refresh token before the ID token expires, and dropped when
//! the user signs out or the refresh token stops working.

use base64::Engine;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::cognito::{AuthenticationResult, CodeChallenge, Cognito, SignInStep};
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

/// Where a sign-in stands: done, or waiting for a code from the user's authenticator app.
#[derive(Debug, Clone)]
pub enum SignIn {
    Done(SignedInUser),
    CodeNeeded(CodeChallenge),
}

pub async fn sign_in(email: &str, password: &str) -> Result<SignIn, AppError> {
    let config = config()?;
    let step = Cognito::new(&config).sign_in(email, password).await?;
    finish(step)
}

/// The second step of a sign-in with multi-factor authentication on.
pub async fn answer_code(challenge: &CodeChallenge, code: &str) -> Result<SignIn, AppError> {
    let config = config()?;
    let step = Cognito::new(&config).answer_code(challenge, code).await?;
    finish(step)
}

fn finish(step: SignInStep) -> Result<SignIn, AppError> {
    match step {
        SignInStep::Done(result) => begin(result).map(SignIn::Done),
        SignInStep::CodeNeeded(challenge) => Ok(SignIn::CodeNeeded(challenge)),
    }
}

/// Starts the session the user pool's tokens open (after a password, a code, or another
/// identity provider).
pub(super) fn begin(result: AuthenticationResult) -> Result<SignedInUser, AppError> {
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

/// Signs out for real, so that a copy of the tokens (another tab, a stolen one) stops working
/// too: the server is told first, while the tokens still work (it refuses them from then on),
/// then the user pool revokes the refresh token, then this browser forgets the session.
/// `everywhere` ends every session of the user, on every device (`GlobalSignOut`).
///
/// The session is forgotten here whatever happens; a step that failed is returned, so the page
/// can say the other devices may still be signed in.
pub async fn end_session(everywhere: bool) -> Result<(), AppError> {
    let Some(tokens) = load() else {
        return Ok(());
    };
    let ended = end_everywhere_or_here(&tokens, everywhere).await;
    sign_out();
    if let Err(error) = &ended {
        leptos::logging::warn!("signing out did not reach every service: {error}");
    }
    ended
}

async fn end_everywhere_or_here(tokens: &Tokens, everywhere: bool) -> Result<(), AppError> {
    // A refused call means the server already refuses this session: nothing left to tell it.
    match super::sign_out::end_session(everywhere).await {
        Ok(()) | Err(AppError::Unauthorized { .. }) => {}
        Err(error) => return Err(error),
    }
    let config = config()?;
    let cognito = Cognito::new(&config);
    if everywhere {
        cognito.global_sign_out(&tokens.access_token).await
    } else {
        cognito.revoke(&tokens.refresh_token).await
    }
}

/// The server refused this browser's sign-in (signed out elsewhere, or no longer valid): forget
/// it, and let the page say the session ended.
pub fn refused_by_server() {
    if load().is_some() {
        sign_out();
        ENDED.with(|e| e.set(true));
    }
}

/// The ID token to send with a call: `None` for a guest; refreshed first when it is about to
/// expire. A refresh token that no longer works ends the session.
pub async fn id_token() -> Result<Option<String>, AppError> {
    Ok(fresh_tokens().await?.map(|tokens| tokens.id_token))
}

/// The access token, for the user pool's calls about the signed-in user themselves (their
/// authenticator app).
pub async fn access_token() -> Result<String, AppError> {
    fresh_tokens()
        .await?
        .map(|tokens| tokens.access_token)
        .ok_or_else(|| AppError::unauthorized("Please sign in first."))
}

async fn fresh_tokens() -> Result<Option<Tokens>, AppError> {
    let Some(tokens) = load() else {
        return Ok(None);
    };
    if tokens.expires_at_ms - now_ms() > REFRESH_MARGIN_MS {
        return Ok(Some(tokens));
    }
    let config = config()?;
    match Cognito::new(&config).refresh(&tokens.refresh_token).await {
        Ok(result) => {
            let refreshed = tokens_from(result, tokens.refresh_token);
            save(Some(&refreshed));
            Ok(Some(refreshed))
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
