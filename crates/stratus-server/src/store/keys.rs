//! Keys: which attributes identify an item, and the composite sort attributes Amplify uses
//! when a key has several sort fields (`status#createdAt` holding `PUBLISHED#2026-...`).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{Map, Value};
use stratus::data::spec::{KeySpec, ModelSpec};
use stratus::data::Problem;
use stratus::error::AppError;

use super::errors::invalid;

/// The attribute names of a key: partition, then the (possibly composite) sort attribute.
pub fn attribute_names(key: &KeySpec) -> Vec<String> {
    std::iter::once(key.partition.to_owned())
        .chain(key.sort_attribute())
        .collect()
}

/// Adds the composite sort attribute of the primary key and of every index whose parts are
/// all present, so the item is found through each of them.
pub fn add_composite_attributes(model: &ModelSpec, item: &mut Map<String, Value>) {
    let keys = std::iter::once(&model.primary_key).chain(model.indexes.iter().map(|i| &i.key));
    for key in keys.filter(|k| k.is_composite()) {
        let parts: Option<Vec<String>> = key
            .sort
            .iter()
            .map(|field| item.get(*field).and_then(part_text))
            .collect();
        match parts {
            Some(parts) => {
                item.insert(key.sort.join("#"), Value::String(parts.join("#")));
            }
            None => {
                item.remove(&key.sort.join("#"));
            }
        }
    }
}

fn part_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The primary key of an item (or of a caller's key object) as DynamoDB wants it. A missing or
/// mistyped key field is the caller's error, named.
pub fn primary_key(
    model: &ModelSpec,
    source: &Map<String, Value>,
) -> Result<HashMap<String, AttributeValue>, AppError> {
    let mut key = HashMap::new();
    let partition = key_part(model, source, model.primary_key.partition)?;
    key.insert(model.primary_key.partition.to_owned(), partition);
    if let Some(sort_attribute) = model.primary_key.sort_attribute() {
        if model.primary_key.is_composite() {
            let mut parts = Vec::new();
            for field in model.primary_key.sort {
                let value = source
                    .get(*field)
                    .and_then(part_text)
                    .ok_or_else(|| missing(model, field))?;
                parts.push(value);
            }
            key.insert(sort_attribute, AttributeValue::S(parts.join("#")));
        } else {
            key.insert(
                sort_attribute,
                key_part(model, source, model.primary_key.sort[0])?,
            );
        }
    }
    Ok(key)
}

fn key_part(
    model: &ModelSpec,
    source: &Map<String, Value>,
    field: &str,
) -> Result<AttributeValue, AppError> {
    match source.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(AttributeValue::S(s.clone())),
        Some(Value::Number(n)) => Ok(AttributeValue::N(n.to_string())),
        Some(Value::String(_)) => Err(invalid(field, Problem::KeyEmpty { model: model.name })),
        Some(_) => Err(invalid(field, Problem::KeyType)),
        None => Err(missing(model, field)),
    }
}

fn missing(model: &ModelSpec, field: &str) -> AppError {
    invalid(field, Problem::KeyMissing { model: model.name })
}

/// The key of `item` in the table and, when listing through an index, in that index too:
/// what DynamoDB needs to resume a page right after this item.
pub fn resume_key(
    table: &KeySpec,
    index: Option<&KeySpec>,
    item: &HashMap<String, AttributeValue>,
) -> HashMap<String, AttributeValue> {
    let mut names = attribute_names(table);
    if let Some(index) = index {
        names.extend(attribute_names(index));
    }
    names
        .into_iter()
        .filter_map(|name| item.get(&name).map(|value| (name, value.clone())))
        .collect()
}
