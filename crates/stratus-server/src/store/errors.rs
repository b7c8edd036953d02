//! Failures as [`StoreError`] data: a field's problem, and the SDK's failures (what the caller
//! may know; the details go to the log only).

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use stratus::data::{Problem, StoreError};

/// The problem a field's input has with its name, as the caller will read it.
pub fn invalid(field: &str, problem: Problem) -> AppError {
    StoreError::Invalid {
        field: field.to_owned(),
        problem,
    }
    .into()
}
use stratus::error::AppError;

pub fn store_error<E, R>(table_name: &str, error: SdkError<E, R>) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let table = table_name.to_owned();
    let error = match &error {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            tracing::error!(table = table_name, error = %error_chain(&error), "DynamoDB unreachable");
            StoreError::Unavailable { table }
        }
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or("unknown");
            tracing::error!(
                table = table_name,
                code,
                message = service.err().message(),
                "DynamoDB refused a call"
            );
            match code {
                "ResourceNotFoundException" => StoreError::MissingTable { table },
                "ProvisionedThroughputExceededException"
                | "ThrottlingException"
                | "RequestLimitExceeded" => StoreError::Throttled { table },
                "InternalServerError" | "ServiceUnavailable" => StoreError::Unavailable { table },
                _ => StoreError::Refused {
                    table,
                    code: code.to_owned(),
                },
            }
        }
        _ => {
            tracing::error!(table = table_name, error = %error_chain(&error), "DynamoDB call failed");
            StoreError::Refused {
                table,
                code: "unknown".to_owned(),
            }
        }
    };
    error.into()
}

/// The whole `source()` chain: the SDK's top-level message alone rarely says what happened.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
