//! Callers for the tests, made the way the browser makes them: credentials from the identity
//! pool, an ID token from signing in to the user pool (USER_PASSWORD_AUTH), and every request
//! signed with SigV4 for the `lambda` service.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request};
use server::configuration::Settings;

pub use app::auth::ID_TOKEN_HEADER;

/// The host the tests' requests are addressed to (and signed for).
pub const HOST: &str = "stratus.test";
pub const PASSWORD: &str = "Correct-horse-9";

#[derive(Clone)]
pub struct Session {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    pub id_token: Option<String>,
    pub email: Option<String>,
}

async fn sdk(settings: &Settings) -> aws_config::SdkConfig {
    server::aws::sdk_config(&settings.aws).await
}

/// A guest: credentials from the identity pool's unauthenticated role, no ID token.
pub async fn guest(settings: &Settings) -> Session {
    let identity = server::aws::cognito_identity(&sdk(settings).await);
    let id = identity.get_id().identity_pool_id(&settings.auth.identity_pool_id).send().await.expect("GetId");
    let answer = identity.get_credentials_for_identity().set_identity_id(id.identity_id).send().await.expect("GetCredentialsForIdentity");
    let credentials = answer.credentials.expect("credentials");
    Session {
        access_key_id: credentials.access_key_id.unwrap(),
        secret_access_key: credentials.secret_key.unwrap(),
        session_token: credentials.session_token,
        id_token: None,
        email: None,
    }
}

/// A new user, signed up, confirmed and signed in, with groups.
pub async fn new_user(settings: &Settings, label: &str, groups: &[&str]) -> Session {
    let pools = server::aws::cognito_user_pools(&sdk(settings).await);
    let email = format!("{}@example.com", super::unique(label).replace(' ', "-"));
    let (pool, client) = (&settings.auth.user_pool_id, &settings.auth.user_pool_client_id);
    pools.sign_up().client_id(client).username(&email).password(PASSWORD).send().await.expect("SignUp");
    pools.admin_confirm_sign_up().user_pool_id(pool).username(&email).send().await.expect("AdminConfirmSignUp");
    for group in groups {
        let _ = pools.create_group().user_pool_id(pool).group_name(*group).send().await;
        pools.admin_add_user_to_group().user_pool_id(pool).username(&email).group_name(*group).send().await.expect("AdminAddUserToGroup");
    }
    let tokens = sign_in(settings, &email, PASSWORD).await.expect("sign-in");
    Session { id_token: Some(tokens.0), email: Some(email), ..guest(settings).await }
}

/// (ID token, access token), or the user pool's refusal.
pub async fn sign_in(settings: &Settings, email: &str, password: &str) -> Result<(String, String), String> {
    let pools = server::aws::cognito_user_pools(&sdk(settings).await);
    let answer = pools
        .initiate_auth()
        .client_id(&settings.auth.user_pool_client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", email)
        .auth_parameters("PASSWORD", password)
        .send()
        .await
        .map_err(|e| aws_sdk_cognitoidentityprovider::error::DisplayErrorContext(e).to_string())?;
    let result = answer.authentication_result.ok_or("no tokens")?;
    Ok((result.id_token.unwrap(), result.access_token.unwrap()))
}

impl Session {
    /// A POST to `path`, signed now.
    pub fn post(&self, path: &str, body: &str) -> Request<Body> {
        self.signed("POST", path, body, SystemTime::now(), &[])
    }

    /// A request signed at `at`, with `extra` headers signed too.
    pub fn signed(&self, method: &str, path: &str, body: &str, at: SystemTime, extra: &[(&str, &str)]) -> Request<Body> {
        let mut headers: Vec<(&str, &str)> = vec![("content-type", "application/json")];
        if let Some(token) = &self.id_token {
            headers.push((ID_TOKEN_HEADER, token));
        }
        headers.extend_from_slice(extra);
        let identity = Credentials::new(&self.access_key_id, &self.secret_access_key, self.session_token.clone(), None, "test").into();
        let region = super::settings().aws.region;
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&region)
            .name("lambda")
            .time(at)
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let url = format!("http://{HOST}{path}");
        let signable = SignableRequest::new(method, &url, headers.iter().copied(), SignableBody::Bytes(body.as_bytes())).unwrap();
        let (instructions, _) = sign(signable, &params).unwrap().into_parts();
        let mut request = Request::builder().method(method).uri(path).header("host", HOST).body(Body::from(body.to_owned())).unwrap();
        for (name, value) in headers.iter().copied().chain(instructions.headers()) {
            request.headers_mut().insert(HeaderName::from_bytes(name.as_bytes()).unwrap(), HeaderValue::from_str(value).unwrap());
        }
        request
    }

    /// The same caller, with another ID token (or none).
    pub fn with_id_token(&self, token: Option<&str>) -> Session {
        Session { id_token: token.map(str::to_owned), ..self.clone() }
    }
}
