//! `cargo xtask schema [FILE]`: what a schema becomes once resolved (models, fields and their
//! types, keys, indexes, relations with their foreign keys, operations, auth rules), as JSON on
//! standard output; or every error in it, as `file:line: ...`, and exit status 1.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};

use crate::workspace::Workspace;

pub fn run(ws: &Workspace, file: Option<&str>) -> Result<()> {
    let path = file.map_or_else(|| ws.root.join("app/schema.graphql"), PathBuf::from);
    let source = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let shown = shown_name(ws, &path);
    match stratus_codegen::compile(&shown, &source) {
        Ok(schema) => {
            println!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(())
        }
        Err(errors) => {
            for error in &errors.0 {
                eprintln!("{error}");
            }
            Err(anyhow!("{shown} has {} error(s)", errors.0.len()))
        }
    }
}

/// The path as errors show it: relative to the workspace when it is inside it.
fn shown_name(ws: &Workspace, path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    absolute
        .strip_prefix(&ws.root)
        .unwrap_or(path)
        .display()
        .to_string()
}
