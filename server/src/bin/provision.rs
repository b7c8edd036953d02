//! `provision`: creates the tables, user pool, app client and identity pool the app needs in
//! the local stack, and records the ids. Safe to run any number of times.

use std::process::ExitCode;

use stratus_ops::provision;
use stratus_server::configuration::{find_workspace_root, Settings};
use stratus_server::telemetry;

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init(false);
    let Some(root) = find_workspace_root(&std::env::current_dir().unwrap_or_default()) else {
        tracing::error!(
            "Leptos.toml not found here or above: run provisioning from the Stratus workspace"
        );
        return ExitCode::FAILURE;
    };
    let settings = match Settings::load_from(Some(&root)) {
        Ok(settings) => settings,
        Err(error) => {
            tracing::error!("{error}");
            return ExitCode::FAILURE;
        }
    };
    match provision::run(app::models::MODELS, &settings, &root).await {
        Ok(report) if report.changed_anything() => {
            tracing::info!("provisioning done");
            ExitCode::SUCCESS
        }
        Ok(_) => {
            tracing::info!("provisioning done: everything already existed, nothing changed");
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}
