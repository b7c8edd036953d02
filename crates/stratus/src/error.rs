//! The one error type of the application.
//!
//! Every server function returns `Result<T, AppError>`. The server maps each variant to an
//! HTTP status in one place (`server/src/routes/api.rs`), and the browser shows each one
//! through the one error view (`crate::error_view`).

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// On the wire every error is `{"kind": ..., "message": ...}`, plus `field` for invalid input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AppError {
    /// The caller sent something we cannot accept; `field` names the input at fault.
    #[error("{message}")]
    Invalid {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
        message: String,
    },

    /// The caller must sign in (or sign in again) first: no valid identity came with the call.
    #[error("{message}")]
    Unauthorized { message: String },

    /// The caller is known, and not allowed to do this.
    #[error("{message}")]
    Forbidden { message: String },

    #[error("{message}")]
    NotFound { message: String },

    #[error("{message}")]
    Conflict { message: String },

    /// A backing service (DynamoDB, Cognito) cannot be reached; trying again later may work.
    #[error("{message}")]
    Unavailable { message: String },

    /// The browser could not reach the server at all.
    #[error("Could not reach the server: {message}")]
    Network { message: String },

    /// Our fault, not the caller's. The message is safe to show; details are in the server log.
    #[error("{message}")]
    Internal { message: String },
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    pub fn malformed(message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: None,
            message: message.into(),
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        AppError::Unauthorized {
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden {
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFound {
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict {
            message: message.into(),
        }
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        AppError::Unavailable {
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        AppError::Internal {
            message: message.into(),
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } => 400,
            AppError::Unauthorized { .. } => 401,
            AppError::Forbidden { .. } => 403,
            AppError::NotFound { .. } => 404,
            AppError::Conflict { .. } => 409,
            AppError::Unavailable { .. } => 503,
            AppError::Network { .. } => 502,
            AppError::Internal { .. } => 500,
        }
    }

    /// The input field this error is about, for showing the message next to it.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Whether trying the same call again could succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            AppError::Unavailable { .. } | AppError::Network { .. } | AppError::Internal { .. }
        )
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request body or query did not decode into the function's arguments.
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => {
                AppError::malformed(format!("The request is malformed: {message}"))
            }
            ServerFnErrorErr::Request(message) => AppError::Network { message },
            // On the server this is the request that did not decode; in the browser, the answer.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(message) => {
                AppError::malformed(format!("The request is malformed: {message}"))
            }
            #[cfg(not(feature = "ssr"))]
            ServerFnErrorErr::Deserialization(message) => {
                AppError::internal(format!("The server's answer could not be read: {message}"))
            }
            other => AppError::internal(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_round_trips_through_its_wire_form() {
        let errors = [
            AppError::invalid("name", "Please enter your name."),
            AppError::malformed("The request is malformed: EOF"),
            AppError::not_found("nothing here"),
            AppError::conflict("changed"),
            AppError::unavailable("down"),
            AppError::Network {
                message: "offline".into(),
            },
            AppError::internal("oops"),
        ];
        for error in errors {
            let wire = <AppError as FromServerFnError>::ser(&error);
            assert_eq!(<AppError as FromServerFnError>::de(wire), error);
        }
    }

    #[test]
    fn the_wire_form_is_kind_message_and_field() {
        let wire =
            serde_json::to_value(AppError::invalid("name", "Please enter your name.")).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({"kind": "invalid", "field": "name", "message": "Please enter your name."})
        );
        let wire = serde_json::to_value(AppError::unavailable("down")).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({"kind": "unavailable", "message": "down"})
        );
    }
}
