//! Sign-in with another identity provider ("Continue with Google") through the user pool's
//! hosted endpoints: OAuth 2.0's authorization code flow with PKCE (RFC 7636, S256). The browser
//! keeps the attempt (its state, its PKCE verifier, where to return) in this tab's session
//! storage and goes to the user pool, which sends the person to the provider and back to
//! [`CALLBACK_PATH`] with a code. There the attempt is taken out of storage (so an answer is
//! used once), the state is checked against it, and the code is exchanged, with the verifier,
//! for the user pool's tokens: the same tokens a password sign-in gives, verified the same way
//! by the server.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::cognito::AuthenticationResult;
use super::deployment::config;
use super::random::random_bytes;
use super::session::{self, SignedInUser};
use crate::client_config::{ClientConfig, HostedSignIn, ProviderButton};
use crate::error::{AppError, ErrorCode};

/// Where the user pool sends the browser back (the app client allows it for the site's origin).
pub const CALLBACK_PATH: &str = "/auth/callback";

/// The scopes asked for: the ID token then carries the email.
const SCOPES: &str = "openid email profile";

const PENDING_KEY: &str = "stratus.hosted-sign-in";

/// One sign-in started in this tab, waiting for the user pool's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Attempt {
    state: String,
    verifier: String,
    /// The provider's label, for what the page says.
    label: String,
    /// The page of this site to go back to.
    return_to: String,
}

impl Attempt {
    fn new(provider: &ProviderButton, return_to: &str) -> Result<Self, AppError> {
        Ok(Attempt {
            state: URL_SAFE_NO_PAD.encode(random_bytes::<16>()?),
            // 32 bytes make the 43 characters RFC 7636 asks for at least.
            verifier: URL_SAFE_NO_PAD.encode(random_bytes::<32>()?),
            label: provider.label.clone(),
            return_to: return_to.to_owned(),
        })
    }

    /// `BASE64URL(SHA256(verifier))`: what the user pool keeps with the code, to check the
    /// verifier against when the code is exchanged.
    fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.verifier.as_bytes()))
    }
}

/// What the user pool's answer carries in the callback's query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// The user pool's authorize address for `attempt`, going straight to `provider`.
fn authorize_url(
    hosted: &HostedSignIn,
    config: &ClientConfig,
    provider: &str,
    redirect_uri: &str,
    attempt: &Attempt,
) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("identity_provider", provider)
        .append_pair("response_type", "code")
        .append_pair("client_id", &config.user_pool_client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", SCOPES)
        .append_pair("state", &attempt.state)
        .append_pair("code_challenge", &attempt.challenge())
        .append_pair("code_challenge_method", "S256")
        .finish();
    format!(
        "{}/oauth2/authorize?{query}",
        hosted.url.trim_end_matches('/')
    )
}

/// Leaves for the provider's sign-in; the browser comes back to [`CALLBACK_PATH`].
pub fn begin(provider: &ProviderButton, return_to: &str) -> Result<(), AppError> {
    let config = config()?;
    let attempt = Attempt::new(provider, return_to)?;
    let url = authorize_url(
        hosted_of(&config)?,
        &config,
        &provider.name,
        &callback_url()?,
        &attempt,
    );
    save(Some(&attempt))?;
    web_sys::window()
        .ok_or_else(|| AppError::internal("No browser window."))?
        .location()
        .assign(&url)
        .map_err(|_| AppError::internal("The browser did not go to the sign-in page."))
}

/// Finishes the sign-in the user pool answered: the signed-in user and the page to return to.
pub async fn complete(answer: Answer) -> Result<(SignedInUser, String), AppError> {
    // Taken out before anything else: whatever follows, this answer is not usable twice.
    let attempt = take();
    let attempt = check(attempt.as_ref(), &answer)?;
    let code = answer
        .code
        .as_deref()
        .ok_or_else(|| refused("The sign-in answer has no code. Please start again."))?;
    let config = config()?;
    let result = exchange(
        hosted_of(&config)?,
        &config,
        code,
        &callback_url()?,
        &attempt.verifier,
    )
    .await?;
    let user = session::begin(result)?;
    Ok((user, attempt.return_to.clone()))
}

fn hosted_of(config: &ClientConfig) -> Result<&HostedSignIn, AppError> {
    config
        .hosted_sign_in
        .as_ref()
        .ok_or_else(|| AppError::internal("This site offers no other sign-in."))
}

/// [`CALLBACK_PATH`] on this page's origin: where the user pool sends the browser back, and
/// what the code's exchange must name again.
fn callback_url() -> Result<String, AppError> {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .ok_or_else(|| AppError::internal("The page's address could not be read."))?;
    Ok(format!("{origin}{CALLBACK_PATH}"))
}

/// Whether `answer` is the one `attempt` waits for; what went wrong, in words, if not.
fn check<'a>(attempt: Option<&'a Attempt>, answer: &Answer) -> Result<&'a Attempt, AppError> {
    let Some(attempt) = attempt else {
        return Err(refused(
            "This sign-in was not started in this tab, or it is already finished. Please start again from the sign-in page.",
        ));
    };
    if answer.state.as_deref() != Some(attempt.state.as_str()) {
        return Err(refused(
            "This sign-in answer does not belong to the sign-in this tab started, so it was not used. Please start again.",
        ));
    }
    if let Some(error) = &answer.error {
        let label = &attempt.label;
        return Err(if error == "access_denied" {
            refused(format!(
                "Signing in with {label} was cancelled. You can try again, or sign in with your email."
            ))
        } else {
            let why = answer.error_description.as_deref().unwrap_or(error);
            refused(format!(
                "{label} did not sign you in: {why}. Please try again."
            ))
        });
    }
    Ok(attempt)
}

