//! An app's `build.rs` in one call: compiles its schema into `$OUT_DIR/models.rs` (which the
//! app `include!`s), or stops the build with every error as `file:line`.

use std::path::Path;

/// `schema` is relative to the app's crate; `shown` is how errors name it (`app/schema.graphql`).
pub fn compile_schema(schema: &str, shown: &str) {
    println!("cargo:rerun-if-changed={schema}");
    let source =
        std::fs::read_to_string(schema).unwrap_or_else(|e| panic!("cannot read {shown}: {e}"));
    let compiled = crate::compile(shown, &source).and_then(|resolved| {
        let unsupported = crate::server_support::unsupported(shown, &resolved);
        if unsupported.is_empty() {
            Ok(resolved)
        } else {
            Err(crate::SchemaErrors(unsupported))
        }
    });
    match compiled {
        Ok(resolved) => {
            let out =
                Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("models.rs");
            std::fs::write(&out, crate::generate::generate(&resolved))
                .expect("writing the generated models");
        }
        Err(errors) => {
            for error in &errors.0 {
                println!("cargo:warning={error}");
            }
            eprintln!("\n{shown} has errors:\n{errors}\n");
            std::process::exit(1);
        }
    }
}
