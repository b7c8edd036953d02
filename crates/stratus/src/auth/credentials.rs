//! Temporary AWS credentials for signing calls: from the identity pool, for the signed-in user
//! (authenticated role) or the guest (unauthenticated role). Kept in memory and renewed once
//! two thirds of their life has passed, so no call goes out with an expired set.

use std::cell::RefCell;

use super::cognito::Cognito;
use super::deployment;
use super::issued::IssuedCredentials;
use crate::error::AppError;

#[derive(Clone)]
struct Cached {
    credentials: IssuedCredentials,
    /// When to fetch new ones (the browser's clock). Measured from when these arrived, so a
    /// browser clock that is off shortens their use instead of making them look always expired.
    renew_at_ms: f64,
    /// The ID token they were issued for; `None` for a guest.
    id_token: Option<String>,
}

thread_local! {
    static CACHED: RefCell<Option<Cached>> = const { RefCell::new(None) };
}

/// Credentials for the caller the ID token names (or a guest).
pub async fn for_caller(id_token: Option<&str>) -> Result<IssuedCredentials, AppError> {
    let cached = CACHED.with(|c| c.borrow().clone());
    if let Some(cached) = cached {
        if deployment::now_ms() < cached.renew_at_ms && cached.id_token.as_deref() == id_token {
            return Ok(cached.credentials);
        }
    }
    let config = deployment::config()?;
    let credentials = Cognito::new(&config).credentials(id_token).await?;
    let now = deployment::now_ms();
    let renew_at_ms = now + (credentials.expiration * 1000.0 - now) * 2.0 / 3.0;
    CACHED.with(|c| {
        *c.borrow_mut() = Some(Cached {
            credentials: credentials.clone(),
            renew_at_ms,
            id_token: id_token.map(str::to_owned),
        })
    });
    Ok(credentials)
}

/// Drops the cached set (sign-in, sign-out): the next call gets credentials for the new caller.
pub fn forget() {
    CACHED.with(|c| *c.borrow_mut() = None);
}
