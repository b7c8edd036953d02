//! Relations: related items loaded in batches, never one call per row, and many-to-many links
//! kept in one transaction.
//!
//! Many-to-many keeps Amplify's join table (`PostTags` with `postId`, `tagId` and an index per
//! side) for paging, and also a set of linked ids on each side (`_links_tags` on the post,
//! `_links_posts` on the tag), written in the same transaction as the join row. Listing 100
//! posts with their tags then costs one BatchGetItem for all the tags, not 100 queries.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes, Put, TransactWriteItem, Update};
use serde_json::{Map, Value};
use stratus::data::spec::{ModelSpec, RelationKind, RelationSpec, VERSION_ATTRIBUTE};
use stratus::data::{Problem, StoreError, Write};
use stratus::error::AppError;
use stratus::store::{ItemPage, ListRequest};

use super::dynamo::DynamoStore;
use super::errors::{invalid, store_error};
use super::filter::Placeholders;
use super::items;
use super::models::{self, object};

/// BatchGetItem takes at most this many keys.
const BATCH_SIZE: usize = 100;
/// How deep `include` paths may go (`posts.tags` is two).
const MAX_INCLUDE_DEPTH: usize = 3;

/// The attribute holding the ids linked through a many-to-many field.
pub fn links_attribute(relation: &RelationSpec) -> String {
    format!("_links_{}", relation.field)
}

/// The key of the `target` item that `fields` of `item` point at (the target's partition key,
/// then its sort keys), or `None` when a field is unset.
pub fn reference_key(
    target: &ModelSpec,
    fields: &[&str],
    item: &Map<String, Value>,
) -> Option<Value> {
    let names = std::iter::once(target.primary_key.partition)
        .chain(target.primary_key.sort.iter().copied());
    let mut key = Map::new();
    for (name, field) in names.zip(fields) {
        let value = item.get(*field).filter(|v| !v.is_null())?;
        key.insert(name.to_owned(), value.clone());
    }
    (key.len() == 1 + target.primary_key.sort.len()).then_some(Value::Object(key))
}

pub fn relation_of(model: &ModelSpec, field: &str) -> Result<&'static RelationSpec, AppError> {
    model.relation(field).ok_or_else(|| {
        invalid(
            "include",
            Problem::NoSuchRelation {
                model: model.name,
                relation: field.to_owned(),
            },
        )
    })
}

/// The other side of a many-to-many relation.
pub fn counterpart(
    relation: &RelationSpec,
) -> Result<(&'static ModelSpec, &'static RelationSpec), AppError> {
    let target = relation.target;
    let join = relation
        .join
        .as_ref()
        .ok_or_else(|| AppError::internal("a many-to-many relation without a join table"))?;
    let other = target
        .relations
        .iter()
        .find(|r| {
            r.kind == RelationKind::ManyToMany
                && r.join
                    .as_ref()
                    .is_some_and(|j| std::ptr::eq(j.model, join.model))
        })
        .ok_or_else(|| AppError::internal(format!("{} has no other side", join.model.name)))?;
    Ok((target, other))
}

/// What an include is loaded for: one item (a get) may include its `@hasMany` children with one
/// Query; a list may not, since that would be one Query per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    OneItem,
    List,
}

