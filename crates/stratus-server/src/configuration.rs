//! Runtime settings, layered (later wins):
//!
//! 1. defaults in code: right for the cloud, where the Lambda gets everything from its
//!    environment;
//! 2. `Leptos.toml` at the workspace root: the local stack's endpoints and names;
//! 3. `.stratus/provisioned.toml`: the ids that local provisioning created (user pool,
//!    app client, identity pool). Not committed: the local emulators mint new ids per run;
//! 4. environment variables: `STRATUS_<SECTION>__<KEY>` (`STRATUS_AUTH__USER_POOL_ID`), plus the
//!    standard ones other tools set: `LEPTOS_SITE_ADDR`, `LEPTOS_SITE_ROOT` (cargo-leptos),
//!    `AWS_REGION`, `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_DYNAMODB` (the AWS SDKs).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use stratus::client_config::{ClientConfig, HostedSignIn, ProviderButton, SignInFlow};
use stratus_codegen::federation::{Federation, IdentityProvider};

use serde::Deserialize;

pub const SETTINGS_FILE: &str = "Leptos.toml";
pub const PROVISIONED_FILE: &str = ".stratus/provisioned.toml";
/// What `cargo xtask import-amplify` found in an Amplify Gen 1 project: its tables, user pool
/// and identity pool. Read after `Leptos.toml`, before what local provisioning writes.
pub const AMPLIFY_IMPORT_FILE: &str = "amplify-import.toml";

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub site: SiteSettings,
    pub aws: AwsSettings,
    pub data: DataSettings,
    pub auth: AuthSettings,
    #[serde(default)]
    pub live: LiveSettings,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SiteSettings {
    pub addr: SocketAddr,
    /// The built half of the static site: `pkg/` (wasm, JS, CSS), written by cargo-leptos.
    pub root: PathBuf,
    /// The static half: `index.html` and the other files in `public/`, served as they are.
    /// The two together are what S3 serves in the cloud.
    pub public_dir: PathBuf,
    /// Larger server function requests are refused with 413.
    pub max_request_bytes: usize,
    /// Set by `cargo leptos watch`: the browser reloads when the live-reload socket says so.
    pub live_reload_port: Option<u16>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AwsSettings {
    pub region: String,
    /// Endpoint for every AWS service (ministack locally); `None` means AWS itself.
    pub endpoint_url: Option<String>,
    /// Endpoint for DynamoDB (DynamoDB Local); `None` means `endpoint_url`, then AWS.
    pub dynamodb_endpoint_url: Option<String>,
    /// Sign requests with fixed dummy credentials, for the local emulators. Never in the cloud.
    pub local_credentials: bool,
    /// Upper bound for one AWS call, retries included, so no request hangs on a dead backend.
    pub operation_timeout_ms: u64,
}

impl AwsSettings {
    /// Where DynamoDB (and its stream API) is answered: its own setting, else the one for every
    /// service; `None` means AWS itself.
    pub fn dynamodb_endpoint(&self) -> Option<&str> {
        self.dynamodb_endpoint_url
            .as_deref()
            .or(self.endpoint_url.as_deref())
    }
}

/// Live updates in the cloud, where an API Gateway WebSocket API holds the connections and
/// a table remembers who subscribed to what. Locally all of it stays unset: the server holds
/// its connections itself.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LiveSettings {
    /// The key tickets are signed with (64 hex digits), the same for every instance of the
    /// function; unset, each server process makes its own.
    pub ticket_key: Option<String>,
    /// The table of live connections and their subscriptions.
    pub table: Option<String>,
    /// The WebSocket API's id and stage, to post to its connections.
    pub api_id: Option<String>,
    pub stage: Option<String>,
}

impl LiveSettings {
    /// The ticket key's bytes, if one is set; words if it is not 64 hex digits.
    pub fn ticket_key_bytes(&self) -> Result<Option<[u8; 32]>, String> {
        let Some(digits) = self.ticket_key.as_deref() else {
            return Ok(None);
        };
        match hex::decode(digits).ok().map(<[u8; 32]>::try_from) {
            Some(Ok(key)) => Ok(Some(key)),
            _ => Err("live.ticket_key must be 64 hexadecimal digits (32 bytes)".to_owned()),
        }
    }

