//! DynamoDB tables: created when missing, each with a stream of its changes (old and new
//! images: what live subscriptions are fed from); a table without one gets it, and indexes the
//! schema gained are added one at a time (DynamoDB allows one index change per table at once),
//! with progress.

use std::time::Duration;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, CreateGlobalSecondaryIndexAction, GlobalSecondaryIndex,
    GlobalSecondaryIndexUpdate, IndexStatus, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, StreamSpecification, StreamViewType, TableStatus,
};
use stratus::data::spec::{KeySpec, ModelSpec};
use stratus_server::auth::sign_outs;

use super::{aws_error, Outcome, ProvisionError};

const SERVICE: &str = "DynamoDB";

/// A table as DynamoDB sees it: key attributes with their types, and the GSIs.
#[derive(Debug, Clone, PartialEq)]
pub struct TableLayout {
    pub name: String,
    pub key: Vec<(String, ScalarAttributeType, KeyType)>,
    pub indexes: Vec<IndexLayout>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexLayout {
    pub name: String,
    pub key: Vec<(String, ScalarAttributeType, KeyType)>,
}

impl TableLayout {
    pub fn for_model(name: String, model: &ModelSpec) -> Self {
        TableLayout {
            name,
            key: key_schema(model, &model.primary_key),
            indexes: model
                .indexes
                .iter()
                .map(|i| IndexLayout {
                    name: i.name.to_owned(),
                    key: key_schema(model, &i.key),
                })
                .collect(),
        }
    }
}

fn key_schema(model: &ModelSpec, key: &KeySpec) -> Vec<(String, ScalarAttributeType, KeyType)> {
    let attribute_type = |field: &str| match model.field(field) {
        Some(f) if f.kind.is_numeric() => ScalarAttributeType::N,
        _ => ScalarAttributeType::S,
    };
    let mut schema = vec![(
        key.partition.to_owned(),
        attribute_type(key.partition),
        KeyType::Hash,
    )];
    if let Some(sort) = key.sort_attribute() {
        // A composite sort attribute ("a#b") is always a string.
        let sort_type = if key.is_composite() {
            ScalarAttributeType::S
        } else {
            attribute_type(key.sort[0])
        };
        schema.push((sort, sort_type, KeyType::Range));
    }
    schema
}

fn key_elements(key: &[(String, ScalarAttributeType, KeyType)]) -> Vec<KeySchemaElement> {
    key.iter()
        .map(|(name, _, key_type)| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(key_type.clone())
                .build()
                .expect("name and type are set")
        })
        .collect()
}

fn definitions<'a>(
    keys: impl Iterator<Item = &'a (String, ScalarAttributeType, KeyType)>,
) -> Vec<AttributeDefinition> {
    let mut seen = std::collections::BTreeMap::new();
    for (name, attribute_type, _) in keys {
        seen.entry(name.clone())
            .or_insert_with(|| attribute_type.clone());
    }
    seen.into_iter()
        .map(|(name, attribute_type)| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(attribute_type)
                .build()
                .expect("name and type are set")
        })
        .collect()
}

fn gsi(index: &IndexLayout) -> GlobalSecondaryIndex {
    GlobalSecondaryIndex::builder()
        .index_name(&index.name)
        .set_key_schema(Some(key_elements(&index.key)))
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .expect("name, key and projection are set")
}

