//! The generic operations on any model of the schema: create, get, update, delete, list. Writes
//! come in two steps, `prepare_*` (read and check the input) and the write itself, with the
//! authorization of the plan between them (see `super::Store`'s implementation).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update,
};
use serde_json::{Map, Value};
use stratus::data::auth::Caller;
use stratus::data::filter::{KeyCondition, SortDirection};
use stratus::data::spec::{DefaultSpec, KeySpec, ModelSpec, Operation, VERSION_ATTRIBUTE};
use stratus::data::{Problem, Refusal, StoreError, Write};
use stratus::error::AppError;
use stratus::store::{ItemPage, ListRequest};

use super::amplify;
use super::dynamo::DynamoStore;
use super::errors::{self, store_error};
use super::filter::{self, Placeholders};
use super::items::{self, Mode};
use super::keys;
use super::owner;
use super::paging;

/// Pages hold at most this many items, as in Amplify.
pub const MAX_LIMIT: u32 = 1000;
/// One list call reads at most this many items from DynamoDB (Amplify's `scannedCount`), then
/// returns the matches found so far and a `nextToken`: a filter that matches nothing costs one
/// bounded call, not a scan of the whole table.
pub const READ_BUDGET: i32 = 1000;
const DEFAULT_LIMIT: u32 = 100;
/// DynamoDB's bound on one TransactWriteItems.
pub const MAX_TRANSACTION_ITEMS: usize = 100;
/// `query_all` stops past this many items (a cascade refuses more, in words).
pub const MAX_QUERY_ALL_ITEMS: usize = 10_000;

/// The target of a foreign key whose right the rules can state as a condition on it (owner,
/// groups, `where`): checked by DynamoDB in the write's own transaction, so it costs no read
/// and nothing can change between the check and the write.
pub struct TargetCondition {
    pub model: &'static ModelSpec,
    pub key: Value,
    /// The items the caller has the right on (`None`: any item that exists).
    pub filter: Option<Value>,
    pub field: &'static str,
    pub holder: &'static ModelSpec,
    pub access: Operation,
}

impl TargetCondition {
    /// What a failed check means: the item is gone, or the caller has no right on it.
    pub fn refusal(&self) -> AppError {
        StoreError::Forbidden {
            model: self.model.name,
            operation: self.access,
            refusal: Refusal::Reference {
                field: self.field,
                holder: self.holder.name,
                exists: false,
            },
        }
        .into()
    }
}

/// A create, checked and completed but not yet written: the item as it will be stored, and
/// the fields the caller set.
pub struct NewItem {
    pub item: Map<String, Value>,
    pub written: Vec<String>,
}

/// Validates a create's input and completes the item: a minted `id`, defaults, owner fields
/// (always the caller: a different value is refused), timestamps, version 1.
pub fn prepare_create(
    model: &'static ModelSpec,
    input: Value,
    caller: &Caller,
) -> Result<NewItem, AppError> {
    let mut item = object(input)?;
    item.remove(VERSION_ATTRIBUTE);
    let mut given_owners = Map::new();
    for (field, claim) in model.owner_fields() {
        if let Some(given) = item.remove(field.name).filter(|v| !v.is_null()) {
            owner::check_given(model, field, claim, &given, caller)?;
            given_owners.insert(field.name.to_owned(), given);
        }
    }
    items::validate(model, &item, Mode::Create)?;
    let written = item.keys().cloned().collect();
    if model.primary_key.partition == "id" && item.get("id").is_none_or(Value::is_null) {
        item.insert("id".into(), Value::String(uuid::Uuid::new_v4().to_string()));
    }
    for field in model.fields {
        if let (Some(default), None | Some(Value::Null)) = (field.default, item.get(field.name)) {
            item.insert(field.name.into(), default_value(default));
        }
    }
    owner::set(model, &mut item, &given_owners, caller)?;
    let now = items::now();
    if let Some(timestamps) = model.timestamps {
        for stamp in [timestamps.created_at, timestamps.updated_at]
            .into_iter()
            .flatten()
        {
            item.insert(stamp.into(), Value::String(now.clone()));
        }
    }
    item.insert(VERSION_ATTRIBUTE.into(), Value::from(1));
    amplify::stamp_new(model, &mut item);
    Ok(NewItem { item, written })
}

