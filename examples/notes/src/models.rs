//! The models of `schema.graphql`, generated at build time (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/models.rs"));
