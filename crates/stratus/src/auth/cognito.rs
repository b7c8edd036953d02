//! Cognito's public JSON APIs, called by hand from the browser (`X-Amz-Target`): the user pool
//! (sign-up, confirmation, sign-in, refresh, password reset) and the identity pool (the
//! exchange of an ID token, or of nothing for a guest, for temporary AWS credentials; guests in
//! the cloud finish the exchange at STS, `sts.rs`).

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use super::cognito_errors::to_app_error;
use super::issued::IssuedCredentials;
use crate::client_config::ClientConfig;
use crate::error::{AppError, ErrorCode};

/// What the user pool returns on sign-in and refresh.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    pub id_token: String,
    pub access_token: String,
    /// Absent on refresh: the refresh token stays the same.
    pub refresh_token: Option<String>,
    pub expires_in: u64,
}

pub struct Cognito<'a> {
    config: &'a ClientConfig,
}

impl<'a> Cognito<'a> {
    pub fn new(config: &'a ClientConfig) -> Self {
        Self { config }
    }

    fn endpoint(&self, service: &str) -> String {
        match self
            .config
            .cognito_endpoint
            .as_deref()
            .filter(|e| !e.is_empty())
        {
            Some(local) => format!("{}/", local.trim_end_matches('/')),
            None => format!("https://{service}.{}.amazonaws.com/", self.config.region),
        }
    }

    /// The identity pool's name for this user pool, the key of `Logins`.
    pub fn login_provider(&self) -> String {
        format!(
            "cognito-idp.{}.amazonaws.com/{}",
            self.config.region, self.config.user_pool_id
        )
    }

    async fn user_pool<T: DeserializeOwned>(
        &self,
        operation: &str,
        body: Value,
    ) -> Result<T, AppError> {
        call(
            &self.endpoint("cognito-idp"),
            &format!("AWSCognitoIdentityProviderService.{operation}"),
            body,
        )
        .await
    }

    async fn identity_pool<T: DeserializeOwned>(
        &self,
        operation: &str,
        body: Value,
    ) -> Result<T, AppError> {
        call(
            &self.endpoint("cognito-identity"),
            &format!("AWSCognitoIdentityService.{operation}"),
            body,
        )
        .await
    }

    pub async fn sign_up(&self, email: &str, password: &str) -> Result<(), AppError> {
        let body = json!({
            "ClientId": self.config.user_pool_client_id,
            "Username": email,
            "Password": password,
            "UserAttributes": [{ "Name": "email", "Value": email }],
        });
        self.user_pool::<Value>("SignUp", body).await.map(drop)
    }

    pub async fn confirm_sign_up(&self, email: &str, code: &str) -> Result<(), AppError> {
        let body = json!({ "ClientId": self.config.user_pool_client_id, "Username": email, "ConfirmationCode": code });
        self.user_pool::<Value>("ConfirmSignUp", body)
            .await
            .map(drop)
    }

    pub async fn resend_confirmation_code(&self, email: &str) -> Result<(), AppError> {
        let body = json!({ "ClientId": self.config.user_pool_client_id, "Username": email });
        self.user_pool::<Value>("ResendConfirmationCode", body)
            .await
            .map(drop)
    }

