//! `add_to_group EMAIL GROUP`: puts a user of the local user pool in a group (`admins` makes
//! them the blog's moderator). They sign in again to get an ID token that says so.

use std::process::ExitCode;

use stratus_ops::api_client::add_to_group;
use stratus_server::configuration::Settings;
use stratus_server::telemetry;

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init(false);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [email, group] = args.as_slice() else {
        tracing::error!("usage: cargo xtask add-to-group EMAIL GROUP (for example: admins)");
        return ExitCode::FAILURE;
    };
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            tracing::error!("{error}");
            return ExitCode::FAILURE;
        }
    };
    if settings.auth.user_pool_id.is_empty() {
        tracing::error!("no user pool yet: start the local stack (`cargo xtask stack`) first");
        return ExitCode::FAILURE;
    }
    let pools = stratus_server::aws::cognito_user_pools(
        &stratus_server::aws::sdk_config(&settings.aws).await,
    );
    match add_to_group(&pools, &settings.auth.user_pool_id, email, group).await {
        Ok(()) => {
            tracing::info!("{email} is in {group}; they sign in again to use it");
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}
