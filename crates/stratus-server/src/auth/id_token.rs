//! Verifying a Cognito ID token: RS256 signature against the user pool's keys, then `iss`,
//! `exp`, `token_use` and `aud`. Each refusal says what was wrong, in words.

use jsonwebtoken::{decode, decode_header, Algorithm, Validation};
use serde::Deserialize;

use stratus::auth::sign_out::SessionToken;
use stratus::data::auth::Caller;
use stratus::error::AppError;

use super::jwks::{JwksError, KeyCache};

/// Where a user pool's tokens come from and whom they are for.
#[derive(Debug, Clone)]
pub struct UserPool {
    /// `https://cognito-idp.<region>.amazonaws.com/<poolId>`: what `iss` must say.
    pub issuer: String,
    /// The app client the tokens must be issued to (`aud`).
    pub client_id: String,
    /// Where the pool's JWKS is served (not always under the issuer: the local emulator serves
    /// it on its own host).
    pub jwks_url: String,
}

#[derive(Debug, Deserialize)]
struct IdClaims {
    sub: String,
    token_use: String,
    #[serde(default)]
    aud: Option<String>,
    #[serde(rename = "cognito:groups", default)]
    groups: Vec<String>,
    #[serde(rename = "cognito:username", default)]
    username: String,
    iat: u64,
    /// Names the sign-in the token comes from (Cognito sets it since token revocation exists;
    /// without it the token's own `jti` stands for its session).
    #[serde(default)]
    origin_jti: Option<String>,
    #[serde(default)]
    jti: Option<String>,
}

/// What a verified ID token proves: who the caller is, and which session the token is of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedIdToken {
    pub caller: Caller,
    pub session: SessionToken,
}

pub struct IdTokenVerifier {
    pool: UserPool,
    keys: KeyCache,
}

impl IdTokenVerifier {
    pub fn new(pool: UserPool) -> Self {
        let keys = KeyCache::new(pool.jwks_url.clone());
        Self { pool, keys }
    }

    /// The signed-in user the token proves, or why it proves nothing.
    pub async fn verify(&self, token: &str) -> Result<VerifiedIdToken, AppError> {
        let refuse = |why: &str| AppError::unauthorized(format!("{why} Please sign in again."));
        let header = decode_header(token)
            .map_err(|_| refuse("The sign-in token is not a valid signed token."))?;
        if header.alg != Algorithm::RS256 {
            return Err(refuse(
                "The sign-in token is not signed the way Cognito signs (RS256).",
            ));
        }
        let kid = header
            .kid
            .ok_or_else(|| refuse("The sign-in token does not name its signing key."))?;
        let key = self.keys.key(&kid).await.map_err(|error| match error {
            JwksError::UnknownKey => {
                refuse("The sign-in token was signed by a key this user pool does not have.")
            }
            JwksError::Fetch { .. } => {
                tracing::error!(%error, "cannot verify sign-in tokens");
                AppError::unavailable(
                    "Sign-in cannot be checked right now; please try again shortly.",
                )
            }
        })?;

        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.pool.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub", "iat"]);
        // Cognito sets no `nbf`, but a token that has one is not valid before it.
        validation.validate_nbf = true;
        // `aud` is checked below, after `token_use`, so an access token is named as such.
        validation.validate_aud = false;
        let claims = decode::<IdClaims>(token, &key, &validation)
            .map_err(|error| {
                use jsonwebtoken::errors::ErrorKind;
                match error.kind() {
                    ErrorKind::InvalidSignature => {
                        refuse("The sign-in token's signature does not match its contents.")
                    }
                    ErrorKind::ExpiredSignature => refuse("Your sign-in has expired."),
                    ErrorKind::InvalidIssuer => {
                        refuse("The sign-in token is from another user pool.")
                    }
                    ErrorKind::ImmatureSignature => refuse("The sign-in token is not valid yet."),
                    _ => refuse(&format!("The sign-in token is not valid ({error}).")),
                }
            })?
            .claims;
        if claims.token_use != "id" {
            return Err(refuse(&format!(
                "An {} token was sent where the ID token is due.",
                claims.token_use
            )));
        }
        if claims.aud.as_deref() != Some(self.pool.client_id.as_str()) {
            return Err(refuse("The sign-in token was issued to another app."));
        }
        let origin_jti = claims
            .origin_jti
            .or(claims.jti)
            .filter(|jti| !jti.is_empty())
            .ok_or_else(|| {
                refuse("The sign-in token names no session (no `origin_jti` or `jti`).")
            })?;
        Ok(VerifiedIdToken {
            session: SessionToken {
                sub: claims.sub.clone(),
                origin_jti,
                issued_at: claims.iat,
            },
            caller: Caller::User {
                sub: claims.sub,
                username: claims.username,
                groups: claims.groups,
            },
        })
    }
}
