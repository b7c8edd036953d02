//! The local AWS stack: ministack (Cognito User Pools, Cognito Identity, STS, and the whole
//! cloud that `deploy --local` deploys into), DynamoDB Local, and, when Leptos.toml declares
//! identity providers, the OIDC provider that stands in for them. Each is reused when already running, otherwise started, health-checked,
//! and stopped again when the command that started it ends.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use stratus_codegen::federation::local_provider;

use crate::workspace::{Endpoint, Workspace};

const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);

pub struct LocalStack {
    services: Vec<Service>,
}

struct Service {
    name: &'static str,
    /// `None` when an instance that was already running is reused: it is not ours to stop.
    child: Option<Child>,
}

/// How to recognise one emulator on its port.
struct Emulator {
    name: &'static str,
    /// Path of a GET request that identifies it, and the text its answer contains.
    probe_path: &'static str,
    probe_answer: &'static str,
}

const DYNAMODB_LOCAL: Emulator = Emulator {
    name: "DynamoDB Local",
    probe_path: "/",
    probe_answer: "com.amazonaws.dynamodb",
};
const MINISTACK: Emulator = Emulator {
    name: "ministack",
    probe_path: "/_ministack/health",
    probe_answer: "\"cognito-idp\"",
};
const LOCAL_IDENTITY_PROVIDER: Emulator = Emulator {
    name: "the local identity provider",
    probe_path: "/.well-known/openid-configuration",
    probe_answer: "stratus-local-identity-provider",
};

enum PortState {
    Free,
    Answering,
    TakenByAnotherProgram(String),
}

impl LocalStack {
    pub fn up(ws: &Workspace) -> Result<Self> {
        let logs = ws.state_dir().join("logs");
        std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
        let mut stack = LocalStack {
            services: Vec::new(),
        };

        // DynamoDB Local listens on every interface; the sandbox keeps it to loopback.
        let jar_dir = ws.dynamodb_local_dir()?;
        let port = ws.dynamodb_endpoint.port.to_string();
        let mut sandboxed_java = Command::new(std::env::current_exe().context("locating xtask")?);
        sandboxed_java
            .current_dir(&jar_dir)
            .args(["__dynamodb-sandbox", &port, "java"])
            .arg(format!(
                "-Djava.library.path={}",
                jar_dir.join("DynamoDBLocal_lib").display()
            ))
            .args([
                "-jar",
                "DynamoDBLocal.jar",
                "-inMemory",
                "-sharedDb",
                "-disableTelemetry",
                "-port",
                &port,
            ]);
        stack.services.push(start(
            &DYNAMODB_LOCAL,
            &ws.dynamodb_endpoint,
            sandboxed_java,
            &logs.join("dynamodb-local.log"),
        )?);

        // Its defaults are loose: it would listen on every interface, accept any signature and
        // any confirmation code, and keep its keys in /tmp.
        let state = ws.state_dir().join("ministack");
        std::fs::create_dir_all(&state).with_context(|| format!("creating {}", state.display()))?;
        // It unpacks every Lambda zip it is given into the temporary directory and keeps them
        // all (gigabytes after a few days of deploys); no ministack serves this port yet, so
        // the last one's are nobody's. (Not a directory in the checkout: a Lambda started
        // there would find the checkout's Leptos.toml above it and take the local settings.)
        let _ = std::fs::remove_dir_all(std::env::temp_dir().join(format!(
            "ministack-provided-code-{}",
            ws.ministack_endpoint.port
        )));
        let mut ministack = Command::new(ws.ministack_venv().join("bin/ministack"));
        ministack
            .env("BIND_HOST", "127.0.0.1")
            .env("GATEWAY_PORT", ws.ministack_endpoint.port.to_string())
            .env("STATE_DIR", &state)
            .env("AUTH", "true")
            // Its IoT broker would open 0.0.0.0:8883; Stratus uses no IoT.
            .env("IOT_MTLS_ENABLED", "0")
            // Lambdas it runs inherit its environment, and it hands them AWS_ENDPOINT_URL as
            // its own: they must reach ministack's services, not the DynamoDB Local that this
            // process's children point at.
            .env("AWS_ENDPOINT_URL", &ws.ministack_endpoint.url)
            .env_remove("AWS_ENDPOINT_URL_DYNAMODB")
            // What a Stratus Lambda deployed into it (`deploy --local`) needs besides its
            // template's environment, set here because the template is the cloud's: ministack
            // serves a pool's keys on its own address, and its Function URLs check signatures
            // but report no signer.
            .env(
                "STRATUS_AUTH__JWKS_URL",
                format!(
                    "{}/{{user_pool_id}}/.well-known/jwks.json",
                    ws.ministack_endpoint.url
                ),
            )
            .env("STRATUS_AUTH__FUNCTION_URL_REPORTS_SIGNER", "false");
        // It takes these as its root account's key; the settings' local key is its default.
        for real_credentials in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
        ] {
            ministack.env_remove(real_credentials);
        }
        stack.services.push(start(
            &MINISTACK,
            &ws.ministack_endpoint,
            ministack,
            &logs.join("ministack.log"),
        )?);

