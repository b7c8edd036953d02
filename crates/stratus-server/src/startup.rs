//! Builds the one Router, and runs it either as a local HTTP server or as a Lambda function.

use std::process::ExitCode;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use stratus::client_config::{ClientConfig, CLIENT_CONFIG_PATH};
use stratus::data::spec::ModelSpec;
use stratus::store::Db;

use crate::auth::edge::{Edge, LocalEdge};
use crate::auth::id_token::{IdTokenVerifier, UserPool};
use crate::auth::Authenticator;
use crate::configuration::Settings;
use crate::routes;
use crate::store::DynamoStore;

/// What every request handler may use.
#[derive(Clone)]
pub struct AppState {
    /// The app's generated `MODELS`. Naming them links the app's crate, so its server
    /// functions, which register themselves, are there to be called.
    pub models: &'static [&'static ModelSpec],
    pub db: Db,
    pub client_config: Arc<ClientConfig>,
    pub authenticator: Arc<Authenticator>,
    pub platform: Platform,
}

impl AppState {
    pub async fn from_settings(settings: &Settings, models: &'static [&'static ModelSpec]) -> Self {
        Self::for_platform(settings, models, Platform::current()).await
    }

    pub async fn for_platform(
        settings: &Settings,
        models: &'static [&'static ModelSpec],
        platform: Platform,
    ) -> Self {
        let sdk = crate::aws::sdk_config(&settings.aws).await;
        Self::with_clients(
            models,
            crate::aws::dynamodb(&sdk, &settings.aws),
            crate::aws::cognito_identity(&sdk),
            settings,
            platform,
        )
    }

    /// With clients of the caller's (tests count DynamoDB requests with an interceptor).
    pub fn with_clients(
        models: &'static [&'static ModelSpec],
        dynamodb: aws_sdk_dynamodb::Client,
        identity: aws_sdk_cognitoidentity::Client,
        settings: &Settings,
        platform: Platform,
    ) -> Self {
        AppState {
            models,
            db: Db(Arc::new(DynamoStore::new(
                dynamodb,
                settings.data.table_prefix.clone(),
            ))),
            client_config: Arc::new(routes::client_config::from_settings(settings)),
            authenticator: Arc::new(authenticator(identity, settings, platform)),
            platform,
        }
    }
}

/// Where the Router runs, which decides who checks request signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// `axum::serve`: nothing in front of the server, so it checks signatures itself.
    Local,
    /// Behind a Function URL with AWS_IAM auth, which has checked them.
    Lambda,
}

impl Platform {
    pub fn current() -> Self {
        if running_on_lambda() {
            Platform::Lambda
        } else {
            Platform::Local
        }
    }
}

fn authenticator(
    identity: aws_sdk_cognitoidentity::Client,
    settings: &Settings,
    platform: Platform,
) -> Authenticator {
    let auth = &settings.auth;
    let region = &settings.aws.region;
    let edge = match platform {
        Platform::Lambda => Edge::FunctionUrl,
        Platform::Local => Edge::Local(LocalEdge::new(
            region.clone(),
            identity,
            auth.identity_pool_id.clone(),
        )),
    };
    let id_tokens = (!auth.user_pool_id.is_empty()).then(|| {
        IdTokenVerifier::new(UserPool {
            issuer: auth.issuer(region),
            client_id: auth.user_pool_client_id.clone(),
            jwks_url: auth.jwks_url(region),
        })
    });
    Authenticator { edge, id_tokens }
}

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
    let site = Router::new()
        .merge(api)
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

/// True inside AWS Lambda, whose runtime API address the platform sets.
pub fn running_on_lambda() -> bool {
    std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some()
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
    let state = AppState::from_settings(&settings, models).await;
    let app = router(state, &settings);
    if running_on_lambda() {
        tracing::info!("starting on the AWS Lambda runtime");
        return lambda_http::run(app).await.map_err(StartupError::Lambda);
    }

    let addr = settings.site.addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AddrInUse => StartupError::AddressInUse { addr },
            _ => StartupError::Listen { addr, source },
        })?;
    crate::local_stack::warn_if_unready(&settings, models).await;
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
