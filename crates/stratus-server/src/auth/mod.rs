//! Who is calling: the edge says who signed the request (SigV4), the ID token says which user
//! is signed in. Every `/api` request passes here first; the verified [`Caller`] goes into the
//! request's extensions, where the server functions' `@auth` checks find it.

pub mod edge;
pub mod id_token;
pub mod jwks;
mod local_edge;
pub mod sign_outs;
pub mod sigv4;

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use stratus::auth::sign_out::SessionToken;
use stratus::auth::ID_TOKEN_HEADER;
use stratus::data::auth::Caller;
use stratus::error::AppError;

use crate::error_response::error_response;
use edge::Edge;
use id_token::IdTokenVerifier;
use sign_outs::DynamoSignOuts;

pub struct Authenticator {
    pub edge: Edge,
    /// `None` until the user pool is provisioned: then no one can be signed in.
    pub id_tokens: Option<IdTokenVerifier>,
    /// Sessions signed out: their ID tokens are refused though still unexpired.
    pub sign_outs: Arc<DynamoSignOuts>,
}

impl Authenticator {
    /// Who is calling, and for a signed-in user, the session their token is of.
    pub async fn caller(
        &self,
        request: Request,
    ) -> Result<(Caller, Option<SessionToken>, Request), AppError> {
        let (parts, body) = request.into_parts();
        // The body is already bounded by `limit_body`, which runs first.
        let body = to_bytes(body, usize::MAX)
            .await
            .map_err(|e| AppError::malformed(format!("The request body could not be read: {e}")))?;
        let signer = self.edge.signer(&parts, &body).await?;
        let (caller, session) = match parts.headers.get(ID_TOKEN_HEADER) {
            None => (Caller::Guest, None),
            Some(token) => {
                let token = token.to_str().map_err(|_| {
                    AppError::unauthorized("The sign-in token is not text. Please sign in again.")
                })?;
                let verifier = self.id_tokens.as_ref().ok_or_else(|| {
                    AppError::unavailable(
                        "Sign-in is not set up on this server yet (no user pool is configured).",
                    )
                })?;
                let verified = verifier.verify(token).await?;
                check_same_user(&signer.login, &verified.caller)?;
                self.sign_outs.check(&verified.session).await?;
                (verified.caller, Some(verified.session))
            }
        };
        Ok((
            caller,
            session,
            Request::from_parts(parts, Body::from(body)),
        ))
    }
}

/// Where the edge says who signed (the cloud), the token must be that user's: a token lifted
/// from one session cannot ride on another identity's credentials.
fn check_same_user(login: &edge::SignerLogin, caller: &Caller) -> Result<(), AppError> {
    match (login, caller) {
        (edge::SignerLogin::Guest, Caller::User { .. }) => Err(AppError::unauthorized(
            "The request is signed with guest credentials but carries a user's sign-in. Please sign in again.",
        )),
        (edge::SignerLogin::User(signer), Caller::User { sub, .. }) if signer != sub => Err(AppError::unauthorized(
            "The request is signed by another user than its sign-in token names. Please sign in again.",
        )),
        _ => Ok(()),
    }
}

/// The `/api` middleware: a request goes on with its [`Caller`], or is answered here (401 with
/// the reason in words, 503 when the identity services cannot be reached).
pub async fn authenticate(
    State(authenticator): State<Arc<Authenticator>>,
    request: Request,
    next: Next,
) -> Response {
    match authenticator.caller(request).await {
        Ok((caller, session, mut request)) => {
            request.extensions_mut().insert(caller);
            if let Some(session) = session {
                request.extensions_mut().insert(session);
            }
            next.run(request).await
        }
        Err(error) => {
            tracing::info!(%error, "request refused at the edge");
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::UNAUTHORIZED);
            error_response(status, &error)
        }
    }
}
