//! The Cognito user pool, its app client, and the identity pool that gives both signed-in
//! users and guests temporary credentials. Each is found by name before it is created.

use aws_config::SdkConfig;
use aws_sdk_cognitoidentity::types::CognitoIdentityProvider;
use aws_sdk_cognitoidentityprovider::types::{
    ExplicitAuthFlowsType, PasswordPolicyType, SoftwareTokenMfaConfigType, UserPoolMfaType,
    UserPoolPolicyType, UsernameAttributeType, VerifiedAttributeType,
};

use super::{aws_error, Outcome, ProvisionError};
use stratus_server::configuration::Settings;

const SERVICE: &str = "Cognito (ministack)";

pub struct Cognito<'a> {
    pub(super) user_pools: aws_sdk_cognitoidentityprovider::Client,
    identity: aws_sdk_cognitoidentity::Client,
    pub(super) settings: &'a Settings,
    pub(super) endpoint: String,
}

impl<'a> Cognito<'a> {
    pub fn new(sdk: &SdkConfig, settings: &'a Settings) -> Self {
        Cognito {
            user_pools: stratus_server::aws::cognito_user_pools(sdk),
            identity: stratus_server::aws::cognito_identity(sdk),
            settings,
            endpoint: settings
                .aws
                .endpoint_url
                .clone()
                .unwrap_or_else(|| "AWS".into()),
        }
    }

