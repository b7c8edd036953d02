//! `GET /live?ticket=...`: the local server's WebSocket endpoint (in the cloud, an API Gateway
//! WebSocket API plays this part). The ticket is checked before the upgrade, so a connection
//! without one is refused in words with a 401; then each text frame is one `ClientMessage`, and
//! what the hub sends goes out as it comes. The connection ends when its time is up (the
//! browser opens a new one with a fresh ticket) or when it falls behind.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use stratus::data::auth::Caller;
use stratus::error::AppError;
use stratus::live::protocol::{
    ClientMessage, ServerMessage, CLOSE_RENEW, MAX_CLIENT_MESSAGE_BYTES,
};
use stratus::live::ticket::{Admission, TicketKey};

use super::hub::ConnectionId;
use super::Hub;
use crate::error_response::error_response;

const READ_BUFFER_BYTES: usize = 4 * 1024;

#[derive(Clone)]
pub struct LiveState {
    pub hub: Arc<Hub>,
    pub tickets: TicketKey,
}

#[derive(Deserialize)]
pub struct Ticket {
    ticket: Option<String>,
}

pub async fn connect(
    State(live): State<LiveState>,
    Query(Ticket { ticket }): Query<Ticket>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let admitted = ticket
        .ok_or_else(|| {
            AppError::unauthorized(
                "A live connection needs a ticket (`?ticket=`), from `open_live_connection`.",
            )
        })
        .and_then(|ticket| live.tickets.admit(&ticket, now()));
    let admission = match admitted {
        Ok(admission) => admission,
        Err(error) => {
            tracing::info!(%error, "live connection refused");
            return error_response(
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::UNAUTHORIZED),
                &error,
            );
        }
    };
    upgrade
        .max_message_size(MAX_CLIENT_MESSAGE_BYTES)
        // The default read buffer (128 KiB, allocated up front) would be most of a connection's
        // memory; a browser's messages are small.
        .read_buffer_size(READ_BUFFER_BYTES)
        .on_upgrade(move |socket| serve(socket, live.hub, admission))
}

async fn serve(mut socket: WebSocket, hub: Arc<Hub>, admission: Admission) {
    let Admission {
        caller,
        connection_ends_at,
    } = admission;
    let (id, mut outbox) = hub.connect(caller.clone());
    let time_left = Duration::from_secs(connection_ends_at.saturating_sub(now()));
    let time_up = tokio::time::sleep(time_left);
    tokio::pin!(time_up);
    let close = loop {
        tokio::select! {
            received = socket.recv() => match received {
                Some(Ok(Message::Text(text))) => {
                    if let Some(answer) = answer(&hub, id, &caller, text.as_str()) {
                        if send(&mut socket, &answer).await.is_err() {
                            break None;
                        }
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    let refused = ServerMessage::Refused {
                        id: None,
                        error: AppError::malformed("Live messages are JSON text, not binary frames."),
                    };
                    if send(&mut socket, &refused).await.is_err() {
                        break None;
                    }
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_))) | None => break None,
                Some(Err(error)) => {
                    tracing::debug!(%error, "live connection broke");
                    break None;
                }
            },
            message = outbox.recv() => match message {
                Some(message) => {
                    if send(&mut socket, &message).await.is_err() {
                        break None;
                    }
                }
                // The hub dropped this connection: it fell behind.
                None => break Some("behind: reconnect and catch up"),
            },
            () = &mut time_up => break Some("time is up: reconnect with a new ticket"),
        }
    };
    hub.disconnect(id);
    if let Some(reason) = close {
        let _ = socket
            .send(Message::Close(Some(CloseFrame {
                code: CLOSE_RENEW,
                reason: reason.into(),
            })))
            .await;
    }
}

/// What to answer a browser's message: a subscription's acceptance or refusal.
fn answer(hub: &Hub, id: ConnectionId, caller: &Caller, text: &str) -> Option<ServerMessage> {
    let message = match ClientMessage::read(text) {
        Ok(message) => message,
        Err(error) => return Some(ServerMessage::Refused { id: None, error }),
    };
    match message {
        ClientMessage::Subscribe {
            id: subscription_id,
            subscription,
            filter,
        } => Some(
            match hub.subscribe(id, subscription_id.clone(), &subscription, filter) {
                Ok(()) => ServerMessage::Subscribed {
                    id: subscription_id,
                },
                Err(error) => {
                    tracing::info!(?caller, %subscription, %error, "subscription refused");
                    ServerMessage::Refused {
                        id: Some(subscription_id),
                        error,
                    }
                }
            },
        ),
        ClientMessage::Unsubscribe {
            id: subscription_id,
        } => {
            hub.unsubscribe(id, &subscription_id);
            None
        }
    }
}

async fn send(socket: &mut WebSocket, message: &ServerMessage) -> Result<(), axum::Error> {
    let text = serde_json::to_string(message).expect("a message is JSON");
    socket.send(Message::Text(text.into())).await
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}
