//! The app's [`Store`] over DynamoDB: the generic data layer. Generated server functions name a
//! model's spec; everything DynamoDB-specific happens here, once for every model.
//!
//! A write is a pipeline, one module a step: `models::prepare_*` reads and checks what the call
//! names, `plan` finds every item it touches (foreign-key targets, link targets, cascade
//! children), `authorize` checks each of them against its own model's rules for the caller, and
//! only then `models`, `relations` or `cascade` write. Reads go through `authorize` on the way
//! out. Dependencies point one way: `models` (items, lists, transactions) knows no relation;
//! `relations` builds on it; `plan`, `cascade` and `authorize` on both.

pub(crate) mod amplify;
mod authorize;
mod cascade;
mod dynamo;
pub(crate) mod errors;
mod filter;
mod items;
mod keys;
mod models;
mod owner;
mod paging;
mod plan;
mod relations;

use serde_json::{Map, Value};
use stratus::data::auth::Caller;
use stratus::data::spec::{ModelSpec, Operation, RelationKind};
use stratus::data::StoreError;
use stratus::error::AppError;
use stratus::store::{ItemPage, ListRequest, Store};

use authorize::Authorizer;
pub use dynamo::DynamoStore;
pub use filter::validate as validate_filter;

/// Every operation runs the same pipeline: read what the call names, plan every item it
/// touches, authorize the whole plan for the caller, then write; reads are shaped to what the
/// caller may see before they leave.
#[async_trait::async_trait]
impl Store for DynamoStore {
    async fn get_item(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        key: Value,
        include: &[String],
    ) -> Result<Option<Value>, AppError> {
        let authorizer = Authorizer::new(self, caller);
        authorizer.require_possible(model, Operation::Read)?;
        let Some(item) = models::get(self, model, key).await? else {
            return Ok(None);
        };
        let mut items = vec![models::object(item)?];
        relations::load_includes(
            self,
            model,
            &mut items,
            include,
            relations::Scope::OneItem,
            0,
        )
        .await?;
        let item = items.pop().expect("one item");
        Ok(authorizer.shape(model, item)?.map(Value::Object))
    }

    async fn list_items(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        mut request: ListRequest,
    ) -> Result<ItemPage, AppError> {
        let authorizer = Authorizer::new(self, caller);
        request.filter = authorizer.list_filter(model, request.filter.take())?;
        let include = std::mem::take(&mut request.include);
        let page = models::list(self, model, request).await?;
        let mut items: Vec<Map<String, Value>> = page
            .items
            .into_iter()
            .map(models::object)
            .collect::<Result<_, _>>()?;
        relations::load_includes(self, model, &mut items, &include, relations::Scope::List, 0)
            .await?;
        let items = authorizer.shape_all(model, items.into_iter().map(Value::Object).collect())?;
        Ok(ItemPage {
            items,
            next_token: page.next_token,
        })
    }

    async fn list_related(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        field: &'static str,
        own_key: Value,
        limit: Option<u32>,
        next_token: Option<String>,
        include: &[String],
    ) -> Result<ItemPage, AppError> {
        let authorizer = Authorizer::new(self, caller);
        let relation = relations::relation_of(model, field)?;
        let target = relation.target;
        // The item whose relation this is must be one the caller may read.
        let own = models::get(self, model, own_key)
            .await?
            .map(models::object)
            .transpose()?;
        let Some(own) = own
            .map(|own| authorizer.shape(model, own))
            .transpose()?
            .flatten()
        else {
            return Err(StoreError::NotFound {
                model: model.name,
                id: None,
            }
            .into());
        };
        let filter = match relation.kind {
            RelationKind::HasMany => authorizer.list_filter(target, None)?,
            _ => None,
        };
        let page =
            relations::list_related(self, model, relation, &own, filter, limit, next_token).await?;
        let mut items: Vec<Map<String, Value>> = page
            .items
            .into_iter()
            .map(models::object)
            .collect::<Result<_, _>>()?;
        // Included items are shaped with the rest: each by its own model's rules.
        relations::load_includes(self, target, &mut items, include, relations::Scope::List, 0)
            .await?;
        Ok(ItemPage {
            items: authorizer.shape_all(target, items.into_iter().map(Value::Object).collect())?,
            next_token: page.next_token,
        })
    }

