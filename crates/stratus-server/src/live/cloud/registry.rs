//! Who is connected and subscribed to what, in the cloud: each Lambda invocation is a stranger
//! to the last, so the WebSocket API's connections and their subscriptions are kept in one
//! DynamoDB table (`live.table`).
//!
//! A connection is the item `pk = connection#<id>, sk = connection`: its caller, when it must
//! end, and the subscriptions it holds (id -> model). A subscription is the item
//! `pk = model#<Model>, sk = <connection>#<subscription>`, so the fan-out of a change reads its
//! model's subscriptions with one query. Every item expires (TTL `expiresAt`) a little after its
//! connection must end, so whatever a lost `$disconnect` leaves behind goes by itself.

use std::collections::HashMap;

use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use serde_json::Value;
use stratus::data::auth::Caller;
use stratus::live::protocol::MAX_SUBSCRIPTIONS;

/// How long past its end a connection's items are kept before DynamoDB's TTL removes them.
const EXPIRY_GRACE_SECS: u64 = 60 * 60;

const PK: &str = "pk";
const SK: &str = "sk";
const CONNECTION_SK: &str = "connection";

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("this live connection has ended")]
    ConnectionEnded,
    #[error("a connection may hold {MAX_SUBSCRIPTIONS} subscriptions at once")]
    TooManySubscriptions,
    #[error("the live table could not be used: {0}")]
    Unavailable(String),
    #[error("an item of the live table is not as this server writes them: {0}")]
    Unreadable(String),
}

fn unavailable<E: std::error::Error + 'static, R: std::fmt::Debug>(
    error: SdkError<E, R>,
) -> RegistryError {
    RegistryError::Unavailable(DisplayErrorContext(error).to_string())
}

/// A subscription as the fan-out needs it: whose, which, and until when.
#[derive(Debug, Clone)]
pub struct Subscriber {
    pub connection: String,
    pub subscription_id: String,
    pub caller: Caller,
    /// The subscription's name (`onCreateComment`): checked again at each delivery, so a
    /// subscription stays bound by the rules of the code that delivers.
    pub name: String,
    pub filter: Option<Value>,
    /// Seconds since the epoch when the connection must end.
    pub ends_at: u64,
}

/// A connection's caller, and when the connection must end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    pub caller: Caller,
    pub ends_at: u64,
}

#[derive(Clone)]
pub struct Registry {
    dynamodb: aws_sdk_dynamodb::Client,
    table: String,
}

impl Registry {
    pub fn new(dynamodb: aws_sdk_dynamodb::Client, table: String) -> Self {
        Registry { dynamodb, table }
    }

    pub async fn connect(
        &self,
        connection: &str,
        caller: &Caller,
        ends_at: u64,
    ) -> Result<(), RegistryError> {
        self.dynamodb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(HashMap::from([
                (PK.to_owned(), s(connection_pk(connection))),
                (SK.to_owned(), s(CONNECTION_SK)),
                ("caller".to_owned(), s(caller_json(caller))),
                ("endsAt".to_owned(), n(ends_at)),
                ("expiresAt".to_owned(), n(ends_at + EXPIRY_GRACE_SECS)),
                (
                    "subscriptions".to_owned(),
                    AttributeValue::M(HashMap::new()),
                ),
            ])))
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    /// The connection's caller, if it is still registered.
    pub async fn connected(&self, connection: &str) -> Result<Option<Connected>, RegistryError> {
        let item = self
            .dynamodb
            .get_item()
            .table_name(&self.table)
            .set_key(Some(connection_key(connection)))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        let Some(item) = item.item() else {
            return Ok(None);
        };
        Ok(Some(Connected {
            caller: caller_of(item)?,
            ends_at: number(item, "endsAt")?,
        }))
    }

