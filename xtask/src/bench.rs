//! `cargo xtask bench`: release builds against the local stack; writes `bench.json` in the
//! target directory and prints a table.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::baselines;
use crate::bench_chart;
use crate::bench_client;
use crate::bench_lambda;
use crate::client::{self, Profile};
use crate::cmd::{command, json_output, run};
use crate::runtime_api::{self, RuntimeApi};
use crate::workspace::Workspace;

pub fn run_all(ws: &Workspace) -> Result<()> {
    client::build(ws, Profile::Release)?;
    let client_comparison = bench_client::run_all(ws)?;
    let mut client = serde_json::Map::new();
    for (name, key) in [
        ("home page, first visit: its code", "stratus"),
        (
            "React + Amplify baseline, first visit: its code",
            "react_amplify",
        ),
    ] {
        let code = &client_comparison[key]["loopback"]["first_visit"]["code"];
        client.insert(name.into(), code.clone());
    }
    client.insert(
        "the whole client (every file of pkg/)".into(),
        sizes_of_dir(&ws.root.join("target/site/pkg"))?,
    );
    client.insert(
        format!("stratus.wasm as of {BEFORE_SIGN_IN} (before SRP, one file)"),
        wasm_before_sign_in(ws)?,
    );
    let server_binary = ws.target_dir().join("release/server");
    let server_bytes = std::fs::metadata(&server_binary)
        .with_context(|| format!("{}", server_binary.display()))?
        .len();
    // This machine's x86_64 build; `cargo xtask deploy` builds and zips the arm64 one.
    let lambda_zip_bytes = crate::deploy::lambda_zip(&server_binary)?.len();
    let process = server_process(ws)?;

    // The benchmark binary also serves the axum baseline: build it before starting that.
    build_bench_binary(ws)?;
    tracing::info!("over HTTP: Stratus's release server, the axum baseline and the Node.js baseline as processes");
    let (stratus, stratus_addr) = crate::e2e::ServerProcess::serve(ws, "release")?;
    let axum = baselines::axum(ws)?;
    let node = baselines::node(ws)?;
    let idle_kb = json!({ "stratus": resident_kb(stratus.pid())?, "axum": resident_kb(axum.pid())?, "node": resident_kb(node.pid())? });
    let targets = format!(
        "stratus={stratus_addr},axum={},node={}",
        axum.addr, node.addr
    );

    let data = json_output(bench_binary(ws)?.env("STRATUS_BENCH_HTTP_TARGETS", &targets))?;
    let loaded_kb = json!({ "stratus": resident_kb(stratus.pid())?, "axum": resident_kb(axum.pid())?, "node": resident_kb(node.pid())? });
    drop((axum, node));
    tracing::info!("live delivery: subscribers of one post over WebSockets to the release server");
    let live = json_output(
        bench_binary(ws)?
            .arg("--live")
            .arg(format!("{stratus_addr}:{}", stratus.pid())),
    )?;
    drop(stratus);
    let node_process = json!({
        "cold_start_p50_ms": p50_ms(baselines::node_cold_starts_ms(ws)?),
        "rss_idle_kb": idle_kb["node"],
        "rss_after_http_load_kb": loaded_kb["node"],
    });
    let processes_under_load =
        json!({ "rss_idle_kb": idle_kb, "rss_after_http_load_kb": loaded_kb });
    let lambda = bench_lambda::run_all(ws)?;

    let report = json!({
        "machine": machine(),
        "client": client,
        "client_comparison": client_comparison,
        "server": { "release_binary_bytes": server_bytes, "lambda_zip_bytes": lambda_zip_bytes, "process": process },
        "node_baseline": node_process,
        "processes_under_http_load": processes_under_load,
        "data_layer": data,
        "live_delivery": live,
        "lambda_through_function_url": lambda,
    });
    write_chart(ws, &report)?;
    write_report(ws, "bench.json", &report, print_table)
}

