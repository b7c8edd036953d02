//! AWS SDK clients, pointed at the local emulators or at AWS by the settings.

use std::time::Duration;

use aws_config::{retry::RetryConfig, timeout::TimeoutConfig, BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::config::Credentials;

use crate::configuration::AwsSettings;

/// The key ministack takes as its root account's when started without `AWS_ACCESS_KEY_ID`.
pub const LOCAL_ADMIN_KEY: &str = "test";

pub async fn sdk_config(settings: &AwsSettings) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(settings.region.clone()))
        .retry_config(RetryConfig::standard().with_max_attempts(3))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_timeout(Duration::from_millis(settings.operation_timeout_ms))
                .build(),
        );
    if settings.local_credentials {
        // ministack's administrator key (its account's root, `test`); DynamoDB Local takes any
        // key of letters and digits. A fixed one keeps the SDK from searching for real ones.
        loader = loader.credentials_provider(Credentials::new(
            LOCAL_ADMIN_KEY,
            LOCAL_ADMIN_KEY,
            None,
            None,
            "local",
        ));
    }
    if let Some(url) = &settings.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

pub fn dynamodb(sdk: &SdkConfig, settings: &AwsSettings) -> aws_sdk_dynamodb::Client {
    let mut config = aws_sdk_dynamodb::config::Builder::from(sdk);
    if let Some(url) = settings.dynamodb_endpoint() {
        config = config.endpoint_url(url);
    }
    aws_sdk_dynamodb::Client::from_conf(config.build())
}

/// DynamoDB's stream API, at DynamoDB's address (DynamoDB Local answers both).
pub fn dynamodb_streams(
    sdk: &SdkConfig,
    settings: &AwsSettings,
) -> aws_sdk_dynamodbstreams::Client {
    let mut config = aws_sdk_dynamodbstreams::config::Builder::from(sdk);
    if let Some(url) = settings.dynamodb_endpoint() {
        config = config.endpoint_url(url);
    }
    aws_sdk_dynamodbstreams::Client::from_conf(config.build())
}

pub fn cognito_user_pools(sdk: &SdkConfig) -> aws_sdk_cognitoidentityprovider::Client {
    aws_sdk_cognitoidentityprovider::Client::new(sdk)
}

pub fn cognito_identity(sdk: &SdkConfig) -> aws_sdk_cognitoidentity::Client {
    aws_sdk_cognitoidentity::Client::new(sdk)
}

/// Counts the requests a DynamoDB client sends: for the request-count bounds in tests and the
/// requests-per-call figures of the benchmark.
#[derive(Debug, Clone, Default)]
pub struct RequestCounter(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl RequestCounter {
    pub fn count(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A DynamoDB client for `settings` that reports every request to this counter.
    pub fn dynamodb(&self, sdk: &SdkConfig, settings: &AwsSettings) -> aws_sdk_dynamodb::Client {
        let mut config = aws_sdk_dynamodb::config::Builder::from(sdk).interceptor(self.clone());
        if let Some(url) = settings.dynamodb_endpoint() {
            config = config.endpoint_url(url);
        }
        aws_sdk_dynamodb::Client::from_conf(config.build())
    }
}

impl aws_sdk_dynamodb::config::Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "RequestCounter"
    }

    fn modify_before_transmit(
        &self,
        _context: &mut aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextMut<
            '_,
        >,
        _components: &aws_sdk_dynamodb::config::RuntimeComponents,
        _config: &mut aws_sdk_dynamodb::config::ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }
}
