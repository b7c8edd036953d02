//! What every request handler may use, built once per process from the settings: the data
//! layer, the client's configuration, and who checks callers.

use std::sync::Arc;

use stratus::client_config::ClientConfig;
use stratus::data::spec::ModelSpec;
use stratus::live::ticket::TicketKey;
use stratus::store::Db;

use crate::auth::edge::{Edge, LocalEdge};
use crate::auth::id_token::{IdTokenVerifier, UserPool};
use crate::auth::sign_outs::DynamoSignOuts;
use crate::auth::Authenticator;
use crate::configuration::Settings;
use crate::live::Hub;
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
    /// This server's live connections (locally; in the cloud the WebSocket API holds them).
    pub live: Arc<Hub>,
    /// Signs the tickets that open live connections.
    pub tickets: TicketKey,
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
        Self::from_sdk(&sdk, settings, models, platform)
    }

    /// With clients made from an SDK configuration the caller has loaded already.
    pub fn from_sdk(
        sdk: &aws_config::SdkConfig,
        settings: &Settings,
        models: &'static [&'static ModelSpec],
        platform: Platform,
    ) -> Self {
        Self::with_clients(
            models,
            crate::aws::dynamodb(sdk, &settings.aws),
            settings,
            platform,
        )
    }

    /// With clients of the caller's (tests count DynamoDB requests with an interceptor).
    pub fn with_clients(
        models: &'static [&'static ModelSpec],
        dynamodb: aws_sdk_dynamodb::Client,
        settings: &Settings,
        platform: Platform,
    ) -> Self {
        AppState {
            models,
            db: Db(Arc::new(DynamoStore::new(
                dynamodb.clone(),
                settings.data.clone(),
            ))),
            client_config: Arc::new(settings.client_config()),
            authenticator: Arc::new(authenticator(settings, platform, dynamodb.clone())),
            platform,
            live: Arc::new(Hub::new(models)),
            // Checked when the settings were loaded.
            tickets: TicketKey::new(
                settings
                    .live
                    .ticket_key_bytes()
                    .ok()
                    .flatten()
                    .unwrap_or_else(random_key),
            ),
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
    settings: &Settings,
    platform: Platform,
    dynamodb: aws_sdk_dynamodb::Client,
) -> Authenticator {
    let auth = &settings.auth;
    let region = &settings.aws.region;
    let edge = match platform {
        Platform::Lambda => Edge::FunctionUrl {
            reports_signer: auth.function_url_reports_signer,
        },
        Platform::Local => Edge::Local(Box::new(LocalEdge::new(
            region.clone(),
            settings.aws.endpoint_url.clone(),
        ))),
    };
    let id_tokens = (!auth.user_pool_id.is_empty()).then(|| {
        IdTokenVerifier::new(UserPool {
            issuer: auth.issuer(region),
            client_id: auth.user_pool_client_id.clone(),
            jwks_url: auth.jwks_url(region),
        })
    });
    let sign_outs = Arc::new(DynamoSignOuts::new(dynamodb, auth.sign_out_table.clone()));
    Authenticator {
        edge,
        id_tokens,
        sign_outs,
    }
}

/// A key of this process's own: a ticket is good only on the server that issued it, and a
/// restart (which ends every connection anyway) makes new ones.
fn random_key() -> [u8; 32] {
    let mut key = [0; 32];
    getrandom::fill(&mut key).expect("the operating system gives random bytes");
    key
}

/// True inside AWS Lambda, whose runtime API address the platform sets.
pub fn running_on_lambda() -> bool {
    std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some()
}
