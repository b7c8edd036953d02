//! The models of `schema.graphql`: structs, inputs, filters, specs and server functions,
//! generated at build time by `stratus-codegen` (see `app/build.rs`).

include!(concat!(env!("OUT_DIR"), "/models.rs"));