/// Writes an authorized create (one without links: see `relations::create_linked`), with the
/// checks of its foreign keys' targets in the same transaction when it has any.
pub async fn create(
    store: &DynamoStore,
    model: &'static ModelSpec,
    new: NewItem,
    targets: &[TargetCondition],
) -> Result<Value, AppError> {
    let mut item = new.item;
    let stored = to_dynamo(model, &mut item)?;
    let table = store.model_table(model);
    let mut placeholders = Placeholders::default();
    let partition = placeholders.name(model.primary_key.partition);
    let exists = || StoreError::AlreadyExists { model: model.name }.into();
    if !targets.is_empty() {
        let put = Put::builder()
            .table_name(&table)
            .set_item(Some(stored))
            .condition_expression(format!("attribute_not_exists({partition})"))
            .set_expression_attribute_names(Some(placeholders.names))
            .build()
            .map_err(|e| AppError::internal(e.to_string()))?;
        let mut writes = target_checks(store, targets)?;
        writes.push(TransactWriteItem::builder().put(put).build());
        transact(store, writes, |failed| match targets.get(failed) {
            Some(target) => target.refusal(),
            None if failed == targets.len() => exists(),
            None => StoreError::ChangedMeanwhile {
                model: model.name,
                write: Write::Create,
            }
            .into(),
        })
        .await?;
        return Ok(Value::Object(item));
    }
    store
        .client
        .put_item()
        .table_name(&table)
        .set_item(Some(stored))
        .condition_expression(format!("attribute_not_exists({partition})"))
        .set_expression_attribute_names(Some(placeholders.names))
        .send()
        .await
        .map_err(|error| {
            if error
                .as_service_error()
                .is_some_and(|e| e.is_conditional_check_failed_exception())
            {
                exists()
            } else {
                store_error(&table, error)
            }
        })?;
    Ok(Value::Object(item))
}

/// The condition checks on foreign keys' targets, for a write's transaction: each target must
/// exist, and match the filter of the caller's rights on it.
pub fn target_checks(
    store: &DynamoStore,
    targets: &[TargetCondition],
) -> Result<Vec<TransactWriteItem>, AppError> {
    targets
        .iter()
        .map(|target| {
            let mut placeholders = Placeholders::default();
            let partition = placeholders.name(target.model.primary_key.partition);
            let mut condition = format!("attribute_exists({partition})");
            if let Some(filter) = &target.filter {
                if let Some(rights) = filter::expression(target.model, filter, &mut placeholders)? {
                    // `expression` parenthesizes every `or`, so AND binds as meant.
                    condition = format!("{condition} AND {rights}");
                }
            }
            let check = ConditionCheck::builder()
                .table_name(store.model_table(target.model))
                .set_key(Some(keys::primary_key(
                    target.model,
                    &object(target.key.clone())?,
                )?))
                .condition_expression(condition)
                .set_expression_attribute_names(Some(placeholders.names))
                .set_expression_attribute_values(
                    (!placeholders.values.is_empty()).then_some(placeholders.values),
                )
                .build()
                .map_err(|e| AppError::internal(e.to_string()))?;
            Ok(TransactWriteItem::builder().condition_check(check).build())
        })
        .collect()
}

pub async fn get(
    store: &DynamoStore,
    model: &'static ModelSpec,
    key: Value,
) -> Result<Option<Value>, AppError> {
    let key = keys::primary_key(model, &object(key)?)?;
    let table = store.model_table(model);
    let output = store
        .client
        .get_item()
        .table_name(&table)
        .set_key(Some(key))
        .consistent_read(true)
        .send()
        .await
        .map_err(|error| store_error(&table, error))?;
    output
        .item
        .filter(|item| !(store.soft_deletes() && amplify::is_deleted(item)))
        .map(|item| from_dynamo(model, item))
        .transpose()
}

