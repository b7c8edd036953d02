//! The one error type of the application.
//!
//! Every server function returns `Result<T, AppError>`. The server maps each variant to an
//! HTTP status in one place ([`AppError::status`], used by `stratus-server`'s `routes/api.rs`), and the browser shows each one
//! through the one error view (`crate::error_view`).

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// What exactly went wrong, stable across releases: clients decide what to say and whether to
/// retry from it, never from the message. On the wire in snake_case (`version_conflict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A field of the input is wrong (the error names it).
    InvalidInput,
    /// The request itself could not be read.
    MalformedRequest,
    SignInRequired,
    Forbidden,
    NotFound,
    AlreadyExists,
    /// The item changed since the caller read it (the message says which versions).
    VersionConflict,
    /// Something the write depended on changed while it was written; trying again may work.
    ChangedMeanwhile,
    /// More items than one call may touch.
    TooManyItems,
    /// The database is refusing calls for now (rate limits).
    Throttled,
    /// A backing service cannot be reached.
    Unavailable,
    /// A table the schema needs does not exist: provisioning has not run.
    MissingTable,
    /// A service answered something that could not be read: trying again will not help.
    UnreadableAnswer,
    /// The browser could not reach the server.
    Network,
    Internal,
}

impl ErrorCode {
    /// Whether the same call, made again later, could succeed.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::ChangedMeanwhile
                | ErrorCode::Throttled
                | ErrorCode::Unavailable
                | ErrorCode::Network
        )
    }
}

/// On the wire every error is `{"kind": ..., "code": ..., "message": ...}`, plus `field` for
/// invalid input (`WireError`). The kind decides the HTTP status; the code says exactly what
/// happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(from = "WireError", into = "WireError")]
pub enum AppError {
    /// The caller sent something we cannot accept; `field` names the input at fault.
    #[error("{message}")]
    Invalid {
        code: ErrorCode,
        field: Option<String>,
        message: String,
    },

    /// The caller must sign in (or sign in again) first: no valid identity came with the call.
    #[error("{message}")]
    Unauthorized { code: ErrorCode, message: String },

    /// The caller is known, and not allowed to do this.
    #[error("{message}")]
    Forbidden { code: ErrorCode, message: String },

