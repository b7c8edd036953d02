use std::process::ExitCode;

use server::{configuration::Settings, startup, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init(startup::running_on_lambda());
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            tracing::error!("{error}");
            return ExitCode::FAILURE;
        }
    };
    match startup::run(settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}
