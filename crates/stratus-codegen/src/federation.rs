//! Sign-in with other identity providers through the user pool's hosted endpoints:
//! `[[auth.identity_providers]]` in `Leptos.toml`. The template declares them (with the user
//! pool domain they need), local provisioning stands them in with the local OIDC provider, and
//! the browser shows a "Continue with …" button for each.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The scopes the app asks the user pool for in a hosted sign-in (the app client allows these).
pub const APP_SCOPES: [&str; 3] = ["openid", "email", "profile"];

/// Where the user pool sends the browser back, on the site's own origin.
pub const CALLBACK_PATH: &str = "/auth/callback";

/// The OIDC provider `cargo xtask` runs in the local stack, standing in for every declared
/// provider. Its client is the local user pool; nothing here guards anything real.
pub mod local_provider {
    pub const CLIENT_ID: &str = "stratus-local-user-pool";
    pub const CLIENT_SECRET: &str = "local-only-not-a-secret";
}

/// One identity provider the user pool federates.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IdentityProvider {
    pub name: ProviderName,
    /// What the button says after "Continue with": `Google`, `Example Corp`.
    pub label: String,
    #[serde(flatten)]
    pub protocol: Protocol,
    /// The user pool's attribute and the provider's claim (SAML: attribute) it is taken from,
    /// as in `email = "email"`.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Protocol {
    Oidc {
        issuer: String,
        client_id: String,
        /// The Secrets Manager secret whose value is the client secret: the template refers to
        /// it (`{{resolve:secretsmanager:…}}`), so the secret is never in its text.
        client_secret_name: String,
        #[serde(default = "default_provider_scopes")]
        scopes: String,
    },
    Saml {
        metadata_url: String,
    },
}

fn default_provider_scopes() -> String {
    "openid email profile".into()
}

/// A provider's name in the user pool, as sign-in requests name it (`identity_provider=`):
/// Cognito takes 1 to 32 characters, and `Cognito` is its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProviderName(String);

impl TryFrom<String> for ProviderName {
    type Error = String;

    fn try_from(name: String) -> Result<Self, String> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if name.is_empty() || name.len() > 32 || !name.chars().all(allowed) {
            return Err(format!(
                "identity provider name `{name}`: use 1 to 32 letters, digits, `-` or `_`"
            ));
        }
        if name.eq_ignore_ascii_case("cognito") {
            return Err("identity provider name `Cognito` is the user pool's own".into());
        }
        Ok(ProviderName(name))
    }
}

impl From<ProviderName> for String {
    fn from(name: ProviderName) -> String {
        name.0
    }
}

impl ProviderName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ProviderName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a deployment federates: the user pool domain's prefix and the providers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Federation {
    /// `https://<prefix>.auth.<region>.amazoncognito.com`; needed once there is a provider.
    pub domain_prefix: Option<String>,
    pub providers: Vec<IdentityProvider>,
}

impl Federation {
    /// What stands in the way of deploying it, in words; nothing for no providers.
    pub fn check_for_deploy(&self) -> Result<(), String> {
        if self.providers.is_empty() {
            return Ok(());
        }
        let Some(prefix) = &self.domain_prefix else {
            return Err("[auth] identity_providers need a user pool domain: set [auth] domain_prefix (the sign-in address becomes https://<prefix>.auth.<region>.amazoncognito.com)".into());
        };
        let valid_prefix = (1..=63).contains(&prefix.len())
            && prefix
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !prefix.starts_with('-')
            && !prefix.ends_with('-')
            && !prefix.contains("aws")
            && !prefix.contains("amazon")
            && !prefix.contains("cognito");
        if !valid_prefix {
            return Err(format!("[auth] domain_prefix `{prefix}`: use lowercase letters, digits and hyphens (not at either end), without `aws`, `amazon` or `cognito`"));
        }
        let mut seen = std::collections::BTreeSet::new();
        for provider in &self.providers {
            if !seen.insert(&provider.name) {
                return Err(format!(
                    "identity provider `{}` is declared twice",
                    provider.name
                ));
            }
            if provider.label.trim().is_empty() {
                return Err(format!(
                    "identity provider `{}` has no label (what its button says)",
                    provider.name
                ));
            }
            match &provider.protocol {
                Protocol::Oidc {
                    issuer,
                    client_id,
                    client_secret_name,
                    ..
                } => {
                    if !issuer.starts_with("https://") {
                        return Err(format!("identity provider `{}`: its issuer must be an https:// address, not `{issuer}`", provider.name));
                    }
                    if client_id.trim().is_empty() || client_secret_name.trim().is_empty() {
                        return Err(format!("identity provider `{}`: set client_id and client_secret_name (the Secrets Manager secret holding its client secret)", provider.name));
                    }
                }
                Protocol::Saml { metadata_url } => {
                    if !metadata_url.starts_with("https://") {
                        return Err(format!(
                            "identity provider `{}`: its metadata_url must be an https:// address",
                            provider.name
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn google() -> IdentityProvider {
        IdentityProvider {
            name: ProviderName::try_from("Google".to_owned()).unwrap(),
            label: "Google".into(),
            protocol: Protocol::Oidc {
                issuer: "https://accounts.google.com".into(),
                client_id: "1234.apps.googleusercontent.com".into(),
                client_secret_name: "stratus/google".into(),
                scopes: default_provider_scopes(),
            },
            attributes: BTreeMap::new(),
        }
    }

    #[test]
    fn provider_names_are_what_cognito_takes() {
        assert!(ProviderName::try_from("Example-Corp_1".to_owned()).is_ok());
        for bad in ["", "has space", "Cognito", "COGNITO", &"x".repeat(33)] {
            assert!(ProviderName::try_from(bad.to_owned()).is_err(), "{bad}");
        }
    }

    #[test]
    fn providers_need_a_domain_secrets_by_name_and_https() {
        let mut federation = Federation {
            domain_prefix: None,
            providers: vec![google()],
        };
        assert!(federation
            .check_for_deploy()
            .unwrap_err()
            .contains("domain_prefix"));
        federation.domain_prefix = Some("my-aws-blog".into());
        assert!(federation.check_for_deploy().unwrap_err().contains("aws"));
        federation.domain_prefix = Some("my-blog".into());
        assert_eq!(federation.check_for_deploy(), Ok(()));

        federation.providers.push(google());
        assert!(federation.check_for_deploy().unwrap_err().contains("twice"));
        federation.providers.pop();
        if let Protocol::Oidc { issuer, .. } = &mut federation.providers[0].protocol {
            *issuer = "http://127.0.0.1:4011".into();
        }
        assert!(federation.check_for_deploy().unwrap_err().contains("https"));
        assert_eq!(Federation::default().check_for_deploy(), Ok(()));
    }

    #[test]
    fn a_provider_reads_from_settings() {
        let provider: IdentityProvider = toml_like(
            r#"{"name": "Corp", "label": "Example Corp", "type": "saml",
                "metadata_url": "https://idp.example.com/metadata",
                "attributes": {"email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"}}"#,
        );
        assert_eq!(
            provider.protocol,
            Protocol::Saml {
                metadata_url: "https://idp.example.com/metadata".into()
            }
        );
        assert_eq!(provider.attributes.len(), 1);
    }

    fn toml_like(json: &str) -> IdentityProvider {
        serde_json::from_str(json).unwrap()
    }
}