    #[error("{message}")]
    NotFound { code: ErrorCode, message: String },

    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },

    /// A backing service (DynamoDB, Cognito) cannot be reached or is refusing calls for now.
    #[error("{message}")]
    Unavailable { code: ErrorCode, message: String },

    /// The browser could not reach the server at all.
    #[error("Could not reach the server: {message}")]
    Network { code: ErrorCode, message: String },

    /// Our fault, not the caller's. The message is safe to show; details are in the server log.
    #[error("{message}")]
    Internal { code: ErrorCode, message: String },
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            code: ErrorCode::InvalidInput,
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    pub fn malformed(message: impl Into<String>) -> Self {
        AppError::Invalid {
            code: ErrorCode::MalformedRequest,
            field: None,
            message: message.into(),
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::unauthorized_because(ErrorCode::SignInRequired, message)
    }

    pub fn unauthorized_because(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Unauthorized {
            code,
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::forbidden_because(ErrorCode::Forbidden, message)
    }

    pub fn forbidden_because(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Forbidden {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::not_found_because(ErrorCode::NotFound, message)
    }

    pub fn not_found_because(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::NotFound {
            code,
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::conflict_because(ErrorCode::VersionConflict, message)
    }

    pub fn conflict_because(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::unavailable_because(ErrorCode::Unavailable, message)
    }

    pub fn unavailable_because(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Unavailable {
            code,
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::internal_because(ErrorCode::Internal, message)
    }

    pub fn internal_because(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Internal {
            code,
            message: message.into(),
        }
    }

    pub fn network(message: impl Into<String>) -> Self {
        AppError::Network {
            code: ErrorCode::Network,
            message: message.into(),
        }
    }

    /// What exactly went wrong.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Invalid { code, .. }
            | AppError::Unauthorized { code, .. }
            | AppError::Forbidden { code, .. }
            | AppError::NotFound { code, .. }
            | AppError::Conflict { code, .. }
            | AppError::Unavailable { code, .. }
            | AppError::Network { code, .. }
            | AppError::Internal { code, .. } => *code,
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
        self.code().is_retryable()
    }
}

/// The wire form of [`AppError`], one flat object whatever the kind. Not serde's internally
/// tagged enum (`#[serde(tag = "kind")]`), which writes the same JSON: that one buffers each
/// object before it reads it, and its code was most of this type's weight in the browser's wasm.
#[derive(Serialize, Deserialize)]
struct WireError {
    kind: ErrorKind,
    code: ErrorCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    message: String,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum ErrorKind {
    Invalid,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Unavailable,
    Network,
    Internal,
}

impl From<WireError> for AppError {
    fn from(wire: WireError) -> Self {
        let WireError {
            kind,
            code,
            field,
            message,
        } = wire;
        match kind {
            ErrorKind::Invalid => AppError::Invalid {
                code,
                field,
                message,
            },
            ErrorKind::Unauthorized => AppError::Unauthorized { code, message },
            ErrorKind::Forbidden => AppError::Forbidden { code, message },
            ErrorKind::NotFound => AppError::NotFound { code, message },
            ErrorKind::Conflict => AppError::Conflict { code, message },
            ErrorKind::Unavailable => AppError::Unavailable { code, message },
            ErrorKind::Network => AppError::Network { code, message },
            ErrorKind::Internal => AppError::Internal { code, message },
        }
    }
}

impl From<AppError> for WireError {
    fn from(error: AppError) -> Self {
        let (kind, code, field, message) = match error {
            AppError::Invalid {
                code,
                field,
                message,
            } => (ErrorKind::Invalid, code, field, message),
            AppError::Unauthorized { code, message } => {
                (ErrorKind::Unauthorized, code, None, message)
            }
            AppError::Forbidden { code, message } => (ErrorKind::Forbidden, code, None, message),
            AppError::NotFound { code, message } => (ErrorKind::NotFound, code, None, message),
            AppError::Conflict { code, message } => (ErrorKind::Conflict, code, None, message),
            AppError::Unavailable { code, message } => {
                (ErrorKind::Unavailable, code, None, message)
            }
            AppError::Network { code, message } => (ErrorKind::Network, code, None, message),
            AppError::Internal { code, message } => (ErrorKind::Internal, code, None, message),
        };
        WireError {
            kind,
            code,
            field,
            message,
        }
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
            ServerFnErrorErr::Request(message) => AppError::network(message),
            // On the server this is the request that did not decode; in the browser, the answer.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(message) => {
                AppError::malformed(format!("The request is malformed: {message}"))
            }
            #[cfg(not(feature = "ssr"))]
            ServerFnErrorErr::Deserialization(message) => AppError::internal_because(
                ErrorCode::UnreadableAnswer,
                format!("The server's answer could not be read: {message}"),
            ),
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
            AppError::unauthorized("sign in"),
            AppError::forbidden("not yours"),
            AppError::not_found("nothing here"),
            AppError::conflict("changed"),
            AppError::unavailable("down"),
            AppError::network("offline"),
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
            serde_json::json!({"kind": "invalid", "code": "invalid_input", "field": "name", "message": "Please enter your name."})
        );
        let wire = serde_json::to_value(AppError::unavailable("down")).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({"kind": "unavailable", "code": "unavailable", "message": "down"})
        );
        let wire = serde_json::to_value(AppError::not_found("gone")).unwrap();
        assert_eq!(wire["kind"], "notFound");
        let unknown = serde_json::from_value::<AppError>(
            serde_json::json!({"kind": "teapot", "code": "internal", "message": "?"}),
        );
        assert!(unknown.is_err(), "{unknown:?}");
    }
}