    pub async fn ensure_user_pool(&self) -> Result<(String, Outcome), ProvisionError> {
        let name = &self.settings.auth.user_pool_name;
        let mut next_token = None;
        loop {
            let page = self
                .user_pools
                .list_user_pools()
                .max_results(60)
                .set_next_token(next_token)
                .send()
                .await
                .map_err(|e| aws_error(SERVICE, &self.endpoint, "listing user pools", e))?;
            if let Some(id) = page
                .user_pools()
                .iter()
                .find(|p| p.name() == Some(name))
                .and_then(|p| p.id())
            {
                return Ok((id.to_owned(), Outcome::Unchanged));
            }
            next_token = page.next_token().map(str::to_owned);
            if next_token.is_none() {
                break;
            }
        }

        // The same policy the sign-up form shows and checks.
        let policy = stratus::auth::password::POLICY;
        let password_policy = PasswordPolicyType::builder()
            .minimum_length(policy.min_length as i32)
            .require_lowercase(policy.require_lowercase)
            .require_uppercase(policy.require_uppercase)
            .require_numbers(policy.require_numbers)
            .require_symbols(policy.require_symbols)
            .build();
        let created = self
            .user_pools
            .create_user_pool()
            .pool_name(name)
            .username_attributes(UsernameAttributeType::Email)
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .policies(
                UserPoolPolicyType::builder()
                    .password_policy(password_policy)
                    .build(),
            )
            .send()
            .await
            .map_err(|e| {
                aws_error(
                    SERVICE,
                    &self.endpoint,
                    format!("creating user pool {name}"),
                    e,
                )
            })?;
        let id = created
            .user_pool()
            .and_then(|p| p.id())
            .ok_or_else(|| missing("CreateUserPool", "an id"))?;
        // Users may turn on a second step with an authenticator app (the template says the same).
        self.user_pools
            .set_user_pool_mfa_config()
            .user_pool_id(id)
            .mfa_configuration(UserPoolMfaType::Optional)
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(true).build(),
            )
            .send()
            .await
            .map_err(|e| {
                aws_error(
                    SERVICE,
                    &self.endpoint,
                    format!("allowing authenticator apps in user pool {name}"),
                    e,
                )
            })?;
        Ok((id.to_owned(), Outcome::Created))
    }

    pub async fn ensure_app_client(
        &self,
        user_pool_id: &str,
    ) -> Result<(String, Outcome), ProvisionError> {
        let name = &self.settings.auth.user_pool_client_name;
        let clients = self
            .user_pools
            .list_user_pool_clients()
            .user_pool_id(user_pool_id)
            .max_results(60)
            .send()
            .await
            .map_err(|e| aws_error(SERVICE, &self.endpoint, "listing app clients", e))?;
        if let Some(id) = clients
            .user_pool_clients()
            .iter()
            .find(|c| c.client_name() == Some(name))
            .and_then(|c| c.client_id())
        {
            return Ok((id.to_owned(), Outcome::Unchanged));
        }

        let created = self
            .user_pools
            .create_user_pool_client()
            .user_pool_id(user_pool_id)
            .client_name(name)
            // A browser cannot keep a secret.
            .generate_secret(false)
            // The flows the browser signs in with (the template allows the same).
            .set_explicit_auth_flows(Some(explicit_auth_flows(self.settings)))
            .prevent_user_existence_errors(
                aws_sdk_cognitoidentityprovider::types::PreventUserExistenceErrorTypes::Enabled,
            )
            .send()
            .await
            .map_err(|e| {
                aws_error(
                    SERVICE,
                    &self.endpoint,
                    format!("creating app client {name}"),
                    e,
                )
            })?;
        let id = created
            .user_pool_client()
            .and_then(|c| c.client_id())
            .ok_or_else(|| missing("CreateUserPoolClient", "a client id"))?;
        Ok((id.to_owned(), Outcome::Created))
    }

    /// A Cognito group for each group the schema's `@auth` rules name (`admins`).
    pub async fn ensure_group(
        &self,
        user_pool_id: &str,
        group: &str,
    ) -> Result<Outcome, ProvisionError> {
        let existing = self
            .user_pools
            .get_group()
            .user_pool_id(user_pool_id)
            .group_name(group)
            .send()
            .await;
        match existing {
            Ok(_) => return Ok(Outcome::Unchanged),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) => {}
            Err(e) => {
                return Err(aws_error(
                    SERVICE,
                    &self.endpoint,
                    format!("looking up group {group}"),
                    e,
                ))
            }
        }
        self.user_pools
            .create_group()
            .user_pool_id(user_pool_id)
            .group_name(group)
            .send()
            .await
            .map_err(|e| {
                aws_error(
                    SERVICE,
                    &self.endpoint,
                    format!("creating group {group}"),
                    e,
                )
            })?;
        Ok(Outcome::Created)
    }

    pub async fn ensure_identity_pool(
        &self,
        user_pool_id: &str,
        user_pool_client_id: &str,
    ) -> Result<(String, Outcome), ProvisionError> {
        let name = &self.settings.auth.identity_pool_name;
        let provider = CognitoIdentityProvider::builder()
            .provider_name(format!(
                "cognito-idp.{}.amazonaws.com/{user_pool_id}",
                self.settings.aws.region
            ))
            .client_id(user_pool_client_id)
            .server_side_token_check(false)
            .build();

        let pools = self
            .identity
            .list_identity_pools()
            .max_results(60)
            .send()
            .await
            .map_err(|e| aws_error(SERVICE, &self.endpoint, "listing identity pools", e))?;
        let existing = pools
            .identity_pools()
            .iter()
            .find(|p| p.identity_pool_name() == Some(name));
        let Some(id) = existing.and_then(|p| p.identity_pool_id()) else {
            let created = self
                .identity
                .create_identity_pool()
                .identity_pool_name(name)
                // Guests read the blog: they get credentials from the unauthenticated role.
                .allow_unauthenticated_identities(true)
                .cognito_identity_providers(provider)
                .send()
                .await
                .map_err(|e| {
                    aws_error(
                        SERVICE,
                        &self.endpoint,
                        format!("creating identity pool {name}"),
                        e,
                    )
                })?;
            return Ok((created.identity_pool_id().to_owned(), Outcome::Created));
        };

        let current = self
            .identity
            .describe_identity_pool()
            .identity_pool_id(id)
            .send()
            .await
            .map_err(|e| {
                aws_error(
                    SERVICE,
                    &self.endpoint,
                    format!("describing identity pool {name}"),
                    e,
                )
            })?;
        let wired_to_this_pool = current.cognito_identity_providers().iter().any(|p| {
            p.provider_name() == provider.provider_name() && p.client_id() == provider.client_id()
        });
        if wired_to_this_pool && current.allow_unauthenticated_identities() {
            return Ok((id.to_owned(), Outcome::Unchanged));
        }
        self.identity
            .update_identity_pool()
            .identity_pool_id(id)
            .identity_pool_name(name)
            .allow_unauthenticated_identities(true)
            .cognito_identity_providers(provider)
            .send()
            .await
            .map_err(|e| {
                aws_error(
                    SERVICE,
                    &self.endpoint,
                    format!("updating identity pool {name}"),
                    e,
                )
            })?;
        Ok((
            id.to_owned(),
            Outcome::Updated("now trusts the current user pool and allows guests".into()),
        ))
    }
}

/// The flows the app client allows: the browser's sign-in flow (the template allows the same).
pub(super) fn explicit_auth_flows(settings: &Settings) -> Vec<ExplicitAuthFlowsType> {
    settings
        .auth
        .sign_in_flow
        .explicit_auth_flows()
        .iter()
        .map(|flow| ExplicitAuthFlowsType::from(*flow))
        .collect()
}

pub(super) fn missing(action: &str, what: &str) -> ProvisionError {
    ProvisionError::Aws {
        action: action.into(),
        message: format!("the answer had no {what}"),
    }
}
