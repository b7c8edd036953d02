//! The models of `schema.graphql`: structs, inputs, filters, specs and server functions,
//! generated at build time by `app/codegen` (see `app/build.rs`).

include!(concat!(env!("OUT_DIR"), "/models.rs"));

/// The schema's model called `name`, for relations, which name their target.
pub fn model_named(
    name: &str,
) -> Result<&'static crate::data::spec::ModelSpec, crate::error::AppError> {
    MODELS
        .iter()
        .copied()
        .find(|m| m.name == name)
        .ok_or_else(|| crate::error::AppError::internal(format!("the schema has no model {name}")))
}
