//! Calling the server functions from Rust the way the browser does: credentials from the
//! identity pool, an ID token from the user pool (SRP, as the browser signs in), every request signed
//! with SigV4 for `lambda`. The tests, the benchmark and seeding use it, so they go through the
//! same edge and the same @auth checks as a person does.

use std::time::SystemTime;

use aws_sdk_cognitoidentityprovider::error::DisplayErrorContext;
use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request};
use stratus::auth::srp;

use stratus::auth::issued::IssuedCredentials;
use stratus::auth::signing::signing_headers;
use stratus::auth::ID_TOKEN_HEADER;

use stratus_server::configuration::Settings;

/// The host requests are addressed to (and signed for) when they go to a Router in process: a
/// loopback name, which the local server's Host allowlist accepts.
pub const IN_PROCESS_HOST: &str = "localhost";

#[derive(Debug, Clone)]
pub struct ApiClient {
    pub region: String,
    /// From the identity pool, as the browser holds them.
    pub credentials: IssuedCredentials,
    /// `None` for a guest.
    pub id_token: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UserTokens {
    pub id_token: String,
    pub access_token: String,
}

impl ApiClient {
    /// A guest: credentials from the identity pool's unauthenticated role.
    pub async fn guest(settings: &Settings) -> Result<Self, String> {
        Self::exchange(settings, None).await
    }

    /// A signed-in user: the ID token exchanged for the authenticated role's credentials.
    pub async fn user(settings: &Settings, email: &str, password: &str) -> Result<Self, String> {
        let tokens = sign_in(settings, email, password).await?;
        Self::exchange(settings, Some(tokens.id_token)).await
    }

    async fn exchange(settings: &Settings, id_token: Option<String>) -> Result<Self, String> {
        let identity = stratus_server::aws::cognito_identity(
            &stratus_server::aws::sdk_config(&settings.aws).await,
        );
        let provider = format!(
            "cognito-idp.{}.amazonaws.com/{}",
            settings.aws.region, settings.auth.user_pool_id
        );
        let logins = id_token
            .as_ref()
            .map(|token| [(provider, token.clone())].into_iter().collect());
        let id = identity
            .get_id()
            .identity_pool_id(&settings.auth.identity_pool_id)
            .set_logins(logins.clone())
            .send()
            .await
            .map_err(|e| format!("GetId: {}", DisplayErrorContext(e)))?;
        let answer = identity
            .get_credentials_for_identity()
            .set_identity_id(id.identity_id)
            .set_logins(logins)
            .send()
            .await
            .map_err(|e| format!("GetCredentialsForIdentity: {}", DisplayErrorContext(e)))?;
        let credentials = answer
            .credentials
            .ok_or("GetCredentialsForIdentity returned no credentials")?;
        Ok(ApiClient {
            region: settings.aws.region.clone(),
            credentials: IssuedCredentials {
                access_key_id: credentials.access_key_id.unwrap_or_default(),
                secret_key: credentials.secret_key.unwrap_or_default(),
                session_token: credentials.session_token.unwrap_or_default(),
                expiration: credentials
                    .expiration
                    .map(|e| e.secs() as f64)
                    .unwrap_or_default(),
            },
            id_token,
        })
    }

    /// A POST to `path` of a Router in process, signed now.
    pub fn post(&self, path: &str, body: &str) -> Request<Body> {
        self.signed("POST", path, body, SystemTime::now(), &[])
    }

    /// A POST to `path` of `host` (a deployed Function URL's), signed now.
    pub fn post_to_host(&self, host: &str, path: &str, body: &[u8]) -> Request<Body> {
        self.signed_for_host(host, "POST", path, body, SystemTime::now(), &[])
    }

    /// A POST of any bytes (not only text), signed now.
    pub fn post_bytes(&self, path: &str, body: &[u8]) -> Request<Body> {
        self.signed_bytes("POST", path, body, SystemTime::now(), &[])
    }

    /// A request signed at `at`, with `extra` headers signed too.
    pub fn signed(
        &self,
        method: &str,
        path: &str,
        body: &str,
        at: SystemTime,
        extra: &[(&str, &str)],
    ) -> Request<Body> {
        self.signed_bytes(method, path, body.as_bytes(), at, extra)
    }

    pub fn signed_bytes(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
        at: SystemTime,
        extra: &[(&str, &str)],
    ) -> Request<Body> {
        self.signed_for_host(IN_PROCESS_HOST, method, path, body, at, extra)
    }

