//! A second sign-in step with an authenticator app (TOTP, Cognito's `SOFTWARE_TOKEN_MFA`), for
//! the signed-in user: whether it is on, setting it up (a new secret, confirmed with a code
//! from the app), and turning it off. Signing in with it is in `session::answer_code`.

use super::cognito::Cognito;
use super::deployment::config;
use leptos::prelude::GetUntracked;

use super::session::{access_token, user};
use crate::error::AppError;

/// What the user's app needs to start making codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSetup {
    /// Base32, as apps ask for it when typed in.
    pub secret: String,
    /// `otpauth://totp/...`, what the QR code holds.
    pub uri: String,
}

/// The issuer apps show next to the codes.
const ISSUER: &str = "Stratus";

pub async fn is_on() -> Result<bool, AppError> {
    let token = access_token().await?;
    Cognito::new(&config()?).authenticator_app_on(&token).await
}

/// A new secret for the app; sign-in does not ask for codes until [`confirm`] succeeds.
pub async fn start_setup() -> Result<AppSetup, AppError> {
    let token = access_token().await?;
    let secret = Cognito::new(&config()?)
        .new_authenticator_secret(&token)
        .await?;
    let account = user().get_untracked().map(|u| u.email).unwrap_or_default();
    Ok(AppSetup {
        uri: otpauth_uri(&account, &secret),
        secret,
    })
}

/// Confirms the setup with a code the app shows; from then on, sign-in asks for one.
pub async fn confirm(code: &str) -> Result<(), AppError> {
    let token = access_token().await?;
    Cognito::new(&config()?)
        .confirm_authenticator_app(&token, code)
        .await
}

pub async fn turn_off() -> Result<(), AppError> {
    let token = access_token().await?;
    Cognito::new(&config()?)
        .set_authenticator_app(&token, false)
        .await
}

/// The key URI format authenticator apps read (Google Authenticator's, which the others follow).
pub fn otpauth_uri(account: &str, secret: &str) -> String {
    let label = form_urlencoded::byte_serialize(format!("{ISSUER}:{account}").as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits=6&period=30"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uri_names_the_issuer_and_account_and_carries_the_secret() {
        assert_eq!(
            otpauth_uri("ada lovelace+blog@example.com", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/Stratus%3Aada%20lovelace%2Bblog%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Stratus&algorithm=SHA1&digits=6&period=30"
        );
    }
}
