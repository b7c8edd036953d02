//! The app's [`Store`] over DynamoDB: the generic data layer. Generated server functions name a
//! model's spec; everything DynamoDB-specific happens here, once for every model.

mod errors;
mod filter;
mod items;
mod keys;
mod models;
mod paging;

use errors::store_error;

use std::collections::HashMap;

use app::error::AppError;
use app::data::spec::ModelSpec;
use app::store::{ItemPage, ListRequest, SortOrder, Store, TableSpec};
use serde_json::Value;
use aws_sdk_dynamodb::types::AttributeValue;

pub struct DynamoStore {
    pub(crate) client: aws_sdk_dynamodb::Client,
    table_prefix: String,
}

impl DynamoStore {
    pub fn new(client: aws_sdk_dynamodb::Client, table_prefix: impl Into<String>) -> Self {
        Self { client, table_prefix: table_prefix.into() }
    }

    fn table_name(&self, table: &TableSpec) -> String {
        format!("{}{}", self.table_prefix, table.name)
    }

    fn model_table(&self, model: &ModelSpec) -> String {
        format!("{}{}", self.table_prefix, model.name)
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

    async fn get_item(&self, model: &'static ModelSpec, key: Value) -> Result<Option<Value>, AppError> {
        models::get(self, model, key).await
    }

    async fn list_items(&self, model: &'static ModelSpec, request: ListRequest) -> Result<ItemPage, AppError> {
        models::list(self, model, request).await
    }

    async fn create_item(&self, model: &'static ModelSpec, input: Value) -> Result<Value, AppError> {
        models::create(self, model, input).await
    }

    async fn update_item(&self, model: &'static ModelSpec, input: Value) -> Result<Value, AppError> {
        models::update(self, model, input).await
    }

    async fn delete_item(&self, model: &'static ModelSpec, key: Value, expected_version: Option<u64>) -> Result<Value, AppError> {
        models::delete(self, model, key, expected_version).await
    }
}

