//! The user pool's signing keys (its JWKS), fetched once and kept; fetched again when a token
//! names a key we do not have, since Cognito rotates keys by adding new ones.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Empty};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::DecodingKey;
use tokio::sync::{Mutex, RwLock};

/// An unknown key id fetches the JWKS again at most this often, so forged `kid`s cannot make
/// us hammer the user pool.
const REFETCH_AT_MOST_EVERY: Duration = Duration::from_secs(30);
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("the user pool's signing keys could not be fetched from {url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("the token was signed with a key the user pool does not have")]
    UnknownKey,
}

pub struct KeyCache {
    url: String,
    keys: RwLock<HashMap<String, Arc<DecodingKey>>>,
    last_fetch: Mutex<Option<Instant>>,
}

impl KeyCache {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            keys: RwLock::default(),
            last_fetch: Mutex::default(),
        }
    }

    pub async fn key(&self, kid: &str) -> Result<Arc<DecodingKey>, JwksError> {
        if let Some(key) = self.keys.read().await.get(kid) {
            return Ok(key.clone());
        }
        {
            // One fetch at a time; whoever waited finds the keys the first one fetched.
            let mut last_fetch = self.last_fetch.lock().await;
            if let Some(key) = self.keys.read().await.get(kid) {
                return Ok(key.clone());
            }
            if last_fetch.is_none_or(|at| at.elapsed() >= REFETCH_AT_MOST_EVERY) {
                let fetched = self.fetch().await?;
                *last_fetch = Some(Instant::now());
                tracing::info!(url = %self.url, keys = fetched.len(), "fetched the user pool's signing keys");
                *self.keys.write().await = fetched;
            }
        }
        self.keys
            .read()
            .await
            .get(kid)
            .cloned()
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
