//! The client side by side with the baseline a team would otherwise write: the same home feed,
//! post page and sign-in in React with `aws-amplify`, built by Vite for production
//! (`end2end/bench/react-amplify`), calling the same server functions with the same user pool
//! and identity pool. Both are served by the same release server (the baseline's files as the
//! site's public folder), so compression and caching are the same; each first visit is timed in
//! Chromium on loopback and on an emulated slow mobile link (`end2end/bench/first-visit.mjs`).

use anyhow::Result;
use serde_json::{Map, Value};

use crate::cmd::{command, json_output, run};
use crate::e2e::ServerProcess;
use crate::workspace::Workspace;

const BASELINE_DIR: &str = "end2end/bench/react-amplify";
const RUNS: &str = "10";
/// The networks of `first-visit.mjs`.
pub const NETWORKS: [&str; 2] = ["loopback", "slow-mobile"];
/// The two clients, as the report names them.
pub const CLIENTS: [&str; 2] = ["stratus", "react_amplify"];

/// Expects the release server and client built (`client::build`).
pub fn run_all(ws: &Workspace) -> Result<Value> {
    let baseline_site = build_baseline(ws)?;
    let (_stratus, stratus_addr) = ServerProcess::serve(ws, "release")?;
    let (_baseline, baseline_addr) = ServerProcess::serve_with(
        ws,
        "release",
        &[("STRATUS_SITE__PUBLIC_DIR", baseline_site.as_os_str())],
    )?;
    let mut report = Map::new();
    for (client, addr) in CLIENTS.into_iter().zip([stratus_addr, baseline_addr]) {
        let mut by_network = Map::new();
        for network in NETWORKS {
            tracing::info!("first visits in Chromium: {client}, {network}, {RUNS} runs");
            let figures = json_output(
                command(ws, "node")
                    .args([
                        "bench/first-visit.mjs",
                        &format!("http://{addr}"),
                        RUNS,
                        network,
                    ])
                    .current_dir(ws.root.join("end2end"))
                    .env("STRATUS_CHROMIUM", crate::bootstrap::CHROMIUM),
            )?;
            by_network.insert(network.into(), figures);
        }
        report.insert(client.into(), Value::Object(by_network));
    }
    Ok(Value::Object(report))
}

/// `npm ci` (when its packages are missing) and `vite build`; returns the built site's folder.
fn build_baseline(ws: &Workspace) -> Result<std::path::PathBuf> {
    let dir = ws.root.join(BASELINE_DIR);
    if !dir.join("node_modules/.package-lock.json").is_file() {
        tracing::info!("the React + Amplify baseline: npm ci");
        run(command(ws, "npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir))?;
    }
    tracing::info!("the React + Amplify baseline: vite build");
    run(command(ws, "npx")
        .args(["vite", "build", "--logLevel", "warn"])
        .current_dir(&dir))?;
    let site = dir.join("dist");
    anyhow::ensure!(
        site.join("index.html").is_file(),
        "vite build wrote no {}",
        site.join("index.html").display()
    );
    Ok(site)
}

/// The comparison as lines of a table.
pub fn print(report: &Value) {
    let kb = |v: &Value| format!("{:.1} KB", v.as_f64().unwrap_or(f64::NAN) / 1024.0);
    println!(
        "\n{:<34} {:>8} {:>11} {:>11} {:>11} {:>14} {:>14}",
        "first visit to the home page",
        "files",
        "raw",
        "gzip -9",
        "brotli 11",
        "feed, loopback",
        "feed, slow"
    );
    for client in CLIENTS {
        let figures = &report[client];
        let code = &figures["loopback"]["first_visit"]["code"];
        println!(
            "{client:<34} {:>8} {:>11} {:>11} {:>11} {:>11} ms {:>11} ms",
            code["files"],
            kb(&code["raw_bytes"]),
            kb(&code["gzip_bytes"]),
            kb(&code["brotli_bytes"]),
            figures["loopback"]["feed_rendered_p50_ms"],
            figures["slow-mobile"]["feed_rendered_p50_ms"],
        );
    }
    println!("(feed: p50 of {RUNS} first visits to the feed's first post; slow: 1.6 Mbps down, 750 kbps up, 150 ms latency)");
}
