//! The edge: who signed the request. In the cloud the Lambda Function URL (auth type AWS_IAM)
//! has already checked the SigV4 signature and hands us the signer in the request context.
//! Locally nothing stands in front of the server, so it does the Function URL's job itself,
//! against the credentials the local identity service issues.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use axum::http::request::Parts;
use lambda_http::request::RequestContext;
use lambda_http::RequestExt;
use tokio::sync::Mutex;

use stratus::auth::ID_TOKEN_HEADER;
use stratus::error::AppError;

use super::sigv4::{self, Authorization, Expected, Secret};

/// Server functions are signed for Lambda, as the Function URL in front of them expects.
pub use stratus::auth::signing::SERVICE as SIGNING_SERVICE;

/// Who signed a request, as far as the edge knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub access_key_id: String,
    /// The Cognito identity, where the edge reports it (the cloud).
    pub identity_id: Option<String>,
    /// What the identity pool says about the signer, where the edge reports it (the cloud).
    pub login: SignerLogin,
}

/// How the signer's credentials were obtained, from the identity's `amr` (authentication
/// methods references) in the request context.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SignerLogin {
    /// Not reported (locally: the emulator's identity pool tells nothing reliable).
    #[default]
    Unknown,
    /// The identity pool's unauthenticated role: a guest.
    Guest,
    /// A user pool sign-in; the user's `sub`.
    User(String),
}

impl SignerLogin {
    fn from_amr(amr: &[String]) -> Self {
        if amr.iter().any(|m| m == "unauthenticated") {
            return SignerLogin::Guest;
        }
        amr.iter()
            .find_map(|m| {
                m.split_once(":CognitoSignIn:")
                    .map(|(_, sub)| SignerLogin::User(sub.to_owned()))
            })
            .unwrap_or_default()
    }
}

pub enum Edge {
    /// Trust the Function URL's check; read the signer from the request context.
    FunctionUrl,
    /// Verify signatures here.
    Local(LocalEdge),
}

impl Edge {
    pub async fn signer(&self, parts: &Parts, body: &[u8]) -> Result<Signer, AppError> {
        match self {
            Edge::FunctionUrl => signer_from_context(parts),
            Edge::Local(local) => local.verify(parts, body).await,
        }
    }
}

fn signer_from_context(parts: &Parts) -> Result<Signer, AppError> {
    let iam = match parts.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => {
            context.authorizer.as_ref().and_then(|a| a.iam.as_ref())
        }
        _ => None,
    };
    // Without it the function URL is not AWS_IAM: refuse rather than serve unsigned calls.
    let iam = iam.ok_or_else(|| {
        AppError::unauthorized("The request is not signed: the function URL must use AWS_IAM auth.")
    })?;
    Ok(Signer {
        access_key_id: iam.access_key.clone().unwrap_or_default(),
        identity_id: iam
            .cognito_identity
            .as_ref()
            .and_then(|c| c.identity_id.clone()),
        login: iam
            .cognito_identity
            .as_ref()
            .map(|c| SignerLogin::from_amr(&c.amr))
            .unwrap_or_default(),
    })
}

/// The credentials the local identity service has issued, learnt by asking it for them (as a
/// guest would) and remembered; asked again when a request names a key we have not seen.
pub struct LocalEdge {
    region: String,
    identity: aws_sdk_cognitoidentity::Client,
    identity_pool_id: String,
    issued: Mutex<Issued>,
}

#[derive(Default)]
struct Issued {
    secrets: HashMap<String, (String, Option<String>)>,
    asked_at: Option<Instant>,
}

const ASK_AT_MOST_EVERY: Duration = Duration::from_secs(5);

impl LocalEdge {
    pub fn new(
        region: String,
        identity: aws_sdk_cognitoidentity::Client,
        identity_pool_id: String,
    ) -> Self {
        Self {
            region,
            identity,
            identity_pool_id,
            issued: Mutex::default(),
        }
    }

    async fn verify(&self, parts: &Parts, body: &[u8]) -> Result<Signer, AppError> {
        let auth = Authorization::parse(&parts.headers)?;
        if parts.headers.contains_key(ID_TOKEN_HEADER)
            && !auth.signed_headers.iter().any(|h| h == ID_TOKEN_HEADER)
        {
            return Err(AppError::unauthorized(format!(
                "The `{ID_TOKEN_HEADER}` header must be signed with the request."
            )));
        }
        let (secret, session_token) = self.secret_for(&auth.access_key_id).await?;
        let expected = Expected {
            region: &self.region,
            service: SIGNING_SERVICE,
            now: SystemTime::now(),
        };
        let secret = Secret {
            secret_access_key: &secret,
            session_token: session_token.as_deref(),
        };
        sigv4::verify(
            &auth,
            secret,
            &expected,
            &parts.method,
            &parts.uri,
            &parts.headers,
            body,
        )?;
        Ok(Signer {
            access_key_id: auth.access_key_id,
            identity_id: None,
            login: SignerLogin::Unknown,
        })
    }

    async fn secret_for(&self, access_key_id: &str) -> Result<(String, Option<String>), AppError> {
        let mut issued = self.issued.lock().await;
        if !issued.secrets.contains_key(access_key_id)
            && issued
                .asked_at
                .is_none_or(|at| at.elapsed() >= ASK_AT_MOST_EVERY)
        {
            let answer = self.ask_for_credentials().await;
            // Noted only once the answer is in: a request cancelled mid-ask (the browser
            // navigated away) must not stop the next one from asking.
            issued.asked_at = Some(Instant::now());
            let (key, secret, token) = answer?;
            issued.secrets.insert(key, (secret, token));
        }
        issued.secrets.get(access_key_id).cloned().ok_or_else(|| {
            tracing::info!(access_key_id, known = issued.secrets.len(), "a request signed with credentials the identity service did not issue");
            AppError::unauthorized("The request is signed with credentials the identity service did not issue. Please sign in again.")
        })
    }

    async fn ask_for_credentials(&self) -> Result<(String, String, Option<String>), AppError> {
        let unavailable = |e: String| {
            tracing::error!(error = %e, "the local identity service did not issue credentials");
            AppError::unavailable(
                "Signatures cannot be checked: the local identity service is not answering.",
            )
        };
        let id = self
            .identity
            .get_id()
            .identity_pool_id(&self.identity_pool_id)
            .send()
            .await
            .map_err(|e| {
                unavailable(aws_sdk_cognitoidentity::error::DisplayErrorContext(e).to_string())
            })?;
        let answer = self
            .identity
            .get_credentials_for_identity()
            .set_identity_id(id.identity_id)
            .send()
            .await
            .map_err(|e| {
                unavailable(aws_sdk_cognitoidentity::error::DisplayErrorContext(e).to_string())
            })?;
        let credentials = answer
            .credentials
            .ok_or_else(|| unavailable("no credentials in the answer".into()))?;
        Ok((
            credentials.access_key_id.unwrap_or_default(),
            credentials.secret_key.unwrap_or_default(),
            credentials.session_token,
        ))
    }
}
