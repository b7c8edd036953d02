//! Changes on a laptop: each subscribed model's table stream, read from DynamoDB Local's own
//! stream API, as a Lambda event source mapping reads it in the cloud. Followed from the moment
//! the server starts (what changed while it was down, browsers catch up on by querying when
//! they reconnect).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_dynamodbstreams::error::DisplayErrorContext;
use aws_sdk_dynamodbstreams::types::{OperationType, ShardIteratorType};
use serde_json::{Map, Value};
use stratus::data::spec::{ChangeKind, ModelSpec};
use tokio::time::Instant;

use super::change::{Change, StreamEvent};
use super::Hub;
use crate::configuration::DataSettings;

/// How often a watched stream is read when it had nothing new: the most a change waits before
/// its fan-out.
const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// How often a stream nobody watches is read: only to keep its iterators from expiring and to
/// notice shards end. Reading every table five times a second for nobody cost the debug
/// server 7% of a core and DynamoDB Local 4%, idle.
const UNWATCHED_READ_INTERVAL: Duration = Duration::from_secs(5);
/// How often the stream's shards are listed again (DynamoDB rolls them over every few hours).
const SHARDS_INTERVAL: Duration = Duration::from_secs(60);
/// How long to wait before trying again after the stream could not be read.
const RETRY_INTERVAL: Duration = Duration::from_secs(5);

/// Follows the stream of every model that has subscriptions, until the process ends.
pub fn spawn(
    hub: Arc<Hub>,
    dynamodb: aws_sdk_dynamodb::Client,
    streams: aws_sdk_dynamodbstreams::Client,
    data: &DataSettings,
    models: &'static [&'static ModelSpec],
) {
    for model in models.iter().copied().filter(|m| has_subscriptions(m)) {
        let follower = TableFollower {
            model,
            table: data.table_name(model.name),
            dynamodb: dynamodb.clone(),
            streams: streams.clone(),
            hub: hub.clone(),
        };
        tokio::spawn(follower.run());
    }
}

fn has_subscriptions(model: &ModelSpec) -> bool {
    ChangeKind::ALL
        .into_iter()
        .any(|change| !model.subscriptions.names(change).is_empty())
}

struct TableFollower {
    model: &'static ModelSpec,
    table: String,
    dynamodb: aws_sdk_dynamodb::Client,
    streams: aws_sdk_dynamodbstreams::Client,
    hub: Arc<Hub>,
}

impl TableFollower {
    async fn run(self) {
        let mut warned = false;
        loop {
            match self.follow().await {
                Ok(()) => {}
                // Said once: the table may simply not be provisioned yet.
                Err(error) if !warned => {
                    tracing::warn!(table = %self.table, "live updates wait for the table's stream: {error}");
                    warned = true;
                }
                Err(error) => tracing::debug!(table = %self.table, "{error}"),
            }
            tokio::time::sleep(RETRY_INTERVAL).await;
        }
    }

