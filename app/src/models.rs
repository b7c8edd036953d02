//! The models of `schema.graphql`: structs, inputs, filters, specs and server functions,
//! generated at build time by `app/codegen` (see `app/build.rs`).

include!(concat!(env!("OUT_DIR"), "/models.rs"));