/// `bench.svg` in the target directory, from a report.
fn write_chart(ws: &Workspace, report: &Value) -> Result<()> {
    let chart = ws.target_dir().join("bench.svg");
    std::fs::write(&chart, bench_chart::render(report))
        .with_context(|| format!("writing {}", chart.display()))?;
    println!("chart: {}", chart.display());
    Ok(())
}

/// `cargo xtask bench chart`: `bench.svg` drawn again from the last run's `bench.json`.
pub fn chart_again(ws: &Workspace) -> Result<()> {
    let path = ws.target_dir().join("bench.json");
    let report: Value = serde_json::from_slice(
        &std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?,
    )?;
    write_chart(ws, &report)
}

/// The last commit before the sign-in work of issue 14 (SRP, two-step sign-in, the server-side
/// sign-out, other identity providers): its client is rebuilt in each run and measured the same
/// way beside the current one. The difference is everything since, the blog's later pages too,
/// not sign-in alone.
const BEFORE_SIGN_IN: &str = "9f024bf";

fn wasm_before_sign_in(ws: &Workspace) -> Result<Value> {
    let tree = ws.target_dir().join("bench-baseline").join(BEFORE_SIGN_IN);
    // A worktree left by an earlier run (of this clone or another) holds the same commit.
    if !tree.join("Leptos.toml").is_file() {
        let _ = std::fs::remove_dir_all(&tree);
        run(command(ws, "git")
            .args(["worktree", "add", "--force", "--detach"])
            .arg(&tree)
            .arg(BEFORE_SIGN_IN))?;
    }
    tracing::info!("the client as of {BEFORE_SIGN_IN}, before the sign-in work, for its size");
    run(command(ws, "cargo")
        .args(["leptos", "build", "--release", "--frontend-only"])
        // A target dir of its own: in the shared one, its `app` took the same build directories
        // as today's, and a later build of today's app compiled the old generated models.
        .env("CARGO_TARGET_DIR", tree.join("target"))
        .current_dir(&tree))?;
    sizes(&tree.join("target/site/pkg/stratus.wasm"))
}

/// `cargo xtask bench lambda`: the Lambda part alone (a few minutes instead of the whole run).
pub fn run_lambda(ws: &Workspace) -> Result<()> {
    client::build(ws, Profile::Release)?;
    build_bench_binary(ws)?;
    let lambda = bench_lambda::run_all(ws)?;
    write_report(ws, "bench-lambda.json", &lambda, print_lambda)
}

/// Writes the report to `file` in the target directory, prints it as a table, then the path.
fn write_report(ws: &Workspace, file: &str, report: &Value, print: fn(&Value)) -> Result<()> {
    let path = ws.target_dir().join(file);
    std::fs::write(&path, serde_json::to_string_pretty(report)?)
        .with_context(|| format!("writing {}", path.display()))?;
    print(report);
    println!("\nwritten to {}", path.display());
    Ok(())
}

/// The release `bench` binary that `build_bench_binary` built, ready for arguments.
pub fn bench_binary(ws: &Workspace) -> Result<std::process::Command> {
    let binary = ws.target_dir().join("release/bench");
    Ok(command(ws, binary.to_str().context("non-UTF-8 path")?))
}

fn build_bench_binary(ws: &Workspace) -> Result<()> {
    run(command(ws, "cargo").args([
        "build",
        "--release",
        "--quiet",
        "--package",
        "server",
        "--bin",
        "bench",
    ]))
}

/// One of end2end's Chromium benchmarks (`bench/sign-in.mjs`: an SRP sign-in), against the
/// release server at `addr`, 10 runs.
fn in_chromium(ws: &Workspace, script: &str, addr: std::net::SocketAddr) -> Result<Value> {
    json_output(
        command(ws, "node")
            .args([script, &format!("http://{addr}"), "10"])
            .current_dir(ws.root.join("end2end"))
            .env("STRATUS_CHROMIUM", crate::bootstrap::CHROMIUM),
    )
}

