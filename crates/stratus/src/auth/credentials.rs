//! Temporary AWS credentials for signing calls: from the identity pool, for the signed-in user
//! (authenticated role) or the guest (unauthenticated role). Kept in memory and renewed once
//! two thirds of their life has passed, so no call goes out with an expired set. A page's first
//! calls go out together: they share one fetch rather than each getting a set of their own.

use std::cell::RefCell;

use futures::future::{FutureExt, LocalBoxFuture, Shared};

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

type Fetch = Shared<LocalBoxFuture<'static, Result<IssuedCredentials, AppError>>>;

thread_local! {
    static CACHED: RefCell<Option<Cached>> = const { RefCell::new(None) };
    /// The fetch under way, and the ID token it is for.
    static FETCHING: RefCell<Option<(Option<String>, Fetch)>> = const { RefCell::new(None) };
}

/// Credentials for the caller the ID token names (or a guest).
pub async fn for_caller(id_token: Option<&str>) -> Result<IssuedCredentials, AppError> {
    let cached = CACHED.with(|c| c.borrow().clone());
    if let Some(cached) = cached {
        if deployment::now_ms() < cached.renew_at_ms && cached.id_token.as_deref() == id_token {
            return Ok(cached.credentials);
        }
    }
    let fetch = FETCHING.with(|fetching| {
        let mut fetching = fetching.borrow_mut();
        match &*fetching {
            Some((token, fetch)) if token.as_deref() == id_token => fetch.clone(),
            _ => {
                let token = id_token.map(str::to_owned);
                let fetch = fetch(token.clone()).boxed_local().shared();
                *fetching = Some((token, fetch.clone()));
                fetch
            }
        }
    });
    fetch.await
}

async fn fetch(id_token: Option<String>) -> Result<IssuedCredentials, AppError> {
    let fetched = match deployment::config() {
        Ok(config) => Cognito::new(&config).credentials(id_token.as_deref()).await,
        Err(error) => Err(error),
    };
    FETCHING.with(|fetching| {
        let mut fetching = fetching.borrow_mut();
        if fetching
            .as_ref()
            .is_some_and(|(token, _)| *token == id_token)
        {
            *fetching = None;
        }
    });
    let credentials = fetched?;
    let now = deployment::now_ms();
    let renew_at_ms = now + (credentials.expiration * 1000.0 - now) * 2.0 / 3.0;
    CACHED.with(|c| {
        *c.borrow_mut() = Some(Cached {
            credentials: credentials.clone(),
            renew_at_ms,
            id_token,
        })
    });
    Ok(credentials)
}

/// Drops the cached set (sign-in, sign-out): the next call gets credentials for the new caller.
pub fn forget() {
    CACHED.with(|c| *c.borrow_mut() = None);
    FETCHING.with(|f| *f.borrow_mut() = None);
}