    async fn count_related(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        field: &'static str,
        own_id: Value,
    ) -> Result<u64, AppError> {
        let relation = relations::relation_of(model, field)?;
        let filter = Authorizer::new(self, caller).list_filter(relation.target, None)?;
        relations::count_related(self, model, relation, own_id, filter).await
    }

    async fn link_items(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        field: &'static str,
        own_id: Value,
        target_id: Value,
    ) -> Result<(), AppError> {
        let (relation, own, target_id) = self
            .prepare_link(caller, model, field, own_id, target_id)
            .await?;
        relations::link(self, model, relation, &own, &target_id).await
    }

    async fn unlink_items(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        field: &'static str,
        own_id: Value,
        target_id: Value,
    ) -> Result<(), AppError> {
        let (relation, own, target_id) = self
            .prepare_link(caller, model, field, own_id, target_id)
            .await?;
        relations::unlink(self, model, relation, &own, &target_id).await
    }

    async fn create_item(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        input: Value,
    ) -> Result<Value, AppError> {
        let mut authorizer = Authorizer::new(self, caller);
        authorizer.require_possible(model, Operation::Create)?;
        let mut input = models::object(input)?;
        let links = relations::take_links(model, &mut input)?;
        let new = models::prepare_create(model, Value::Object(input), caller)?;
        let plan =
            plan::create(self, caller, model, &new.item, new.written.clone(), &links).await?;
        authorizer.authorize(&plan).await?;
        let created = if links.is_empty() {
            models::create(self, model, new, &plan.target_conditions).await?
        } else {
            relations::create_linked(self, model, new.item, links, &plan.target_conditions).await?
        };
        authorizer.shape_written(model, created)
    }

    async fn update_item(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        input: Value,
    ) -> Result<Value, AppError> {
        let mut authorizer = Authorizer::new(self, caller);
        authorizer.require_possible(model, Operation::Update)?;
        let change = models::prepare_update(self, model, input).await?;
        let plan = plan::update(self, caller, model, &change.before, &change.changes).await?;
        authorizer.authorize(&plan).await?;
        let updated = models::update(self, model, change, &plan.target_conditions).await?;
        authorizer.shape_written(model, updated)
    }

    async fn delete_item(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        key: Value,
        expected_version: Option<u64>,
    ) -> Result<Value, AppError> {
        let mut authorizer = Authorizer::new(self, caller);
        authorizer.require_possible(model, Operation::Delete)?;
        let item = models::prepare_delete(self, model, key, expected_version).await?;
        let (plan, cascade) = plan::delete(self, model, item).await?;
        authorizer.authorize(&plan).await?;
        let deleted = cascade::run(self, model, cascade).await?;
        authorizer.shape_written(model, deleted)
    }
}

impl DynamoStore {
    /// Reads and authorizes both sides of a link or unlink.
    async fn prepare_link(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        field: &'static str,
        own_id: Value,
        target_id: Value,
    ) -> Result<
        (
            &'static stratus::data::spec::RelationSpec,
            Map<String, Value>,
            String,
        ),
        AppError,
    > {
        let mut authorizer = Authorizer::new(self, caller);
        authorizer.require_possible(model, Operation::Update)?;
        let relation = relations::many_to_many(model, field)?;
        let (own_id, target_id) = (
            relations::id_text(model, &own_id)?,
            relations::id_text(model, &target_id)?,
        );
        let own = models::get(
            self,
            model,
            serde_json::json!({ model.primary_key.partition: own_id }),
        )
        .await?;
        let Some(own) = own.map(models::object).transpose()? else {
            return Err(StoreError::NotFound {
                model: model.name,
                id: Some(own_id.to_string()),
            }
            .into());
        };
        let plan = plan::link(self, model, relation, own.clone(), &target_id).await?;
        authorizer.authorize(&plan).await?;
        Ok((relation, own, target_id))
    }
}
