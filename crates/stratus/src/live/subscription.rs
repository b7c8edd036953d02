//! A typed subscription: a stream of one model's changes, ended when dropped.

use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::channel::mpsc;
use futures::Stream;

use super::connection::{self, Delivery};
use crate::data::spec::ChangeKind;
use crate::data::Model;
use crate::error::AppError;

/// What a subscription to `M` reports.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveEvent<M> {
    /// The subscription is in place, at first and again after each interruption: changes made
    /// before this were not sent, so whatever shows them should be read again now.
    Subscribed,
    /// The connection dropped; it comes back by itself.
    Interrupted,
    /// The server refused the subscription (its filter, or the caller's rights), in words.
    Refused(AppError),
    /// An item changed, as the caller may see it.
    Changed(ChangeKind, M),
}

/// A stream of [`LiveEvent`]s; dropping it ends the subscription.
pub struct Subscription<M> {
    id: Option<String>,
    events: mpsc::UnboundedReceiver<LiveEvent<M>>,
}

/// Subscribes to `change`s of `M` (Amplify's `onCreate…`, `onUpdate…` or `onDelete…` of the
/// model) that match `filter`.
pub fn subscribe<M: Model>(change: ChangeKind, filter: Option<M::Filter>) -> Subscription<M> {
    let (sender, events) = mpsc::unbounded();
    let Some(name) = M::SPEC.subscriptions.names(change).first() else {
        let _ = sender.unbounded_send(LiveEvent::Refused(AppError::malformed(format!(
            "{} has no subscription to {change:?} changes in the schema.",
            M::SPEC.name
        ))));
        return Subscription { id: None, events };
    };
    let filter = filter.map(|f| serde_json::to_value(f).expect("a filter is JSON"));
    let deliver = Rc::new(move |delivery: Delivery| {
        let event = match delivery {
            Delivery::Subscribed => LiveEvent::Subscribed,
            Delivery::Interrupted => LiveEvent::Interrupted,
            Delivery::Refused(error) => LiveEvent::Refused(error),
            Delivery::Change(change, item) => match serde_json::from_value::<M>(item) {
                Ok(item) => LiveEvent::Changed(change, item),
                Err(error) => LiveEvent::Refused(AppError::internal(format!(
                    "a changed {} could not be read: {error}",
                    M::SPEC.name
                ))),
            },
        };
        let _ = sender.unbounded_send(event);
    });
    let id = connection::add((*name).to_owned(), filter, deliver);
    Subscription {
        id: Some(id),
        events,
    }
}

impl<M> Stream for Subscription<M> {
    type Item = LiveEvent<M>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.events).poll_next(cx)
    }
}

impl<M> Drop for Subscription<M> {
    fn drop(&mut self) {
        if let Some(id) = &self.id {
            connection::remove(id);
        }
    }
}