/// Fills the relation fields named by `include` (dot paths: `posts.tags`) on every item, one
/// batch per relation and level.
pub async fn load_includes(
    store: &DynamoStore,
    model: &'static ModelSpec,
    items: &mut [Map<String, Value>],
    include: &[String],
    scope: Scope,
    depth: usize,
) -> Result<(), AppError> {
    if include.is_empty() || items.is_empty() {
        return Ok(());
    }
    if depth >= MAX_INCLUDE_DEPTH {
        return Err(invalid(
            "include",
            Problem::IncludeTooDeep {
                max: MAX_INCLUDE_DEPTH,
            },
        ));
    }
    let mut by_field: Vec<(&str, Vec<String>)> = Vec::new();
    for path in include {
        let (head, rest) = path
            .split_once('.')
            .map_or((path.as_str(), None), |(h, r)| (h, Some(r.to_owned())));
        match by_field.iter_mut().find(|(field, _)| *field == head) {
            Some((_, nested)) => nested.extend(rest),
            None => by_field.push((head, rest.into_iter().collect())),
        }
    }
    for (field, nested) in by_field {
        let relation = relation_of(model, field)?;
        let target = relation.target;
        match relation.kind {
            RelationKind::BelongsTo | RelationKind::HasOne => {
                let foreign_key = relation.foreign_keys.first().copied().unwrap_or_default();
                let ids: Vec<Value> = items
                    .iter()
                    .filter_map(|item| item.get(foreign_key).filter(|v| !v.is_null()).cloned())
                    .collect();
                let mut related = batch_get(store, target, ids).await?;
                Box::pin(load_includes(
                    store,
                    target,
                    &mut related,
                    &nested,
                    Scope::List,
                    depth + 1,
                ))
                .await?;
                let by_id = index_by_key(target, related);
                for item in items.iter_mut() {
                    let found = item
                        .get(foreign_key)
                        .and_then(|id| by_id.get(&key_text(id)))
                        .cloned();
                    item.insert(
                        field.to_owned(),
                        found.map(Value::Object).unwrap_or(Value::Null),
                    );
                }
            }
            RelationKind::ManyToMany => {
                let attribute = links_attribute(relation);
                let ids: Vec<Value> = items
                    .iter()
                    .flat_map(|item| linked_ids(item, &attribute))
                    .map(Value::String)
                    .collect();
                let mut related = batch_get(store, target, ids).await?;
                Box::pin(load_includes(
                    store,
                    target,
                    &mut related,
                    &nested,
                    Scope::List,
                    depth + 1,
                ))
                .await?;
                let by_id = index_by_key(target, related);
                for item in items.iter_mut() {
                    let linked: Vec<Value> = linked_ids(item, &attribute)
                        .into_iter()
                        .filter_map(|id| by_id.get(&id).cloned().map(Value::Object))
                        .collect();
                    item.insert(field.to_owned(), Value::Array(linked));
                }
            }
            RelationKind::HasMany => {
                // One query per parent would grow with the page: only a single item may include
                // its children; lists page through them with the relation's own function.
                let (Scope::OneItem, [item]) = (scope, &mut *items) else {
                    return Err(invalid(
                        "include",
                        Problem::HasManyInList {
                            relation: field.to_string(),
                        },
                    ));
                };
                let own_id = item
                    .get(model.primary_key.partition)
                    .cloned()
                    .unwrap_or(Value::Null);
                let page = models::list(
                    store,
                    target,
                    children_request(target, relation, own_id, None, None, None)?,
                )
                .await?;
                let mut children: Vec<Map<String, Value>> = page
                    .items
                    .into_iter()
                    .filter_map(|v| object(v).ok())
                    .collect();
                Box::pin(load_includes(
                    store,
                    target,
                    &mut children,
                    &nested,
                    Scope::List,
                    depth + 1,
                ))
                .await?;
                item.insert(
                    field.to_owned(),
                    Value::Array(children.into_iter().map(Value::Object).collect()),
                );
            }
        }
    }
    Ok(())
}

fn children_request(
    target: &ModelSpec,
    relation: &RelationSpec,
    own_id: Value,
    filter: Option<Value>,
    limit: Option<u32>,
    next_token: Option<String>,
) -> Result<ListRequest, AppError> {
    let index = relation
        .index
        .and_then(|name| target.index(name))
        .ok_or_else(|| AppError::internal("a @hasMany without an index"))?;
    Ok(ListRequest {
        index: Some(index.name),
        partition: Some(own_id),
        filter,
        limit: limit.or(relation.limit),
        next_token,
        ..ListRequest::default()
    })
}

