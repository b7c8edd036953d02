//! A list kept live: the first page from a query, then every change the model's
//! subscriptions report, merged by key. After each interruption the query runs again, so
//! nothing is missed, and changes are merged by key and version, so nothing shows twice.

use std::cmp::Ordering;
use std::future::Future;

use futures::stream::{select_all, StreamExt};
use leptos::prelude::*;
use serde_json::Value;

use super::subscription::{subscribe, LiveEvent};
use super::watch::while_mounted;
use crate::data::spec::{ChangeKind, ModelSpec, VERSION_ATTRIBUTE};
use crate::data::Model;
use crate::error::AppError;

/// The kept list, and how the connection is doing.
pub struct Observed<M: Send + Sync + 'static> {
    /// `None` until the first query has answered.
    pub items: RwSignal<Option<Vec<M>>>,
    /// The latest query failure, cleared when the list is read again.
    pub error: RwSignal<Option<AppError>>,
    /// True while changes arrive as they happen.
    pub live: RwSignal<bool>,
    order: fn(&M, &M) -> Ordering,
}

impl<M: Model + Clone + Sync> Observed<M> {
    /// Merges a change the page made itself, so it shows at once; when the subscription
    /// reports it too, the list keeps it once.
    pub fn apply(&self, change: ChangeKind, item: M) {
        let order = self.order;
        self.items.update(|items| {
            if let Some(items) = items {
                apply(M::SPEC, items, change, item, order);
            }
        });
    }
}

impl<M: Send + Sync + 'static> Clone for Observed<M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M: Send + Sync + 'static> Copy for Observed<M> {}

/// Keeps the items `load` reads, and those `filter` matches as they are created, changed and
/// deleted, in `order`. It stops when the calling component is unmounted.
pub fn observe<M, L, F>(
    filter: Option<M::Filter>,
    load: L,
    order: fn(&M, &M) -> Ordering,
) -> Observed<M>
where
    M: Model + Clone + Sync,
    M::Filter: Clone,
    L: Fn() -> F + 'static,
    F: Future<Output = Result<Vec<M>, AppError>> + 'static,
{
    let observed = Observed {
        items: RwSignal::new(None),
        error: RwSignal::new(None),
        live: RwSignal::new(false),
        order,
    };
    let changes: Vec<_> = ChangeKind::ALL
        .into_iter()
        .filter(|&change| !M::SPEC.subscriptions.names(change).is_empty())
        .collect();
    let keep = async move {
        let subscriptions = changes
            .iter()
            .map(|&change| subscribe::<M>(change, filter.clone()));
        let mut events = select_all(subscriptions);
        let mut pending = changes.len();
        // Shown at once; read again once the subscriptions are in place, to catch up.
        read_again(&observed, &load, order).await;
        while let Some(event) = events.next().await {
            match event {
                LiveEvent::Subscribed => {
                    pending = pending.saturating_sub(1);
                    if pending == 0 {
                        observed.live.set(true);
                        read_again(&observed, &load, order).await;
                    }
                }
                LiveEvent::Interrupted => {
                    pending = changes.len();
                    observed.live.set(false);
                }
                // The list still works by its query; only its liveness is lost.
                LiveEvent::Refused(error) => {
                    leptos::logging::warn!("{} not live: {error}", M::SPEC.name)
                }
                LiveEvent::Changed(change, item) => observed.items.update(|items| {
                    if let Some(items) = items {
                        apply(M::SPEC, items, change, item, order);
                    }
                }),
            }
        }
    };
    while_mounted(keep);
    observed
}

/// Runs the query; changes that arrive meanwhile wait in the subscriptions' streams and are
/// merged after it.
async fn read_again<M, L, F>(observed: &Observed<M>, load: &L, order: fn(&M, &M) -> Ordering)
where
    M: Model + Clone + Sync,
    L: Fn() -> F,
    F: Future<Output = Result<Vec<M>, AppError>>,
{
    match load().await {
        Ok(mut items) => {
            items.sort_by(order);
            observed.items.set(Some(items));
            observed.error.set(None);
        }
        Err(error) => observed.error.set(Some(error)),
    }
}

/// Merges one change into the list: by key, and never back to an older version.
fn apply<M: Model>(
    spec: &ModelSpec,
    items: &mut Vec<M>,
    change: ChangeKind,
    item: M,
    order: fn(&M, &M) -> Ordering,
) {
    let json = serde_json::to_value(&item).unwrap_or_default();
    let key = key_of(spec, &json);
    let position = items
        .iter()
        .position(|kept| key_of(spec, &serde_json::to_value(kept).unwrap_or_default()) == key);
    match (change, position) {
        (ChangeKind::Delete, Some(at)) => {
            items.remove(at);
        }
        (ChangeKind::Delete, None) => {}
        (_, Some(at)) => {
            let kept = serde_json::to_value(&items[at]).unwrap_or_default();
            if version(&json) >= version(&kept) {
                items[at] = item;
            }
        }
        (_, None) => {
            let at = items
                .iter()
                .position(|kept| order(&item, kept) == Ordering::Less)
                .unwrap_or(items.len());
            items.insert(at, item);
        }
    }
}

fn key_of(spec: &ModelSpec, item: &Value) -> Vec<Value> {
    std::iter::once(spec.primary_key.partition)
        .chain(spec.primary_key.sort.iter().copied())
        .map(|field| item.get(field).cloned().unwrap_or(Value::Null))
        .collect()
}

fn version(item: &Value) -> u64 {
    item.get(VERSION_ATTRIBUTE)
        .and_then(Value::as_u64)
        .unwrap_or(0)
}
