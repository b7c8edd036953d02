//! The edge: who signed the request. In the cloud the Lambda Function URL (auth type AWS_IAM)
//! has already checked the SigV4 signature and hands us the signer in the request context.
//! Locally nothing stands in front of the server, so it has the local cloud check signatures
//! (`local_edge.rs`).

use axum::http::request::Parts;
use lambda_http::request::RequestContext;
use lambda_http::RequestExt;

use stratus::error::AppError;

pub use super::local_edge::LocalEdge;

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
    /// Trust the Function URL's check; read the signer from the request context, where the
    /// URL reports it (see `AuthSettings::function_url_reports_signer`).
    FunctionUrl { reports_signer: bool },
    /// Have the local cloud check signatures.
    Local(Box<LocalEdge>),
}

impl Edge {
    pub async fn signer(&self, parts: &Parts, body: &[u8]) -> Result<Signer, AppError> {
        match self {
            Edge::FunctionUrl { reports_signer } => signer_from_context(parts, *reports_signer),
            Edge::Local(local) => local.verify(parts, body).await,
        }
    }
}

fn signer_from_context(parts: &Parts, reports_signer: bool) -> Result<Signer, AppError> {
    let iam = match parts.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => {
            context.authorizer.as_ref().and_then(|a| a.iam.as_ref())
        }
        _ => None,
    };
    let Some(iam) = iam else {
        if !reports_signer {
            // The URL checked the signature (AWS_IAM) and says nothing more: an unknown signer.
            return Ok(Signer {
                access_key_id: super::sigv4::Authorization::parse(&parts.headers)
                    .map(|auth| auth.access_key_id)
                    .unwrap_or_default(),
                identity_id: None,
                login: SignerLogin::Unknown,
            });
        }
        // Without it the function URL is not AWS_IAM: refuse rather than serve unsigned calls.
        return Err(AppError::unauthorized(
            "The request is not signed: the function URL must use AWS_IAM auth.",
        ));
    };
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
