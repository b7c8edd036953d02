//! Owner fields are the server's: on create they are set from the verified caller (a caller
//! who names someone else is refused), and no update changes them. This holds for the owner
//! field Amplify adds (`owner`), a declared one (`ownerField: "userId"`, even a key), and a list
//! of owners.

use serde_json::{Map, Value};
use stratus::data::auth::Caller;
use stratus::data::spec::{FieldSpec, IdentityClaim, ModelSpec, Operation};
use stratus::data::{Refusal, StoreError};
use stratus::error::AppError;

/// A create's value for an owner field must name the caller (a list must include them).
pub fn check_given(
    model: &ModelSpec,
    field: &FieldSpec,
    claim: IdentityClaim,
    given: &Value,
    caller: &Caller,
) -> Result<(), AppError> {
    let is_me = |owner: &Value| owner.as_str().is_some_and(|o| caller.is_named_by(claim, o));
    let names_caller = match given {
        Value::String(_) => is_me(given),
        Value::Array(owners) => owners.iter().all(Value::is_string) && owners.iter().any(is_me),
        _ => false,
    };
    if names_caller {
        Ok(())
    } else {
        Err(StoreError::Forbidden {
            model: model.name,
            operation: Operation::Create,
            refusal: Refusal::OwnerIsCaller { field: field.name },
        }
        .into())
    }
}

/// Sets every owner field of a new item to the caller; a list keeps the co-owners it was given.
pub fn set(
    model: &ModelSpec,
    item: &mut Map<String, Value>,
    given: &Map<String, Value>,
    caller: &Caller,
) -> Result<(), AppError> {
    for (field, claim) in model.owner_fields() {
        let Some(me) = caller.identity(claim) else {
            if field.required {
                return Err(StoreError::SignInRequired {
                    model: model.name,
                    operation: Operation::Create,
                }
                .into());
            }
            continue;
        };
        let value = match (field.list, given.get(field.name)) {
            (true, Some(Value::Array(owners))) => Value::Array(owners.clone()),
            (true, _) => Value::Array(vec![Value::String(me)]),
            (false, _) => Value::String(me),
        };
        item.insert(field.name.to_owned(), value);
    }
    Ok(())
}

/// An update may repeat an owner field's value, never change it.
pub fn check_unchanged(
    model: &ModelSpec,
    before: &Map<String, Value>,
    changes: &mut Map<String, Value>,
) -> Result<(), AppError> {
    for (field, _) in model.owner_fields() {
        let Some(given) = changes.remove(field.name) else {
            continue;
        };
        if before.get(field.name).unwrap_or(&Value::Null) != &given {
            return Err(StoreError::Forbidden {
                model: model.name,
                operation: Operation::Update,
                refusal: Refusal::OwnerFieldFixed { field: field.name },
            }
            .into());
        }
    }
    Ok(())
}
