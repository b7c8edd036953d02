//! Temporary AWS credentials, as the identity pool and STS both issue them: what signs calls.

use serde::Deserialize;

/// Temporary AWS credentials from the identity pool (or STS, for guests in the cloud).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IssuedCredentials {
    pub access_key_id: String,
    pub secret_key: String,
    pub session_token: String,
    /// Seconds since the epoch.
    pub expiration: f64,
}