    /// The WebSocket API's connection management endpoint: AWS's address, or the local cloud's
    /// (`<endpoint>/_aws/execute-api/<api>/<stage>`) when every service has one endpoint.
    pub fn connections_endpoint(&self, aws: &AwsSettings) -> Option<String> {
        let (api, stage) = (self.api_id.as_deref()?, self.stage.as_deref()?);
        Some(match &aws.endpoint_url {
            Some(endpoint) => format!(
                "{}/_aws/execute-api/{api}/{stage}",
                endpoint.trim_end_matches('/')
            ),
            None => format!(
                "https://{api}.execute-api.{}.amazonaws.com/{stage}",
                aws.region
            ),
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DataSettings {
    /// Prepended to every table name, so several stacks can share one account or emulator.
    pub table_prefix: String,
    /// The tables of an existing Amplify Gen 1 app, used as they are (`cargo xtask
    /// import-amplify` writes this); when set, `table_prefix` is not used.
    pub amplify: Option<AmplifyTables>,
}

/// Where an Amplify Gen 1 app keeps its data, and how its resolvers wrote it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct AmplifyTables {
    /// The AppSync API's id (`GraphQLAPIIdOutput` in `amplify-meta.json`).
    pub api_id: String,
    /// The Amplify environment (`dev`, `prod`).
    pub env: String,
    /// Conflict detection was on (DataStore): a delete marks the item `_deleted` (and lets
    /// DynamoDB's TTL remove it later) rather than removing it, and reads skip such items.
    #[serde(default)]
    pub conflict_detection: bool,
}

impl DataSettings {
    /// A model's table: `stratus-Post`, or Amplify's `Post-<apiId>-<env>`.
    pub fn table_name(&self, model: &str) -> String {
        match &self.amplify {
            Some(amplify) => format!("{model}-{}-{}", amplify.api_id, amplify.env),
            None => format!("{}{model}", self.table_prefix),
        }
    }

    /// Whether deletes are Amplify's soft deletes (see [`AmplifyTables::conflict_detection`]).
    pub fn soft_deletes(&self) -> bool {
        self.amplify.as_ref().is_some_and(|a| a.conflict_detection)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    pub user_pool_name: String,
    pub user_pool_client_name: String,
    pub identity_pool_name: String,
    pub user_pool_id: String,
    pub user_pool_client_id: String,
    pub identity_pool_id: String,
    /// Where the user pool's signing keys are served; `{user_pool_id}` is filled in. Empty
    /// means Cognito's own address for the pool.
    pub jwks_url: String,
    /// Whether the Function URL in front of the Lambda reports who signed each request
    /// (`requestContext.authorizer.iam`), as AWS's does; a request without it is then refused.
    /// Only the local cloud sets it false: ministack checks the signature but reports no signer.
    pub function_url_reports_signer: bool,
    /// How the browser proves the password: `srp` (the default), or `password` only for a pool
    /// that migrates users with a user migration trigger. The app client allows the same flow.
    pub sign_in_flow: SignInFlow,
    /// The framework's table of sign-outs (`auth::sign_outs`).
    pub sign_out_table: String,
    /// The user pool domain's prefix, for sign-in with `identity_providers`.
    pub domain_prefix: Option<String>,
    /// Other identity providers ("Continue with …"), `[[auth.identity_providers]]`. Locally each
    /// is stood in by the local OIDC provider at `local_identity_provider`.
    #[serde(default)]
    pub identity_providers: Vec<IdentityProvider>,
    /// The issuer of the local OIDC provider that `cargo xtask` runs.
    pub local_identity_provider: String,
}

impl AuthSettings {
    pub fn federation(&self) -> Federation {
        Federation {
            domain_prefix: self.domain_prefix.clone(),
            providers: self.identity_providers.clone(),
        }
    }

    /// The browser's buttons, and where the hosted endpoints are: the emulator's address
    /// locally (`endpoint`), else the user pool domain's.
    fn hosted_sign_in(&self, endpoint: Option<&str>, region: &str) -> Option<HostedSignIn> {
        if self.identity_providers.is_empty() {
            return None;
        }
        let url = match (endpoint, &self.domain_prefix) {
            (Some(endpoint), _) => endpoint.trim_end_matches('/').to_owned(),
            (None, Some(prefix)) => format!("https://{prefix}.auth.{region}.amazoncognito.com"),
            (None, None) => return None,
        };
        Some(HostedSignIn {
            url,
            providers: provider_buttons(&self.federation()),
        })
    }

    /// What a Cognito ID token's `iss` says for this pool (the local emulator says the same).
    pub fn issuer(&self, region: &str) -> String {
        format!(
            "https://cognito-idp.{region}.amazonaws.com/{}",
            self.user_pool_id
        )
    }

    pub fn jwks_url(&self, region: &str) -> String {
        if self.jwks_url.is_empty() {
            format!("{}/.well-known/jwks.json", self.issuer(region))
        } else {
            self.jwks_url.replace("{user_pool_id}", &self.user_pool_id)
        }
    }
}

/// A "Continue with …" button for each of `federation`'s providers.
pub fn provider_buttons(federation: &Federation) -> Vec<ProviderButton> {
    federation
        .providers
        .iter()
        .map(|p| ProviderButton {
            name: p.name.to_string(),
            label: p.label.clone(),
        })
        .collect()
}

#[derive(Debug, thiserror::Error)]
#[error("invalid settings: {0}")]
pub struct SettingsError(#[from] config::ConfigError);

impl Settings {
    /// Loads the settings, looking for `Leptos.toml` in the working directory and its parents.
    pub fn load() -> Result<Self, SettingsError> {
        let root = find_workspace_root(&std::env::current_dir().unwrap_or_default());
        Self::load_from(root.as_deref())
    }

    pub fn load_from(root: Option<&Path>) -> Result<Self, SettingsError> {
        let mut builder = config::Config::builder()
            .set_default("site.addr", "127.0.0.1:3000")?
            .set_default("site.root", "target/site")?
            .set_default("site.public_dir", "public")?
            .set_default("site.max_request_bytes", 1024 * 1024)?
            .set_default("aws.region", "us-east-1")?
            .set_default("aws.local_credentials", false)?
            .set_default("aws.operation_timeout_ms", 10_000)?
            .set_default("data.table_prefix", "stratus-")?
            .set_default("auth.user_pool_name", "stratus")?
            .set_default("auth.user_pool_client_name", "stratus-web")?
            .set_default("auth.identity_pool_name", "stratus")?
            .set_default("auth.user_pool_id", "")?
            .set_default("auth.user_pool_client_id", "")?
            .set_default("auth.identity_pool_id", "")?
            .set_default("auth.jwks_url", "")?
            .set_default("auth.function_url_reports_signer", true)?
            .set_default("auth.sign_in_flow", "srp")?
            .set_default("auth.sign_out_table", "stratus.sign-outs")?
            .set_default("auth.domain_prefix", None::<String>)?
            .set_default("auth.local_identity_provider", "http://127.0.0.1:4011")?;
        if let Some(root) = root {
            builder = builder
                .add_source(config::File::from(root.join(SETTINGS_FILE)).required(false))
                .add_source(config::File::from(root.join(AMPLIFY_IMPORT_FILE)).required(false))
                .add_source(config::File::from(root.join(PROVISIONED_FILE)).required(false));
        }
        builder = builder.add_source(
            config::Environment::with_prefix("STRATUS")
                .prefix_separator("_")
                .separator("__"),
        );
        for (variable, key) in [
            ("LEPTOS_SITE_ADDR", "site.addr"),
            ("LEPTOS_SITE_ROOT", "site.root"),
            ("LEPTOS_RELOAD_PORT", "site.live_reload_port"),
            ("AWS_REGION", "aws.region"),
            ("AWS_ENDPOINT_URL", "aws.endpoint_url"),
            ("AWS_ENDPOINT_URL_DYNAMODB", "aws.dynamodb_endpoint_url"),
        ] {
            if let Ok(value) = std::env::var(variable) {
                builder = builder.set_override(key, value)?;
            }
        }
        // cargo-leptos always exports the reload port; only a watching build listens on it.
        if std::env::var("LEPTOS_WATCH").as_deref() != Ok("true") {
            builder = builder.set_override_option("site.live_reload_port", None::<String>)?;
        }
        let mut settings: Settings = builder.build()?.try_deserialize()?;
        settings
            .live
            .ticket_key_bytes()
            .map_err(config::ConfigError::Message)?;
        if let Some(root) = root {
            for dir in [&mut settings.site.root, &mut settings.site.public_dir] {
                if dir.is_relative() {
                    *dir = root.join(&*dir);
                }
            }
        }
        Ok(settings)
    }

    /// Where DynamoDB is answered, if not by AWS itself.
    pub fn dynamodb_endpoint(&self) -> Option<&str> {
        self.aws.dynamodb_endpoint()
    }

    /// What the browser needs to know about this deployment (`GET /config.json`).
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig {
            // Same origin: the local server answers the site, the API and `/live`.
            api_url: None,
            live_url: None,
            region: self.aws.region.clone(),
            user_pool_id: self.auth.user_pool_id.clone(),
            user_pool_client_id: self.auth.user_pool_client_id.clone(),
            identity_pool_id: self.auth.identity_pool_id.clone(),
            guest_role_arn: None,
            cognito_endpoint: self.aws.endpoint_url.clone(),
            live_reload_port: self.site.live_reload_port,
            sign_in_flow: self.auth.sign_in_flow,
            hosted_sign_in: self
                .auth
                .hosted_sign_in(self.aws.endpoint_url.as_deref(), &self.aws.region),
        }
    }

    /// The deployed name of one of the app's tables.
    pub fn table_name(&self, logical_name: &str) -> String {
        self.data.table_name(logical_name)
    }
}

/// The nearest directory, from `start` upwards, that holds `Leptos.toml`.
pub fn find_workspace_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(SETTINGS_FILE).is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_and_the_user_pool_agree_on_the_way_back() {
        assert_eq!(
            stratus::auth::hosted::CALLBACK_PATH,
            stratus_codegen::federation::CALLBACK_PATH
        );
    }

    #[test]
    fn identity_providers_become_buttons_at_the_local_or_the_cloud_address() {
        let dir = std::env::temp_dir().join(format!("stratus-providers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(SETTINGS_FILE),
            "[auth]\ndomain_prefix = \"blog\"\n[[auth.identity_providers]]\nname = \"Google\"\nlabel = \"Google\"\ntype = \"oidc\"\nissuer = \"https://accounts.google.com\"\nclient_id = \"x\"\nclient_secret_name = \"s\"\n",
        )
        .unwrap();
        let mut settings = Settings::load_from(Some(&dir)).unwrap();
        // In the cloud (the tests' environment may name a local endpoint).
        settings.aws.endpoint_url = None;
        let hosted = settings.client_config().hosted_sign_in.unwrap();
        assert_eq!(hosted.url, "https://blog.auth.us-east-1.amazoncognito.com");
        assert_eq!(hosted.providers[0].label, "Google");
        settings.aws.endpoint_url = Some("http://127.0.0.1:4566/".into());
        let local = settings.client_config().hosted_sign_in.unwrap();
        assert_eq!(local.url, "http://127.0.0.1:4566");

        std::fs::write(dir.join(SETTINGS_FILE), "[auth]\n").unwrap();
        let none = Settings::load_from(Some(&dir)).unwrap();
        assert_eq!(none.client_config().hosted_sign_in, None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn defaults_suit_the_cloud() {
        let settings = Settings::load_from(None).unwrap();
        assert!(!settings.aws.local_credentials);
        assert_eq!(settings.table_name("Guestbook"), "stratus-Guestbook");
    }

    #[test]
    fn the_workspace_file_and_the_provisioned_overlay_are_layered() {
        let dir = std::env::temp_dir().join(format!("stratus-settings-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".stratus")).unwrap();
        std::fs::write(
            dir.join(SETTINGS_FILE),
            "[data]\ntable_prefix = \"t-\"\n[auth]\nuser_pool_id = \"from-leptos-toml\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.join(PROVISIONED_FILE),
            "[auth]\nuser_pool_id = \"from-provisioning\"\n",
        )
        .unwrap();

        let settings = Settings::load_from(Some(&dir)).unwrap();
        assert_eq!(settings.data.table_prefix, "t-");
        assert_eq!(settings.auth.user_pool_id, "from-provisioning");
        assert_eq!(settings.site.root, dir.join("target/site"));
        assert_eq!(settings.table_name("Post"), "t-Post");
        assert!(!settings.data.soft_deletes());

        // An imported Amplify app: its tables by Amplify's names, its deletes soft.
        std::fs::write(
            dir.join(AMPLIFY_IMPORT_FILE),
            "[data.amplify]\napi_id = \"x7kq\"\nenv = \"dev\"\nconflict_detection = true\n",
        )
        .unwrap();
        let settings = Settings::load_from(Some(&dir)).unwrap();
        assert_eq!(settings.table_name("Post"), "Post-x7kq-dev");
        assert!(settings.data.soft_deletes());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