    /// Signed for `host` (a deployed Function URL's, say), sent wherever the caller sends it.
    pub fn signed_for_host(
        &self,
        host: &str,
        method: &str,
        path: &str,
        body: &[u8],
        at: SystemTime,
        extra: &[(&str, &str)],
    ) -> Request<Body> {
        let mut headers: Vec<(&str, &str)> = vec![("content-type", "application/json")];
        if let Some(token) = &self.id_token {
            headers.push((ID_TOKEN_HEADER, token));
        }
        headers.extend_from_slice(extra);
        // The browser's own signing code, so tests and the benchmark sign exactly as it does.
        let url = format!("http://{host}{path}");
        let signed: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let now_ms = at
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis() as f64;
        let added = signing_headers(
            &self.credentials,
            &self.region,
            method,
            &url,
            &signed,
            body,
            now_ms,
        )
        .expect("complete signing parameters");
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", host)
            .body(Body::from(body.to_vec()))
            .expect("a valid request");
        for (name, value) in headers
            .iter()
            .copied()
            .chain(added.iter().map(|(n, v)| (n.as_str(), v.as_str())))
        {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                request.headers_mut().insert(name, value);
            }
        }
        request
    }

    /// The same caller with another ID token (or none).
    pub fn with_id_token(&self, token: Option<&str>) -> Self {
        ApiClient {
            id_token: token.map(str::to_owned),
            ..self.clone()
        }
    }
}

/// Signs in as the browser does, with SRP: the password stays here; the user pool checks a
/// proof of it (`stratus::auth::srp`).
pub async fn sign_in(
    settings: &Settings,
    email: &str,
    password: &str,
) -> Result<UserTokens, String> {
    let pools = stratus_server::aws::cognito_user_pools(
        &stratus_server::aws::sdk_config(&settings.aws).await,
    );
    let mut secret = [0; srp::SECRET_LEN];
    getrandom::fill(&mut secret).map_err(|e| format!("no randomness for SRP: {e}"))?;
    let attempt = srp::SrpSession::new(&secret);
    let challenge = pools
        .initiate_auth()
        .client_id(&settings.auth.user_pool_client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", email)
        .auth_parameters("SRP_A", attempt.public_a_hex())
        .send()
        .await
        .map_err(|e| DisplayErrorContext(e).to_string())?;
    let parameters = serde_json::to_value(challenge.challenge_parameters().cloned())
        .map_err(|e| e.to_string())?;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let responses = attempt
        .answer(&settings.auth.user_pool_id, &parameters, password, now)
        .map_err(|e| e.to_string())?;
    let answer = pools
        .respond_to_auth_challenge()
        .client_id(&settings.auth.user_pool_client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .set_challenge_responses(Some(
            responses
                .map(|(name, value)| (name.to_owned(), value))
                .into(),
        ))
        .set_session(challenge.session)
        .send()
        .await
        .map_err(|e| DisplayErrorContext(e).to_string())?;
    let result = answer
        .authentication_result
        .ok_or("the user pool returned no tokens")?;
    Ok(UserTokens {
        id_token: result.id_token.unwrap_or_default(),
        access_token: result.access_token.unwrap_or_default(),
    })
}

/// Signs a user up and confirms them as an administrator would (no emailed code), adding them to
/// `groups`. For tests, benchmarks and seed data.
pub async fn register_confirmed(
    settings: &Settings,
    email: &str,
    password: &str,
    groups: &[&str],
) -> Result<(), String> {
    let pools = stratus_server::aws::cognito_user_pools(
        &stratus_server::aws::sdk_config(&settings.aws).await,
    );
    let pool = &settings.auth.user_pool_id;
    pools
        .sign_up()
        .client_id(&settings.auth.user_pool_client_id)
        .username(email)
        .password(password)
        .send()
        .await
        .map_err(|e| format!("SignUp: {}", DisplayErrorContext(e)))?;
    pools
        .admin_confirm_sign_up()
        .user_pool_id(pool)
        .username(email)
        .send()
        .await
        .map_err(|e| format!("AdminConfirmSignUp: {}", DisplayErrorContext(e)))?;
    for group in groups {
        add_to_group(&pools, pool, email, group).await?;
    }
    Ok(())
}

/// Puts an existing user in a group of the user pool (`admins`): their next ID token, after
/// they sign in again, carries it.
pub async fn add_to_group(
    pools: &aws_sdk_cognitoidentityprovider::Client,
    pool: &str,
    email: &str,
    group: &str,
) -> Result<(), String> {
    pools
        .admin_add_user_to_group()
        .user_pool_id(pool)
        .username(email)
        .group_name(group)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| match e.as_service_error() {
            Some(refusal) if refusal.is_user_not_found_exception() => {
                format!("the user pool has no user {email}: sign up first")
            }
            Some(refusal) if refusal.is_resource_not_found_exception() => {
                format!("the user pool has no group {group} (the schema's @auth rules name the groups provisioning creates)")
            }
            _ => format!("AdminAddUserToGroup {group}: {}", DisplayErrorContext(e)),
        })
}
