//! The blog's server: the app handed to the Stratus server runtime, which serves it with axum on
//! a laptop and with lambda_http on AWS Lambda.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    stratus_server::startup::main(app::models::MODELS).await
}
