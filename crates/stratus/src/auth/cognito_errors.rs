//! Cognito's refusals in words a person understands, attached to the form field they concern
//! (`email`, `password`, `code`), so the forms show them where the user is looking.

use crate::error::{AppError, ErrorCode};

/// `kind` is Cognito's `__type` (`NotAuthorizedException`), `message` its own text.
pub fn to_app_error(kind: &str, message: &str) -> AppError {
    let kind = kind.rsplit('#').next().unwrap_or(kind);
    match kind {
        "NotAuthorizedException" if message.contains("Refresh Token") => {
            AppError::unauthorized("Your session has ended. Please sign in again.")
        }
        // The same words for an unknown email as for a wrong password: a sign-in page must
        // not tell a stranger who has an account (the user pool is set up the same way).
        "NotAuthorizedException" | "UserNotFoundException" => {
            AppError::malformed("Wrong email or password.")
        }
        "UserNotConfirmedException" => AppError::invalid(
            "email",
            "This account is not confirmed yet: enter the code we emailed you.",
        ),
        "UsernameExistsException" => AppError::invalid(
            "email",
            "An account with this email already exists. Sign in instead?",
        ),
        "InvalidPasswordException" => AppError::invalid(
            "password",
            "The password does not meet the policy shown below the field.",
        ),
        "CodeMismatchException" => AppError::invalid(
            "code",
            "That code is not right. Check the email we sent and try again.",
        ),
        "ExpiredCodeException" => {
            AppError::invalid("code", "That code has expired. Ask for a new one.")
        }
        "LimitExceededException"
        | "TooManyRequestsException"
        | "TooManyFailedAttemptsException" => AppError::unavailable_because(
            ErrorCode::Throttled,
            "Too many attempts. Wait a few minutes, then try again.",
        ),
        "InvalidParameterException" => AppError::malformed(message.to_owned()),
        _ => AppError::unavailable(format!(
            "Sign-in is not working right now ({kind}). Please try again."
        )),
    }
}

/// Refusals of a code from the user's authenticator app (multi-factor sign-in, and turning it on).
pub fn to_app_code_error(kind: &str, message: &str) -> AppError {
    let kind = kind.rsplit('#').next().unwrap_or(kind);
    match kind {
        "CodeMismatchException" | "EnableSoftwareTokenMFAException" => AppError::invalid(
            "code",
            "That code is not right. Enter the 6 digits your authenticator app shows now.",
        ),
        "ExpiredCodeException" => AppError::invalid(
            "code",
            "That code was already used or is too old. Wait for the next one and enter it.",
        ),
        "NotAuthorizedException" if message.to_lowercase().contains("session") => {
            AppError::malformed("This sign-in took too long. Please enter your password again.")
        }
        _ => to_app_error(kind, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_field_they_concern() {
        assert_eq!(
            to_app_error("NotAuthorizedException", "Incorrect username or password.").to_string(),
            "Wrong email or password."
        );
        assert_eq!(
            to_app_error("UserNotFoundException", "User does not exist."),
            to_app_error("NotAuthorizedException", "Incorrect username or password."),
            "an unknown email reads like a wrong password"
        );
        assert!(to_app_error("UserNotConfirmedException", "")
            .to_string()
            .contains("not confirmed"));
        assert_eq!(
            to_app_error("UsernameExistsException", "").field(),
            Some("email")
        );
        assert_eq!(
            to_app_error("InvalidPasswordException", "").field(),
            Some("password")
        );
        let wrong_code = to_app_error("com.amazonaws#CodeMismatchException", "Invalid code");
        assert_eq!(
            (
                wrong_code.field(),
                wrong_code.to_string().contains("not right")
            ),
            (Some("code"), true)
        );
        assert_eq!(
            to_app_error("NotAuthorizedException", "Invalid Refresh Token").status(),
            401
        );
    }

    #[test]
    fn an_authenticator_code_is_refused_in_its_own_words() {
        let wrong = to_app_code_error("CodeMismatchException", "Invalid code received for user");
        assert_eq!(wrong.field(), Some("code"));
        assert!(wrong.to_string().contains("authenticator app"), "{wrong}");
        let slow = to_app_code_error(
            "NotAuthorizedException",
            "Invalid session for the user, session is expired.",
        );
        assert!(slow.to_string().contains("password again"), "{slow}");
    }
}
