//! Builds the one Router, and runs it either as a local HTTP server or as a Lambda function.

use std::process::ExitCode;

use axum::routing::{get, post};
use axum::Router;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use stratus::client_config::CLIENT_CONFIG_PATH;
use stratus::data::spec::ModelSpec;
use stratus::live::protocol::LIVE_PATH;

use crate::configuration::Settings;
use crate::routes;
pub use crate::state::{running_on_lambda, AppState, Platform};

pub fn router(state: AppState, settings: &Settings) -> Router {
    if server_fn::axum::server_fn_paths().next().is_none() {
        tracing::warn!("no server functions are registered: is the app's crate linked?");
    }
    // Layers run outside in: the body is bounded first, then the caller is authenticated.
    let api = Router::new()
        .route(
            "/api/{*function}",
            post(routes::api::dispatch).get(routes::api::dispatch),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.authenticator.clone(),
            crate::auth::authenticate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            settings.site.max_request_bytes,
            routes::api::limit_body,
        ));
    let headers = routes::security::headers(&state.client_config);
    let local = state.platform == Platform::Local;
    let live = Router::new()
        .route(LIVE_PATH, get(crate::live::socket::connect))
        .with_state(crate::live::socket::LiveState {
            hub: state.live.clone(),
            tickets: state.tickets.clone(),
        });
    let site = Router::new()
        .merge(api)
        .merge(live)
        .route(
            CLIENT_CONFIG_PATH,
            get(routes::client_config::client_config),
        )
        .with_state(state)
        .merge(routes::site::router(&settings.site))
        .layer(axum::middleware::map_response_with_state(
            headers,
            routes::security::add_headers,
        ));
    // On Lambda the Function URL's own host name arrives; locally only loopback names may.
    let site = if local {
        site.layer(axum::middleware::from_fn(
            routes::security::allow_local_hosts,
        ))
    } else {
        site
    };
    site.layer(
        TraceLayer::new_for_http()
            .make_span_with(request_span)
            .on_response(DefaultOnResponse::new().level(if running_on_lambda() {
                Level::INFO
            } else {
                Level::DEBUG
            })),
    )
}

/// Every log line of a request carries its method, path and, on Lambda, the invocation's
/// request id: CloudWatch Logs Insights can then gather one request's lines, and match them to
/// Lambda's own REPORT line. (On Lambda each request's outcome is logged at INFO.)
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    use lambda_http::RequestExt;
    let request_id = request
        .extensions()
        .lambda_context_ref()
        .map(|context| context.request_id.clone());
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = request_id.as_deref())
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{addr} is already in use (is another `cargo leptos watch` running?): stop it, or set LEPTOS_SITE_ADDR to another address")]
    AddressInUse { addr: std::net::SocketAddr },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    #[error("the Lambda runtime stopped: {0}")]
    Lambda(lambda_http::Error),
}

/// An app's whole `main`: logs, settings, then [`run`]. `models` is the app's generated
/// `MODELS`; naming them also links the app, whose server functions register themselves.
pub async fn main(models: &'static [&'static ModelSpec]) -> ExitCode {
    crate::telemetry::init(running_on_lambda());
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            tracing::error!("{error}");
            return ExitCode::FAILURE;
        }
    };
    match run(settings, models).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

pub async fn run(
    settings: Settings,
    models: &'static [&'static ModelSpec],
) -> Result<(), StartupError> {
    // One SDK set-up (credentials, region) for the server's clients and the local stack check.
    let sdk = crate::aws::sdk_config(&settings.aws).await;
    let state = AppState::from_sdk(&sdk, &settings, models, Platform::current());
    if !running_on_lambda() {
        crate::live::local_streams::spawn(
            state.live.clone(),
            crate::aws::dynamodb(&sdk, &settings.aws),
            crate::aws::dynamodb_streams(&sdk, &settings.aws),
            &settings.data,
            models,
        );
    }
    if running_on_lambda() {
        let live = crate::live::cloud::CloudLive::from_settings(
            &sdk,
            &settings,
            models,
            state.tickets.clone(),
        );
        tracing::info!(
            live_updates = live.is_some(),
            "starting on the AWS Lambda runtime"
        );
        let app = router(state, &settings);
        return crate::lambda::run(app, live.map(std::sync::Arc::new))
            .await
            .map_err(StartupError::Lambda);
    }
    let app = router(state, &settings);

    let addr = settings.site.addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AddrInUse => StartupError::AddressInUse { addr },
            _ => StartupError::Listen { addr, source },
        })?;
    // Beside the server, not before it: the first request need not wait for the check.
    let (check, dynamodb) = (settings.clone(), crate::aws::dynamodb(&sdk, &settings.aws));
    tokio::spawn(
        async move { crate::local_stack::warn_if_unready(&check, &dynamodb, models).await },
    );
    tracing::info!("serving http://{addr}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(StartupError::Serve)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}