    /// USER_PASSWORD_AUTH: the password goes to the user pool over TLS. (SRP is not the default
    /// here: the local user pool accepts any password in SRP, so it could not be tested.)
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
    ) -> Result<AuthenticationResult, AppError> {
        let body = json!({
            "ClientId": self.config.user_pool_client_id,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": { "USERNAME": email, "PASSWORD": password },
        });
        authentication_result(self.user_pool("InitiateAuth", body).await?)
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<AuthenticationResult, AppError> {
        let body = json!({
            "ClientId": self.config.user_pool_client_id,
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "AuthParameters": { "REFRESH_TOKEN": refresh_token },
        });
        authentication_result(self.user_pool("InitiateAuth", body).await?)
    }

    /// Revokes a refresh token (and the tokens issued from it): the session cannot be
    /// refreshed again, wherever a copy of it is.
    pub async fn revoke(&self, refresh_token: &str) -> Result<(), AppError> {
        let body = json!({ "ClientId": self.config.user_pool_client_id, "Token": refresh_token });
        self.user_pool::<Value>("RevokeToken", body).await.map(drop)
    }

    pub async fn forgot_password(&self, email: &str) -> Result<(), AppError> {
        let body = json!({ "ClientId": self.config.user_pool_client_id, "Username": email });
        self.user_pool::<Value>("ForgotPassword", body)
            .await
            .map(drop)
    }

    pub async fn confirm_forgot_password(
        &self,
        email: &str,
        code: &str,
        password: &str,
    ) -> Result<(), AppError> {
        let body = json!({
            "ClientId": self.config.user_pool_client_id,
            "Username": email,
            "ConfirmationCode": code,
            "Password": password,
        });
        self.user_pool::<Value>("ConfirmForgotPassword", body)
            .await
            .map(drop)
    }

    /// GetId then GetCredentialsForIdentity (the enhanced flow); with an ID token for a
    /// signed-in user (the authenticated role), without one for a guest (the unauthenticated
    /// role). Where the configuration names the guest role, guests take the basic flow instead:
    /// GetId, GetOpenIdToken, then STS AssumeRoleWithWebIdentity for that role.
    pub async fn credentials(&self, id_token: Option<&str>) -> Result<IssuedCredentials, AppError> {
        let logins = match id_token {
            Some(token) => json!({ self.login_provider(): token }),
            None => json!({}),
        };
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct IdentityId {
            identity_id: String,
        }
        let id: IdentityId = self
            .identity_pool(
                "GetId",
                json!({ "IdentityPoolId": self.config.identity_pool_id, "Logins": logins }),
            )
            .await?;
        let ids = json!({ "IdentityId": id.identity_id, "Logins": logins });
        match (id_token, self.config.guest_role_arn.as_deref()) {
            (None, Some(guest_role_arn)) => {
                #[derive(Deserialize)]
                #[serde(rename_all = "PascalCase")]
                struct OpenIdToken {
                    token: String,
                }
                let open_id: OpenIdToken = self.identity_pool("GetOpenIdToken", ids).await?;
                super::sts::assume_role_with_web_identity(
                    &self.endpoint("sts"),
                    guest_role_arn,
                    &open_id.token,
                )
                .await
            }
            _ => {
                #[derive(Deserialize)]
                #[serde(rename_all = "PascalCase")]
                struct Answer {
                    credentials: IssuedCredentials,
                }
                let answer: Answer = self.identity_pool("GetCredentialsForIdentity", ids).await?;
                Ok(answer.credentials)
            }
        }
    }
}

fn authentication_result(answer: Value) -> Result<AuthenticationResult, AppError> {
    if answer.get("ChallengeName").is_some() {
        return Err(AppError::malformed(
            "This account needs a step this app does not support yet (a sign-in challenge).",
        ));
    }
    serde_json::from_value(answer["AuthenticationResult"].clone()).map_err(|e| {
        AppError::internal_because(
            ErrorCode::UnreadableAnswer,
            format!("The user pool's answer could not be read: {e}"),
        )
    })
}

async fn call<T: DeserializeOwned>(url: &str, target: &str, body: Value) -> Result<T, AppError> {
    let response = gloo_net::http::Request::post(url)
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", target)
        .body(body.to_string())
        .map_err(|e| AppError::network(e.to_string()))?
        .send()
        .await
        .map_err(|e| AppError::network(format!("Cognito did not answer: {e}")))?;
    let text = response
        .text()
        .await
        .map_err(|e| AppError::network(e.to_string()))?;
    let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if !response.ok() {
        let kind = answer["__type"].as_str().unwrap_or("UnknownError");
        let message = answer["message"]
            .as_str()
            .or(answer["Message"].as_str())
            .unwrap_or_default();
        return Err(to_app_error(kind, message));
    }
    serde_json::from_value(answer).map_err(|e| {
        AppError::internal_because(
            ErrorCode::UnreadableAnswer,
            format!("Cognito's answer could not be read: {e}"),
        )
    })
}
