//! The sign-up, confirmation, sign-in and password reset pages, and the header's account menu.
//! Each form checks its fields as the user types and shows Cognito's refusals next to the
//! field they concern.

mod account_menu;
mod authenticator_app;
mod fields;
mod password_reset;
mod providers;
mod security;
mod sign_in;
mod sign_up;

pub use account_menu::AccountMenu;
pub use password_reset::ForgotPasswordPage;
pub use providers::ProviderReturnPage;
pub use security::AccountSecurity;
pub use sign_in::SignInPage;
pub use sign_up::{ConfirmSignUpPage, SignUpPage};

/// Where each page lives, for links and redirects.
pub mod paths {
    pub const SIGN_UP: &str = "/signup";
    pub const CONFIRM: &str = "/confirm";
    pub const SIGN_IN: &str = "/signin";
    pub const FORGOT_PASSWORD: &str = "/forgot-password";
    /// Where the user pool sends the browser back after another identity provider's sign-in.
    pub const PROVIDER_RETURN: &str = stratus::auth::hosted::CALLBACK_PATH;

    /// Where every sign-in goes first: a new user is asked for their name there once, then
    /// sent on to `next`.
    pub const WELCOME: &str = "/welcome";

    pub fn welcome_then(next: &str) -> String {
        format!("{WELCOME}?next={}", super::sign_up::encode(next))
    }

    /// The sign-in page, which returns the person to `here` afterwards.
    pub fn sign_in_returning_to(here: &str) -> String {
        format!("{SIGN_IN}?next={}", super::sign_up::encode(here))
    }

    /// Where sign-in may send a person back to: a page of this site (`/profile`), never another
    /// site (`//evil.example`, `https://...`), whatever the link said.
    pub fn return_path(next: Option<String>) -> String {
        next.filter(|next| next.starts_with('/') && !next.starts_with("//") && !next.contains('\\'))
            .unwrap_or_else(|| "/".to_owned())
    }

    #[cfg(test)]
    mod tests {
        use super::return_path;

        #[test]
        fn sign_in_returns_only_to_pages_of_this_site() {
            assert_eq!(return_path(Some("/profile".into())), "/profile");
            assert_eq!(return_path(Some("/posts/1/edit".into())), "/posts/1/edit");
            for elsewhere in [
                "//evil.example",
                "https://evil.example",
                "/\\evil.example",
                "",
            ] {
                assert_eq!(return_path(Some(elsewhere.into())), "/", "{elsewhere}");
            }
            assert_eq!(return_path(None), "/");
        }
    }
}

/// An email address, checked as it is typed (Cognito checks it again).
pub fn check_email(email: &str) -> Option<String> {
    let email = email.trim();
    if email.is_empty() {
        return Some("Please enter your email address.".into());
    }
    let plausible = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    };
    (!plausible).then(|| "Please enter an email address, like ada@example.com.".to_owned())
}

/// Confirmation and reset codes are six digits.
pub fn check_code(code: &str) -> Option<String> {
    let code = code.trim();
    (code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()))
        .then(|| "The code is the 6 digits from the email we sent.".to_owned())
}

/// A code from an authenticator app, as typed: six digits, spaces allowed (some apps show
/// `123 456`). The digits, or what is wrong.
pub fn parse_app_code(code: &str) -> Result<String, String> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err("The code is the 6 digits your authenticator app shows.".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_codes_are_checked_as_typed() {
        assert_eq!(check_email("ada@example.com"), None);
        assert!(check_email("").unwrap().contains("enter your email"));
        assert!(check_email("ada").is_some());
        assert!(check_email("ada@example").is_some());
        assert!(check_email("a da@example.com").is_some());
        assert_eq!(check_code(" 123456 "), None);
        assert!(check_code("12345").is_some());
        assert!(check_code("12a456").is_some());
        assert_eq!(parse_app_code("123 456").as_deref(), Ok("123456"));
        assert!(parse_app_code("12345")
            .unwrap_err()
            .contains("authenticator"));
    }
}
