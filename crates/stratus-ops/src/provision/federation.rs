//! Sign-in with other identity providers, in the local stack: each provider `Leptos.toml`
//! declares is created in the local user pool under its own name, but pointing at the local
//! OIDC provider that `cargo xtask` runs (Google and a company's SAML directory are not
//! reachable from a laptop, and their accounts are not the developer's to test with). The app
//! client is then allowed the authorization code flow back to the local site.

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::{
    IdentityProviderTypeType, OAuthFlowType, PreventUserExistenceErrorTypes,
};
use stratus_codegen::federation::{local_provider, IdentityProvider, APP_SCOPES, CALLBACK_PATH};

use super::cognito::{explicit_auth_flows, missing, Cognito};
use super::{aws_error, Outcome, ProvisionError};
use stratus_server::configuration::Settings;

const SERVICE: &str = "Cognito (ministack)";

/// Cognito's limit on an app client's callback URLs.
const MAX_CALLBACK_URLS: usize = 100;

impl Cognito<'_> {
    /// Creates a declared provider (or points it at the local provider again).
    pub async fn ensure_identity_provider(
        &self,
        user_pool_id: &str,
        provider: &IdentityProvider,
    ) -> Result<Outcome, ProvisionError> {
        let (user_pools, settings, endpoint) = (&self.user_pools, self.settings, &self.endpoint);
        let details = HashMap::from([
            (
                "oidc_issuer".to_owned(),
                settings.auth.local_identity_provider.clone(),
            ),
            ("client_id".to_owned(), local_provider::CLIENT_ID.to_owned()),
            (
                "client_secret".to_owned(),
                local_provider::CLIENT_SECRET.to_owned(),
            ),
            ("authorize_scopes".to_owned(), APP_SCOPES.join(" ")),
            ("attributes_request_method".to_owned(), "GET".to_owned()),
        ]);
        // The stand-in's claims, whatever the real provider's are called.
        let attributes = HashMap::from([
            ("email".to_owned(), "email".to_owned()),
            ("name".to_owned(), "name".to_owned()),
        ]);
        let name = provider.name.as_str();
        let existing = user_pools
            .describe_identity_provider()
            .user_pool_id(user_pool_id)
            .provider_name(name)
            .send()
            .await;
        match existing {
            Ok(found) => {
                let same = found.identity_provider().is_some_and(|p| {
                    p.provider_details() == Some(&details)
                        && p.attribute_mapping() == Some(&attributes)
                });
                if same {
                    return Ok(Outcome::Unchanged);
                }
                user_pools
                    .update_identity_provider()
                    .user_pool_id(user_pool_id)
                    .provider_name(name)
                    .set_provider_details(Some(details))
                    .set_attribute_mapping(Some(attributes))
                    .send()
                    .await
                    .map_err(|e| {
                        aws_error(
                            SERVICE,
                            endpoint,
                            format!("updating identity provider {name}"),
                            e,
                        )
                    })?;
                Ok(Outcome::Updated(
                    "pointed at the local OIDC provider".into(),
                ))
            }
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) =>
            {
                user_pools
                    .create_identity_provider()
                    .user_pool_id(user_pool_id)
                    .provider_name(name)
                    .provider_type(IdentityProviderTypeType::Oidc)
                    .set_provider_details(Some(details))
                    .set_attribute_mapping(Some(attributes))
                    .send()
                    .await
                    .map_err(|e| {
                        aws_error(
                            SERVICE,
                            endpoint,
                            format!("creating identity provider {name}"),
                            e,
                        )
                    })?;
                Ok(Outcome::Created)
            }
            Err(e) => Err(aws_error(
                SERVICE,
                endpoint,
                format!("looking up identity provider {name}"),
                e,
            )),
        }
    }

    /// Allows the app client the hosted sign-in with each provider, back to this site's address.
    /// Addresses already allowed stay (another checkout's server, a test run's port), so that
    /// provisioning for one does not sign the other out of its way back.
    pub async fn ensure_hosted_sign_in(
        &self,
        user_pool_id: &str,
        client_id: &str,
    ) -> Result<Outcome, ProvisionError> {
        let (user_pools, settings, endpoint) = (&self.user_pools, self.settings, &self.endpoint);
        let described = user_pools
            .describe_user_pool_client()
            .user_pool_id(user_pool_id)
            .client_id(client_id)
            .send()
            .await
            .map_err(|e| aws_error(SERVICE, endpoint, "looking up the app client", e))?;
        let Some(client) = described.user_pool_client() else {
            return Err(missing("DescribeUserPoolClient", "the app client"));
        };
        let mut providers = vec!["COGNITO".to_owned()];
        providers.extend(
            settings
                .auth
                .identity_providers
                .iter()
                .map(|p| p.name.to_string()),
        );
        let callbacks = with_site_callbacks(client.callback_urls(), &site_origins(settings));
        let logouts: Vec<String> = site_origins(settings)
            .iter()
            .map(|origin| format!("{origin}/"))
            .collect();
        let unchanged = client.supported_identity_providers() == providers.as_slice()
            && client.callback_urls() == callbacks.as_slice()
            && client.allowed_o_auth_flows() == [OAuthFlowType::Code];
        if unchanged {
            return Ok(Outcome::Unchanged);
        }
        // UpdateUserPoolClient resets whatever it is not given: everything is restated.
        user_pools
            .update_user_pool_client()
            .user_pool_id(user_pool_id)
            .client_id(client_id)
            .set_client_name(client.client_name().map(str::to_owned))
            .set_explicit_auth_flows(Some(explicit_auth_flows(settings)))
            .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
            .set_supported_identity_providers(Some(providers))
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .set_allowed_o_auth_scopes(Some(APP_SCOPES.iter().map(|s| s.to_string()).collect()))
            .set_callback_urls(Some(callbacks))
            .set_logout_urls(Some(logouts))
            .send()
            .await
            .map_err(|e| {
                aws_error(
                    SERVICE,
                    endpoint,
                    "allowing hosted sign-in in the app client",
                    e,
                )
            })?;
        Ok(Outcome::Updated(
            "the hosted sign-in's providers and callback URLs".into(),
        ))
    }
}