    /// Reads the stream until it cannot; changes go to the hub as they come.
    async fn follow(&self) -> Result<(), String> {
        let table = self
            .dynamodb
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
            .map_err(|e| {
                format!(
                    "describing the table: {}",
                    aws_sdk_dynamodb::error::DisplayErrorContext(e)
                )
            })?;
        let stream = table
            .table()
            .and_then(|t| t.latest_stream_arn())
            .ok_or("the table has no stream (provisioning turns it on)")?
            .to_owned();
        tracing::info!(table = %self.table, "following the table's changes for live updates");
        // Shards open now are read from now on; shards that appear later, from their start.
        let mut iterators: HashMap<String, Option<String>> = HashMap::new();
        let mut first = true;
        loop {
            iterators.retain(|_, iterator| iterator.is_some());
            for shard in self.open_shards(&stream).await? {
                if iterators.contains_key(&shard) {
                    continue;
                }
                let kind = if first {
                    ShardIteratorType::Latest
                } else {
                    ShardIteratorType::TrimHorizon
                };
                let iterator = self.iterator(&stream, &shard, kind).await?;
                iterators.insert(shard, iterator);
            }
            first = false;
            // New shards are looked for when one ends, and now and then besides.
            let look_again = Instant::now() + SHARDS_INTERVAL;
            let mut shard_ended = false;
            let mut last_read: Option<Instant> = None;
            while !shard_ended && Instant::now() < look_again {
                // A first subscriber waits at most one poll: what the stream kept meanwhile
                // reaches them too, and `observe` merges it by key and version.
                let unwatched = !self.hub.is_watched(self.model);
                if unwatched && last_read.is_some_and(|at| at.elapsed() < UNWATCHED_READ_INTERVAL) {
                    tokio::time::sleep(POLL_INTERVAL).await;
                    continue;
                }
                last_read = Some(Instant::now());
                let mut read_any = false;
                for (shard, iterator) in iterators.iter_mut() {
                    let Some(current) = iterator.clone() else {
                        continue;
                    };
                    let records = match self
                        .streams
                        .get_records()
                        .shard_iterator(current)
                        .send()
                        .await
                    {
                        Ok(records) => records,
                        Err(error) => {
                            // DynamoDB Local sometimes calls a fresh iterator trimmed: take a new
                            // one at once rather than lose the seconds a retry would.
                            tracing::debug!(table = %self.table, %shard, "reading again from the latest record: {}", DisplayErrorContext(error));
                            *iterator = self
                                .iterator(&stream, shard, ShardIteratorType::Latest)
                                .await?;
                            continue;
                        }
                    };
                    read_any |= !records.records().is_empty();
                    for record in records.records() {
                        self.publish(record);
                    }
                    *iterator = records.next_shard_iterator().map(str::to_owned);
                    shard_ended |= iterator.is_none();
                }
                if !read_any {
                    tokio::time::sleep(POLL_INTERVAL).await;
                }
            }
        }
    }

    async fn open_shards(&self, stream: &str) -> Result<Vec<String>, String> {
        let description = self
            .streams
            .describe_stream()
            .stream_arn(stream)
            .send()
            .await
            .map_err(|e| format!("describing the stream: {}", DisplayErrorContext(e)))?;
        Ok(description
            .stream_description()
            .map(|d| d.shards())
            .unwrap_or_default()
            .iter()
            .filter(|shard| {
                shard
                    .sequence_number_range()
                    .and_then(|range| range.ending_sequence_number())
                    .is_none()
            })
            .filter_map(|shard| shard.shard_id().map(str::to_owned))
            .collect())
    }

    async fn iterator(
        &self,
        stream: &str,
        shard: &str,
        kind: ShardIteratorType,
    ) -> Result<Option<String>, String> {
        let answer = self
            .streams
            .get_shard_iterator()
            .stream_arn(stream)
            .shard_id(shard)
            .shard_iterator_type(kind)
            .send()
            .await
            .map_err(|e| format!("opening shard {shard}: {}", DisplayErrorContext(e)))?;
        Ok(answer.shard_iterator().map(str::to_owned))
    }

    fn publish(&self, record: &aws_sdk_dynamodbstreams::types::Record) {
        let event = match record.event_name() {
            Some(OperationType::Insert) => StreamEvent::Insert,
            Some(OperationType::Modify) => StreamEvent::Modify,
            Some(OperationType::Remove) => StreamEvent::Remove,
            _ => return,
        };
        let images = record.dynamodb();
        let image = |image: Option<
            &HashMap<String, aws_sdk_dynamodbstreams::types::AttributeValue>,
        >| {
            image.and_then(|item| {
                serde_dynamo::from_item::<_, Map<String, Value>>(item.clone())
                    .map_err(|error| tracing::warn!(table = %self.table, %error, "a stream image could not be read"))
                    .ok()
            })
        };
        let old = image(images.and_then(|r| r.old_image.as_ref()));
        let new = image(images.and_then(|r| r.new_image.as_ref()));
        if let Some(change) = Change::from_images(self.model, event, old, new) {
            let sent = self.hub.publish(&change);
            tracing::debug!(table = %self.table, kind = ?change.kind, sent, "live change");
        }
    }
}