/// One page of the items related to `own` through `relation`; `filter` narrows a @hasMany's
/// children to those the caller may read.
pub async fn list_related(
    store: &DynamoStore,
    model: &'static ModelSpec,
    relation: &'static RelationSpec,
    own: &Map<String, Value>,
    filter: Option<Value>,
    limit: Option<u32>,
    next_token: Option<String>,
) -> Result<ItemPage, AppError> {
    let target = relation.target;
    let own_id = own
        .get(model.primary_key.partition)
        .cloned()
        .unwrap_or(Value::Null);
    match relation.kind {
        RelationKind::HasMany => {
            models::list(
                store,
                target,
                children_request(target, relation, own_id, filter, limit, next_token)?,
            )
            .await
        }
        RelationKind::ManyToMany => {
            let join = relation
                .join
                .as_ref()
                .ok_or_else(|| AppError::internal("a many-to-many without a join table"))?;
            let join_model = join.model;
            let request = children_request(join_model, relation, own_id, None, limit, next_token)?;
            let links = models::list(store, join_model, request).await?;
            let ids: Vec<Value> = links
                .items
                .iter()
                .filter_map(|link| link.get(join.target_key).cloned())
                .collect();
            let related = index_by_key(target, batch_get(store, target, ids.clone()).await?);
            let items = ids
                .iter()
                .filter_map(|id| related.get(&key_text(id)).cloned().map(Value::Object))
                .collect();
            Ok(ItemPage {
                items,
                next_token: links.next_token,
            })
        }
        RelationKind::BelongsTo | RelationKind::HasOne => {
            let related = match reference_key(target, relation.foreign_keys, own) {
                Some(key) => models::get(store, target, key).await?,
                None => None,
            };
            Ok(ItemPage {
                items: related.into_iter().collect(),
                next_token: None,
            })
        }
    }
}

/// How many items of a `@hasMany` relation for `own_id` match `filter`: COUNT queries of the
/// relation's index, no items transferred.
pub async fn count_related(
    store: &DynamoStore,
    model: &'static ModelSpec,
    relation: &RelationSpec,
    own_id: Value,
    filter: Option<Value>,
) -> Result<u64, AppError> {
    if relation.kind != RelationKind::HasMany {
        return Err(invalid(
            "field",
            Problem::NotHasMany {
                model: model.name,
                relation: relation.field,
            },
        ));
    }
    let target = relation.target;
    let index = relation
        .index
        .and_then(|name| target.index(name))
        .ok_or_else(|| AppError::internal("a @hasMany without an index"))?;
    let mut placeholders = super::filter::Placeholders::default();
    let condition = models::key_condition(target, &index.key, &own_id, None, &mut placeholders)?;
    let mut filter_expression = match &filter {
        Some(filter) => super::filter::expression(target, filter, &mut placeholders)?,
        None => None,
    };
    if store.soft_deletes() {
        filter_expression = Some(super::amplify::live_only(
            filter_expression,
            &mut placeholders,
        ));
    }
    let table = store.model_table(target);
    let (mut count, mut start_key) = (0u64, None);
    loop {
        let output = store
            .client
            .query()
            .table_name(&table)
            .index_name(index.name)
            .key_condition_expression(&condition)
            .set_filter_expression(filter_expression.clone())
            .set_expression_attribute_names(Some(placeholders.names.clone()))
            .set_expression_attribute_values(Some(placeholders.values.clone()))
            .select(aws_sdk_dynamodb::types::Select::Count)
            .set_exclusive_start_key(start_key.take())
            .send()
            .await
            .map_err(|error| super::errors::store_error(&table, error))?;
        count += output.count.max(0) as u64;
        match output.last_evaluated_key {
            Some(key) => start_key = Some(key),
            None => return Ok(count),
        }
    }
}

/// Links two items: the join row and both link sets, in one transaction. Linking twice is
/// harmless; linking to an item deleted meanwhile changes nothing.
pub async fn link(
    store: &DynamoStore,
    model: &'static ModelSpec,
    relation: &'static RelationSpec,
    own: &Map<String, Value>,
    target_id: &str,
) -> Result<(), AppError> {
    let own_id = id_text(
        model,
        own.get(model.primary_key.partition).unwrap_or(&Value::Null),
    )?;
    let (target, other) = counterpart(relation)?;
    let join_model = relation
        .join
        .as_ref()
        .expect("checked by many_to_many")
        .model;
    if find_link(store, relation, &own_id, target_id)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let target_id = target_id.to_owned();
    let writes = vec![
        join_row(store, join_model, relation, &own_id, &target_id)?,
        set_update(
            store,
            model,
            &own_id,
            &links_attribute(relation),
            std::slice::from_ref(&target_id),
            SetChange::Add,
        )?,
        set_update(
            store,
            target,
            &target_id,
            &links_attribute(other),
            std::slice::from_ref(&own_id),
            SetChange::Add,
        )?,
    ];
    models::transact(store, writes, |failed| match failed {
        1 => StoreError::NotFound {
            model: model.name,
            id: Some(own_id.clone()),
        }
        .into(),
        2 => StoreError::NotFound {
            model: target.name,
            id: Some(target_id.to_owned()),
        }
        .into(),
        _ => StoreError::ChangedMeanwhile {
            model: model.name,
            write: Write::Link,
        }
        .into(),
    })
    .await
}

