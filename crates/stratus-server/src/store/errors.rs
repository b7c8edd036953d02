//! SDK failures to what the caller may know; the details go to the log only.

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use stratus::error::AppError;

pub fn store_error<E, R>(table_name: &str, error: SdkError<E, R>) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let unavailable = || {
        AppError::unavailable(
            "The database cannot be reached right now. Please try again in a moment.",
        )
    };
    match &error {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            tracing::error!(table = table_name, error = %error_chain(&error), "DynamoDB unreachable");
            unavailable()
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
                "ResourceNotFoundException" => {
                    AppError::unavailable(format!("The table {table_name} does not exist yet: the stack needs provisioning."))
                }
                "ProvisionedThroughputExceededException" | "ThrottlingException" | "RequestLimitExceeded" => {
                    AppError::unavailable("The database is busy right now (too many requests). Please try again in a moment.")
                }
                "InternalServerError" | "ServiceUnavailable" => unavailable(),
                _ => AppError::internal("The database refused the request."),
            }
        }
        _ => {
            tracing::error!(table = table_name, error = %error_chain(&error), "DynamoDB call failed");
            AppError::internal("The database call failed.")
        }
    }
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
