//! The Stratus schema compiler: `schema.graphql`, written with AWS Amplify's directives, becomes
//! a resolved data model ([`ir::Schema`]), then Rust code ([`generate`]) and the AWS stack's
//! template ([`cloudformation`]), with the site's [`security_headers`] that the server and the
//! template's CloudFront distribution both send. `app/build.rs` runs it, so a schema error is a
//! compile error naming the file, the line and the type.

pub mod build;
pub mod cloudformation;
pub mod error;
pub mod federation;
pub mod generate;
pub mod ir;
mod naming;
mod parse;
mod resolve;
pub mod security_headers;
pub mod server_support;

pub use error::{SchemaError, SchemaErrors};

/// Parses and resolves a schema; `file` is the name errors carry.
pub fn compile(file: &str, source: &str) -> Result<ir::Schema, SchemaErrors> {
    let declared = parse::parse(file, source)?;
    resolve::resolve(file, declared)
}
