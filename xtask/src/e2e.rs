//! The browser suite: the built site and server on a free port, Playwright in Debian's Chromium.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::bootstrap::CHROMIUM;
use crate::cmd::{self, command, server_bin};
use crate::deploy_local::LocalDeployment;
use crate::https_front::HttpsFront;
use crate::workspace::Workspace;

/// The suite against the debug build `client::build` left, on a free port.
pub fn run(ws: &Workspace) -> Result<()> {
    let (server, addr) = ServerProcess::serve(ws, "debug")?;
    if ws.local_identity_provider.is_some() {
        // The user pool sends a hosted sign-in back only to an address it knows: this port's.
        cmd::run(server_bin(ws, "provision").env("LEPTOS_SITE_ADDR", addr.to_string()))?;
    }
    let base_url = format!("http://{addr}");
    let outcome = cmd::run(
        playwright(ws, "local")
            .env("STRATUS_BASE_URL", &base_url)
            .env("STRATUS_CHROMIUM", CHROMIUM)
            // live.spec.ts starts a second server of its own, to stop and start it again.
            .env("STRATUS_SERVER_BIN", ws.target_dir().join("debug/server"))
            .env("STRATUS_SITE_ROOT", ws.root.join("target/site")),
    );
    if outcome.is_err() {
        show_failures(ws, &server);
    }
    outcome
}

/// What a failed journey's page showed and what the server warned of, printed so that a
/// failure in CI can be understood from its log alone (the screenshots stay on that machine).
fn show_failures(ws: &Workspace, server: &ServerProcess) {
    let results = ws.root.join("end2end/test-results");
    for test in std::fs::read_dir(&results).into_iter().flatten().flatten() {
        let context = test.path().join("error-context.md");
        if let Ok(page) = std::fs::read_to_string(&context) {
            eprintln!("\n--- {} ---\n{page}", context.display());
        }
    }
    match std::fs::read_to_string(&server.log) {
        Ok(log) => {
            eprintln!("\n--- warnings and errors of {} ---", server.log.display());
            for line in log
                .lines()
                .filter(|l| l.contains("WARN") || l.contains("ERROR"))
            {
                eprintln!("{line}");
            }
        }
        Err(error) => eprintln!("could not read {}: {error}", server.log.display()),
    }
}

/// The journeys of `deployed.spec.ts` against the stack deployed into the local cloud, which the
/// browser reaches at AWS's own addresses through the HTTPS front.
pub fn run_deployed(
    ws: &Workspace,
    deployment: &LocalDeployment,
    front: &HttpsFront,
) -> Result<()> {
    cmd::run(
        playwright(ws, "deployed")
            .env("STRATUS_DEPLOYED_URL", &deployment.site_url)
            .env("STRATUS_HOST_RESOLVER_RULES", front.host_resolver_rules())
            .env("STRATUS_CHROMIUM", CHROMIUM),
    )
}

fn playwright(ws: &Workspace, project: &str) -> std::process::Command {
    let mut playwright = command(ws, "npx");
    playwright
        .args(["playwright", "test", "--project", project])
        .current_dir(ws.root.join("end2end"));
    playwright
}

/// The server as cargo-leptos built it, stopped when dropped.
pub struct ServerProcess {
    child: Child,
    /// Where its output goes.
    log: PathBuf,
}

impl ServerProcess {
    /// The `profile` ("debug" or "release") build, answering on a free loopback port.
    pub fn serve(ws: &Workspace, profile: &str) -> Result<(Self, SocketAddr)> {
        Self::serve_with(ws, profile, &[])
    }

    /// `serve`, with settings of the environment (`STRATUS_SITE__PUBLIC_DIR`, say).
    pub fn serve_with(
        ws: &Workspace,
        profile: &str,
        env: &[(&str, &std::ffi::OsStr)],
    ) -> Result<(Self, SocketAddr)> {
        let addr = free_loopback_address()?;
        let mut server = ServerProcess::start_with(ws, addr, profile, env)?;
        server.wait_until_ready(addr)?;
        Ok((server, addr))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn start(ws: &Workspace, addr: SocketAddr, profile: &str) -> Result<Self> {
        Self::start_with(ws, addr, profile, &[])
    }

    fn start_with(
        ws: &Workspace,
        addr: SocketAddr,
        profile: &str,
        env: &[(&str, &std::ffi::OsStr)],
    ) -> Result<Self> {
        let binary = ws.target_dir().join(profile).join("server");
        let log = ws
            .state_dir()
            .join(format!("logs/{profile}-server-{}.log", addr.port()));
        let log_file =
            std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let child = command(ws, binary.to_str().context("non-UTF-8 path")?)
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("LEPTOS_SITE_ROOT", ws.root.join("target/site"))
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .spawn()
            .with_context(|| format!("could not start {}", binary.display()))?;
        tracing::info!("{profile} server: http://{addr} (log: {})", log.display());
        Ok(ServerProcess { child, log })
    }

    fn wait_until_ready(&mut self, addr: SocketAddr) -> Result<()> {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if let Some(status) = self.child.try_wait()? {
                bail!("the server exited before answering ({status}); see .stratus/logs/");
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("the server did not listen on {addr} within 30s; see .stratus/logs/")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_loopback_address() -> Result<SocketAddr> {
    let listener =
        TcpListener::bind("127.0.0.1:0").context("finding a free port for the test server")?;
    Ok(listener.local_addr()?)
}
