//! Running other programs: say what runs, fail with a sentence when it fails.

use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::workspace::Workspace;

/// A command with the workspace's environment, run from the workspace root.
pub fn command(ws: &Workspace, program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(&ws.root).envs(ws.child_env());
    command
}

/// One of the server package's helper binaries (`provision`, `seed`, `deploy`, ...), built
/// if needed; arguments added to it go to the binary.
pub fn server_bin(ws: &Workspace, bin: &str) -> Command {
    let mut cargo = command(ws, "cargo");
    cargo.args(["run", "--quiet", "--package", "server", "--bin", bin, "--"]);
    cargo
}

/// Runs to completion with inherited output; an error names the command.
pub fn run(command: &mut Command) -> Result<()> {
    let shown = show(command);
    tracing::info!("$ {shown}");
    let status = command
        .status()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Runs with stderr shown and stdout read as the JSON document the program prints (the
/// benchmarks'); an error names the program.
pub fn json_output(command: &mut Command) -> Result<serde_json::Value> {
    let shown = show(command);
    tracing::info!("$ {shown}");
    let output = command
        .stdout(Stdio::piped())
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !output.status.success() {
        bail!("`{shown}` failed ({})", output.status);
    }
    serde_json::from_slice(&output.stdout).with_context(|| format!("`{shown}` printed no JSON"))
}

/// Runs quietly and returns stdout, or `None` if the program is missing or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    output.status.success().then(|| {
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        text
    })
}

pub fn show(command: &Command) -> String {
    let mut shown = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}