/// The `link<Field>` id lists of a create input, by relation; removed from the input.
pub fn take_links(
    model: &ModelSpec,
    input: &mut Map<String, Value>,
) -> Result<Vec<(&'static RelationSpec, Vec<String>)>, AppError> {
    let mut links = Vec::new();
    for relation in model
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::ManyToMany)
    {
        let name = format!(
            "link{}{}",
            relation.field[..1].to_uppercase(),
            &relation.field[1..]
        );
        let Some(value) = input.remove(&name) else {
            continue;
        };
        let ids: Option<Vec<String>> = match &value {
            Value::Null => Some(Vec::new()),
            Value::Array(ids) => ids
                .iter()
                .map(|id| id.as_str().filter(|s| !s.is_empty()).map(str::to_owned))
                .collect(),
            _ => None,
        };
        let mut ids = ids.ok_or_else(|| invalid(&name, Problem::LinkIdsNotList))?;
        ids.sort();
        ids.dedup();
        if !ids.is_empty() {
            links.push((relation, ids));
        }
    }
    Ok(links)
}

/// Creates an item together with its links: the item (carrying its link sets), one join row
/// per link and the linked items' link sets, in one transaction. A missing linked item cancels
/// all of it.
pub async fn create_linked(
    store: &DynamoStore,
    model: &'static ModelSpec,
    mut item: Map<String, Value>,
    links: Vec<(&'static RelationSpec, Vec<String>)>,
    conditions: &[models::TargetCondition],
) -> Result<Value, AppError> {
    let mut stored = models::to_dynamo(model, &mut item)?;
    let own_id = id_text(
        model,
        item.get(model.primary_key.partition)
            .unwrap_or(&Value::Null),
    )?;
    let mut writes = Vec::new();
    let mut targets = Vec::new();
    for (relation, ids) in &links {
        stored.insert(links_attribute(relation), AttributeValue::Ss(ids.clone()));
        item.insert(
            links_attribute(relation),
            Value::Array(ids.iter().cloned().map(Value::String).collect()),
        );
        let (target, other) = counterpart(relation)?;
        let join = relation.join.as_ref().expect("a many-to-many relation");
        let join_model = join.model;
        for target_id in ids {
            writes.push(join_row(store, join_model, relation, &own_id, target_id)?);
            writes.push(set_update(
                store,
                target,
                target_id,
                &links_attribute(other),
                std::slice::from_ref(&own_id),
                SetChange::Add,
            )?);
            // Two writes per link (the join row, the target's link set): either names the target.
            let missing = StoreError::NotFound {
                model: target.name,
                id: Some(target_id.clone()),
            };
            targets.push(missing.clone());
            targets.push(missing);
        }
    }
    if writes.len() + conditions.len() + 1 > BATCH_SIZE {
        return Err(invalid(
            "links",
            Problem::TooManyLinks {
                max: (BATCH_SIZE - 1) / 2,
            },
        ));
    }
    let mut placeholders = Placeholders::default();
    let partition = placeholders.name(model.primary_key.partition);
    let put = Put::builder()
        .table_name(store.model_table(model))
        .set_item(Some(stored))
        .condition_expression(format!("attribute_not_exists({partition})"))
        .set_expression_attribute_names(Some(placeholders.names))
        .build()
        .map_err(|e| AppError::internal(e.to_string()))?;
    writes.insert(0, TransactWriteItem::builder().put(put).build());
    // The checks of the item's foreign keys' targets come first, in the same transaction.
    let checked = conditions.len();
    let writes: Vec<TransactWriteItem> = models::target_checks(store, conditions)?
        .into_iter()
        .chain(writes)
        .collect();
    models::transact(store, writes, |failed| match failed {
        n if n < checked => conditions[n].refusal(),
        n if n == checked => StoreError::AlreadyExists { model: model.name }.into(),
        n if n < usize::MAX => targets[n - checked - 1].clone().into(),
        _ => StoreError::ChangedMeanwhile {
            model: model.name,
            write: Write::Create,
        }
        .into(),
    })
    .await?;
    Ok(Value::Object(item))
}

fn join_row(
    store: &DynamoStore,
    join_model: &ModelSpec,
    relation: &RelationSpec,
    own_id: &str,
    target_id: &str,
) -> Result<TransactWriteItem, AppError> {
    let join = relation.join.as_ref().expect("a many-to-many relation");
    let now = items::now();
    let mut row = Map::new();
    row.insert("id".into(), Value::String(uuid::Uuid::new_v4().to_string()));
    row.insert(
        relation
            .foreign_keys
            .first()
            .copied()
            .unwrap_or_default()
            .into(),
        Value::String(own_id.to_owned()),
    );
    row.insert(join.target_key.into(), Value::String(target_id.to_owned()));
    row.insert("createdAt".into(), Value::String(now.clone()));
    row.insert("updatedAt".into(), Value::String(now));
    row.insert(VERSION_ATTRIBUTE.into(), Value::from(1));
    super::amplify::stamp_new(join_model, &mut row);
    let row =
        serde_dynamo::to_item(Value::Object(row)).map_err(|e| AppError::internal(e.to_string()))?;
    let put = Put::builder()
        .table_name(store.model_table(join_model))
        .set_item(Some(row))
        .build()
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(TransactWriteItem::builder().put(put).build())
}

/// Removes a link: the join row and both link sets, in one transaction.
pub async fn unlink(
    store: &DynamoStore,
    model: &'static ModelSpec,
    relation: &'static RelationSpec,
    own: &Map<String, Value>,
    target_id: &str,
) -> Result<(), AppError> {
    let own_id = id_text(
        model,
        own.get(model.primary_key.partition).unwrap_or(&Value::Null),
    )?;
    let target_id = target_id.to_owned();
    let (target, other) = counterpart(relation)?;
    let join_model = relation.join.as_ref().expect("checked").model;
    let Some(row) = find_link(store, relation, &own_id, &target_id).await? else {
        return Err(StoreError::NotLinked {
            model: model.name,
            target: target.name,
        }
        .into());
    };
    let mut writes = vec![models::delete_write(store, join_model, &row, None)?];
    // An item deleted meanwhile has no set left to update; the join row still goes.
    for (side, id, attribute, value) in [
        (model, &own_id, links_attribute(relation), &target_id),
        (target, &target_id, links_attribute(other), &own_id),
    ] {
        if models::get(
            store,
            side,
            serde_json::json!({ side.primary_key.partition: id }),
        )
        .await?
        .is_some()
        {
            writes.push(set_update(
                store,
                side,
                id,
                &attribute,
                std::slice::from_ref(value),
                SetChange::Remove,
            )?);
        }
    }
    models::transact(store, writes, |_| {
        StoreError::ChangedMeanwhile {
            model: model.name,
            write: Write::Unlink,
        }
        .into()
    })
    .await
}

pub fn many_to_many(model: &ModelSpec, field: &str) -> Result<&'static RelationSpec, AppError> {
    let relation = model
        .relation(field)
        .ok_or_else(|| StoreError::NoSuchRelation {
            model: model.name,
            field: field.to_owned(),
        })?;
    if relation.kind != RelationKind::ManyToMany || relation.join.is_none() {
        return Err(invalid(field, Problem::NotManyToMany));
    }
    Ok(relation)
}

