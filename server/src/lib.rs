//! The Stratus server: one axum Router, run by `axum::serve` on a laptop and by `lambda_http`
//! on AWS Lambda; the DynamoDB data layer; local provisioning.

pub mod api_client;
pub mod auth;
pub mod aws;
pub mod configuration;
pub mod deploy;
pub mod local_stack;
pub mod provision;
pub mod routes;
pub mod startup;
pub mod store;
pub mod telemetry;
