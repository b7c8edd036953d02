//! Typed calls from generated server functions into the server's generic data layer
//! ([`crate::store::Store`], provided per request as Leptos context), each one checked against
//! the model's `@auth` rules for the verified caller first.

use serde::Serialize;
use serde_json::Value;

use super::auth::Caller;
use super::authorize;
use super::filter::{KeyCondition, SortDirection};
use super::spec::Operation;
use super::{Connection, Model};
use crate::error::AppError;
use crate::store::{Db, ListRequest};

/// A generated query of one partition: of an `@index`, or (`index: None`) of the table's own
/// key; with a sort key condition and direction.
pub struct IndexQuery {
    pub index: Option<&'static str>,
    pub partition: Value,
    pub sort: Option<KeyCondition>,
    pub direction: SortDirection,
}

pub async fn get<M: Model>(key: Value, include: Option<Vec<String>>) -> Result<Option<M>, AppError> {
    let caller = Caller::from_context();
    let include = include.unwrap_or_default();
    authorize::require(M::SPEC, &caller, Operation::Read)?;
    authorize::require_readable_includes(M::SPEC, &caller, &include)?;
    let item = Db::from_context()?.0.get_item(M::SPEC, key, &include).await?;
    match item {
        Some(item) if !authorize::may_read(M::SPEC, &caller, &item) => {
            Err(AppError::forbidden(format!("You may not read this {}.", M::SPEC.name)))
        }
        item => item.map(decode::<M>).transpose(),
    }
}

pub async fn list<M: Model, F: Serialize>(
    query: Option<IndexQuery>,
    filter: Option<F>,
    limit: Option<u32>,
    next_token: Option<String>,
    include: Option<Vec<String>>,
) -> Result<Connection<M>, AppError> {
    let caller = Caller::from_context();
    let include = include.unwrap_or_default();
    let filter = filter.map(|f| encode(M::SPEC.name, &f)).transpose()?;
    let filter = authorize::readable_filter(M::SPEC, &caller, filter)?;
    authorize::require_readable_includes(M::SPEC, &caller, &include)?;
    let request = match query {
        Some(query) => ListRequest {
            index: query.index,
            partition: Some(query.partition),
            sort: query.sort,
            direction: query.direction,
            filter,
            limit,
            next_token,
            include,
        },
        None => ListRequest { filter, limit, next_token, include, ..ListRequest::default() },
    };
    let page = Db::from_context()?.0.list_items(M::SPEC, request).await?;
    Ok(Connection { items: page.items.into_iter().map(decode::<M>).collect::<Result<_, _>>()?, next_token: page.next_token })
}

pub async fn create<M: Model, I: Serialize>(input: &I) -> Result<M, AppError> {
    let caller = Caller::from_context();
    authorize::require(M::SPEC, &caller, Operation::Create)?;
    let input = encode(M::SPEC.name, input)?;
    let owner = authorize::owner_of_new_item(M::SPEC, &caller);
    decode(Db::from_context()?.0.create_item(M::SPEC, input, owner.as_deref()).await?)
}

pub async fn update<M: Model, I: Serialize>(input: &I) -> Result<M, AppError> {
    let input = encode(M::SPEC.name, input)?;
    authorize::require_item(M::SPEC, &Caller::from_context(), Operation::Update, &authorize::key_of(M::SPEC, &input)).await?;
    decode(Db::from_context()?.0.update_item(M::SPEC, input).await?)
}

pub async fn delete<M: Model>(key: Value, expected_version: Option<u64>) -> Result<M, AppError> {
    authorize::require_item(M::SPEC, &Caller::from_context(), Operation::Delete, &key).await?;
    decode(Db::from_context()?.0.delete_item(M::SPEC, key, expected_version).await?)
}

fn encode<T: Serialize>(model: &str, value: &T) -> Result<Value, AppError> {
    serde_json::to_value(value).map_err(|e| AppError::internal(format!("could not encode a {model} request: {e}")))
}

fn decode<M: Model>(item: Value) -> Result<M, AppError> {
    serde_json::from_value(item)
        .map_err(|e| AppError::internal(format!("a stored {} item does not match the schema: {e}", M::SPEC.name)))
}

/// One page of `M`'s relation `field` (a generated relation function), as `T`.
pub async fn related<M: Model, T: Model>(field: &'static str, own_key: Value, limit: Option<u32>, next_token: Option<String>) -> Result<Connection<T>, AppError> {
    authorize::require_readable_includes(M::SPEC, &Caller::from_context(), &[field.to_owned()])?;
    let page = Db::from_context()?.0.list_related(M::SPEC, field, own_key, limit, next_token).await?;
    Ok(Connection { items: page.items.into_iter().map(decode::<T>).collect::<Result<_, _>>()?, next_token: page.next_token })
}

/// How many items `M`'s @hasMany relation `field` holds for `own_id` (read rights on them needed).
pub async fn count_related<M: Model>(field: &'static str, own_id: String) -> Result<u64, AppError> {
    authorize::require_readable_includes(M::SPEC, &Caller::from_context(), &[field.to_owned()])?;
    Db::from_context()?.0.count_related(M::SPEC, field, Value::String(own_id)).await
}

/// Linking and unlinking change the item on this side: its owner's right.
pub async fn link<M: Model>(field: &'static str, own_id: String, target_id: String) -> Result<(), AppError> {
    require_own_side::<M>(&own_id).await?;
    Db::from_context()?.0.link_items(M::SPEC, field, Value::String(own_id), Value::String(target_id)).await
}

pub async fn unlink<M: Model>(field: &'static str, own_id: String, target_id: String) -> Result<(), AppError> {
    require_own_side::<M>(&own_id).await?;
    Db::from_context()?.0.unlink_items(M::SPEC, field, Value::String(own_id), Value::String(target_id)).await
}

async fn require_own_side<M: Model>(own_id: &str) -> Result<(), AppError> {
    let key = serde_json::json!({ M::SPEC.primary_key.partition: own_id });
    authorize::require_item(M::SPEC, &Caller::from_context(), Operation::Update, &key).await
}