/// An update, read and checked but not yet written.
pub struct Change {
    pub before: Map<String, Value>,
    /// The fields the caller changes (key fields left out).
    pub changes: Map<String, Value>,
    pub expected_version: u64,
}

/// Reads the item an update names (for a clear not-found or conflict, and to recompute
/// composite keys) and checks the change: fields, version, owner fields left as they are.
pub async fn prepare_update(
    store: &DynamoStore,
    model: &'static ModelSpec,
    input: Value,
) -> Result<Change, AppError> {
    let mut changes = object(input)?;
    let expected_version = match changes.remove(VERSION_ATTRIBUTE) {
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64().unwrap_or_default(),
        _ => return Err(errors::invalid(VERSION_ATTRIBUTE, Problem::VersionRequired)),
    };
    items::validate(model, &changes, Mode::Update)?;
    keys::primary_key(model, &changes)?;
    let Some(current) = get(store, model, key_object(model, &changes)).await? else {
        return Err(StoreError::NotFound {
            model: model.name,
            id: None,
        }
        .into());
    };
    let before = object(current)?;
    let key_names = keys::attribute_names(&model.primary_key);
    changes.retain(|name, _| !key_names.contains(name) && name != model.primary_key.partition);
    owner::check_unchanged(model, &before, &mut changes)?;
    Ok(Change {
        before,
        changes,
        expected_version,
    })
}

/// Writes an authorized update: only the changed attributes, conditional on the version it
/// read, so a concurrent writer that got there first makes this a conflict, never a lost
/// update. Attributes the caller does not own (many-to-many link sets) are never rewritten.
pub async fn update(
    store: &DynamoStore,
    model: &'static ModelSpec,
    change: Change,
    targets: &[TargetCondition],
) -> Result<Value, AppError> {
    let Change {
        before,
        mut changes,
        expected_version,
    } = change;
    let stored_version = before
        .get(VERSION_ATTRIBUTE)
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if stored_version != expected_version {
        return Err(conflict(model, stored_version, expected_version));
    }
    let key = keys::primary_key(model, &before)?;
    if let Some(updated_at) = model.timestamps.and_then(|t| t.updated_at) {
        changes.insert(updated_at.into(), Value::String(items::now()));
    }
    changes.insert(VERSION_ATTRIBUTE.into(), Value::from(expected_version + 1));
    amplify::stamp_change(&mut changes);

    let mut after = before.clone();
    for (name, value) in &changes {
        after.insert(name.clone(), value.clone());
    }
    after.retain(|_, value| !value.is_null());
    keys::add_composite_attributes(model, &mut after);
    items::check_size(model, &after)?;
    // Composite key attributes follow their parts.
    for (name, value) in &after {
        if before.get(name) != Some(value) && !changes.contains_key(name) {
            changes.insert(name.clone(), value.clone());
        }
    }
    for name in before.keys().filter(|name| !after.contains_key(*name)) {
        changes.insert(name.clone(), Value::Null);
    }

    let mut placeholders = Placeholders::default();
    let (mut sets, mut removes) = (Vec::new(), Vec::new());
    for (name, value) in &changes {
        let attribute = placeholders.name(name);
        if value.is_null() {
            removes.push(attribute);
        } else {
            let value = serde_dynamo::to_attribute_value(value)
                .map_err(|e| AppError::internal(format!("could not encode `{name}`: {e}")))?;
            sets.push(format!("{attribute} = {}", placeholders.value(value)));
        }
    }
    let mut expression = format!("SET {}", sets.join(", "));
    if !removes.is_empty() {
        expression.push_str(&format!(" REMOVE {}", removes.join(", ")));
    }
    let version = placeholders.name(VERSION_ATTRIBUTE);
    let expected = placeholders.value(AttributeValue::N(expected_version.to_string()));
    let table = store.model_table(model);
    let stale = || conflict(model, expected_version + 1, expected_version);
    if !targets.is_empty() {
        let update = Update::builder()
            .table_name(&table)
            .set_key(Some(key))
            .update_expression(expression)
            .condition_expression(version_condition(&version, &expected, expected_version))
            .set_expression_attribute_names(Some(placeholders.names))
            .set_expression_attribute_values(Some(placeholders.values))
            .build()
            .map_err(|e| AppError::internal(e.to_string()))?;
        let mut writes = target_checks(store, targets)?;
        writes.push(TransactWriteItem::builder().update(update).build());
        transact(store, writes, |failed| match targets.get(failed) {
            Some(target) => target.refusal(),
            None => stale(),
        })
        .await?;
        return Ok(Value::Object(after));
    }
    store
        .client
        .update_item()
        .table_name(&table)
        .set_key(Some(key))
        .update_expression(expression)
        .condition_expression(version_condition(&version, &expected, expected_version))
        .set_expression_attribute_names(Some(placeholders.names))
        .set_expression_attribute_values(Some(placeholders.values))
        .send()
        .await
        .map_err(|error| {
            if error
                .as_service_error()
                .is_some_and(|e| e.is_conditional_check_failed_exception())
            {
                stale()
            } else {
                store_error(&table, error)
            }
        })?;
    Ok(Value::Object(after))
}

