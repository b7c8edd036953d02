//! A subscription as a browser asks for it, checked before it starts: the name is one of a
//! model's subscriptions, the caller may read some item of the model, and the filter is well
//! formed and uses only fields the caller may read on every item.

use serde_json::Value;
use stratus::data::auth::{self, Caller};
use stratus::data::spec::{ChangeKind, ModelSpec, Operation};
use stratus::error::AppError;
use stratus::live::protocol::MAX_SUBSCRIPTIONS;

/// A subscription asked of a connection that has gone (the same words locally and in the cloud).
pub fn connection_ended() -> AppError {
    AppError::not_found("This live connection has ended.")
}

/// One subscription more than a connection may hold.
pub fn too_many_subscriptions() -> AppError {
    AppError::malformed(format!(
        "A connection may hold {MAX_SUBSCRIPTIONS} subscriptions at once; end one first."
    ))
}

/// A checked subscription: the model it watches, the change it reports, its filter.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub model: &'static ModelSpec,
    pub change: ChangeKind,
    pub filter: Option<Value>,
}

impl Subscription {
    /// Checks a subscription request of `caller`: words for whatever is wrong with it.
    pub fn check(
        models: &[&'static ModelSpec],
        caller: &Caller,
        name: &str,
        filter: Option<Value>,
    ) -> Result<Subscription, AppError> {
        let (model, change) = models
            .iter()
            .find_map(|model| {
                model
                    .subscriptions
                    .change_named(name)
                    .map(|change| (*model, change))
            })
            .ok_or_else(|| {
                AppError::not_found(format!("There is no subscription named `{name}`."))
            })?;
        if !auth::may_ever(model.auth, caller, Operation::Read) {
            return Err(auth::refusal(model, caller, Operation::Read).into());
        }
        let filter = filter.filter(|f| !f.is_null());
        if let Some(filter) = &filter {
            crate::store::validate_filter(model, filter)?;
            auth::check_filter_fields(model, caller, filter)?;
        }
        Ok(Subscription {
            model,
            change,
            filter,
        })
    }
}