/// `sizes` of every file under `dir` together, but the compressed copies the release build
/// writes beside them (`.br`, `.gz`).
fn sizes_of_dir(dir: &Path) -> Result<Value> {
    let mut totals = json!({ "files": 0, "raw_bytes": 0, "gzip_bytes": 0, "brotli_bytes": 0 });
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let compressed_copy =
            matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz"));
        if path.is_dir() || compressed_copy {
            continue;
        }
        let file = sizes(&path)?;
        totals["files"] = json!(totals["files"].as_u64().unwrap_or(0) + 1);
        for key in ["raw_bytes", "gzip_bytes", "brotli_bytes"] {
            totals[key] =
                json!(totals[key].as_u64().unwrap_or(0) + file[key].as_u64().unwrap_or(0));
        }
    }
    Ok(totals)
}

fn sizes(path: &Path) -> Result<Value> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bytes)?;
    let mut brotli = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 11, 22);
        writer.write_all(&bytes)?;
    }
    Ok(
        json!({ "raw_bytes": bytes.len(), "gzip_bytes": gzip.finish()?.len(), "brotli_bytes": brotli.len() }),
    )
}

/// The release server as a process: cold start (spawn to the first answered request, p50 of
/// 5), and resident memory at idle and after load (ten first visits in Chromium and 3,200
/// requests from 64 connections at once).
fn server_process(ws: &Workspace) -> Result<Value> {
    let mut cold_starts = Vec::new();
    for _ in 0..5 {
        let addr = crate::e2e::free_loopback_address()?;
        let started = std::time::Instant::now();
        let _server = crate::e2e::ServerProcess::start(ws, addr, "release")?;
        while http_get(addr, "/config.json").is_err() {
            anyhow::ensure!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "the release server did not answer within 20 s"
            );
            std::thread::sleep(std::time::Duration::from_micros(500));
        }
        cold_starts.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let lambda_cold_start = lambda_cold_start_p50_ms(ws)?;

    let (server, addr) = crate::e2e::ServerProcess::serve(ws, "release")?;
    http_get(addr, "/config.json")?;
    std::thread::sleep(std::time::Duration::from_secs(1));
    let idle_kb = resident_kb(server.pid())?;
    let sign_in = in_chromium(ws, "bench/sign-in.mjs", addr)?;
    let workers: Vec<_> = (0..64)
        .map(|_| {
            std::thread::spawn(move || {
                (0..50)
                    .filter(|_| http_get(addr, "/config.json").is_ok())
                    .count()
            })
        })
        .collect();
    let answered: usize = workers.into_iter().map(|w| w.join().unwrap_or(0)).sum();
    let loaded_kb = resident_kb(server.pid())?;
    Ok(json!({
        "cold_start_p50_ms": p50_ms(cold_starts),
        "lambda_cold_start_p50_ms": lambda_cold_start,
        "rss_idle_kb": idle_kb,
        "rss_after_load_kb": loaded_kb,
        "load_requests_answered": answered,
        "sign_in": sign_in,
    }))
}

/// The release binary as Lambda starts it: spawned with AWS_LAMBDA_RUNTIME_API set (a local
/// stand-in for the runtime API), timed until its answer to a Function URL event arrives.
/// p50 of 5. (Lambda's own part of a cold start, fetching and unpacking the zip, is not in it.)
fn lambda_cold_start_p50_ms(ws: &Workspace) -> Result<f64> {
    let event = std::fs::read(
        ws.root
            .join("server/tests/fixtures/function_url_get_config.json"),
    )?;
    let binary = ws.target_dir().join("release/server");
    let mut times = Vec::new();
    for _ in 0..5 {
        let api = RuntimeApi::start()?;
        let started = std::time::Instant::now();
        let mut child = command(ws, binary.to_str().context("non-UTF-8 path")?)
            .env("AWS_LAMBDA_RUNTIME_API", api.address())
            .envs(runtime_api::FUNCTION_ENVIRONMENT)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("could not start {}", binary.display()))?;
        let answer = api.invoke(&event, std::time::Duration::from_secs(20));
        let elapsed = started.elapsed();
        let _ = child.kill();
        let _ = child.wait();
        match answer.map_err(|e| anyhow::anyhow!(e))? {
            (_, runtime_api::Answer::Response(body)) => {
                let status = serde_json::from_slice::<Value>(&body)
                    .ok()
                    .and_then(|answer| answer["statusCode"].as_u64());
                anyhow::ensure!(
                    status == Some(200),
                    "the function answered {status:?}, not 200"
                );
                times.push(elapsed.as_secs_f64() * 1000.0);
            }
            (_, runtime_api::Answer::Error(error)) => {
                anyhow::bail!("the function answered the event with an error: {error}")
            }
        }
    }
    Ok(p50_ms(times))
}