/// Reads the item a delete names; a stale `expected_version` is a conflict.
pub async fn prepare_delete(
    store: &DynamoStore,
    model: &'static ModelSpec,
    key: Value,
    expected_version: Option<u64>,
) -> Result<Map<String, Value>, AppError> {
    let Some(current) = get(store, model, key).await? else {
        return Err(StoreError::NotFound {
            model: model.name,
            id: None,
        }
        .into());
    };
    let current = object(current)?;
    let stored_version = current
        .get(VERSION_ATTRIBUTE)
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if let Some(expected) = expected_version.filter(|e| *e != stored_version) {
        return Err(conflict(model, stored_version, expected));
    }
    Ok(current)
}

/// "Still at `expected`": an item without a version (written by another tool) is at version 0.
fn version_condition(name: &str, value: &str, expected: u64) -> String {
    if expected == 0 {
        format!("attribute_not_exists({name}) OR {name} = {value}")
    } else {
        format!("{name} = {value}")
    }
}

/// A conditional delete of `item` for a transaction: it must still exist, and when `version`
/// is given, still be at that version. With Amplify's conflict detection it is a soft delete:
/// the item is marked `_deleted` at its next version, for DynamoDB's TTL to remove.
pub fn delete_write(
    store: &DynamoStore,
    model: &ModelSpec,
    item: &Map<String, Value>,
    version: Option<u64>,
) -> Result<TransactWriteItem, AppError> {
    let mut placeholders = Placeholders::default();
    let partition = placeholders.name(model.primary_key.partition);
    let mut condition = format!("attribute_exists({partition})");
    if let Some(version) = version {
        let name = placeholders.name(VERSION_ATTRIBUTE);
        let value = placeholders.value(AttributeValue::N(version.to_string()));
        condition.push_str(&format!(
            " AND ({})",
            version_condition(&name, &value, version)
        ));
    }
    if store.soft_deletes() {
        condition.push_str(&format!(" AND {}", amplify::not_deleted(&mut placeholders)));
        let stored = item
            .get(VERSION_ATTRIBUTE)
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let expression = amplify::soft_delete_expression(&mut placeholders, stored + 1);
        let update = Update::builder()
            .table_name(store.model_table(model))
            .set_key(Some(keys::primary_key(model, item)?))
            .update_expression(expression)
            .condition_expression(condition)
            .set_expression_attribute_names(Some(placeholders.names))
            .set_expression_attribute_values(Some(placeholders.values))
            .build()
            .map_err(|e| AppError::internal(format!("could not build a delete: {e}")))?;
        return Ok(TransactWriteItem::builder().update(update).build());
    }
    let delete = Delete::builder()
        .table_name(store.model_table(model))
        .set_key(Some(keys::primary_key(model, item)?))
        .condition_expression(condition)
        .set_expression_attribute_names(Some(placeholders.names))
        .set_expression_attribute_values(
            (!placeholders.values.is_empty()).then_some(placeholders.values),
        )
        .build()
        .map_err(|e| AppError::internal(format!("could not build a delete: {e}")))?;
    Ok(TransactWriteItem::builder().delete(delete).build())
}

