//! The app's [`Store`] over DynamoDB: the generic data layer. Generated server functions name a
//! model's spec; everything DynamoDB-specific happens here, once for every model.

mod errors;
mod filter;
mod items;
mod keys;
mod models;
mod paging;
mod relations;

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

    async fn get_item(&self, model: &'static ModelSpec, key: Value, include: &[String]) -> Result<Option<Value>, AppError> {
        let Some(item) = models::get(self, model, key).await? else { return Ok(None) };
        let mut items = vec![models::object(item)?];
        relations::load_includes(self, model, &mut items, include, relations::Scope::OneItem, 0).await?;
        Ok(items.pop().map(Value::Object))
    }

    async fn list_items(&self, model: &'static ModelSpec, request: ListRequest) -> Result<ItemPage, AppError> {
        let include = request.include.clone();
        let page = models::list(self, model, request).await?;
        if include.is_empty() {
            return Ok(page);
        }
        let mut items: Vec<serde_json::Map<String, Value>> = page.items.into_iter().map(models::object).collect::<Result<_, _>>()?;
        relations::load_includes(self, model, &mut items, &include, relations::Scope::List, 0).await?;
        Ok(ItemPage { items: items.into_iter().map(Value::Object).collect(), next_token: page.next_token })
    }

    async fn list_related(
        &self,
        model: &'static ModelSpec,
        field: &'static str,
        own_key: Value,
        limit: Option<u32>,
        next_token: Option<String>,
    ) -> Result<ItemPage, AppError> {
        relations::list_related(self, model, field, own_key, limit, next_token).await
    }

    async fn link_items(&self, model: &'static ModelSpec, field: &'static str, own_id: Value, target_id: Value) -> Result<(), AppError> {
        relations::link(self, model, field, own_id, target_id).await
    }

    async fn unlink_items(&self, model: &'static ModelSpec, field: &'static str, own_id: Value, target_id: Value) -> Result<(), AppError> {
        relations::unlink(self, model, field, own_id, target_id).await
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