/// The median of some timings in milliseconds, to a tenth.
fn p50_ms(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2] * 10.0).round() / 10.0
}

fn resident_kb(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .context("no VmRSS in /proc/<pid>/status")
}

/// One plain HTTP/1.1 GET; Ok when the answer is a 200.
fn http_get(addr: std::net::SocketAddr, path: &str) -> Result<()> {
    use std::io::Read;
    let mut stream =
        std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_millis(200))?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    anyhow::ensure!(answer.starts_with(b"HTTP/1.1 200"), "not a 200");
    Ok(())
}

fn machine() -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    format!("{cores} cores, {}", std::env::consts::ARCH)
}

fn print_table(report: &Value) {
    let kb = |v: &Value| format!("{:.1} KB", v.as_f64().unwrap_or(0.0) / 1024.0);
    println!(
        "\n{:<44} {:>12} {:>12} {:>12}",
        "client (release)", "raw", "gzip -9", "brotli 11"
    );
    for (file, size) in report["client"].as_object().into_iter().flatten() {
        println!(
            "{file:<44} {:>12} {:>12} {:>12}",
            kb(&size["raw_bytes"]),
            kb(&size["gzip_bytes"]),
            kb(&size["brotli_bytes"])
        );
    }
    bench_client::print(&report["client_comparison"]);
    let process = &report["server"]["process"];
    let sign_in = &process["sign_in"];
    println!(
        "sign-in by SRP (Chromium, release build, local user pool, p50 of {}): {} ms click to signed in, of which {} ms the browser's proof (the user pool's challenge in, the proof out)",
        sign_in["runs"], sign_in["sign_in_p50_ms"], sign_in["browser_proof_p50_ms"]
    );
    println!(
        "{:<44} {:>12}",
        "server binary (release, stripped)",
        kb(&report["server"]["release_binary_bytes"])
    );
    println!(
        "{:<44} {:>12}",
        "Lambda zip (bootstrap, deflated)",
        kb(&report["server"]["lambda_zip_bytes"])
    );
    println!(
        "server process: cold start {} ms (spawn to first answer, p50 of 5); resident memory {} KB idle, {} KB after load",
        process["cold_start_p50_ms"], process["rss_idle_kb"], process["rss_after_load_kb"]
    );
    println!(
        "as a Lambda: cold start {} ms (spawn to the answer to a Function URL event through the runtime API, p50 of 5)",
        process["lambda_cold_start_p50_ms"]
    );
    let list = &report["data_layer"]["list_with_relations"];
    println!(
        "\nDynamoDB requests for 100 posts with blog and tags: {}",
        list["dynamodb_requests"]
    );
    println!(
        "DynamoDB requests for 100 posts with tags, blog and the blog's cover (two levels): {}",
        report["data_layer"]["list_with_two_relation_levels"]["dynamodb_requests"]
    );
    println!(
        "\n{:<48} {:>8} {:>8} {:>9} {:>10} {:>10}",
        "generated call (in process, DynamoDB Local)",
        "p50 ms",
        "p99 ms",
        "requests",
        "DynamoDB",
        "Stratus"
    );
    for (name, figures) in report["data_layer"]["generated_calls"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let number = |key: &str| figures[key].as_f64().unwrap_or(f64::NAN);
        println!(
            "{name:<48} {:>8.2} {:>8.2} {:>9.1} {:>7.3} ms {:>7.3} ms",
            number("p50_ms"),
            number("p99_ms"),
            number("dynamodb_requests_per_call"),
            number("mean_dynamodb_ms"),
            number("mean_stratus_ms")
        );
    }
    println!(
        "\n{:<40} {:>7} {:>8} {:>8} {:>9} {:>10} {:>10}",
        "under load (in process)", "callers", "p50 ms", "p99 ms", "calls/s", "DynamoDB", "Stratus"
    );
    for (name, levels) in report["data_layer"]["concurrency"]
        .as_object()
        .into_iter()
        .flatten()
    {
        for f in levels.as_array().into_iter().flatten() {
            let n = |key: &str| f[key].as_f64().unwrap_or(f64::NAN);
            println!(
                "{name:<40} {:>7} {:>8.2} {:>8.2} {:>9.0} {:>7.2} ms {:>7.2} ms",
                f["callers"].as_u64().unwrap_or(0),
                n("p50_ms"),
                n("p99_ms"),
                n("calls_per_second"),
                n("mean_dynamodb_ms"),
                n("mean_stratus_ms")
            );
        }
    }
    println!(
        "\n{:<40} {:>7} {:>12} {:>12} {:>14}",
        "Stratus vs bare axum + SDK (in process)",
        "callers",
        "Stratus p50",
        "bare p50",
        "mean ratio"
    );
    let data = &report["data_layer"];
    for (name, levels) in data["concurrency"].as_object().into_iter().flatten() {
        let bare = data["baseline_axum"][name]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (ours, theirs) in levels.as_array().into_iter().flatten().zip(bare) {
            let (a, b) = (
                ours["mean_ms"].as_f64().unwrap_or(f64::NAN),
                theirs["mean_ms"].as_f64().unwrap_or(f64::NAN),
            );
            println!(
                "{name:<40} {:>7} {:>9.2} ms {:>9.2} ms {:>13.2}x",
                ours["callers"].as_u64().unwrap_or(0),
                ours["p50_ms"].as_f64().unwrap_or(f64::NAN),
                theirs["p50_ms"].as_f64().unwrap_or(f64::NAN),
                a / b
            );
        }
    }
    print_over_http(report);
    print_live(report);
    print_lambda(&report["lambda_through_function_url"]);
    let auth = &report["data_layer"]["auth"];
    let us = |key: &str| auth[key].as_f64().unwrap_or(f64::NAN);
    println!(
        "
{:<44} {:>9} {:>9}",
        "authentication (per call)", "p50 µs", "p99 µs"
    );
    println!(
        "{:<44} {:>9.0} {:>9.0}",
        "ID token verification (JWKS cached)",
        us("id_token_verify_p50_us"),
        us("id_token_verify_p99_us")
    );
    println!(
        "{:<44} {:>9.0} {:>9.0}",
        "whole check in the function: signer + token",
        us("request_authentication_p50_us"),
        us("request_authentication_p99_us")
    );
}