/// Every item of an index's partition (all pages).
pub async fn query_all(
    store: &DynamoStore,
    model: &'static ModelSpec,
    index: Option<&'static stratus::data::spec::IndexSpec>,
    partition: Value,
) -> Result<Vec<Map<String, Value>>, AppError> {
    let Some(index) = index else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    let mut next_token = None;
    loop {
        let request = ListRequest {
            index: Some(index.name),
            partition: Some(partition.clone()),
            limit: Some(MAX_LIMIT),
            next_token,
            ..ListRequest::default()
        };
        let page = list(store, model, request).await?;
        found.extend(page.items.into_iter().filter_map(|item| object(item).ok()));
        next_token = page.next_token;
        if next_token.is_none() || found.len() > MAX_QUERY_ALL_ITEMS {
            return Ok(found);
        }
    }
}

/// A page of up to `limit` *matching* items. DynamoDB applies its own `Limit` before the
/// filter, which is how Amplify returns empty pages; here the store keeps reading until the page
/// is full, the table is exhausted, or [`READ_BUDGET`] items have been read, and the token
/// resumes right after the last item read.
pub async fn list(
    store: &DynamoStore,
    model: &'static ModelSpec,
    request: ListRequest,
) -> Result<ItemPage, AppError> {
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(errors::invalid(
            "limit",
            Problem::LimitOutOfRange { max: MAX_LIMIT },
        ));
    }
    let index =
        match request.index {
            Some(name) => Some(model.index(name).ok_or_else(|| {
                AppError::internal(format!("{} has no index {name}", model.name))
            })?),
            None => None,
        };
    let index_key = index.map(|i| &i.key);
    // A partition without an index queries the table's own key.
    let query_key = index_key.or(request.partition.as_ref().map(|_| &model.primary_key));
    let resume_attributes = {
        let mut names = keys::attribute_names(&model.primary_key);
        if let Some(key) = index_key {
            names.extend(keys::attribute_names(key));
        }
        names
    };
    let mut start_key = request
        .next_token
        .as_deref()
        .map(|token| paging::decode(token, &resume_attributes))
        .transpose()?;

    // DynamoDB takes no filter on the key a query fixes: decide those tests here.
    let filter = match (&request.filter, query_key, &request.partition) {
        (Some(filter), Some(key), Some(partition)) => {
            match filter::with_known(filter, key.partition, partition) {
                filter::Known::Nothing => return Ok(ItemPage::default()),
                filter::Known::All => None,
                filter::Known::Filter(rest) => Some(rest),
            }
        }
        (filter, _, _) => filter.clone(),
    };
    let mut placeholders = Placeholders::default();
    let mut filter_expression = match &filter {
        Some(filter) => filter::expression(model, filter, &mut placeholders)?,
        None => None,
    };
    if store.soft_deletes() {
        filter_expression = Some(amplify::live_only(filter_expression, &mut placeholders));
    }
    let key_condition = match (query_key, &request.partition) {
        (Some(key), Some(partition)) => Some(key_condition(
            model,
            key,
            partition,
            request.sort.as_ref(),
            &mut placeholders,
        )?),
        _ => None,
    };
    let table = store.model_table(model);
    // Read a little more than asked, since the filter may drop some.
    let page_size = (limit.saturating_mul(2)).clamp(25, MAX_LIMIT) as i32;

    let mut items: Vec<HashMap<String, AttributeValue>> = Vec::new();
    let mut read = 0;
    loop {
        let page_size = page_size.min(READ_BUDGET - read);
        let (found, scanned, last_evaluated) = match &key_condition {
            Some(condition) => {
                let output = store
                    .client
                    .query()
                    .table_name(&table)
                    .set_index_name(index.map(|i| i.name.to_owned()))
                    .key_condition_expression(condition)
                    .set_filter_expression(filter_expression.clone())
                    .set_expression_attribute_names(Some(placeholders.names.clone()))
                    .set_expression_attribute_values(
                        (!placeholders.values.is_empty()).then(|| placeholders.values.clone()),
                    )
                    .scan_index_forward(request.direction == SortDirection::Asc)
                    .set_exclusive_start_key(start_key.take())
                    .limit(page_size)
                    .send()
                    .await
                    .map_err(|error| store_error(&table, error))?;
                (
                    output.items.unwrap_or_default(),
                    output.scanned_count,
                    output.last_evaluated_key,
                )
            }
            None => {
                let output = store
                    .client
                    .scan()
                    .table_name(&table)
                    .set_filter_expression(filter_expression.clone())
                    .set_expression_attribute_names(
                        (!placeholders.names.is_empty()).then(|| placeholders.names.clone()),
                    )
                    .set_expression_attribute_values(
                        (!placeholders.values.is_empty()).then(|| placeholders.values.clone()),
                    )
                    .set_exclusive_start_key(start_key.take())
                    .limit(page_size)
                    .send()
                    .await
                    .map_err(|error| store_error(&table, error))?;
                (
                    output.items.unwrap_or_default(),
                    output.scanned_count,
                    output.last_evaluated_key,
                )
            }
        };
        items.extend(found);
        read += scanned.max(1);
        if items.len() >= limit as usize {
            items.truncate(limit as usize);
            let last = items.last().expect("limit is at least 1");
            let more = last_evaluated.is_some() || items.len() == limit as usize;
            let next_token = more
                .then(|| paging::encode(&keys::resume_key(&model.primary_key, index_key, last)));
            return Ok(ItemPage {
                items: decode_all(model, items)?,
                next_token,
            });
        }
        match last_evaluated {
            Some(key) if read >= READ_BUDGET => {
                return Ok(ItemPage {
                    items: decode_all(model, items)?,
                    next_token: Some(paging::encode(&key)),
                })
            }
            Some(key) => start_key = Some(key),
            None => {
                return Ok(ItemPage {
                    items: decode_all(model, items)?,
                    next_token: None,
                })
            }
        }
    }
}