        if let Some(endpoint) = &ws.local_identity_provider {
            let mut node = Command::new("node");
            node.arg(ws.root.join("xtask/local-identity-provider.mjs"))
                .env("PORT", endpoint.port.to_string())
                .env("CLIENT_ID", local_provider::CLIENT_ID)
                .env("CLIENT_SECRET", local_provider::CLIENT_SECRET)
                // Where the user pool (ministack, which names itself `localhost`) takes the
                // provider's answer.
                .env(
                    "REDIRECT_URIS",
                    format!(
                        "http://localhost:{0}/oauth2/idpresponse,http://127.0.0.1:{0}/oauth2/idpresponse",
                        ws.ministack_endpoint.port
                    ),
                )
                .env(
                    "OIDC_PROVIDER",
                    ws.npm_tools()
                        .join("node_modules/oidc-provider/lib/index.js"),
                );
            stack.services.push(start(
                &LOCAL_IDENTITY_PROVIDER,
                endpoint,
                node,
                &logs.join("local-identity-provider.log"),
            )?);
        }
        Ok(stack)
    }

    /// Whether every emulator this stack started is still running.
    pub fn check_alive(&mut self) -> Result<()> {
        for service in &mut self.services {
            if let Some(child) = service.child.as_mut() {
                if let Some(status) = child.try_wait()? {
                    bail!("{} stopped unexpectedly ({status})", service.name);
                }
            }
        }
        Ok(())
    }

    pub fn down(&mut self) {
        for service in self.services.drain(..).rev() {
            if let Some(mut child) = service.child {
                terminate(&mut child);
                tracing::info!("{} stopped", service.name);
            }
        }
    }
}

impl Drop for LocalStack {
    fn drop(&mut self) {
        self.down();
    }
}

fn start(
    emulator: &Emulator,
    endpoint: &Endpoint,
    mut command: Command,
    log: &Path,
) -> Result<Service> {
    let name = emulator.name;
    let port = endpoint.port;
    match probe(emulator, port) {
        PortState::Answering => {
            tracing::info!("{name}: reusing the instance already running at {}", endpoint.url);
            return Ok(Service { name, child: None });
        }
        PortState::TakenByAnotherProgram(answer) => bail!(
            "port {port} is in use by another program (it answered: {answer}), so {name} cannot start there: \
             stop that program, or give {name} another port in Leptos.toml ([aws] endpoints)"
        ),
        PortState::Free => {}
    }

    let log_file = File::create(log).with_context(|| format!("creating {}", log.display()))?;
    command
        .stdin(Stdio::null())
        .stdout(log_file.try_clone()?)
        .stderr(log_file)
        // Its own process group: a Ctrl-C in the terminal reaches xtask, which stops the
        // emulators in order, instead of killing them under a running test.
        .process_group(0);
    let mut child = command
        .spawn()
        .with_context(|| format!("could not start {name} (`{}`)", crate::cmd::show(&command)))?;
    tracing::info!(
        "{name}: starting on {} (log: {})",
        endpoint.url,
        log.display()
    );

    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            bail!(
                "{name} exited during startup ({status}); its log ends with:\n{}",
                log_tail(log)
            );
        }
        if let PortState::Answering = probe(emulator, port) {
            tracing::info!(
                "{name}: healthy after {:.1}s",
                started.elapsed().as_secs_f32()
            );
            return Ok(Service {
                name,
                child: Some(child),
            });
        }
        if started.elapsed() > STARTUP_TIMEOUT {
            terminate(&mut child);
            bail!(
                "{name} did not answer on port {port} within {}s; its log ends with:\n{}",
                STARTUP_TIMEOUT.as_secs(),
                log_tail(log)
            );
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Connects and asks; any answer that is not the emulator's means the port is someone else's.
fn probe(emulator: &Emulator, port: u16) -> PortState {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_millis(500)) else {
        return PortState::Free;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(3)));
    let request = format!(
        "GET {} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n",
        emulator.probe_path
    );
    let mut answer = Vec::new();
    if stream.write_all(request.as_bytes()).is_err()
        || stream.take(64 * 1024).read_to_end(&mut answer).is_err()
    {
        // Accepts connections but does not speak HTTP yet: still starting, or not HTTP at all.
        return PortState::TakenByAnotherProgram("no HTTP answer".into());
    }
    let answer = String::from_utf8_lossy(&answer);
    if answer.contains(emulator.probe_answer) {
        PortState::Answering
    } else {
        PortState::TakenByAnotherProgram(answer.lines().next().unwrap_or("nothing").to_owned())
    }
}

fn terminate(child: &mut Child) {
    // SAFETY: kill(2) on our own child's pid; the worst case is ESRCH if it already exited.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}
