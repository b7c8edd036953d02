//! Cognito's public JSON APIs, called by hand from the browser (`X-Amz-Target`): the user pool
//! (sign-up, confirmation, sign-in by SRP, refresh, sign-out, password reset) and the identity pool (the
//! exchange of an ID token, or of nothing for a guest, for temporary AWS credentials; guests in
//! the cloud finish the exchange at STS, `sts.rs`).

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use super::cognito_errors::{to_app_code_error, to_app_error};
use super::issued::IssuedCredentials;
use super::srp;
use crate::client_config::{ClientConfig, SignInFlow};
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
        self.user_pool_refusing_with(operation, body, to_app_error)
            .await
    }

    /// A user pool call whose refusals `refusal` words (a code from the authenticator app is
    /// refused in other words than one from an email).
    async fn user_pool_refusing_with<T: DeserializeOwned>(
        &self,
        operation: &str,
        body: Value,
        refusal: fn(&str, &str) -> AppError,
    ) -> Result<T, AppError> {
        call(
            &self.endpoint("cognito-idp"),
            &format!("AWSCognitoIdentityProviderService.{operation}"),
            body,
            refusal,
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
            to_app_error,
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

    /// Checks the password: by SRP (the password stays in the browser), or by sending it where
    /// the deployment asks for `USER_PASSWORD_AUTH` (a user migration). The user pool may then
    /// ask for a code from the user's authenticator app.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SignInStep, AppError> {
        match self.config.sign_in_flow {
            SignInFlow::Srp => self.sign_in_with_srp(email, password).await,
            SignInFlow::Password => {
                let body = json!({
                    "ClientId": self.config.user_pool_client_id,
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": { "USERNAME": email, "PASSWORD": password },
                });
                sign_in_step(self.user_pool("InitiateAuth", body).await?)
            }
        }
    }

    async fn sign_in_with_srp(&self, email: &str, password: &str) -> Result<SignInStep, AppError> {
        let attempt = srp::SrpSession::new(&super::random::random_bytes::<{ srp::SECRET_LEN }>()?);
        let body = json!({
            "ClientId": self.config.user_pool_client_id,
            "AuthFlow": "USER_SRP_AUTH",
            "AuthParameters": { "USERNAME": email, "SRP_A": attempt.public_a_hex() },
        });
        let answer: Value = self.user_pool("InitiateAuth", body).await?;
        if answer["ChallengeName"] != "PASSWORD_VERIFIER" {
            return Err(unreadable("it did not ask for the password proof"));
        }
        let now = (super::deployment::now_ms() / 1000.0) as u64;
        let responses = attempt
            .answer(
                &self.config.user_pool_id,
                &answer["ChallengeParameters"],
                password,
                now,
            )
            .map_err(|e| unreadable(&e.to_string()))?;
        let mut body = json!({
            "ClientId": self.config.user_pool_client_id,
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeResponses": serde_json::Map::from_iter(
                responses.map(|(name, value)| (name.to_owned(), Value::String(value)))
            ),
        });
        if let Some(session) = answer["Session"].as_str() {
            body["Session"] = json!(session);
        }
        sign_in_step(self.user_pool("RespondToAuthChallenge", body).await?)
    }

    /// Answers the user pool's request for a code from the authenticator app.
    pub async fn answer_code(
        &self,
        challenge: &CodeChallenge,
        code: &str,
    ) -> Result<SignInStep, AppError> {
        let body = json!({
            "ClientId": self.config.user_pool_client_id,
            "ChallengeName": "SOFTWARE_TOKEN_MFA",
            "Session": challenge.session,
            "ChallengeResponses": { "USERNAME": challenge.username, "SOFTWARE_TOKEN_MFA_CODE": code },
        });
        let answer = self
            .user_pool_refusing_with("RespondToAuthChallenge", body, to_app_code_error)
            .await?;
        sign_in_step(answer)
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

    /// Signs the user out of every device: all their refresh tokens stop working.
    pub async fn global_sign_out(&self, access_token: &str) -> Result<(), AppError> {
        let body = json!({ "AccessToken": access_token });
        self.user_pool::<Value>("GlobalSignOut", body)
            .await
            .map(drop)
    }

    /// Whether the signed-in user has a second step with an authenticator app.
    pub async fn authenticator_app_on(&self, access_token: &str) -> Result<bool, AppError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct User {
            #[serde(rename = "UserMFASettingList", default)]
            mfa_settings: Vec<String>,
        }
        let user: User = self
            .user_pool("GetUser", json!({ "AccessToken": access_token }))
            .await?;
        Ok(user.mfa_settings.iter().any(|m| m == "SOFTWARE_TOKEN_MFA"))
    }

    /// A new secret for the user's authenticator app (base32), not in use until a code from
    /// the app confirms it.
    pub async fn new_authenticator_secret(&self, access_token: &str) -> Result<String, AppError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Associated {
            secret_code: String,
        }
        let associated: Associated = self
            .user_pool(
                "AssociateSoftwareToken",
                json!({ "AccessToken": access_token }),
            )
            .await?;
        Ok(associated.secret_code)
    }

    /// Confirms the new secret with a code from the app, and makes the app the second step of
    /// every sign-in.
    pub async fn confirm_authenticator_app(
        &self,
        access_token: &str,
        code: &str,
    ) -> Result<(), AppError> {
        let body = json!({ "AccessToken": access_token, "UserCode": code, "FriendlyDeviceName": "Authenticator app" });
        self.user_pool_refusing_with::<Value>("VerifySoftwareToken", body, to_app_code_error)
            .await?;
        self.set_authenticator_app(access_token, true).await
    }

    /// Turns the second step with the authenticator app on or off.
    pub async fn set_authenticator_app(
        &self,
        access_token: &str,
        on: bool,
    ) -> Result<(), AppError> {
        let body = json!({
            "AccessToken": access_token,
            "SoftwareTokenMfaSettings": { "Enabled": on, "PreferredMfa": on },
        });
        self.user_pool::<Value>("SetUserMFAPreference", body)
            .await
            .map(drop)
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

/// Where a sign-in stands after the user pool's answer.
pub enum SignInStep {
    Done(AuthenticationResult),
    /// The user has turned on multi-factor authentication: a code from their authenticator app
    /// is due, within the few minutes the session lasts.
    CodeNeeded(CodeChallenge),
}

/// What answering the code needs, kept between the two steps.
#[derive(Debug, Clone)]
pub struct CodeChallenge {
    session: String,
    username: String,
}

fn sign_in_step(answer: Value) -> Result<SignInStep, AppError> {
    match answer["ChallengeName"].as_str() {
        None => authentication_result(answer).map(SignInStep::Done),
        Some("SOFTWARE_TOKEN_MFA") => Ok(SignInStep::CodeNeeded(CodeChallenge {
            session: answer["Session"].as_str().unwrap_or_default().to_owned(),
            username: answer["ChallengeParameters"]["USER_ID_FOR_SRP"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        })),
        Some(other) => Err(AppError::malformed(format!(
            "This account needs a sign-in step this app does not support yet ({other})."
        ))),
    }
}

fn authentication_result(answer: Value) -> Result<AuthenticationResult, AppError> {
    serde_json::from_value(answer["AuthenticationResult"].clone())
        .map_err(|e| unreadable(&e.to_string()))
}

fn unreadable(why: &str) -> AppError {
    AppError::internal_because(
        ErrorCode::UnreadableAnswer,
        format!("The user pool's answer could not be used: {why}"),
    )
}

async fn call<T: DeserializeOwned>(
    url: &str,
    target: &str,
    body: Value,
    refusal: fn(&str, &str) -> AppError,
) -> Result<T, AppError> {
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
        return Err(refusal(kind, message));
    }
    serde_json::from_value(answer).map_err(|e| {
        AppError::internal_because(
            ErrorCode::UnreadableAnswer,
            format!("Cognito's answer could not be read: {e}"),
        )
    })
}