pub(super) fn key_condition(
    model: &ModelSpec,
    key: &KeySpec,
    partition: &Value,
    sort: Option<&KeyCondition>,
    placeholders: &mut Placeholders,
) -> Result<String, AppError> {
    let partition_value = match partition {
        Value::String(s) if !s.is_empty() => AttributeValue::S(s.clone()),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        _ => {
            return Err(errors::invalid(
                key.partition,
                Problem::PartitionMissing { model: model.name },
            ))
        }
    };
    let name = placeholders.name(key.partition);
    let value = placeholders.value(partition_value);
    let mut condition = format!("{name} = {value}");
    if let (Some(sort), Some(attribute)) = (sort, key.sort_attribute()) {
        let numeric = !key.is_composite()
            && model
                .field(key.sort[0])
                .is_some_and(|f| f.kind.is_numeric());
        let sort_name = placeholders.name(&attribute);
        let mut typed = |text: &String| -> Result<String, AppError> {
            let value = if numeric {
                text.parse::<f64>().map_err(|_| {
                    errors::invalid(
                        "sort",
                        Problem::SortNotNumber {
                            attribute: attribute.to_string(),
                            given: text.clone(),
                        },
                    )
                })?;
                AttributeValue::N(text.clone())
            } else {
                AttributeValue::S(text.clone())
            };
            Ok(placeholders.value(value))
        };
        let part = match sort {
            KeyCondition::Eq(v) => format!("{sort_name} = {}", typed(v)?),
            KeyCondition::Lt(v) => format!("{sort_name} < {}", typed(v)?),
            KeyCondition::Le(v) => format!("{sort_name} <= {}", typed(v)?),
            KeyCondition::Gt(v) => format!("{sort_name} > {}", typed(v)?),
            KeyCondition::Ge(v) => format!("{sort_name} >= {}", typed(v)?),
            KeyCondition::Between([low, high]) => {
                format!("{sort_name} BETWEEN {} AND {}", typed(low)?, typed(high)?)
            }
            KeyCondition::BeginsWith(v) => format!("begins_with({sort_name}, {})", typed(v)?),
        };
        condition.push_str(" AND ");
        condition.push_str(&part);
    }
    Ok(condition)
}

