//! `cargo xtask deploy [--dry-run] [--stack NAME] [--x86-64]`: builds what AWS runs, then hands
//! over to the server's `deploy` binary for the template, the plan and the AWS calls.
//!
//! Artifacts, in `<target>/deploy/`: `lambda.zip` (the server built for Lambda by cargo-lambda,
//! as `bootstrap`), `site/` (public/ and the release client from cargo-leptos), and, from the
//! deploy binary, `template.json` and `plan.txt`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::client;
use crate::cmd::{command, run, server_bin};
use crate::workspace::Workspace;

pub struct Options {
    pub dry_run: bool,
    pub stack_name: Option<String>,
    pub x86_64: bool,
    /// Into the local cloud (deploy_local.rs) rather than AWS.
    pub local: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut options = Options {
            dry_run: false,
            stack_name: None,
            x86_64: false,
            local: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--dry-run" => options.dry_run = true,
                "--x86-64" | "--x86_64" => options.x86_64 = true,
                "--arm64" => options.x86_64 = false,
                "--local" => options.local = true,
                "--stack" => {
                    options.stack_name = Some(args.next().context("--stack needs a name")?.clone())
                }
                other => bail!(
                    "deploy: unknown argument `{other}` (use --dry-run, --stack NAME, --x86-64, --local)"
                ),
            }
        }
        if options.local && options.dry_run {
            bail!("deploy: --dry-run plans a deploy to AWS; --local deploys into the local cloud, where trying costs nothing");
        }
        Ok(options)
    }

    fn arch(&self) -> &'static str {
        if self.x86_64 {
            "x86_64"
        } else {
            "arm64"
        }
    }
}

pub fn run_deploy(ws: &Workspace, options: &Options) -> Result<()> {
    let out = ws.target_dir().join("deploy");
    let total = 4;
    tracing::info!(
        "[deploy build 1/{total}] the client: {}",
        client::describe(client::Profile::Release)
    );
    client::build(ws, client::Profile::Release)?;
    let site = out.join("site");
    assemble_site(ws, &site)?;

    tracing::info!(
        "[deploy build 2/{total}] the server for Lambda ({}): cargo lambda build --release",
        options.arch()
    );
    let arch_flag = if options.x86_64 {
        "--x86-64"
    } else {
        "--arm64"
    };
    run(command(ws, "cargo").args([
        "lambda",
        "build",
        "--release",
        arch_flag,
        "--package",
        "server",
        "--bin",
        "server",
    ]))?;
    let bootstrap = ws.target_dir().join("lambda/server/bootstrap");
    let zip = lambda_zip(&bootstrap)?;
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    std::fs::write(out.join("lambda.zip"), &zip)
        .with_context(|| format!("writing {}", out.join("lambda.zip").display()))?;
    tracing::info!(
        "[deploy build 3/{total}] lambda.zip: {:.1} MB (bootstrap {:.1} MB)",
        zip.len() as f64 / 1e6,
        file_size(&bootstrap)? as f64 / 1e6
    );

    tracing::info!(
        "[deploy build 4/{total}] template, plan{}",
        if options.dry_run { "" } else { " and deploy" }
    );
    let mut deploy = server_bin(ws, "deploy");
    deploy
        .args(["--arch", options.arch(), "--artifacts"])
        .arg(&out);
    if let Some(stack) = &options.stack_name {
        deploy.args(["--stack", stack]);
    }
    if options.dry_run {
        deploy.arg("--dry-run");
    }
    // The AWS side must reach AWS, not the local stack that the other commands point at.
    deploy
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_DYNAMODB");
    run(&mut deploy)
}

/// The static site as S3 serves it: public/ as it is, with cargo-leptos's pkg/ beside it.
pub fn assemble_site(ws: &Workspace, site: &Path) -> Result<()> {
    if site.exists() {
        std::fs::remove_dir_all(site).with_context(|| format!("clearing {}", site.display()))?;
    }
    copy_tree(&ws.root.join("public"), site)?;
    copy_tree(&ws.root.join("target/site"), site)
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let path: PathBuf = entry?.path();
        let target = to.join(
            path.file_name()
                .context("a directory entry without a name")?,
        );
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else if path.to_string_lossy().ends_with(".d.ts") {
            // wasm-bindgen's TypeScript declarations: for editors, not for browsers.
        } else {
            std::fs::copy(&path, &target)
                .with_context(|| format!("copying {} to {}", path.display(), target.display()))?;
        }
    }
    Ok(())
}

pub fn file_size(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path)
        .with_context(|| format!("{}", path.display()))?
        .len())
}

/// The deployment package as Lambda takes it: the binary as `bootstrap`, deflated in a zip.
pub fn lambda_zip(binary: &Path) -> Result<Vec<u8>> {
    zip_bootstrap(binary, zip::CompressionMethod::Deflated)
}

/// The same package with `bootstrap` stored as it is: for the local cloud, where a debug
/// binary of 100 MB is deployed and deflating it (in xtask's unoptimized build) would take long.
pub fn lambda_zip_stored(binary: &Path) -> Result<Vec<u8>> {
    zip_bootstrap(binary, zip::CompressionMethod::Stored)
}

fn zip_bootstrap(binary: &Path, compression: zip::CompressionMethod) -> Result<Vec<u8>> {
    let bytes = std::fs::read(binary).with_context(|| format!("reading {}", binary.display()))?;
    zip_one_file("bootstrap", &bytes, compression, 0o755)
}

/// A zip of one file, as Lambda takes code: `name` at its root, with Unix `mode`.
pub fn zip_one_file(
    name: &str,
    bytes: &[u8],
    compression: zip::CompressionMethod,
    mode: u32,
) -> Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(compression)
        .unix_permissions(mode);
    zip.start_file(name, options)?;
    zip.write_all(bytes)?;
    Ok(zip.finish()?.into_inner())
}
