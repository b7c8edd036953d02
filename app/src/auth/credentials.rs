//! Temporary AWS credentials for signing calls: from the identity pool, for the signed-in user
//! (authenticated role) or the guest (unauthenticated role). Kept in memory and renewed a
//! minute before they expire, so no call waits on an expired set.

use std::cell::RefCell;

use super::cognito::{Cognito, IssuedCredentials};
use super::session;
use crate::error::AppError;

const RENEW_MARGIN_MS: f64 = 60.0 * 1000.0;

#[derive(Clone)]
struct Cached {
    credentials: IssuedCredentials,
    /// The ID token they were issued for; `None` for a guest.
    id_token: Option<String>,
}

thread_local! {
    static CACHED: RefCell<Option<Cached>> = const { RefCell::new(None) };
}

/// Credentials for the caller the ID token names (or a guest), fresh for at least a minute.
pub async fn for_caller(id_token: Option<&str>) -> Result<IssuedCredentials, AppError> {
    let cached = CACHED.with(|c| c.borrow().clone());
    if let Some(cached) = cached {
        let fresh = cached.credentials.expiration * 1000.0 - session::now_ms() > RENEW_MARGIN_MS;
        if fresh && cached.id_token.as_deref() == id_token {
            return Ok(cached.credentials);
        }
    }
    let config = session::config()?;
    let credentials = Cognito::new(&config).credentials(id_token).await?;
    CACHED.with(|c| *c.borrow_mut() = Some(Cached { credentials: credentials.clone(), id_token: id_token.map(str::to_owned) }));
    Ok(credentials)
}

/// Drops the cached set (sign-in, sign-out): the next call gets credentials for the new caller.
pub fn forget() {
    CACHED.with(|c| *c.borrow_mut() = None);
}
