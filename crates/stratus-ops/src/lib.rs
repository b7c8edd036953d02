//! Stratus operations: provisioning the local stack, deploying to AWS, and a signed client of
//! a running app's API (seeding, benchmarks, tests).

pub mod api_client;
pub mod deploy;
pub mod provision;
