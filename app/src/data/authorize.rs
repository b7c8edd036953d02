//! The schema's `@auth` rules applied to one server function call (server side only): which
//! items the verified caller may read, create, change or delete. The rules themselves are
//! evaluated in [`super::auth`]; this module asks the data layer what it needs to know (whose
//! item is this?) and refuses with a message before anything is written.

use serde_json::{json, Value};

use super::auth::{access, Access, Caller};
use super::spec::{ModelSpec, Operation};
use crate::error::AppError;
use crate::store::Db;

/// Refuses at once when no rule lets the caller do `operation` on any item of the model.
pub fn require(model: &ModelSpec, caller: &Caller, operation: Operation) -> Result<Access, AppError> {
    match access(model, caller, operation) {
        Access::Denied(error) => Err(error),
        granted => Ok(granted),
    }
}

/// The filter a list runs with: the caller's own, narrowed to the caller's items when owner
/// rules are all that let them read. Narrowing the query (rather than dropping rows after it)
/// keeps `limit` and `nextToken` right.
pub fn readable_filter(model: &ModelSpec, caller: &Caller, filter: Option<Value>) -> Result<Option<Value>, AppError> {
    match require(model, caller, Operation::Read)? {
        Access::OwnItems { owner_field } => {
            let mine = json!({ owner_field: { "eq": caller.user_id() } });
            Ok(Some(match filter {
                Some(filter) => json!({ "and": [filter, mine] }),
                None => mine,
            }))
        }
        _ => Ok(filter),
    }
}

/// Included relations are read too: each model on an include path must be readable by the
/// caller as a whole (a per-row owner check would make pages of holes).
pub fn require_readable_includes(model: &'static ModelSpec, caller: &Caller, include: &[String]) -> Result<(), AppError> {
    for path in include {
        let mut current = model;
        for field in path.split('.') {
            let Some(relation) = current.relation(field) else {
                return Err(AppError::invalid("include", format!("{} has no relation `{field}`.", current.name)));
            };
            current = crate::models::model_named(relation.target)?;
            if !matches!(access(current, caller, Operation::Read), Access::Allowed) {
                return Err(AppError::forbidden(format!("You may not read the {} items that `{path}` includes.", current.name)));
            }
        }
    }
    Ok(())
}

/// Whether the caller may read this stored item.
pub fn may_read(model: &ModelSpec, caller: &Caller, item: &Value) -> bool {
    match access(model, caller, Operation::Read) {
        Access::Allowed => true,
        Access::OwnItems { owner_field } => item.get(owner_field).and_then(Value::as_str) == caller.user_id(),
        Access::Denied(_) => false,
    }
}

/// For a change to the item `key` names: allowed outright, or only to its owner, in which
/// case the item is read first. The owner field is kept by the server and never changes, so
/// the answer stays true until the (version-conditional) write.
pub async fn require_item(model: &'static ModelSpec, caller: &Caller, operation: Operation, key: &Value) -> Result<(), AppError> {
    let Access::OwnItems { owner_field } = require(model, caller, operation)? else {
        return Ok(());
    };
    let item = Db::from_context()?.0.get_item(model, key.clone(), &[]).await?;
    let Some(item) = item else {
        return Err(AppError::not_found(format!("There is no such {}.", model.name)));
    };
    require_owner(model, caller, operation, owner_field, &item)
}

/// For a change to an `item` already read: allowed outright, or only to its owner.
pub fn require_loaded_item(model: &ModelSpec, caller: &Caller, operation: Operation, item: &Value) -> Result<(), AppError> {
    match require(model, caller, operation)? {
        Access::OwnItems { owner_field } => require_owner(model, caller, operation, owner_field, item),
        _ => Ok(()),
    }
}

fn require_owner(model: &ModelSpec, caller: &Caller, operation: Operation, owner_field: &str, item: &Value) -> Result<(), AppError> {
    if item.get(owner_field).and_then(Value::as_str) == caller.user_id() {
        Ok(())
    } else {
        let verb = if operation == Operation::Delete { "delete" } else { "change" };
        Err(AppError::forbidden(format!("Only its owner may {verb} this {}.", model.name)))
    }
}

/// The owner a new item gets: the signed-in caller, for models with an owner rule.
pub fn owner_of_new_item(model: &ModelSpec, caller: &Caller) -> Option<String> {
    let has_owner = model.auth.iter().any(|rule| rule.owner_field.is_some());
    has_owner.then(|| caller.user_id().map(str::to_owned)).flatten()
}

/// The key fields of `input` (an update), as the data layer's `get` takes them.
pub fn key_of(model: &ModelSpec, input: &Value) -> Value {
    let mut key = serde_json::Map::new();
    for field in std::iter::once(&model.primary_key.partition).chain(model.primary_key.sort) {
        key.insert((*field).to_owned(), input.get(*field).cloned().unwrap_or(Value::Null));
    }
    Value::Object(key)
}