fn refused(message: impl Into<String>) -> AppError {
    AppError::unauthorized_because(ErrorCode::SignInRequired, message)
}

/// The token endpoint's answer (OAuth 2.0's names, not the user pool API's).
#[derive(Deserialize)]
struct Tokens {
    id_token: String,
    access_token: String,
    refresh_token: Option<String>,
    expires_in: u64,
}

async fn exchange(
    hosted: &HostedSignIn,
    config: &ClientConfig,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> Result<AuthenticationResult, AppError> {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("client_id", &config.user_pool_client_id)
        .append_pair("code", code)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("code_verifier", verifier)
        .finish();
    let response = gloo_net::http::Request::post(&format!(
        "{}/oauth2/token",
        hosted.url.trim_end_matches('/')
    ))
    .header("Content-Type", "application/x-www-form-urlencoded")
    .body(body)
    .map_err(|e| AppError::network(e.to_string()))?
    .send()
    .await
    .map_err(|e| AppError::network(format!("The user pool did not answer: {e}")))?;
    let text = response
        .text()
        .await
        .map_err(|e| AppError::network(e.to_string()))?;
    if !response.ok() {
        let error: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        return Err(match error["error"].as_str() {
            Some("invalid_grant") => {
                refused("This sign-in link was already used or has expired. Please start again.")
            }
            _ => AppError::internal(format!(
                "The user pool did not finish the sign-in ({}).",
                error["error"].as_str().unwrap_or("no reason given")
            )),
        });
    }
    let tokens: Tokens = serde_json::from_str(&text).map_err(|e| {
        AppError::internal_because(
            ErrorCode::UnreadableAnswer,
            format!("The user pool's tokens could not be read: {e}"),
        )
    })?;
    Ok(AuthenticationResult {
        id_token: tokens.id_token,
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        expires_in: tokens.expires_in,
    })
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn save(attempt: Option<&Attempt>) -> Result<(), AppError> {
    let storage =
        storage().ok_or_else(|| AppError::internal("This browser keeps no session storage."))?;
    let saved = match attempt {
        Some(attempt) => storage.set_item(
            PENDING_KEY,
            &serde_json::to_string(attempt).expect("an attempt serializes"),
        ),
        None => storage.remove_item(PENDING_KEY),
    };
    saved.map_err(|_| AppError::internal("This browser would not keep the sign-in's state."))
}

fn take() -> Option<Attempt> {
    let text = storage()?.get_item(PENDING_KEY).ok()??;
    let _ = save(None);
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt() -> Attempt {
        Attempt {
            state: "s7a7e".into(),
            // RFC 7636, appendix B.
            verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
            label: "Google".into(),
            return_to: "/posts/7".into(),
        }
    }

    #[test]
    fn the_challenge_is_rfc_7636s_s256() {
        assert_eq!(
            attempt().challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn the_authorize_address_names_the_provider_and_carries_state_and_challenge() {
        let hosted = HostedSignIn {
            url: "https://blog.auth.eu-west-1.amazoncognito.com/".into(),
            providers: Vec::new(),
        };
        let config = ClientConfig {
            user_pool_client_id: "client1".into(),
            ..ClientConfig::default()
        };
        let url = authorize_url(
            &hosted,
            &config,
            "Google",
            "https://d1.cloudfront.net/auth/callback",
            &attempt(),
        );
        assert_eq!(
            url,
            "https://blog.auth.eu-west-1.amazoncognito.com/oauth2/authorize?identity_provider=Google&response_type=code&client_id=client1&redirect_uri=https%3A%2F%2Fd1.cloudfront.net%2Fauth%2Fcallback&scope=openid+email+profile&state=s7a7e&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
        );
    }

    #[test]
    fn an_answer_is_used_only_for_the_attempt_of_this_tab() {
        let attempt = attempt();
        let answer = Answer {
            code: Some("c0de".into()),
            state: Some("s7a7e".into()),
            ..Answer::default()
        };
        assert_eq!(check(Some(&attempt), &answer).unwrap(), &attempt);
        let message = |result: Result<&Attempt, AppError>| result.unwrap_err().to_string();

        assert!(message(check(None, &answer)).contains("not started in this tab"));
        let forged = Answer {
            state: Some("other".into()),
            ..answer.clone()
        };
        assert!(message(check(Some(&attempt), &forged)).contains("does not belong"));
        let unstated = Answer {
            state: None,
            ..answer.clone()
        };
        assert!(message(check(Some(&attempt), &unstated)).contains("does not belong"));
        let cancelled = Answer {
            code: None,
            error: Some("access_denied".into()),
            ..answer.clone()
        };
        assert!(message(check(Some(&attempt), &cancelled))
            .contains("Signing in with Google was cancelled"));
        let failed = Answer {
            code: None,
            error: Some("invalid_request".into()),
            error_description: Some("unknown provider".into()),
            ..answer
        };
        assert!(message(check(Some(&attempt), &failed))
            .contains("Google did not sign you in: unknown provider"));
    }
}
