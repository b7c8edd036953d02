//! Local provisioning: creates what the app needs in the local emulators, idempotently, and
//! records the minted ids in `.stratus/provisioned.toml`. (In the cloud the deploy template
//! creates the same things.)

mod cognito;
mod federation;
pub mod tables;

use std::fmt;
use std::path::{Path, PathBuf};

use stratus::data::spec::ModelSpec;
use stratus_server::configuration::{Settings, PROVISIONED_FILE};

/// What one step found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    Created,
    Updated(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Unchanged => f.write_str("exists, unchanged"),
            Outcome::Created => f.write_str("created"),
            Outcome::Updated(what) => write!(f, "updated: {what}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error(
        "{service} is not answering at {endpoint}: start the local stack with `cargo xtask stack`"
    )]
    Unreachable {
        service: &'static str,
        endpoint: String,
    },
    #[error("{action} failed: {message}")]
    Aws { action: String, message: String },
    #[error("could not write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionedIds {
    pub user_pool_id: String,
    pub user_pool_client_id: String,
    pub identity_pool_id: String,
}

#[derive(Debug)]
pub struct Report {
    pub steps: Vec<(String, Outcome)>,
    pub ids: ProvisionedIds,
    pub ids_file_changed: bool,
}

impl Report {
    pub fn changed_anything(&self) -> bool {
        self.ids_file_changed
            || self
                .steps
                .iter()
                .any(|(_, outcome)| *outcome != Outcome::Unchanged)
    }
}

/// Provisions everything, printing progress as it goes; `root` is where `Leptos.toml` lives.
/// Provisions what `models` (an app's generated `MODELS`) and the settings need.
pub async fn run(
    models: &[&'static ModelSpec],
    settings: &Settings,
    root: &Path,
) -> Result<Report, ProvisionError> {
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let mut steps = Vec::new();
    let mut record = |what: String, outcome: Outcome| {
        tracing::info!("{what}: {outcome}");
        steps.push((what, outcome));
    };

    let dynamodb = stratus_server::aws::dynamodb(&sdk, &settings.aws);
    let endpoint = settings.dynamodb_endpoint().unwrap_or("AWS").to_owned();
    let layouts: Vec<tables::TableLayout> = models
        .iter()
        .map(|model| tables::TableLayout::for_model(settings.table_name(model.name), model))
        .collect();
    for (index, layout) in layouts.iter().enumerate() {
        tracing::info!("[tables {}/{}] {}", index + 1, layouts.len(), layout.name);
        let outcome = tables::ensure(&dynamodb, layout, &endpoint).await?;
        record(format!("table {}", layout.name), outcome);
    }
    let sign_outs = &settings.auth.sign_out_table;
    let outcome = tables::ensure_sign_outs(&dynamodb, sign_outs, &endpoint).await?;
    record(format!("table {sign_outs} (sign-outs)"), outcome);

    let cognito = cognito::Cognito::new(&sdk, settings);
    tracing::info!("[cognito 1/3] user pool {}", settings.auth.user_pool_name);
    let (user_pool_id, outcome) = cognito.ensure_user_pool().await?;
    record(
        format!(
            "user pool {} ({user_pool_id})",
            settings.auth.user_pool_name
        ),
        outcome,
    );

    tracing::info!(
        "[cognito 2/3] app client {}",
        settings.auth.user_pool_client_name
    );
    let (user_pool_client_id, outcome) = cognito.ensure_app_client(&user_pool_id).await?;
    record(
        format!(
            "app client {} ({user_pool_client_id})",
            settings.auth.user_pool_client_name
        ),
        outcome,
    );

    for provider in &settings.auth.identity_providers {
        tracing::info!(
            "[cognito] identity provider {} (stood in by the local OIDC provider at {})",
            provider.name,
            settings.auth.local_identity_provider
        );
        let outcome = cognito
            .ensure_identity_provider(&user_pool_id, provider)
            .await?;
        record(format!("identity provider {}", provider.name), outcome);
    }
    if !settings.auth.identity_providers.is_empty() {
        let outcome = cognito
            .ensure_hosted_sign_in(&user_pool_id, &user_pool_client_id)
            .await?;
        record(
            format!("hosted sign-in back to http://{}", settings.site.addr),
            outcome,
        );
    }

    for group in schema_groups(models) {
        tracing::info!("[cognito] group {group}");
        let outcome = cognito.ensure_group(&user_pool_id, group).await?;
        record(format!("group {group}"), outcome);
    }

    tracing::info!(
        "[cognito 3/3] identity pool {}",
        settings.auth.identity_pool_name
    );
    let (identity_pool_id, outcome) = cognito
        .ensure_identity_pool(&user_pool_id, &user_pool_client_id)
        .await?;
    record(
        format!(
            "identity pool {} ({identity_pool_id})",
            settings.auth.identity_pool_name
        ),
        outcome,
    );

    let ids = ProvisionedIds {
        user_pool_id,
        user_pool_client_id,
        identity_pool_id,
    };
    let ids_file_changed = write_ids(&root.join(PROVISIONED_FILE), &ids)?;
    tracing::info!(
        "{PROVISIONED_FILE}: {}",
        if ids_file_changed {
            "written"
        } else {
            "unchanged"
        }
    );
    Ok(Report {
        steps,
        ids,
        ids_file_changed,
    })
}

/// The Cognito groups the schema's `@auth` rules name, each once.
fn schema_groups(models: &[&'static ModelSpec]) -> Vec<&'static str> {
    let mut groups: Vec<&'static str> = models
        .iter()
        .flat_map(|m| m.auth.iter())
        .flat_map(|rule| rule.groups.iter().copied())
        .collect();
    groups.sort_unstable();
    groups.dedup();
    groups
}

/// Writes the ids where the settings loader reads them; returns whether the file changed.
fn write_ids(path: &Path, ids: &ProvisionedIds) -> Result<bool, ProvisionError> {
    let contents = format!(
        "# Written by provisioning (`cargo xtask provision`): the ids the local emulators minted.\n\
         # Layered over Leptos.toml; not committed, since they change whenever the emulators restart.\n\
         [auth]\n\
         user_pool_id = \"{}\"\n\
         user_pool_client_id = \"{}\"\n\
         identity_pool_id = \"{}\"\n",
        ids.user_pool_id, ids.user_pool_client_id, ids.identity_pool_id
    );
    if std::fs::read_to_string(path).is_ok_and(|existing| existing == contents) {
        return Ok(false);
    }
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, &contents)
    };
    write().map_err(|source| ProvisionError::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(true)
}

/// Maps an SDK failure: an unreachable emulator gets the one-line hint, the rest their code
/// and message (the SDK's own Display says only "service error").
pub(crate) fn aws_error<E, R>(
    service: &'static str,
    endpoint: &str,
    action: impl Into<String>,
    error: aws_sdk_dynamodb::error::SdkError<E, R>,
) -> ProvisionError
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug,
{
    use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
    let message = match &error {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            return ProvisionError::Unreachable {
                service,
                endpoint: endpoint.to_owned(),
            };
        }
        SdkError::ServiceError(failure) => format!(
            "{}: {}",
            failure.err().code().unwrap_or("error"),
            failure.err().message().unwrap_or("no message")
        ),
        _ => DisplayErrorContext(&error).to_string(),
    };
    ProvisionError::Aws {
        action: action.into(),
        message,
    }
}
