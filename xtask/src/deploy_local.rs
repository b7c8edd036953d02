//! `cargo xtask deploy --local`: what `cargo xtask deploy` deploys to AWS (the same generated
//! template, the Lambda's zip with the server as `bootstrap`, the site with its `config.json`
//! from the stack's outputs), deployed into the local cloud, ministack. Its Lambda runs the real
//! `bootstrap` under ministack's runtime API; the site is served through the CloudFront
//! distribution and calls the Function URL, whose AWS_IAM check is ministack's.
//!
//! The one build difference: the server is built for this machine, not cross-compiled for
//! Lambda's arm64 by cargo-lambda (ministack runs it as a process of this machine).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::Value;

use crate::client;
use crate::cmd::{run, server_bin};
use crate::deploy::{assemble_site, file_size, lambda_zip, lambda_zip_stored};
use crate::workspace::Workspace;

/// Its own name, so that its recorded template never stands for the AWS stack's.
pub const LOCAL_STACK_NAME: &str = "stratus-ministack";
/// Where `cargo xtask deploy --local` serves the HTTPS front for a browser.
pub const HTTPS_FRONT_PORT: u16 = 4443;
/// ministack's root account's key, when it is started without one (see stack.rs).
const MINISTACK_ROOT_KEY: &str = "test";

/// Which build of the client and the server to deploy.
#[derive(Clone, Copy)]
pub enum Build {
    /// The release build (`client::build`) first, as `cargo xtask deploy` does.
    Release,
    /// The release build `client::build` left (the benchmark's: it has just made one, and
    /// building again after its own `bench` binary would relink the server).
    ReleaseAsBuilt,
    /// The debug build `client::build` left (the test suite's: it saves a release build).
    Debug,
}

/// Where the locally deployed app lives: AWS's own addresses, which the HTTPS front serves.
pub struct LocalDeployment {
    pub site_url: String,
    pub api_url: String,
    /// What the deploy left: the site with its `config.json`, `lambda.zip`, `deployed.json`.
    pub artifacts: PathBuf,
}

/// Builds (for `Build::Release`) and deploys into the running local cloud.
pub fn deploy(ws: &Workspace, build: Build, stack_name: &str) -> Result<LocalDeployment> {
    let profile = match build {
        Build::Release => {
            tracing::info!(
                "[deploy --local 1/3] the client and the server: {}",
                client::describe(client::Profile::Release)
            );
            client::build(ws, client::Profile::Release)?;
            "release"
        }
        Build::ReleaseAsBuilt => {
            tracing::info!(
                "[deploy --local 1/3] the client and the server as the release build left them"
            );
            "release"
        }
        Build::Debug => {
            tracing::info!(
                "[deploy --local 1/3] the client and the server as the debug build left them"
            );
            "debug"
        }
    };
    let out = ws.target_dir().join("deploy-local").join(stack_name);
    assemble_site(ws, &out.join("site"))?;
    let server = ws.target_dir().join(profile).join("server");
    let zip = match build {
        Build::Release | Build::ReleaseAsBuilt => lambda_zip(&server)?,
        Build::Debug => lambda_zip_stored(&server)?,
    };
    std::fs::write(out.join("lambda.zip"), &zip)
        .with_context(|| format!("writing {}", out.join("lambda.zip").display()))?;
    tracing::info!(
        "[deploy --local 2/3] lambda.zip: {:.1} MB (the {profile} server, {:.1} MB)",
        zip.len() as f64 / 1e6,
        file_size(&server)? as f64 / 1e6
    );

    tracing::info!(
        "[deploy --local 3/3] the stack {stack_name}, into ministack at {}",
        ws.ministack_endpoint.url
    );
    let mut deploy = server_bin(ws, "deploy");
    deploy
        .args([
            "--arch",
            host_architecture(),
            "--stack",
            stack_name,
            "--local-cloud",
            "--artifacts",
        ])
        .arg(&out)
        .env("AWS_ENDPOINT_URL", &ws.ministack_endpoint.url)
        .env("AWS_REGION", &ws.region)
        .env("AWS_ACCESS_KEY_ID", MINISTACK_ROOT_KEY)
        .env("AWS_SECRET_ACCESS_KEY", MINISTACK_ROOT_KEY)
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL_DYNAMODB");
    run(&mut deploy)?;
    read_deployed(&out)
}

/// Lambda's name for this machine's architecture.
fn host_architecture() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "arm64",
        _ => "x86_64",
    }
}

fn read_deployed(artifacts: &Path) -> Result<LocalDeployment> {
    let path = &artifacts.join("deployed.json");
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let deployed: Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let field = |name: &str| {
        deployed[name]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("{} has no {name}", path.display()))
    };
    Ok(LocalDeployment {
        site_url: field("siteUrl")?,
        api_url: field("apiUrl")?,
        artifacts: artifacts.to_owned(),
    })
}
