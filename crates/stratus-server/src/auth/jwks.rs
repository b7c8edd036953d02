//! The user pool's signing keys (its JWKS), fetched and kept for an hour; fetched again when a
//! token names a key we do not have (Cognito rotates keys by adding new ones) and when the
//! hour is up (a key the pool dropped stops being trusted). Every fetch, failed or not, counts
//! against one fetch per 30 s, so neither forged `kid`s nor a pool that is down make us
//! hammer it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Empty};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::DecodingKey;
use tokio::sync::{Mutex, RwLock};

/// At most one fetch of the JWKS this often.
const REFETCH_AT_MOST_EVERY: Duration = Duration::from_secs(30);
/// Fetched keys are trusted this long.
const KEY_LIFETIME: Duration = Duration::from_secs(3600);
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("the user pool's signing keys could not be fetched from {url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("the token was signed with a key the user pool does not have")]
    UnknownKey,
}

#[derive(Default)]
struct Keys {
    by_id: HashMap<String, Arc<DecodingKey>>,
    fetched_at: Option<Instant>,
}

impl Keys {
    fn fresh(&self, kid: &str) -> Option<Arc<DecodingKey>> {
        self.fetched_at
            .filter(|at| at.elapsed() < KEY_LIFETIME)
            .and_then(|_| self.by_id.get(kid).cloned())
    }

    fn stale(&self) -> bool {
        self.fetched_at
            .is_none_or(|at| at.elapsed() >= KEY_LIFETIME)
    }
}

pub struct KeyCache {
    url: String,
    keys: RwLock<Keys>,
    /// When a fetch was last tried, whatever came of it.
    last_attempt: Mutex<Option<Instant>>,
}

impl KeyCache {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            keys: RwLock::default(),
            last_attempt: Mutex::default(),
        }
    }

    pub async fn key(&self, kid: &str) -> Result<Arc<DecodingKey>, JwksError> {
        if let Some(key) = self.keys.read().await.fresh(kid) {
            return Ok(key);
        }
        // One fetch at a time; whoever waited finds the keys the first one fetched.
        let mut last_attempt = self.last_attempt.lock().await;
        if let Some(key) = self.keys.read().await.fresh(kid) {
            return Ok(key);
        }
        let stale = self.keys.read().await.stale();
        if last_attempt.is_none_or(|at| at.elapsed() >= REFETCH_AT_MOST_EVERY) {
            let fetched = self.fetch().await;
            // Noted only once the answer is in: a request cancelled mid-fetch (the browser
            // navigated away) must not keep every other caller waiting out the pause.
            *last_attempt = Some(Instant::now());
            match fetched {
                Ok(fetched) => {
                    tracing::info!(url = %self.url, keys = fetched.len(), "fetched the user pool's signing keys");
                    *self.keys.write().await = Keys {
                        by_id: fetched,
                        fetched_at: Some(Instant::now()),
                    };
                }
                Err(error) if stale => return Err(error),
                // Fresh keys stay trusted; the unknown `kid` is simply unknown.
                Err(error) => tracing::warn!(%error, "could not fetch the signing keys again"),
            }
        } else if stale {
            return Err(JwksError::Fetch {
                url: self.url.clone(),
                reason: format!(
                    "the last fetch failed; the next one is tried within {} s",
                    REFETCH_AT_MOST_EVERY.as_secs()
                ),
            });
        }
        self.keys
            .read()
            .await
            .fresh(kid)
            .ok_or(JwksError::UnknownKey)
    }

    async fn fetch(&self) -> Result<HashMap<String, Arc<DecodingKey>>, JwksError> {
        let failed = |reason: String| JwksError::Fetch {
            url: self.url.clone(),
            reason,
        };
        let body = tokio::time::timeout(FETCH_TIMEOUT, get(&self.url))
            .await
            .map_err(|_| failed(format!("no answer within {} s", FETCH_TIMEOUT.as_secs())))?
            .map_err(failed)?;
        let set: JwkSet =
            serde_json::from_slice(&body).map_err(|e| failed(format!("not a JWKS: {e}")))?;
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            let (Some(kid), Ok(key)) = (jwk.common.key_id.clone(), DecodingKey::from_jwk(jwk))
            else {
                continue;
            };
            keys.insert(kid, Arc::new(key));
        }
        Ok(keys)
    }
}

async fn get(url: &str) -> Result<Bytes, String> {
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()
        .map_err(|e| format!("no TLS root certificates: {e}"))?
        .https_or_http()
        .enable_http1()
        .build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build::<_, Empty<Bytes>>(https);
    let uri: axum::http::Uri = url.parse().map_err(|e| format!("not a URL: {e}"))?;
    let response = client.get(uri).await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("answered {}", response.status()));
    }
    Ok(response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes())
}