/// Stratus's release server, the axum baseline and the Node.js baseline, each its own process,
/// loaded over HTTP with keep-alive connections; then their cold starts and memory.
fn print_over_http(report: &Value) {
    let http = &report["data_layer"]["over_http"];
    let Some(stratus) = http["stratus"].as_object() else {
        return;
    };
    println!(
        "\n{:<34} {:>7} {:>22} {:>22} {:>22}",
        "over HTTP (separate processes)",
        "callers",
        "Stratus p50 | calls/s",
        "axum p50 | calls/s",
        "Node p50 | calls/s"
    );
    let cell = |f: &Value| {
        format!(
            "{:.2} ms | {:>6.0}",
            f["p50_ms"].as_f64().unwrap_or(f64::NAN),
            f["calls_per_second"].as_f64().unwrap_or(f64::NAN)
        )
    };
    for (name, levels) in stratus {
        for (index, ours) in levels.as_array().into_iter().flatten().enumerate() {
            println!(
                "{name:<34} {:>7} {:>22} {:>22} {:>22}",
                ours["callers"].as_u64().unwrap_or(0),
                cell(ours),
                cell(&http["axum"][name][index]),
                cell(&http["node"][name][index])
            );
        }
    }
    let mb = |v: &Value| format!("{:.1} MB", v.as_f64().unwrap_or(f64::NAN) / 1024.0);
    let memory = &report["processes_under_http_load"];
    println!(
        "\n{:<34} {:>12} {:>12} {:>12}",
        "resident memory", "Stratus", "axum", "Node"
    );
    for (label, key) in [
        ("idle", "rss_idle_kb"),
        ("after the HTTP load", "rss_after_http_load_kb"),
    ] {
        println!(
            "{label:<34} {:>12} {:>12} {:>12}",
            mb(&memory[key]["stratus"]),
            mb(&memory[key]["axum"]),
            mb(&memory[key]["node"])
        );
    }
    println!(
        "cold start, spawn to first answer (p50 of 5): Stratus {} ms, Node {} ms",
        report["server"]["process"]["cold_start_p50_ms"],
        report["node_baseline"]["cold_start_p50_ms"]
    );
}