fn conflict(model: &'static ModelSpec, stored: u64, expected: u64) -> AppError {
    StoreError::VersionConflict {
        model: model.name,
        stored,
        expected,
    }
    .into()
}

fn default_value(default: DefaultSpec) -> Value {
    match default {
        DefaultSpec::String(s) => Value::String(s.to_owned()),
        DefaultSpec::Int(n) => Value::from(n),
        DefaultSpec::Float(f) => Value::from(f),
        DefaultSpec::Boolean(b) => Value::Bool(b),
    }
}

pub fn object(value: Value) -> Result<Map<String, Value>, AppError> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(AppError::malformed("The request must be a JSON object.")),
    }
}

/// The key fields of `source` as a JSON object, for `get`.
pub fn key_object(model: &ModelSpec, source: &Map<String, Value>) -> Value {
    let names =
        std::iter::once(model.primary_key.partition).chain(model.primary_key.sort.iter().copied());
    Value::Object(
        names
            .filter_map(|n| source.get(n).map(|v| (n.to_owned(), v.clone())))
            .collect(),
    )
}

/// JSON to a DynamoDB item: nulls dropped (an index key may be absent, never NULL), composite
/// key attributes added, the 400 KB limit checked.
pub fn to_dynamo(
    model: &ModelSpec,
    item: &mut Map<String, Value>,
) -> Result<HashMap<String, AttributeValue>, AppError> {
    item.retain(|_, value| !value.is_null());
    keys::add_composite_attributes(model, item);
    items::check_size(model, item)?;
    serde_dynamo::to_item(Value::Object(item.clone()))
        .map_err(|e| AppError::internal(format!("could not encode a {} item: {e}", model.name)))
}

fn from_dynamo(
    model: &ModelSpec,
    item: HashMap<String, AttributeValue>,
) -> Result<Value, AppError> {
    serde_dynamo::from_item(item)
        .map_err(|e| AppError::internal(format!("could not decode a {} item: {e}", model.name)))
}

fn decode_all(
    model: &ModelSpec,
    items: Vec<HashMap<String, AttributeValue>>,
) -> Result<Vec<Value>, AppError> {
    items
        .into_iter()
        .map(|item| from_dynamo(model, item))
        .collect()
}

/// Runs a transaction; when DynamoDB cancels it, `explain` gets the position of the write that
/// failed its condition. Nothing of a cancelled transaction is applied.
pub async fn transact(
    store: &DynamoStore,
    writes: Vec<TransactWriteItem>,
    explain: impl Fn(usize) -> AppError,
) -> Result<(), AppError> {
    match store
        .client
        .transact_write_items()
        .set_transact_items(Some(writes))
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(error) => {
            if let Some(cancelled) = error
                .as_service_error()
                .filter(|e| e.is_transaction_canceled_exception())
            {
                let reasons = match cancelled {
                    aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(e) => {
                        e.cancellation_reasons().to_vec()
                    }
                    _ => Vec::new(),
                };
                let failed = reasons
                    .iter()
                    .position(|r| r.code() == Some("ConditionalCheckFailed"))
                    .unwrap_or(usize::MAX);
                return Err(explain(failed));
            }
            Err(store_error("a transaction", error))
        }
    }
}
