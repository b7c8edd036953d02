//! The app's [`Store`] over DynamoDB.

use std::collections::HashMap;

use app::error::AppError;
use app::store::{SortOrder, Store, TableSpec};
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;

pub struct DynamoStore {
    client: aws_sdk_dynamodb::Client,
    table_prefix: String,
}

impl DynamoStore {
    pub fn new(client: aws_sdk_dynamodb::Client, table_prefix: impl Into<String>) -> Self {
        Self { client, table_prefix: table_prefix.into() }
    }

    fn table_name(&self, table: &TableSpec) -> String {
        format!("{}{}", self.table_prefix, table.name)
    }
}

#[async_trait::async_trait]
impl Store for DynamoStore {
    async fn put_new(&self, table: &TableSpec, item: serde_json::Value) -> Result<(), AppError> {
        let table_name = self.table_name(table);
        let item: HashMap<String, AttributeValue> = serde_dynamo::to_item(item)
            .map_err(|e| AppError::internal(format!("could not encode a {} item: {e}", table.name)))?;
        self.client
            .put_item()
            .table_name(&table_name)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", table.partition_key)
            .send()
            .await
            .map_err(|error| {
                if error.as_service_error().is_some_and(|e| e.is_conditional_check_failed_exception()) {
                    AppError::conflict(format!("This {} item already exists.", table.name))
                } else {
                    store_error(&table_name, error)
                }
            })?;
        Ok(())
    }

    async fn query_partition(
        &self,
        table: &TableSpec,
        partition_value: &str,
        order: SortOrder,
        limit: u32,
    ) -> Result<Vec<serde_json::Value>, AppError> {
        let table_name = self.table_name(table);
        let output = self
            .client
            .query()
            .table_name(&table_name)
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", table.partition_key)
            .expression_attribute_values(":pk", AttributeValue::S(partition_value.to_owned()))
            .scan_index_forward(order == SortOrder::Ascending)
            .limit(limit.clamp(1, 1000) as i32)
            .send()
            .await
            .map_err(|error| store_error(&table_name, error))?;
        output
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|item| {
                serde_dynamo::from_item(item)
                    .map_err(|e| AppError::internal(format!("could not decode a {} item: {e}", table.name)))
            })
            .collect()
    }
}

/// Turns an SDK failure into what the caller may know: the details go to the log only.
fn store_error<E, R>(table_name: &str, error: SdkError<E, R>) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let unavailable = || AppError::unavailable("The database cannot be reached right now. Please try again in a moment.");
    match &error {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            tracing::error!(table = table_name, error = %aws_smithy_error_chain(&error), "DynamoDB unreachable");
            unavailable()
        }
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or("unknown");
            tracing::error!(table = table_name, code, message = service.err().message(), "DynamoDB refused a call");
            match code {
                "ResourceNotFoundException" => AppError::unavailable(format!(
                    "The table {table_name} does not exist yet: the stack needs provisioning."
                )),
                "ProvisionedThroughputExceededException" | "ThrottlingException" | "RequestLimitExceeded"
                | "InternalServerError" | "ServiceUnavailable" => unavailable(),
                _ => AppError::internal("The database refused the request."),
            }
        }
        _ => {
            tracing::error!(table = table_name, error = %aws_smithy_error_chain(&error), "DynamoDB call failed");
            AppError::internal("The database call failed.")
        }
    }
}

/// The whole `source()` chain: the SDK's top-level message alone rarely says what happened.
fn aws_smithy_error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
