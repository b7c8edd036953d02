//! Compiles `schema.graphql` into `$OUT_DIR/models.rs` (included by `src/models.rs`). A schema
//! error stops the build with the file, the line and the type.

use std::path::Path;

fn main() {
    let schema = Path::new("schema.graphql");
    println!("cargo:rerun-if-changed={}", schema.display());
    let source = std::fs::read_to_string(schema)
        .unwrap_or_else(|e| panic!("cannot read app/{}: {e}", schema.display()));
    match stratus_codegen::compile("app/schema.graphql", &source) {
        Ok(resolved) => {
            let out =
                Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("models.rs");
            std::fs::write(&out, stratus_codegen::generate::generate(&resolved))
                .expect("writing the generated models");
        }
        Err(errors) => {
            for error in &errors.0 {
                println!("cargo:warning={error}");
            }
            eprintln!("\nschema.graphql has errors:\n{errors}\n");
            std::process::exit(1);
        }
    }
}
