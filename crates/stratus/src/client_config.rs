//! What the browser needs to know about its deployment, read at startup from `/config.json`.
//!
//! Locally the server answers `/config.json` from `Leptos.toml`; in the cloud the deploy step
//! writes the same document next to the static site, from the stack's outputs. The wasm bundle
//! itself is the same file in both places.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientConfig {
    /// Origin of the server functions; `None` means the site's own origin.
    pub api_url: Option<String>,
    pub region: String,
    pub user_pool_id: String,
    pub user_pool_client_id: String,
    pub identity_pool_id: String,
    /// Set in the cloud: guests get credentials by the identity pool's basic flow, for this role
    /// (the enhanced flow scopes guest sessions down to services that leave out Lambda). Unset
    /// locally, where the emulators' guest credentials come from the enhanced flow.
    pub guest_role_arn: Option<String>,
    /// Where the Cognito APIs are answered; `None` means AWS itself.
    pub cognito_endpoint: Option<String>,
    /// The live updates' WebSocket (the API Gateway WebSocket API in the cloud); `None` means
    /// `/live` on the server functions' origin, and an empty address no live updates.
    #[serde(default)]
    pub live_url: Option<String>,
    /// Set while `cargo leptos watch` runs: the port of its live-reload websocket.
    pub live_reload_port: Option<u16>,
    /// How the browser proves the password (absent in an older `config.json`: SRP).
    #[serde(default)]
    pub sign_in_flow: SignInFlow,
    /// Sign-in with other identity providers through the user pool's domain; `None` when the
    /// deployment federates none.
    #[serde(default)]
    pub hosted_sign_in: Option<HostedSignIn>,
}

/// Where the user pool's hosted endpoints are, and a "Continue with …" button per provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostedSignIn {
    /// `https://<prefix>.auth.<region>.amazoncognito.com`; locally, the emulator's address.
    pub url: String,
    pub providers: Vec<ProviderButton>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderButton {
    /// The user pool's name for the provider (`identity_provider=` in the sign-in request).
    pub name: String,
    /// What follows "Continue with".
    pub label: String,
}

/// How a password sign-in goes to the user pool. The app client allows the same flow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignInFlow {
    /// `USER_SRP_AUTH`: the password never leaves the browser, only a proof of it.
    #[default]
    Srp,
    /// `USER_PASSWORD_AUTH`: the password goes to the user pool (over TLS). Only for a pool that
    /// migrates users from another directory with its user migration trigger, which needs the
    /// password itself.
    Password,
}

impl SignInFlow {
    /// The app client's `ExplicitAuthFlows` for this flow (refreshing included).
    pub fn explicit_auth_flows(self) -> &'static [&'static str] {
        match self {
            SignInFlow::Srp => &["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            SignInFlow::Password => &[
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
            ],
        }
    }
}

pub const CLIENT_CONFIG_PATH: &str = "/config.json";

#[cfg(feature = "csr")]
pub async fn fetch_client_config() -> Result<ClientConfig, String> {
    let response = gloo_net::http::Request::get(CLIENT_CONFIG_PATH)
        .send()
        .await
        .map_err(|e| format!("could not load {CLIENT_CONFIG_PATH}: {e}"))?;
    if !response.ok() {
        return Err(format!(
            "{CLIENT_CONFIG_PATH} answered {}",
            response.status()
        ));
    }
    response
        .json()
        .await
        .map_err(|e| format!("{CLIENT_CONFIG_PATH} is not valid: {e}"))
}
