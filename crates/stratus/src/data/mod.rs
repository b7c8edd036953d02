//! The data model's runtime: what generated code is made of.

pub mod auth;
pub mod connection;
pub mod error;
pub mod filter;
pub mod query;
pub mod relation;
pub mod spec;

pub use connection::Connection;
pub use error::{Expected, FilterProblem, Problem, Refusal, StoreError, Write};
pub use query::Query;
pub use relation::{Include, IncludePath, Relation};

/// A generated model: a struct that knows its schema.
pub trait Model: serde::Serialize + serde::de::DeserializeOwned + Send + 'static {
    const SPEC: &'static spec::ModelSpec;
    /// Its generated Amplify filter (`ModelPostFilter`).
    type Filter: serde::Serialize + Send + Sync + 'static;
}