/// The site's origins: its address, and `localhost` for a loopback one (either is typed).
fn site_origins(settings: &Settings) -> Vec<String> {
    let addr = settings.site.addr;
    let mut origins = vec![format!("http://{addr}")];
    if addr.ip().is_loopback() {
        origins.push(format!("http://localhost:{}", addr.port()));
    }
    origins
}

/// The callback URLs already allowed, with this site's added, newest last, within Cognito's
/// limit (the oldest go first).
fn with_site_callbacks(existing: &[String], origins: &[String]) -> Vec<String> {
    let ours: Vec<String> = origins
        .iter()
        .map(|origin| format!("{origin}{CALLBACK_PATH}"))
        .collect();
    let mut callbacks: Vec<String> = existing
        .iter()
        .filter(|url| !ours.contains(url))
        .cloned()
        .collect();
    callbacks.extend(ours);
    let excess = callbacks.len().saturating_sub(MAX_CALLBACK_URLS);
    callbacks.drain(..excess);
    callbacks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sites_callbacks_join_those_allowed_and_the_oldest_go_past_the_limit() {
        let origins = vec!["http://127.0.0.1:3000".to_owned()];
        let existing = vec![
            "http://127.0.0.1:41000/auth/callback".to_owned(),
            "http://127.0.0.1:3000/auth/callback".to_owned(),
        ];
        assert_eq!(
            with_site_callbacks(&existing, &origins),
            [
                "http://127.0.0.1:41000/auth/callback",
                "http://127.0.0.1:3000/auth/callback"
            ]
        );
        let many: Vec<String> = (0..MAX_CALLBACK_URLS)
            .map(|port| format!("http://127.0.0.1:{port}/auth/callback"))
            .collect();
        let kept = with_site_callbacks(&many, &origins);
        assert_eq!(kept.len(), MAX_CALLBACK_URLS);
        assert_eq!(kept[0], "http://127.0.0.1:1/auth/callback");
        assert_eq!(kept.last().unwrap(), "http://127.0.0.1:3000/auth/callback");
    }
}
