//! The Lambda part of `cargo xtask bench`: the release build, made before, deployed into the
//! local cloud (ministack) under a stack of its own; the Node.js baseline's handler bundled for
//! Lambda as most teams bundle it (esbuild, the AWS SDK inside); and the release
//! `bench --lambda` deploying that beside it and measuring both through their Function URLs
//! (server/src/bin/bench/lambda.rs). Returns what it printed.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

use crate::bench::bench_binary;
use crate::cmd::{command, json_output, run};
use crate::deploy::zip_one_file;
use crate::deploy_local::{self, Build};
use crate::workspace::Workspace;

/// Its own stack: the benchmark changes its function's configuration to force cold starts.
const BENCH_STACK_NAME: &str = "stratus-bench";

pub fn run_all(ws: &Workspace) -> Result<Value> {
    tracing::info!("as Lambdas in the local cloud: Stratus's function and the Node.js baseline's");
    let deployment = deploy_local::deploy(ws, Build::ReleaseAsBuilt, BENCH_STACK_NAME)?;
    bundle_node_baseline(ws, &deployment.artifacts)?;
    json_output(bench_binary(ws)?.arg("--lambda").arg(&deployment.artifacts))
}

/// `end2end/bench/node-handler.mjs` and what it imports, in one file, zipped as
/// `<artifacts>/node-lambda.zip` with the handler `index.handler`.
fn bundle_node_baseline(ws: &Workspace, artifacts: &Path) -> Result<()> {
    let bundle = artifacts.join("node-baseline/index.js");
    let end2end = ws.root.join("end2end");
    let esbuild_bin = end2end.join("node_modules/.bin/esbuild");
    let mut esbuild = command(ws, esbuild_bin.to_str().context("non-UTF-8 path")?);
    esbuild
        .args([
            "bench/node-handler.mjs",
            "--bundle",
            "--minify",
            "--platform=node",
            "--target=node20",
            "--format=cjs",
            "--log-level=warning",
        ])
        .arg(format!("--outfile={}", bundle.display()))
        .current_dir(&end2end);
    run(&mut esbuild)?;
    let code = std::fs::read(&bundle).with_context(|| format!("reading {}", bundle.display()))?;
    let zip = zip_one_file("index.js", &code, zip::CompressionMethod::Deflated, 0o644)?;
    let path = artifacts.join("node-lambda.zip");
    std::fs::write(&path, zip).with_context(|| format!("writing {}", path.display()))
}
