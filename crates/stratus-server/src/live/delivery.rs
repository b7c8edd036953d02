//! What one change sends to each subscriber: the item only if the model's rules let the
//! subscriber read it, without the fields they may not read, and only if it matches their
//! filter there. Shared by the local server's hub and the cloud's fan-out.

use std::collections::HashMap;

use serde_json::{Map, Value};
use stratus::data::auth::{self, Caller};
use stratus::live::protocol::ServerMessage;

use super::filter::matches;
use super::subscription::Subscription;
use super::Change;

pub struct Delivery<'a> {
    change: &'a Change,
    /// What one caller may see of the item is the same for all their subscriptions, and for
    /// every guest: decided once per caller.
    seen: HashMap<Caller, Option<Map<String, Value>>>,
}

impl<'a> Delivery<'a> {
    pub fn of(change: &'a Change) -> Self {
        Delivery {
            change,
            seen: HashMap::new(),
        }
    }

    /// The message `caller`'s subscription `subscription_id` gets for this change, if any.
    pub fn message(
        &mut self,
        caller: &Caller,
        subscription_id: &str,
        subscription: &Subscription,
    ) -> Option<ServerMessage> {
        let change = self.change;
        if subscription.model.name != change.model.name || subscription.change != change.kind {
            return None;
        }
        let item = self
            .seen
            .entry(caller.clone())
            .or_insert_with(|| auth::readable(change.model, caller, change.item.clone()))
            .as_ref()?;
        if let Some(filter) = &subscription.filter {
            if !matches(filter, item) {
                return None;
            }
        }
        Some(ServerMessage::Change {
            id: subscription_id.to_owned(),
            change: change.kind,
            item: Value::Object(item.clone()),
        })
    }
}
