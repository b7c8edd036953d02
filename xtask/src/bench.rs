//! `cargo xtask bench`: release builds against the local stack; writes `bench.json` in the
//! target directory and prints a table.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::cmd::{command, run, show};
use crate::workspace::Workspace;

pub fn run_all(ws: &Workspace) -> Result<()> {
    run(command(ws, "cargo").args(["leptos", "build", "--release"]))?;
    let pkg = ws.root.join("target/site/pkg");
    let mut client = serde_json::Map::new();
    for file in ["stratus.wasm", "stratus.js", "stratus.css"] {
        client.insert(file.into(), sizes(&pkg.join(file))?);
    }
    let server_binary = ws.target_dir().join("release/server");
    let server_bytes = std::fs::metadata(&server_binary).with_context(|| format!("{}", server_binary.display()))?.len();

    let mut data = command(ws, "cargo");
    data.args(["run", "--release", "--quiet", "--package", "server", "--bin", "bench"]).stdout(Stdio::piped());
    tracing::info!("$ {}", show(&data));
    let output = data.output().context("running the data layer benchmark")?;
    anyhow::ensure!(output.status.success(), "the data layer benchmark failed ({})", output.status);
    let data: Value = serde_json::from_slice(&output.stdout).context("the data layer benchmark printed no JSON")?;
    client.insert("first_render".into(), first_render(ws)?);

    let report = json!({
        "machine": machine(),
        "client": client,
        "server": { "release_binary_bytes": server_bytes },
        "data_layer": data,
    });
    let path = ws.target_dir().join("bench.json");
    std::fs::write(&path, serde_json::to_string_pretty(&report)?).with_context(|| format!("writing {}", path.display()))?;
    print_table(&report);
    println!("\nwritten to {}", path.display());
    Ok(())
}

/// The home page's time to first render in Chromium, against the release server.
fn first_render(ws: &Workspace) -> Result<Value> {
    let (_server, addr) = crate::e2e::ServerProcess::serve(ws, "release")?;
    let mut node = command(ws, "node");
    node.args(["bench/first-render.mjs", &format!("http://{addr}/"), "10"])
        .current_dir(ws.root.join("end2end"))
        .env("STRATUS_CHROMIUM", crate::bootstrap::CHROMIUM)
        .stdout(Stdio::piped());
    tracing::info!("$ {}", show(&node));
    let output = node.output().context("running end2end/bench/first-render.mjs")?;
    anyhow::ensure!(output.status.success(), "the first-render benchmark failed ({})", output.status);
    serde_json::from_slice(&output.stdout).context("the first-render benchmark printed no JSON")
}

fn sizes(path: &Path) -> Result<Value> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bytes)?;
    Ok(json!({ "raw_bytes": bytes.len(), "gzip_bytes": gzip.finish()?.len() }))
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    format!("{cores} cores, {}", std::env::consts::ARCH)
}

fn print_table(report: &Value) {
    let kb = |v: &Value| format!("{:.1} KB", v.as_f64().unwrap_or(0.0) / 1024.0);
    println!("\n{:<44} {:>12} {:>12}", "client (release)", "raw", "gzip -9");
    for (file, size) in report["client"].as_object().into_iter().flatten().filter(|(_, v)| v.get("raw_bytes").is_some()) {
        println!("{file:<44} {:>12} {:>12}", kb(&size["raw_bytes"]), kb(&size["gzip_bytes"]));
    }
    let render = &report["client"]["first_render"];
    println!(
        "\nhome page, first visit (Chromium, release server, p50 of {}): DOM ready {} ms, app mounted {} ms, feed rendered {} ms",
        render["runs"], render["dom_content_loaded_p50_ms"], render["app_mounted_p50_ms"], render["feed_rendered_p50_ms"]
    );
    println!("{:<44} {:>12}", "server binary (release, stripped)", kb(&report["server"]["release_binary_bytes"]));
    let list = &report["data_layer"]["list_with_relations"];
    println!("\nDynamoDB requests for 100 posts with blog and tags: {}", list["dynamodb_requests"]);
    println!("\n{:<44} {:>9} {:>9} {:>10}", "generated call (in process, DynamoDB Local)", "p50 ms", "p99 ms", "requests");
    for (name, figures) in report["data_layer"]["generated_calls"].as_object().into_iter().flatten() {
        let number = |key: &str| figures[key].as_f64().unwrap_or(f64::NAN);
        println!("{name:<44} {:>9.2} {:>9.2} {:>10.1}", number("p50_ms"), number("p99_ms"), number("dynamodb_requests_per_call"));
    }
    let auth = &report["data_layer"]["auth"];
    let us = |key: &str| auth[key].as_f64().unwrap_or(f64::NAN);
    println!("
{:<44} {:>9} {:>9}", "authentication (per call)", "p50 µs", "p99 µs");
    println!("{:<44} {:>9.0} {:>9.0}", "ID token verification (JWKS cached)", us("id_token_verify_p50_us"), us("id_token_verify_p99_us"));
    println!("{:<44} {:>9.0} {:>9.0}", "whole check: SigV4 signature + ID token", us("request_authentication_p50_us"), us("request_authentication_p99_us"));
}
