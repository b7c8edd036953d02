//! The one shape of an error answered outside a server function (the edge's refusals, an
//! oversized body, an unknown function).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use stratus::error::AppError;

/// An error answered outside a server function, in the same shape and with the same header,
/// so the browser's server_fn client decodes it like any other.
pub fn error_response(status: StatusCode, error: &AppError) -> Response {
    let body = serde_json::to_vec(error).unwrap_or_default();
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::HeaderName::from_static(server_fn::error::SERVER_FN_ERROR_HEADER),
                HeaderValue::from_static("stratus"),
            ),
        ],
        body,
    )
        .into_response()
}