pub async fn ensure(
    client: &aws_sdk_dynamodb::Client,
    layout: &TableLayout,
    endpoint: &str,
) -> Result<Outcome, ProvisionError> {
    let name = &layout.name;
    let existing = match client.describe_table().table_name(name).send().await {
        Ok(description) => description.table,
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            None
        }
        Err(error) => {
            return Err(aws_error(
                SERVICE,
                endpoint,
                format!("describing table {name}"),
                error,
            ))
        }
    };

    let Some(existing) = existing else {
        let all_keys = layout
            .key
            .iter()
            .chain(layout.indexes.iter().flat_map(|i| i.key.iter()));
        client
            .create_table()
            .table_name(name)
            .billing_mode(BillingMode::PayPerRequest)
            .set_attribute_definitions(Some(definitions(all_keys)))
            .set_key_schema(Some(key_elements(&layout.key)))
            .set_global_secondary_indexes(
                (!layout.indexes.is_empty()).then(|| layout.indexes.iter().map(gsi).collect()),
            )
            .stream_specification(changes_stream())
            .send()
            .await
            .map_err(|error| {
                aws_error(SERVICE, endpoint, format!("creating table {name}"), error)
            })?;
        wait_until_active(client, name, None, endpoint).await?;
        return Ok(Outcome::Created);
    };

    let mut changes = Vec::new();
    let streaming = existing.stream_specification().is_some_and(|s| {
        s.stream_enabled() && s.stream_view_type() == Some(&StreamViewType::NewAndOldImages)
    });
    if !streaming {
        tracing::info!("table {name}: turning on its stream of changes");
        client
            .update_table()
            .table_name(name)
            .stream_specification(changes_stream())
            .send()
            .await
            .map_err(|error| {
                aws_error(
                    SERVICE,
                    endpoint,
                    format!("turning on the stream of {name}"),
                    error,
                )
            })?;
        wait_until_active(client, name, None, endpoint).await?;
        changes.push("turned on its stream".to_owned());
    }
    let present: Vec<&str> = existing
        .global_secondary_indexes()
        .iter()
        .filter_map(|i| i.index_name())
        .collect();
    let missing: Vec<&IndexLayout> = layout
        .indexes
        .iter()
        .filter(|i| !present.contains(&i.name.as_str()))
        .collect();
    if missing.is_empty() {
        return Ok(if changes.is_empty() {
            Outcome::Unchanged
        } else {
            Outcome::Updated(changes.join("; "))
        });
    }
    for (number, index) in missing.iter().enumerate() {
        tracing::info!(
            "table {name}: adding index {} ({}/{})",
            index.name,
            number + 1,
            missing.len()
        );
        let create = CreateGlobalSecondaryIndexAction::builder()
            .index_name(&index.name)
            .set_key_schema(Some(key_elements(&index.key)))
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::All)
                    .build(),
            )
            .build()
            .expect("name, key and projection are set");
        client
            .update_table()
            .table_name(name)
            .set_attribute_definitions(Some(definitions(index.key.iter())))
            .global_secondary_index_updates(
                GlobalSecondaryIndexUpdate::builder().create(create).build(),
            )
            .send()
            .await
            .map_err(|error| {
                aws_error(
                    SERVICE,
                    endpoint,
                    format!("adding index {} to {name}", index.name),
                    error,
                )
            })?;
        wait_until_active(client, name, Some(&index.name), endpoint).await?;
    }
    let added: Vec<&str> = missing.iter().map(|i| i.name.as_str()).collect();
    changes.push(format!(
        "added {} {}",
        if added.len() == 1 { "index" } else { "indexes" },
        added.join(", ")
    ));
    Ok(Outcome::Updated(changes.join("; ")))
}

/// Every change with the item before and after it: a subscriber's rules may depend on either.
fn changes_stream() -> StreamSpecification {
    StreamSpecification::builder()
        .stream_enabled(true)
        .stream_view_type(StreamViewType::NewAndOldImages)
        .build()
        .expect("enabled is set")
}

/// The framework's table of sign-outs (`stratus_server::auth::sign_outs`), ensured like a
/// model's; a new one gets its time to live, which lets DynamoDB drop sign-outs after a day.
pub async fn ensure_sign_outs(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
    endpoint: &str,
) -> Result<Outcome, ProvisionError> {
    let layout = TableLayout {
        name: name.to_owned(),
        key: vec![(
            sign_outs::layout::KEY_ATTRIBUTE.to_owned(),
            ScalarAttributeType::S,
            KeyType::Hash,
        )],
        indexes: Vec::new(),
    };
    let outcome = ensure(client, &layout, endpoint).await?;
    if outcome == Outcome::Created {
        expire_items(client, name, sign_outs::layout::TTL_ATTRIBUTE, endpoint).await?;
    }
    Ok(outcome)
}

/// Lets DynamoDB delete items once the time in `attribute` (seconds since the epoch) has passed.
async fn expire_items(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    attribute: &str,
    endpoint: &str,
) -> Result<(), ProvisionError> {
    let specification = aws_sdk_dynamodb::types::TimeToLiveSpecification::builder()
        .enabled(true)
        .attribute_name(attribute)
        .build()
        .expect("enabled and attribute are set");
    client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(specification)
        .send()
        .await
        .map_err(|error| {
            aws_error(
                SERVICE,
                endpoint,
                format!("turning on time to live for {table}"),
                error,
            )
        })?;
    Ok(())
}

/// Waits for the table, and the index if named, to be usable: the next index change on this
/// table is refused until then.
async fn wait_until_active(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
    index: Option<&str>,
    endpoint: &str,
) -> Result<(), ProvisionError> {
    for attempt in 0.. {
        let description = client
            .describe_table()
            .table_name(name)
            .send()
            .await
            .map_err(|error| {
                aws_error(SERVICE, endpoint, format!("describing table {name}"), error)
            })?;
        let table = description.table();
        let table_active = table.and_then(|t| t.table_status()) == Some(&TableStatus::Active);
        let index_active = index.is_none_or(|index| {
            table
                .map(|t| t.global_secondary_indexes())
                .unwrap_or_default()
                .iter()
                .any(|i| {
                    i.index_name() == Some(index) && i.index_status() == Some(&IndexStatus::Active)
                })
        });
        if table_active && index_active {
            return Ok(());
        }
        if attempt % 10 == 0 {
            tracing::info!(
                "waiting for {name}{} to become active",
                index.map(|i| format!(" index {i}")).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    unreachable!("the loop only ends by returning")
}
