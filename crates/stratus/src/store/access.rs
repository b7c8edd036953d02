//! Typed calls from generated server functions into the server's generic data layer
//! ([`crate::store::Store`], provided per request as Leptos context), as the verified caller.
//! The data layer authorizes every item a call touches; nothing here decides access.

use serde::Serialize;
use serde_json::Value;

use super::{Db, ListRequest};
use crate::data::auth::Caller;
use crate::data::relation::{self, Include, Relation};
use crate::data::{Connection, Model, Query};
use crate::error::AppError;

/// The item `key` names, if it exists and the caller may read it.
pub async fn get<M: Model>(
    key: Value,
    include: Option<Vec<Include<M>>>,
) -> Result<Option<M>, AppError> {
    let item = Db::from_context()?
        .0
        .get_item(
            &Caller::from_context(),
            M::SPEC,
            key,
            &relation::paths(&include.unwrap_or_default()),
        )
        .await?;
    item.map(decode::<M>).transpose()
}

impl<M: Model> Query<M> {
    /// Runs the query as the calling user: one page of the items they may read.
    pub async fn fetch(self) -> Result<Connection<M>, AppError> {
        let filter = self
            .filter
            .as_ref()
            .map(|f| encode(M::SPEC.name, f))
            .transpose()?;
        let request = ListRequest {
            index: self.index,
            partition: self.partition,
            sort: self.sort,
            direction: self.direction,
            filter,
            limit: self.limit,
            next_token: self.next_token,
            include: relation::paths(&self.include),
        };
        list_items::<M>(request).await
    }
}

/// One page of a list, as the caller may read it ([`Query::fetch`] builds the request).
pub async fn list_items<M: Model>(request: ListRequest) -> Result<Connection<M>, AppError> {
    let page = Db::from_context()?
        .0
        .list_items(&Caller::from_context(), M::SPEC, request)
        .await?;
    connection(page)
}

pub async fn create<M: Model, I: Serialize>(input: &I) -> Result<M, AppError> {
    let input = encode(M::SPEC.name, input)?;
    decode(
        Db::from_context()?
            .0
            .create_item(&Caller::from_context(), M::SPEC, input)
            .await?,
    )
}

pub async fn update<M: Model, I: Serialize>(input: &I) -> Result<M, AppError> {
    let input = encode(M::SPEC.name, input)?;
    decode(
        Db::from_context()?
            .0
            .update_item(&Caller::from_context(), M::SPEC, input)
            .await?,
    )
}

pub async fn delete<M: Model>(key: Value, expected_version: Option<u64>) -> Result<M, AppError> {
    decode(
        Db::from_context()?
            .0
            .delete_item(&Caller::from_context(), M::SPEC, key, expected_version)
            .await?,
    )
}

/// One page of the items `relation` relates to the item `own_key` names (a generated relation
/// function).
pub async fn related<M: Model, T: Model>(
    relation: Relation<M, T>,
    own_key: Value,
    limit: Option<u32>,
    next_token: Option<String>,
    include: Option<Vec<Include<T>>>,
) -> Result<Connection<T>, AppError> {
    let page = Db::from_context()?
        .0
        .list_related(
            &Caller::from_context(),
            M::SPEC,
            relation.field(),
            own_key,
            limit,
            next_token,
            &relation::paths(&include.unwrap_or_default()),
        )
        .await?;
    connection(page)
}

/// How many items of the @hasMany `relation` of the item `own_id` names the caller may read.
pub async fn count_related<M: Model, T: Model>(
    relation: Relation<M, T>,
    own_id: String,
) -> Result<u64, AppError> {
    Db::from_context()?
        .0
        .count_related(
            &Caller::from_context(),
            M::SPEC,
            relation.field(),
            Value::String(own_id),
        )
        .await
}

pub async fn link<M: Model, T: Model>(
    relation: Relation<M, T>,
    own_id: String,
    target_id: String,
) -> Result<(), AppError> {
    Db::from_context()?
        .0
        .link_items(
            &Caller::from_context(),
            M::SPEC,
            relation.field(),
            Value::String(own_id),
            Value::String(target_id),
        )
        .await
}

pub async fn unlink<M: Model, T: Model>(
    relation: Relation<M, T>,
    own_id: String,
    target_id: String,
) -> Result<(), AppError> {
    Db::from_context()?
        .0
        .unlink_items(
            &Caller::from_context(),
            M::SPEC,
            relation.field(),
            Value::String(own_id),
            Value::String(target_id),
        )
        .await
}

fn encode<T: Serialize>(model: &str, value: &T) -> Result<Value, AppError> {
    serde_json::to_value(value)
        .map_err(|e| AppError::internal(format!("could not encode a {model} request: {e}")))
}

fn decode<M: Model>(item: Value) -> Result<M, AppError> {
    serde_json::from_value(item).map_err(|e| {
        AppError::internal(format!(
            "a stored {} item does not match the schema: {e}",
            M::SPEC.name
        ))
    })
}

fn connection<T: Model>(page: crate::store::ItemPage) -> Result<Connection<T>, AppError> {
    Ok(Connection {
        items: page
            .items
            .into_iter()
            .map(decode::<T>)
            .collect::<Result<_, _>>()?,
        next_token: page.next_token,
    })
}
