//! `/api/*`: the server functions, and the one place where [`AppError`] becomes an HTTP status.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

use stratus::auth::sign_out::{SessionToken, SignOutRegister};
use stratus::data::auth::Caller;
use stratus::error::AppError;

use crate::error_response::error_response;
use crate::state::AppState;

/// Runs the server function at the request's path, with the data layer in its context.
pub async fn dispatch(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    if let Some(refusal) = refuse_unknown(&path, &method) {
        return refusal;
    }
    let db = state.db.clone();
    let sign_outs = SignOutRegister(state.authenticator.sign_outs.clone());
    let tickets = state.tickets.clone();
    let session = request.extensions().get::<SessionToken>().cloned();
    // `authenticate` ran first; without its answer the caller is a guest.
    let caller = request
        .extensions()
        .get::<Caller>()
        .cloned()
        .unwrap_or(Caller::Guest);
    let response = leptos_axum::handle_server_fns_with_context(
        move || {
            provide_context(db.clone());
            provide_context(caller.clone());
            provide_context(sign_outs.clone());
            provide_context(tickets.clone());
            if let Some(session) = session.clone() {
                provide_context(session);
            }
        },
        request,
    )
    .await
    .into_response();
    with_error_status(response).await
}

/// 404 for a path no server function has, 405 for a known path called with the wrong method.
fn refuse_unknown(path: &str, method: &Method) -> Option<Response> {
    let methods: Vec<Method> = server_fn::axum::server_fn_paths()
        .filter(|(registered, _)| *registered == path)
        .map(|(_, method)| method)
        .collect();
    if methods.contains(method) {
        None
    } else if methods.is_empty() {
        Some(error_response(
            StatusCode::NOT_FOUND,
            &AppError::not_found(format!("There is no server function at {path}.")),
        ))
    } else {
        let allowed = methods
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        let mut response = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            &AppError::malformed(format!(
                "{path} must be called with {allowed}, not {method}."
            )),
        );
        if let Ok(value) = HeaderValue::from_str(&allowed) {
            response.headers_mut().insert(header::ALLOW, value);
        }
        Some(response)
    }
}

/// server_fn answers every error with 500; give each error its own status instead.
async fn with_error_status(response: Response) -> Response {
    if !response
        .headers()
        .contains_key(server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Error bodies are small JSON documents written by our own encoder.
    let bytes = match to_bytes(body, 64 * 1024).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &AppError::internal("The error could not be read."),
            )
        }
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if parts.status.is_server_error() {
            tracing::warn!(status = parts.status.as_u16(), %error, "server function failed");
        }
    }
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(bytes))
}

/// Reads the whole body before the server function does (it decodes the body whole anyway),
/// so that an oversized request is a 413 in words, whether it declared its length or streamed.
pub async fn limit_body(
    State(max_request_bytes): State<usize>,
    request: Request,
    next: Next,
) -> Response {
    let too_large = || {
        error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            &AppError::malformed(format!(
                "The request is too large: the limit is {} KiB.",
                max_request_bytes / 1024
            )),
        )
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|length| length > max_request_bytes) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, max_request_bytes).await {
        Ok(bytes) => bytes,
        Err(error) if is_length_limit(&error) => return too_large(),
        Err(error) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                &AppError::malformed(format!("The request body could not be read: {error}")),
            )
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if cause.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = cause.source();
    }
    false
}