    /// Records subscription `subscription_id` of a connection (replacing one of the same id).
    pub async fn subscribe(
        &self,
        connected: &Connected,
        connection: &str,
        subscription_id: &str,
        model: &str,
        name: &str,
        filter: Option<&Value>,
    ) -> Result<(), RegistryError> {
        // The connection item counts the subscriptions, atomically, and names each one's model
        // so that an unsubscribe or a disconnect finds the subscription's item.
        let held = self
            .dynamodb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(connection_key(connection)))
            .update_expression("SET subscriptions.#id = :model")
            .condition_expression(
                "attribute_exists(pk) AND (size(subscriptions) < :most OR attribute_exists(subscriptions.#id))",
            )
            .expression_attribute_names("#id", subscription_id)
            .expression_attribute_values(":model", s(model))
            .expression_attribute_values(":most", n(MAX_SUBSCRIPTIONS as u64))
            .return_values(ReturnValue::UpdatedOld)
            .send()
            .await;
        let held = match held {
            Ok(held) => held,
            Err(error) if condition_failed(&error) => {
                return Err(match self.connected(connection).await? {
                    None => RegistryError::ConnectionEnded,
                    Some(_) => RegistryError::TooManySubscriptions,
                });
            }
            Err(error) => return Err(unavailable(error)),
        };
        let replaced_model =
            held_model(held.attributes(), subscription_id).filter(|old| *old != model);
        if let Some(old) = replaced_model {
            self.delete_subscription(old, connection, subscription_id)
                .await?;
        }
        let mut item = HashMap::from([
            (PK.to_owned(), s(model_pk(model))),
            (
                SK.to_owned(),
                s(subscription_sk(connection, subscription_id)),
            ),
            ("connection".to_owned(), s(connection)),
            ("subscription".to_owned(), s(subscription_id)),
            ("caller".to_owned(), s(caller_json(&connected.caller))),
            ("name".to_owned(), s(name)),
            ("endsAt".to_owned(), n(connected.ends_at)),
            (
                "expiresAt".to_owned(),
                n(connected.ends_at + EXPIRY_GRACE_SECS),
            ),
        ]);
        if let Some(filter) = filter {
            item.insert("filter".to_owned(), s(filter.to_string()));
        }
        self.dynamodb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    pub async fn unsubscribe(
        &self,
        connection: &str,
        subscription_id: &str,
    ) -> Result<(), RegistryError> {
        let held = self
            .dynamodb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(connection_key(connection)))
            .update_expression("REMOVE subscriptions.#id")
            // Without it, an update of a connection that has gone would create its item again.
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names("#id", subscription_id)
            .return_values(ReturnValue::UpdatedOld)
            .send()
            .await;
        let held = match held {
            Ok(held) => held,
            Err(error) if condition_failed(&error) => {
                return Ok(());
            }
            Err(error) => return Err(unavailable(error)),
        };
        if let Some(model) = held_model(held.attributes(), subscription_id) {
            self.delete_subscription(model, connection, subscription_id)
                .await?;
        }
        Ok(())
    }

    /// Forgets a connection and its subscriptions.
    pub async fn disconnect(&self, connection: &str) -> Result<(), RegistryError> {
        let gone = self
            .dynamodb
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(connection_key(connection)))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(unavailable)?;
        for (subscription_id, model) in held_subscriptions(gone.attributes()).into_iter().flatten()
        {
            if let Ok(model) = model.as_s() {
                self.delete_subscription(model, connection, subscription_id)
                    .await?;
            }
        }
        Ok(())
    }

    /// Every subscription to a change of `model`.
    pub async fn subscribers(&self, model: &str) -> Result<Vec<Subscriber>, RegistryError> {
        let mut pages = self
            .dynamodb
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s(model_pk(model)))
            .into_paginator()
            .items()
            .send();
        let mut subscribers = Vec::new();
        while let Some(item) = pages.next().await {
            let item = item.map_err(unavailable)?;
            subscribers.push(Subscriber {
                connection: string(&item, "connection")?,
                subscription_id: string(&item, "subscription")?,
                caller: caller_of(&item)?,
                name: string(&item, "name")?,
                filter: match item.get("filter").and_then(|f| f.as_s().ok()) {
                    Some(filter) => Some(
                        serde_json::from_str(filter)
                            .map_err(|e| RegistryError::Unreadable(format!("filter: {e}")))?,
                    ),
                    None => None,
                },
                ends_at: number(&item, "endsAt")?,
            });
        }
        Ok(subscribers)
    }

    async fn delete_subscription(
        &self,
        model: &str,
        connection: &str,
        subscription_id: &str,
    ) -> Result<(), RegistryError> {
        self.dynamodb
            .delete_item()
            .table_name(&self.table)
            .key(PK, s(model_pk(model)))
            .key(SK, s(subscription_sk(connection, subscription_id)))
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}

type Item = HashMap<String, AttributeValue>;

/// The subscriptions (id -> model) a connection item held, from an answer's old attributes.
fn held_subscriptions(old: Option<&Item>) -> Option<&Item> {
    old?.get("subscriptions")?.as_m().ok()
}

/// The model the connection item named for `subscription_id`.
fn held_model<'a>(old: Option<&'a Item>, subscription_id: &str) -> Option<&'a str> {
    held_subscriptions(old)?
        .get(subscription_id)?
        .as_s()
        .ok()
        .map(String::as_str)
}

/// Whether an update was refused by its condition (the connection gone, or full).
fn condition_failed<R>(error: &SdkError<UpdateItemError, R>) -> bool {
    matches!(
        error.as_service_error(),
        Some(UpdateItemError::ConditionalCheckFailedException(_))
    )
}

fn connection_pk(connection: &str) -> String {
    format!("connection#{connection}")
}

fn model_pk(model: &str) -> String {
    format!("model#{model}")
}

fn subscription_sk(connection: &str, subscription_id: &str) -> String {
    format!("{connection}#{subscription_id}")
}

fn connection_key(connection: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (PK.to_owned(), s(connection_pk(connection))),
        (SK.to_owned(), s(CONNECTION_SK)),
    ])
}

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

fn n(value: u64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn caller_json(caller: &Caller) -> String {
    serde_json::to_string(caller).expect("a caller is JSON")
}

fn caller_of(item: &HashMap<String, AttributeValue>) -> Result<Caller, RegistryError> {
    serde_json::from_str(&string(item, "caller")?)
        .map_err(|e| RegistryError::Unreadable(format!("caller: {e}")))
}

fn string(item: &HashMap<String, AttributeValue>, name: &str) -> Result<String, RegistryError> {
    item.get(name)
        .and_then(|value| value.as_s().ok())
        .cloned()
        .ok_or_else(|| RegistryError::Unreadable(format!("no text `{name}`")))
}

fn number(item: &HashMap<String, AttributeValue>, name: &str) -> Result<u64, RegistryError> {
    item.get(name)
        .and_then(|value| value.as_n().ok())
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| RegistryError::Unreadable(format!("no number `{name}`")))
}
