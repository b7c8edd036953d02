//! The Stratus server runtime: one axum Router, run by `axum::serve` on a laptop and by
//! `lambda_http` on AWS Lambda; the edge's checks of who is calling; the DynamoDB data layer.
//!
//! An app hands itself over by linking: its server functions register themselves, and their
//! generated code carries the model specs the data layer reads. Nothing here knows a schema.

pub mod auth;
pub mod aws;
pub mod built_site;
pub mod configuration;
pub mod error_response;
pub mod lambda;
pub mod live;
pub mod local_stack;
pub mod routes;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