async fn find_link(
    store: &DynamoStore,
    relation: &RelationSpec,
    own_id: &str,
    target_id: &str,
) -> Result<Option<Map<String, Value>>, AppError> {
    let join = relation.join.as_ref().expect("checked by the caller");
    let join_model = join.model;
    let index = relation
        .index
        .ok_or_else(|| AppError::internal("a many-to-many without an index"))?;
    // Amplify's join indexes have no sort key, so the other side is a filter: the store reads
    // on until it finds the link or the side's links run out.
    let mut next_token = None;
    loop {
        let request = ListRequest {
            index: Some(index),
            partition: Some(Value::String(own_id.to_owned())),
            filter: Some(serde_json::json!({ join.target_key: { "eq": target_id } })),
            limit: Some(1),
            next_token,
            ..ListRequest::default()
        };
        let page = models::list(store, join_model, request).await?;
        if let Some(link) = page.items.into_iter().next() {
            return Ok(object(link).ok());
        }
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => return Ok(None),
        }
    }
}

#[derive(Clone, Copy)]
pub enum SetChange {
    Add,
    Remove,
}

/// Adds ids to, or removes them from, an item's link set; the item must exist.
pub fn set_update(
    store: &DynamoStore,
    model: &ModelSpec,
    id: &str,
    attribute: &str,
    values: &[String],
    change: SetChange,
) -> Result<TransactWriteItem, AppError> {
    let mut placeholders = Placeholders::default();
    let partition = placeholders.name(model.primary_key.partition);
    let set = placeholders.name(attribute);
    let member = placeholders.value(AttributeValue::Ss(values.to_vec()));
    let operation = match change {
        SetChange::Add => "ADD",
        SetChange::Remove => "DELETE",
    };
    let update = Update::builder()
        .table_name(store.model_table(model))
        .key(
            model.primary_key.partition,
            AttributeValue::S(id.to_owned()),
        )
        .update_expression(format!("{operation} {set} {member}"))
        .condition_expression(format!("attribute_exists({partition})"))
        .set_expression_attribute_names(Some(placeholders.names))
        .set_expression_attribute_values(Some(placeholders.values))
        .build()
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(TransactWriteItem::builder().update(update).build())
}

