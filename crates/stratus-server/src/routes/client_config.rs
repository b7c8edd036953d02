//! `GET /config.json`: what the browser needs to know about this deployment.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;

use stratus::client_config::ClientConfig;

use crate::configuration::Settings;
use crate::startup::AppState;

pub async fn client_config(State(state): State<AppState>) -> impl IntoResponse {
    // Ids change whenever the local stack is provisioned anew; never let a browser keep old ones.
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(state.client_config.as_ref().clone()),
    )
}

pub fn from_settings(settings: &Settings) -> ClientConfig {
    ClientConfig {
        // Same origin: the local server answers both the site and the API.
        api_url: None,
        region: settings.aws.region.clone(),
        user_pool_id: settings.auth.user_pool_id.clone(),
        user_pool_client_id: settings.auth.user_pool_client_id.clone(),
        identity_pool_id: settings.auth.identity_pool_id.clone(),
        guest_role_arn: None,
        cognito_endpoint: settings.aws.endpoint_url.clone(),
        live_reload_port: settings.site.live_reload_port,
    }
}
