//! `GET /config.json`: what the browser needs to know about this deployment.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;

use crate::state::AppState;

pub async fn client_config(State(state): State<AppState>) -> impl IntoResponse {
    // Ids change whenever the local stack is provisioned anew; never let a browser keep old ones.
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(state.client_config.as_ref().clone()),
    )
}
