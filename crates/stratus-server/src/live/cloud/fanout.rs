//! A batch of stream records from the model tables (a Lambda event source mapping's event): each
//! change goes to every subscriber of its model who may see it, by the same [`Delivery`] the
//! local hub uses, each subscription checked again against the rules of the code delivering.

use std::collections::HashMap;

use futures::stream::{self, StreamExt};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::registry::{RegistryError, Subscriber};
use super::{now, CloudLive, Posted};
use crate::live::change::{Change, StreamEvent};
use crate::live::delivery::Delivery;
use crate::live::subscription::Subscription;

/// How many posts to the WebSocket API are in flight at once.
const CONCURRENT_POSTS: usize = 32;

#[derive(Debug, Deserialize)]
pub struct StreamBatch {
    #[serde(rename = "Records")]
    pub records: Vec<StreamRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamRecord {
    pub event_name: String,
    /// `arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>`.
    #[serde(rename = "eventSourceARN")]
    pub event_source_arn: String,
    #[serde(default)]
    pub dynamodb: RecordImages,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecordImages {
    #[serde(default)]
    pub new_image: Option<serde_dynamo::Item>,
    #[serde(default)]
    pub old_image: Option<serde_dynamo::Item>,
}

/// A stored subscription, checked for delivery.
struct Checked {
    subscriber: Subscriber,
    subscription: Subscription,
}

impl StreamRecord {
    fn table(&self) -> Option<&str> {
        self.event_source_arn.split('/').nth(1)
    }
}

impl CloudLive {
    /// Delivers a batch's changes; returns how many messages were sent. An error (the live
    /// table unreachable) fails the batch, and Lambda hands it over again.
    pub async fn on_stream(&self, batch: StreamBatch) -> Result<usize, RegistryError> {
        let mut subscribers_of: HashMap<&'static str, Vec<Checked>> = HashMap::new();
        let mut sent = 0;
        for record in batch.records {
            let Some(change) = self.change_of(record) else {
                continue;
            };
            if !subscribers_of.contains_key(change.model.name) {
                let subscribers = self.current_subscribers(change.model.name).await?;
                subscribers_of.insert(change.model.name, subscribers);
            }
            sent += self
                .deliver(&change, &subscribers_of[change.model.name])
                .await;
        }
        Ok(sent)
    }

    /// The model's subscriptions still on and still allowed, each checked once per batch
    /// (again, as the rules may have changed since it began: a new deployment); connections
    /// past their time are closed.
    async fn current_subscribers(&self, model: &str) -> Result<Vec<Checked>, RegistryError> {
        let now = now();
        let (current, expired): (Vec<_>, Vec<_>) = self
            .registry
            .subscribers(model)
            .await?
            .into_iter()
            .partition(|subscriber| subscriber.ends_at > now);
        let mut expired: Vec<&str> = expired.iter().map(|s| s.connection.as_str()).collect();
        expired.sort_unstable();
        expired.dedup();
        for connection in expired {
            self.close(connection).await;
        }
        Ok(current
            .into_iter()
            .filter_map(|subscriber| {
                let subscription = Subscription::check(
                    self.models,
                    &subscriber.caller,
                    &subscriber.name,
                    subscriber.filter.clone(),
                )
                .ok()?;
                Some(Checked {
                    subscriber,
                    subscription,
                })
            })
            .collect())
    }

    fn change_of(&self, record: StreamRecord) -> Option<Change> {
        let model = *self.tables.get(record.table()?)?;
        let event = match record.event_name.as_str() {
            "INSERT" => StreamEvent::Insert,
            "MODIFY" => StreamEvent::Modify,
            "REMOVE" => StreamEvent::Remove,
            _ => return None,
        };
        let image = |item: Option<serde_dynamo::Item>| {
            item.and_then(|item| {
                serde_dynamo::from_item::<_, Map<String, Value>>(item)
                    .map_err(|error| tracing::warn!(model = model.name, %error, "a stream image could not be read"))
                    .ok()
            })
        };
        let old = image(record.dynamodb.old_image);
        let new = image(record.dynamodb.new_image);
        Change::from_images(model, event, old, new)
    }

    async fn deliver(&self, change: &Change, subscribers: &[Checked]) -> usize {
        let mut delivery = Delivery::of(change);
        let posts: Vec<_> = subscribers
            .iter()
            .filter_map(
                |Checked {
                     subscriber,
                     subscription,
                 }| {
                    let message = delivery.message(
                        &subscriber.caller,
                        &subscriber.subscription_id,
                        subscription,
                    )?;
                    Some((subscriber.connection.as_str(), message))
                },
            )
            .collect();
        stream::iter(posts)
            .map(|(connection, message)| async move { self.post(connection, &message).await })
            .buffer_unordered(CONCURRENT_POSTS)
            .filter(|posted| std::future::ready(*posted == Posted::Sent))
            .count()
            .await
    }
}
