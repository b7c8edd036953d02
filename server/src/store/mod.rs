//! The app's [`Store`] over DynamoDB: the generic data layer. Generated server functions name a
//! model's spec; everything DynamoDB-specific happens here, once for every model.

mod errors;
mod filter;
mod items;
mod keys;
mod models;
mod paging;
mod relations;

use app::data::spec::ModelSpec;
use app::error::AppError;
use app::store::{ItemPage, ListRequest, Store};
use serde_json::Value;

pub struct DynamoStore {
    pub(crate) client: aws_sdk_dynamodb::Client,
    table_prefix: String,
}

impl DynamoStore {
    pub fn new(client: aws_sdk_dynamodb::Client, table_prefix: impl Into<String>) -> Self {
        Self { client, table_prefix: table_prefix.into() }
    }

    fn model_table(&self, model: &ModelSpec) -> String {
        format!("{}{}", self.table_prefix, model.name)
    }
}

#[async_trait::async_trait]
impl Store for DynamoStore {
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

    async fn count_related(&self, model: &'static ModelSpec, field: &'static str, own_id: Value) -> Result<u64, AppError> {
        relations::count_related(self, model, field, own_id).await
    }

    async fn link_items(&self, model: &'static ModelSpec, field: &'static str, own_id: Value, target_id: Value) -> Result<(), AppError> {
        relations::link(self, model, field, own_id, target_id).await
    }

    async fn unlink_items(&self, model: &'static ModelSpec, field: &'static str, own_id: Value, target_id: Value) -> Result<(), AppError> {
        relations::unlink(self, model, field, own_id, target_id).await
    }

    async fn create_item(&self, model: &'static ModelSpec, input: Value, owner: Option<&str>) -> Result<Value, AppError> {
        models::create(self, model, input, owner).await
    }

    async fn update_item(&self, model: &'static ModelSpec, input: Value) -> Result<Value, AppError> {
        models::update(self, model, input).await
    }

    async fn delete_item(&self, model: &'static ModelSpec, key: Value, expected_version: Option<u64>) -> Result<Value, AppError> {
        models::delete(self, model, key, expected_version).await
    }
}