/// New comments delivered to 1, 100 and 1,000 subscribers of one post.
fn print_live(report: &Value) {
    let Some(levels) = report["live_delivery"]["levels"].as_array() else {
        return;
    };
    println!(
        "\n{:<34} {:>20} {:>20} {:>16}",
        "live delivery (new comment)", "to last p50 | p99", "to each p50 | p99", "server memory"
    );
    let pair = |f: &Value| {
        format!(
            "{:.1} | {:.1} ms",
            f["p50"].as_f64().unwrap_or(f64::NAN),
            f["p99"].as_f64().unwrap_or(f64::NAN)
        )
    };
    for level in levels {
        let rss = &level["server_rss_kb"];
        println!(
            "{:<34} {:>20} {:>20} {:>16}",
            format!("{} subscribers", level["subscribers"]),
            pair(&level["to_last_delivery_ms"]),
            pair(&level["to_each_delivery_ms"]),
            format!(
                "{:.1} -> {:.1} MB",
                rss["before"].as_f64().unwrap_or(f64::NAN) / 1024.0,
                rss["with_subscribers"].as_f64().unwrap_or(f64::NAN) / 1024.0
            )
        );
    }
}

/// Stratus's function and the Node.js baseline's, deployed in the local cloud.
fn print_lambda(lambda: &Value) {
    println!(
        "\n{:<44} {:>16} {:>16}",
        "as Lambdas, through the Function URL", "Stratus", "Node.js"
    );
    let row = |label: &str, cell: &dyn Fn(&Value) -> String| {
        println!(
            "{label:<44} {:>16} {:>16}",
            cell(&lambda["stratus"]),
            cell(&lambda["node"])
        );
    };
    let kb = |v: &Value| v.as_f64().unwrap_or(f64::NAN) / 1024.0;
    row("zip", &|f| format!("{:.1} KB", kb(&f["zip_bytes"])));
    row("cold call, p50 ms", &|f| f["cold_p50_ms"].to_string());
    row("warm call, p50 ms", &|f| f["warm_p50_ms"].to_string());
    row("warm call, p99 ms", &|f| f["warm_p99_ms"].to_string());
    row("the emulator's share of a warm call, p50 ms", &|f| {
        f["emulator_p50_ms"].to_string()
    });
    row("the function's own time, ms", &|f| f["own_ms"].to_string());
    row("peak memory", &|f| {
        format!("{:.1} MB", kb(&f["peak_memory_kb"]))
    });
    row("memory setting | billed ms", &|f| {
        format!(
            "{} MB | {}",
            f["cost"]["memory_setting_mb"], f["cost"]["billed_ms_per_request"]
        )
    });
    row("USD per million requests: warm | cold", &|f| {
        format!(
            "${} | ${}",
            f["cost"]["usd_per_million_requests"], f["cost"]["usd_per_million_cold_requests"]
        )
    });
    println!("prices: {}", lambda["prices"].as_str().unwrap_or("?"));
    println!("method: {}", lambda["method"].as_str().unwrap_or("?"));
}
