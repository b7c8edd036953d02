//! The client as it ships: `cargo leptos build` with the settings that keep the first download
//! small and cacheable. Every build xtask makes goes through here, so the tests and the deploy
//! run what the benchmark measures.
//!
//! - `--split --lib-features split`: pages other than the home page are files of their own,
//!   fetched when first opened (app/src/on_demand.rs).
//! - `LEPTOS_HASH_FILES=true`: the built files carry content hashes in their names, so a CDN
//!   and browsers may keep them for good (crates/stratus-server/src/built_site.rs).
//! - release only, `--precompress`: brotli and gzip files beside each, which the local server
//!   sends to browsers that ask.
//!
//! `cargo leptos watch` and a bare `cargo leptos build` still work without any of it: one wasm,
//! plain names, compressed as it is sent.

use std::process::Command;

use anyhow::Result;

use crate::cmd::{command, run};
use crate::workspace::Workspace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Debug,
    Release,
}

/// `cargo leptos build` of the client and the server.
pub fn build(ws: &Workspace, profile: Profile) -> Result<()> {
    run(&mut build_command(ws, profile))
}

fn build_command(ws: &Workspace, profile: Profile) -> Command {
    let mut cargo = command(ws, "cargo");
    cargo
        .args(["leptos", "build", "--split", "--lib-features", "split"])
        .env("LEPTOS_HASH_FILES", "true");
    if profile == Profile::Release {
        cargo.args(["--release", "--precompress"]);
    }
    cargo
}

/// What `build` runs, in words, for progress lines.
pub fn describe(profile: Profile) -> &'static str {
    match profile {
        Profile::Debug => "cargo leptos build --split (hashed names)",
        Profile::Release => "cargo leptos build --release --split --precompress (hashed names)",
    }
}
