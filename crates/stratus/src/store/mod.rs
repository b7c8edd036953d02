//! The boundary between server functions and the data layer (server side only).
//!
//! The schema's models say what is stored; the `server` crate implements [`Store`] over
//! DynamoDB and provides it as Leptos context. Keeping the trait here means the app never links
//! the AWS SDK, and the server owns every DynamoDB detail. [`access`] is the typed side of it
//! that generated and hand-written server functions call.

pub mod access;

use std::sync::Arc;

use crate::data::auth::Caller;
use crate::data::filter::{KeyCondition, SortDirection};
use crate::data::spec::ModelSpec;
use crate::error::AppError;

/// One list call: a scan of the table, or a query of one partition (of an index, or of the
/// table's own key); then a filter.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub index: Option<&'static str>,
    pub partition: Option<serde_json::Value>,
    pub sort: Option<KeyCondition>,
    pub direction: SortDirection,
    /// An Amplify filter tree (the generated `Model<X>Filter`, as JSON).
    pub filter: Option<serde_json::Value>,
    /// Up to this many *matching* items per page.
    pub limit: Option<u32>,
    pub next_token: Option<String>,
    /// Relations to load with each item, as dot paths (`blog`, `tags`, `posts.tags`).
    pub include: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ItemPage {
    pub items: Vec<serde_json::Value>,
    pub next_token: Option<String>,
}

/// The generic data layer over the schema's models, object safe so the server can provide it
/// as `Arc<dyn Store>`. Items are JSON objects whose fields the model's spec describes; the
/// store validates, keys, versions and timestamps them, and authorizes every item a call reads
/// or writes against that item's own model rules for `caller`: foreign-key targets, link
/// targets, cascade children and included items, not only the item the call names. Nothing
/// here can skip that. Typed access is `crate::data::access`.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// `Ok(None)` also for an item the caller may not read: its existence is not revealed.
    async fn get_item(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        key: serde_json::Value,
        include: &[String],
    ) -> Result<Option<serde_json::Value>, AppError>;

    /// Only items the caller may read; `limit` counts those.
    async fn list_items(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        request: ListRequest,
    ) -> Result<ItemPage, AppError>;

    /// Owner fields are set to the caller.
    async fn create_item(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, AppError>;

    /// `input` holds the key, the changed fields and `_version`, the version it is based on.
    async fn update_item(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, AppError>;

    async fn delete_item(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        key: serde_json::Value,
        expected_version: Option<u64>,
    ) -> Result<serde_json::Value, AppError>;

    /// One page of the items related to the item `own_key` names through the relation `field`:
    /// those the caller may read, each with the relations `include` names.
    #[allow(clippy::too_many_arguments)]
    async fn list_related(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        field: &'static str,
        own_key: serde_json::Value,
        limit: Option<u32>,
        next_token: Option<String>,
        include: &[String],
    ) -> Result<ItemPage, AppError>;

    /// How many items of the `@hasMany` relation `field` of the item `own_id` names the caller
    /// may read.
    async fn count_related(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        field: &'static str,
        own_id: serde_json::Value,
    ) -> Result<u64, AppError>;

    /// Links two items of a `@manyToMany` relation (idempotent), in one transaction.
    async fn link_items(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        field: &'static str,
        own_id: serde_json::Value,
        target_id: serde_json::Value,
    ) -> Result<(), AppError>;

    async fn unlink_items(
        &self,
        caller: &Caller,
        model: &'static ModelSpec,
        field: &'static str,
        own_id: serde_json::Value,
        target_id: serde_json::Value,
    ) -> Result<(), AppError>;
}

/// The [`Store`] the server provided for this request.
#[derive(Clone)]
pub struct Db(pub Arc<dyn Store>);

impl Db {
    pub fn from_context() -> Result<Self, AppError> {
        leptos::prelude::use_context::<Db>()
            .ok_or_else(|| AppError::internal("The data layer is not configured on this server."))
    }
}
