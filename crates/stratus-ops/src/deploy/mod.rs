//! Deploying to AWS. `cargo xtask deploy` builds the artifacts (the site, the Lambda's zip) and
//! runs the `deploy` binary, which calls this:
//! 1. the template, generated from `app/schema.graphql` (`stratus_codegen::cloudformation`);
//! 2. the plan: that template against the deployed one (or, in a dry run, against the one the
//!    last deploy from this checkout recorded);
//! 3. unless a dry run: who the caller is (STS), the zip to an artifacts bucket, the stack
//!    through CloudFormation change sets (in stages when indexes change), the browser's
//!    `config.json` from the stack's outputs, the site to its bucket, and the site's URL.

pub mod plan;
mod site;
mod stack;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use aws_config::SdkConfig;
use serde_json::Value;
use stratus_codegen::cloudformation::{self, outputs, Architecture, PasswordRules, StackOptions};
use stratus_codegen::federation::Federation;

use stratus::client_config::{ClientConfig, HostedSignIn, ProviderButton, SignInFlow};

pub use plan::Plan;

#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("{0}")]
    Schema(String),
    #[error("{0}")]
    Settings(String),
    #[error("no usable AWS credentials: {0}. Configure them as for the AWS CLI (`aws configure`, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")]
    Credentials(String),
    #[error("no AWS region: set AWS_REGION, or a region in your AWS profile")]
    NoRegion,
    #[error("{action} failed: {message}")]
    Aws { action: String, message: String },
    #[error("the stack {stack} ended in {status}: {reason}")]
    StackFailed {
        stack: String,
        status: String,
        reason: String,
    },
    #[error("the stack has no output {0}: was it created by this template?")]
    MissingOutput(&'static str),
    #[error("the stack's output {0} is not what this template writes: {1}")]
    Output(&'static str, String),
    #[error("no randomness for the live ticket key: {0}")]
    Randomness(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl DeployError {
    fn aws(action: impl Into<String>, error: impl std::error::Error) -> Self {
        // The SDK's Display says only "service error"; the source chain says what.
        let mut message = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            message = format!("{message}: {cause}");
            source = cause.source();
        }
        DeployError::Aws {
            action: action.into(),
            message,
        }
    }

    fn io(path: &Path, source: std::io::Error) -> Self {
        DeployError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// What to deploy, and where the build left it.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub stack_name: String,
    pub architecture: Architecture,
    /// The Lambda's zip (`bootstrap` inside).
    pub lambda_zip: PathBuf,
    /// The static site: `index.html`, `pkg/`, the rest of `public/`.
    pub site_dir: PathBuf,
    /// A "Continue with …" button per identity provider the template declares.
    pub provider_buttons: Vec<ProviderButton>,
}

/// The template for the schema at hand.
pub fn template(
    schema_file: &Path,
    architecture: Architecture,
    sign_in_flow: SignInFlow,
    federation: &Federation,
) -> Result<Value, DeployError> {
    federation
        .check_for_deploy()
        .map_err(DeployError::Settings)?;
    let source =
        std::fs::read_to_string(schema_file).map_err(|e| DeployError::io(schema_file, e))?;
    let schema = stratus_codegen::compile(&schema_file.display().to_string(), &source)
        .map_err(|errors| DeployError::Schema(errors.to_string()))?;
    // The same rules the sign-up form checks.
    let policy = stratus::auth::password::POLICY;
    let password_rules = PasswordRules {
        min_length: policy.min_length,
        require_lowercase: policy.require_lowercase,
        require_uppercase: policy.require_uppercase,
        require_numbers: policy.require_numbers,
        require_symbols: policy.require_symbols,
    };
    Ok(cloudformation::template(
        &schema,
        &StackOptions {
            architecture,
            password_rules,
            password_sign_in: sign_in_flow == SignInFlow::Password,
            federation: federation.clone(),
        },
    ))
}

/// The template a deploy from this checkout last put in place, recorded so that a dry run can
/// compare without asking AWS.
pub fn recorded_template(state_dir: &Path, stack_name: &str) -> Option<Value> {
    let text = std::fs::read_to_string(recorded_template_path(state_dir, stack_name)).ok()?;
    serde_json::from_str(&text).ok()
}

pub fn record_template(
    state_dir: &Path,
    stack_name: &str,
    template: &Value,
) -> Result<(), DeployError> {
    let path = recorded_template_path(state_dir, stack_name);
    std::fs::create_dir_all(state_dir).map_err(|e| DeployError::io(state_dir, e))?;
    std::fs::write(&path, pretty(template)).map_err(|e| DeployError::io(&path, e))
}

fn recorded_template_path(state_dir: &Path, stack_name: &str) -> PathBuf {
    state_dir.join(format!("deployed-{stack_name}.template.json"))
}

pub fn pretty(template: &Value) -> String {
    serde_json::to_string_pretty(template).expect("a JSON value serializes") + "\n"
}

/// Where the deployed app lives.
#[derive(Debug, Clone)]
pub struct Deployed {
    pub site_url: String,
    pub api_url: String,
    pub config: ClientConfig,
}

/// Deploys: stack (with the plan printed first), config, site. `sdk` says which account and
/// region (and, for tests, which endpoint).
pub async fn deploy(
    sdk: &SdkConfig,
    deployment: &Deployment,
    desired: &Value,
) -> Result<Deployed, DeployError> {
    let region = sdk.region().ok_or(DeployError::NoRegion)?.to_string();
    let caller = aws_sdk_sts::Client::new(sdk)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| {
            DeployError::Credentials(DeployError::aws("GetCallerIdentity", e).to_string())
        })?;
    let account = caller.account().unwrap_or_default().to_owned();
    tracing::info!(
        "[deploy 1/5] deploying stack {} to account {account}, region {region}, as {}",
        deployment.stack_name,
        caller.arn().unwrap_or("?")
    );

    let s3 = site::s3_client(sdk);
    let code = site::upload_lambda_zip(&s3, &account, &region, deployment).await?;
    tracing::info!(
        "[deploy 2/5] the Lambda's zip is s3://{}/{}",
        code.bucket,
        code.key
    );

    let stacks = stack::Stacks::new(sdk, &deployment.stack_name);
    let deployed = stacks.deployed_template().await?;
    let plan = plan::plan(deployed.as_ref(), desired);
    tracing::info!("[deploy 3/5] plan against the deployed stack:\n{plan}");
    let templates = match &deployed {
        Some(deployed) => plan::stages(deployed, desired),
        None => vec![desired.clone()],
    };
    let outputs = stacks.apply(&templates, &code).await?;

    let config = client_config(&outputs, &deployment.provider_buttons)?;
    let config_path = deployment.site_dir.join("config.json");
    let config_json = serde_json::to_string_pretty(&config).expect("the config serializes");
    std::fs::write(&config_path, config_json).map_err(|e| DeployError::io(&config_path, e))?;
    tracing::info!("[deploy 4/5] config.json written from the stack's outputs");

    let bucket = output(&outputs, outputs::SITE_BUCKET)?;
    let uploaded = site::upload_site(&s3, &bucket, &deployment.site_dir).await?;
    tracing::info!("[deploy 5/5] site uploaded to s3://{bucket}: {uploaded} files");

    Ok(Deployed {
        site_url: output(&outputs, outputs::SITE_URL)?,
        api_url: config.api_url.clone().unwrap_or_default(),
        config,
    })
}

/// The browser's configuration, from the stack's outputs.
pub fn client_config(
    outputs: &HashMap<String, String>,
    provider_buttons: &[ProviderButton],
) -> Result<ClientConfig, DeployError> {
    let hosted_sign_in = if provider_buttons.is_empty() {
        None
    } else {
        Some(HostedSignIn {
            url: output(outputs, outputs::HOSTED_SIGN_IN_URL)?,
            providers: provider_buttons.to_vec(),
        })
    };
    Ok(ClientConfig {
        // The Function URL ends with a slash; the client appends `/api/...`.
        api_url: Some(
            output(outputs, outputs::API_URL)?
                .trim_end_matches('/')
                .to_owned(),
        ),
        region: output(outputs, outputs::REGION)?,
        user_pool_id: output(outputs, outputs::USER_POOL_ID)?,
        user_pool_client_id: output(outputs, outputs::USER_POOL_CLIENT_ID)?,
        identity_pool_id: output(outputs, outputs::IDENTITY_POOL_ID)?,
        guest_role_arn: Some(output(outputs, outputs::GUEST_ROLE_ARN)?),
        cognito_endpoint: None,
        // Without subscriptions the stack has no WebSocket API: an empty address tells the
        // browser there are no live updates (pages keep to their queries).
        live_url: Some(outputs.get(outputs::LIVE_URL).cloned().unwrap_or_default()),
        live_reload_port: None,
        sign_in_flow: serde_json::from_value(Value::String(output(
            outputs,
            outputs::SIGN_IN_FLOW,
        )?))
        .map_err(|e| DeployError::Output(outputs::SIGN_IN_FLOW, e.to_string()))?,
        hosted_sign_in,
    })
}

fn output(outputs: &HashMap<String, String>, name: &'static str) -> Result<String, DeployError> {
    outputs
        .get(name)
        .filter(|v| !v.is_empty())
        .cloned()
        .ok_or(DeployError::MissingOutput(name))
}
