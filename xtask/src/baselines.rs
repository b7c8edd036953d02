//! The benchmark's baselines as processes, for load over HTTP beside Stratus's release server:
//! the same get, list and create written against the AWS SDK in a bare axum server
//! (`bench --serve-baseline`), and as a Node.js handler with @aws-sdk/client-dynamodb
//! (`end2end/bench/node-baseline.mjs`), what most teams would write instead.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::cmd::command;
use crate::e2e::free_loopback_address;
use crate::workspace::{read_toml, Workspace};

/// A process stopped when dropped.
pub struct Spawned {
    child: Child,
    pub addr: SocketAddr,
}

impl Spawned {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Node.js baseline on a free port, ready for requests.
pub fn node(ws: &Workspace) -> Result<Spawned> {
    let addr = free_loopback_address()?;
    let process = spawn_node(ws, addr)?;
    wait_until_answering(&process, "/health")?;
    Ok(process)
}

fn spawn_node(ws: &Workspace, addr: SocketAddr) -> Result<Spawned> {
    let settings = read_toml(&ws.root.join("Leptos.toml"))?;
    let setting = |section: &str, key: &str, default: &str| {
        settings
            .get(section)
            .and_then(|s| s.get(key))
            .and_then(toml::Value::as_str)
            .unwrap_or(default)
            .to_owned()
    };
    let child = command(ws, "node")
        .arg("bench/node-baseline.mjs")
        .current_dir(ws.root.join("end2end"))
        .env("PORT", addr.port().to_string())
        .env(
            "STRATUS_TABLE_PREFIX",
            setting("data", "table_prefix", "stratus-"),
        )
        .env("AWS_REGION", &ws.region)
        // DynamoDB Local takes any key made of letters and digits.
        .env("AWS_ACCESS_KEY_ID", "stratuslocal")
        .env("AWS_SECRET_ACCESS_KEY", "stratuslocal")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting end2end/bench/node-baseline.mjs")?;
    Ok(Spawned { child, addr })
}

/// The bare axum baseline: the (release) benchmark binary serving it, ready for requests.
pub fn axum(ws: &Workspace) -> Result<Spawned> {
    let addr = free_loopback_address()?;
    let binary = ws.target_dir().join("release/bench");
    let child = command(ws, binary.to_str().context("non-UTF-8 path")?)
        .args(["--serve-baseline", &addr.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let process = Spawned { child, addr };
    let started = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if started.elapsed() > Duration::from_secs(20) {
            bail!("the axum baseline did not listen on {addr} within 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(process)
}

/// The Node.js baseline's cold starts, spawn to its first answered request: 5 of them, in ms.
pub fn node_cold_starts_ms(ws: &Workspace) -> Result<Vec<f64>> {
    let mut times = Vec::new();
    for _ in 0..5 {
        let addr = free_loopback_address()?;
        let started = Instant::now();
        let process = spawn_node(ws, addr)?;
        wait_until_answering(&process, "/health")?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(times)
}

fn wait_until_answering(process: &Spawned, path: &str) -> Result<()> {
    let started = Instant::now();
    while http_post(process.addr, path, "{}").is_err() {
        if started.elapsed() > Duration::from_secs(20) {
            bail!(
                "the process at {} did not answer {path} within 20 s",
                process.addr
            );
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    Ok(())
}

/// One POST that must answer 200.
fn http_post(addr: SocketAddr, path: &str, body: &str) -> Result<()> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(200))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    anyhow::ensure!(answer.starts_with(b"HTTP/1.1 200"), "not a 200");
    Ok(())
}