/// Items of `model` by their (single-field) primary key, in batches of 100, unprocessed keys
/// retried.
pub async fn batch_get(
    store: &DynamoStore,
    model: &ModelSpec,
    ids: Vec<Value>,
) -> Result<Vec<Map<String, Value>>, AppError> {
    if !model.primary_key.sort.is_empty() {
        return Err(invalid(
            "include",
            Problem::CompositeKeyRelation { model: model.name },
        ));
    }
    let unique: BTreeSet<String> = ids.iter().map(key_text).collect();
    let table = store.model_table(model);
    let mut found = Vec::new();
    let all: Vec<String> = unique.into_iter().collect();
    for chunk in all.chunks(BATCH_SIZE) {
        let keys: Vec<HashMap<String, AttributeValue>> = chunk
            .iter()
            .map(|id| {
                HashMap::from([(
                    model.primary_key.partition.to_owned(),
                    AttributeValue::S(id.clone()),
                )])
            })
            .collect();
        let mut request = Some(
            KeysAndAttributes::builder()
                .set_keys(Some(keys))
                .build()
                .map_err(|e| AppError::internal(e.to_string()))?,
        );
        for attempt in 0..5u32 {
            let Some(pending) = request.take() else { break };
            let output = store
                .client
                .batch_get_item()
                .request_items(&table, pending)
                .send()
                .await
                .map_err(|error| store_error(&table, error))?;
            for item in output
                .responses
                .and_then(|mut r| r.remove(&table))
                .unwrap_or_default()
                .into_iter()
                .filter(|item| !(store.soft_deletes() && super::amplify::is_deleted(item)))
            {
                found.push(object(
                    serde_dynamo::from_item(item).map_err(|e| AppError::internal(e.to_string()))?,
                )?);
            }
            request = output
                .unprocessed_keys
                .and_then(|mut u| u.remove(&table))
                .filter(|k| !k.keys().is_empty());
            if request.is_some() {
                tokio::time::sleep(std::time::Duration::from_millis(50 << attempt)).await;
            }
        }
        if request.is_some() {
            return Err(StoreError::Throttled { table }.into());
        }
    }
    Ok(found)
}

fn index_by_key(
    model: &ModelSpec,
    items: Vec<Map<String, Value>>,
) -> HashMap<String, Map<String, Value>> {
    items
        .into_iter()
        .filter_map(|item| {
            item.get(model.primary_key.partition)
                .map(key_text)
                .map(|k| (k, item))
        })
        .collect()
}

fn linked_ids(item: &Map<String, Value>, attribute: &str) -> Vec<String> {
    let mut ids: Vec<String> = item
        .get(attribute)
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

fn key_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn id_text(model: &ModelSpec, value: &Value) -> Result<String, AppError> {
    match value {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        _ => Err(invalid("id", Problem::LinkIdsNotText { model: model.name })),
    }
}
