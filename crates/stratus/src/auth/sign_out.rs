//! Signing out on the server's side too. Cognito revokes a refresh token (`RevokeToken`) or all
//! of a user's (`GlobalSignOut`), but an ID token already issued stays valid to anyone who
//! checks only its signature and expiry, for up to an hour: a copy in another tab, or a stolen
//! one, would keep working. So the browser also tells the server, which remembers the
//! sign-out and refuses those tokens on every later call.

use crate::error::AppError;

/// The verified ID token of the call being served: which session it belongs to.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionToken {
    pub sub: String,
    /// Shared by every token issued from one sign-in (refreshes included), and by its
    /// refresh token: the session's name.
    pub origin_jti: String,
    /// Seconds since the epoch.
    pub issued_at: u64,
}

/// What a sign-out covers.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOut {
    /// This session's tokens, wherever a copy of them is.
    Session(SessionToken),
    /// Every token of the user issued up to `at` (seconds since the epoch): every device.
    Everywhere { sub: String, at: u64 },
}

/// Where the server keeps sign-outs (a DynamoDB table, in `stratus-server`).
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SignOuts: Send + Sync {
    async fn record(&self, sign_out: SignOut) -> Result<(), AppError>;
}

/// The server's [`SignOuts`], provided per request like the data layer.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct SignOutRegister(pub std::sync::Arc<dyn SignOuts>);

/// Ends the caller's session on the server (`everywhere`: every session of theirs). The
/// browser calls it before it revokes the tokens at the user pool, while they still work.
#[crate::server(endpoint = "end_session")]
pub async fn end_session(everywhere: bool) -> Result<(), AppError> {
    use leptos::prelude::use_context;

    let token = use_context::<SessionToken>().ok_or_else(|| {
        AppError::unauthorized("You are not signed in, so there is nothing to sign out of.")
    })?;
    let SignOutRegister(sign_outs) = use_context::<SignOutRegister>()
        .ok_or_else(|| AppError::internal("Signing out is not configured on this server."))?;
    let sign_out = if everywhere {
        let at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| AppError::internal(format!("the server's clock is wrong: {e}")))?
            .as_secs();
        SignOut::Everywhere { sub: token.sub, at }
    } else {
        SignOut::Session(token)
    };
    sign_outs.record(sign_out).await
}
