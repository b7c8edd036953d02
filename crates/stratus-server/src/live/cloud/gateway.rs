//! The WebSocket API's events: a browser connects (`$connect`, with its ticket in the query, as
//! it would to the local server's `/live`), sends a message (`$default`), or goes
//! (`$disconnect`). Answers to messages are posted to the connection; what the function returns
//! only tells the API whether a connection is accepted.

use std::collections::HashMap;

use base64::Engine;
use serde::{Deserialize, Serialize};
use stratus::error::AppError;
use stratus::live::protocol::{ClientMessage, ServerMessage};

use super::registry::{Connected, RegistryError};
use super::{now, CloudLive};
use crate::live::subscription::{connection_ended, too_many_subscriptions, Subscription};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebSocketEvent {
    pub request_context: WebSocketContext,
    #[serde(default)]
    pub query_string_parameters: Option<HashMap<String, String>>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub is_base64_encoded: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebSocketContext {
    pub connection_id: String,
    pub event_type: WebSocketEventType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WebSocketEventType {
    Connect,
    Message,
    Disconnect,
}

/// The function's answer to the API: for `$connect`, a status other than 200 refuses the
/// connection (the browser's handshake fails with it).
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct GatewayAnswer {
    pub status_code: u16,
    pub body: String,
}

impl GatewayAnswer {
    fn ok() -> Self {
        GatewayAnswer {
            status_code: 200,
            body: String::new(),
        }
    }

    fn refused(error: &AppError) -> Self {
        GatewayAnswer {
            status_code: error.status(),
            body: serde_json::to_string(error).expect("an error is JSON"),
        }
    }
}

impl CloudLive {
    pub async fn on_websocket(&self, event: WebSocketEvent) -> GatewayAnswer {
        let connection = event.request_context.connection_id.as_str();
        match event.request_context.event_type {
            WebSocketEventType::Connect => {
                let ticket = event
                    .query_string_parameters
                    .as_ref()
                    .and_then(|query| query.get("ticket"));
                match self.admit(connection, ticket.map(String::as_str)).await {
                    Ok(()) => GatewayAnswer::ok(),
                    Err(error) => {
                        tracing::info!(%connection, %error, "live connection refused");
                        GatewayAnswer::refused(&error)
                    }
                }
            }
            WebSocketEventType::Message => {
                let text = match (event.body, event.is_base64_encoded) {
                    (Some(body), false) => Ok(body),
                    (Some(body), true) => base64::engine::general_purpose::STANDARD
                        .decode(body)
                        .ok()
                        .and_then(|bytes| String::from_utf8(bytes).ok())
                        .ok_or(()),
                    (None, _) => Ok(String::new()),
                };
                let answer = match text {
                    Ok(text) => self.answer(connection, &text).await,
                    Err(()) => Some(ServerMessage::Refused {
                        id: None,
                        error: AppError::malformed(
                            "Live messages are JSON text, not binary frames.",
                        ),
                    }),
                };
                if let Some(answer) = answer {
                    self.post(connection, &answer).await;
                }
                GatewayAnswer::ok()
            }
            WebSocketEventType::Disconnect => {
                self.forget(connection).await;
                GatewayAnswer::ok()
            }
        }
    }

    async fn admit(&self, connection: &str, ticket: Option<&str>) -> Result<(), AppError> {
        let ticket = ticket.ok_or_else(|| {
            AppError::unauthorized(
                "A live connection needs a ticket (`?ticket=`), from `open_live_connection`.",
            )
        })?;
        let admission = self.tickets.admit(ticket, now())?;
        self.registry
            .connect(connection, &admission.caller, admission.connection_ends_at)
            .await
            .map_err(unavailable)
    }

    /// What to answer a browser's message: a subscription's acceptance or refusal.
    async fn answer(&self, connection: &str, text: &str) -> Option<ServerMessage> {
        let message = match ClientMessage::read(text) {
            Ok(message) => message,
            Err(error) => return Some(ServerMessage::Refused { id: None, error }),
        };
        let connected = match self.registry.connected(connection).await {
            Ok(Some(connected)) if connected.ends_at > now() => connected,
            Ok(_) => {
                // Its time is up, or it was forgotten: the browser reconnects with a new ticket.
                self.close(connection).await;
                return None;
            }
            Err(error) => {
                return Some(ServerMessage::Refused {
                    id: None,
                    error: unavailable(error),
                })
            }
        };
        match message {
            ClientMessage::Subscribe {
                id,
                subscription,
                filter,
            } => Some(
                match self
                    .subscribe(&connected, connection, &id, &subscription, filter)
                    .await
                {
                    Ok(()) => ServerMessage::Subscribed { id },
                    Err(error) => {
                        tracing::info!(caller = ?connected.caller, %subscription, %error, "subscription refused");
                        ServerMessage::Refused {
                            id: Some(id),
                            error,
                        }
                    }
                },
            ),
            ClientMessage::Unsubscribe { id } => {
                if let Err(error) = self.registry.unsubscribe(connection, &id).await {
                    tracing::warn!(%connection, %error, "could not end a subscription");
                }
                None
            }
        }
    }

    async fn subscribe(
        &self,
        connected: &Connected,
        connection: &str,
        id: &str,
        name: &str,
        filter: Option<serde_json::Value>,
    ) -> Result<(), AppError> {
        let checked = Subscription::check(self.models, &connected.caller, name, filter)?;
        self.registry
            .subscribe(
                connected,
                connection,
                id,
                checked.model.name,
                name,
                checked.filter.as_ref(),
            )
            .await
            .map_err(|error| match error {
                RegistryError::ConnectionEnded => connection_ended(),
                RegistryError::TooManySubscriptions => too_many_subscriptions(),
                other => unavailable(other),
            })
    }
}

fn unavailable(error: RegistryError) -> AppError {
    tracing::error!(%error, "live updates unavailable");
    AppError::unavailable("Live updates are unavailable at the moment; the page will try again.")
}
