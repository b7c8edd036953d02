//! Running an authorized cascading delete (planned by `super::plan::delete`).

use serde_json::Value;
use stratus::data::spec::{ModelSpec, VERSION_ATTRIBUTE};
use stratus::data::{StoreError, Write};
use stratus::error::AppError;

use super::dynamo::DynamoStore;
use super::plan::Cascade;
use super::{models, relations};

/// Deletes an authorized cascade in transactions of at most 100 writes: the other sides' link
/// sets, then children before the items they belong to, the named item last (still at the
/// version read). A small cascade is one transaction, all or nothing. A large one interrupted
/// midway leaves the named item in place with fewer children, never a child without its
/// parent, and running the delete again finishes it.
pub async fn run(
    store: &DynamoStore,
    model: &'static ModelSpec,
    cascade: Cascade,
) -> Result<Value, AppError> {
    let Cascade {
        mut deletes,
        link_removals,
    } = cascade;
    let (root_model, root) = deletes
        .pop()
        .expect("a cascade ends with the item it deletes");
    let version = root
        .get(VERSION_ATTRIBUTE)
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let deleted: std::collections::BTreeSet<(&str, String)> = deletes
        .iter()
        .map(|(m, item)| {
            (
                m.name,
                item.get(m.primary_key.partition)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    let mut writes = Vec::new();
    for ((model_name, id), (target, attribute, values)) in link_removals {
        if deleted.contains(&(model_name, id.clone()))
            || (model_name == root_model.name
                && root
                    .get(root_model.primary_key.partition)
                    .and_then(Value::as_str)
                    == Some(&id))
        {
            continue;
        }
        writes.push(relations::set_update(
            store,
            target,
            &id,
            &attribute,
            &values,
            relations::SetChange::Remove,
        )?);
    }
    for (child_model, child) in &deletes {
        writes.push(models::delete_write(store, child_model, child, None)?);
    }
    writes.push(models::delete_write(
        store,
        root_model,
        &root,
        Some(version),
    )?);
    let batches = writes.len().div_ceil(models::MAX_TRANSACTION_ITEMS);
    let mut remaining = writes;
    for batch in 0..batches {
        let rest = remaining.split_off(remaining.len().min(models::MAX_TRANSACTION_ITEMS));
        let writes = std::mem::replace(&mut remaining, rest);
        if batches > 1 {
            tracing::info!(
                model = model.name,
                batch = batch + 1,
                of = batches,
                "cascading delete"
            );
        }
        models::transact(store, writes, |_| {
            StoreError::ChangedMeanwhile {
                model: model.name,
                write: Write::Delete,
            }
            .into()
        })
        .await?;
    }
    Ok(Value::Object(root))
}
