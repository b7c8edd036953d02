//! The attributes Amplify's resolvers keep beside an item's fields, written the same way here so
//! that an Amplify app's tables stay readable by both: `__typename` on every item,
//! `_lastChangedAt` (milliseconds) on every write, and, where the app had conflict detection on
//! (AppSync's versioned data source), deletes that only mark an item `_deleted` with a `_ttl`
//! for DynamoDB to remove it later. `_version` is Stratus's own (`VERSION_ATTRIBUTE`), which
//! advances as AppSync's does.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{Map, Value};
use stratus::data::spec::ModelSpec;

use super::filter::Placeholders;

pub const TYPENAME: &str = "__typename";
pub const LAST_CHANGED_AT: &str = "_lastChangedAt";
pub const DELETED: &str = "_deleted";
pub const TTL: &str = "_ttl";

/// How long a soft-deleted item stays before DynamoDB's TTL removes it: AppSync's default
/// (`BaseTableTTL`, 30 days), so that offline clients syncing later still see the delete.
const DELETED_ITEM_LIFETIME_SECONDS: u64 = 30 * 24 * 60 * 60;

/// Marks a new item as Amplify's resolvers do.
pub fn stamp_new(model: &ModelSpec, item: &mut Map<String, Value>) {
    item.insert(TYPENAME.into(), Value::String(model.name.to_owned()));
    item.insert(LAST_CHANGED_AT.into(), Value::from(now_millis()));
}

/// Marks a change (the attributes an update sets).
pub fn stamp_change(changes: &mut Map<String, Value>) {
    changes.insert(LAST_CHANGED_AT.into(), Value::from(now_millis()));
}

/// Whether a stored item is a soft-deleted one, which reads never return.
pub fn is_deleted(item: &HashMap<String, AttributeValue>) -> bool {
    matches!(item.get(DELETED), Some(AttributeValue::Bool(true)))
}

/// The filter that leaves soft-deleted items out of a query or scan.
pub fn not_deleted(placeholders: &mut Placeholders) -> String {
    let deleted = placeholders.name(DELETED);
    let yes = placeholders.value(AttributeValue::Bool(true));
    format!("(attribute_not_exists({deleted}) OR {deleted} <> {yes})")
}

/// A query's filter narrowed to the items not soft-deleted.
pub fn live_only(filter: Option<String>, placeholders: &mut Placeholders) -> String {
    let live = not_deleted(placeholders);
    // `filter::expression` parenthesizes every `or` (and DynamoDB refuses redundant
    // parentheses), so AND binds as meant without more.
    match filter {
        Some(filter) => format!("{filter} AND {live}"),
        None => live,
    }
}

/// The update expression of a soft delete at `version` (the item's next version).
pub fn soft_delete_expression(placeholders: &mut Placeholders, version: u64) -> String {
    let now = now_millis();
    let assignments = [
        (DELETED, AttributeValue::Bool(true)),
        (LAST_CHANGED_AT, AttributeValue::N(now.to_string())),
        (
            TTL,
            AttributeValue::N((now / 1000 + DELETED_ITEM_LIFETIME_SECONDS).to_string()),
        ),
        (
            stratus::data::spec::VERSION_ATTRIBUTE,
            AttributeValue::N(version.to_string()),
        ),
    ];
    let sets: Vec<String> = assignments
        .into_iter()
        .map(|(name, value)| {
            format!(
                "{} = {}",
                placeholders.name(name),
                placeholders.value(value)
            )
        })
        .collect();
    format!("SET {}", sets.join(", "))
}

fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
