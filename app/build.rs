//! Compiles `schema.graphql` into `$OUT_DIR/models.rs` (included by `src/models.rs`). A schema
//! error stops the build with the file, the line and the type.

fn main() {
    stratus_codegen::build::compile_schema("schema.graphql", "app/schema.graphql");
}
