//! The messages of a live connection, as JSON text frames. The same types are read and written
//! on both sides, so the two cannot drift apart.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::data::spec::ChangeKind;
use crate::error::AppError;

/// The local server's WebSocket endpoint (`/live?ticket=...`).
pub const LIVE_PATH: &str = "/live";

/// The close code a server ends a connection with when its time is up (the ticket's sign-in
/// may have ended since): the browser opens a new one with a new ticket and catches up.
pub const CLOSE_RENEW: u16 = 4000;

/// The largest message a browser may send; a subscription with its filter is far smaller.
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 16 * 1024;

/// How many subscriptions one connection may hold at once.
pub const MAX_SUBSCRIPTIONS: usize = 100;

/// Browser to server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum ClientMessage {
    /// Start a subscription: `subscription` is its Amplify name (`onCreateComment`), `filter`
    /// the model's filter (`{"postCommentsId": {"eq": "..."}}`), `id` the browser's name for it.
    Subscribe {
        id: String,
        subscription: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filter: Option<Value>,
    },
    Unsubscribe {
        id: String,
    },
}

impl ClientMessage {
    /// Reads one text frame, or says in words what was wrong with it (the local server and the
    /// cloud's WebSocket API refuse a bad message alike).
    pub fn read(text: &str) -> Result<ClientMessage, AppError> {
        if text.len() > MAX_CLIENT_MESSAGE_BYTES {
            return Err(AppError::malformed(format!(
                "A live message may be at most {MAX_CLIENT_MESSAGE_BYTES} bytes; this one is {}.",
                text.len()
            )));
        }
        serde_json::from_str(text).map_err(|error| {
            AppError::malformed(format!(
                "The live message is not one of `subscribe` or `unsubscribe` as expected: {error}."
            ))
        })
    }
}

/// Server to browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ServerMessage {
    /// The subscription is in place: every change from now on is sent.
    Subscribed { id: String },
    /// A subscription refused, or a message not understood (`id`: the subscription it named).
    Refused {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        error: AppError,
    },
    /// An item of a subscribed model changed: as the subscriber may see it (for a delete, as
    /// it was).
    Change {
        id: String,
        change: ChangeKind,
        item: Value,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_read_as_their_json_says() {
        let subscribe: ClientMessage = serde_json::from_value(json!({
            "type": "subscribe", "id": "1", "subscription": "onCreateComment",
            "filter": {"postCommentsId": {"eq": "p1"}}
        }))
        .unwrap();
        assert_eq!(
            subscribe,
            ClientMessage::Subscribe {
                id: "1".into(),
                subscription: "onCreateComment".into(),
                filter: Some(json!({"postCommentsId": {"eq": "p1"}})),
            }
        );
        let change = ServerMessage::Change {
            id: "1".into(),
            change: ChangeKind::Update,
            item: json!({"id": "c1"}),
        };
        assert_eq!(
            serde_json::to_value(&change).unwrap(),
            json!({"type": "change", "id": "1", "change": "update", "item": {"id": "c1"}})
        );
    }

    #[test]
    fn an_unknown_message_or_field_is_not_read() {
        for text in [
            r#"{"type": "publish", "id": "1"}"#,
            r#"{"type": "subscribe", "id": "1", "subscription": "x", "extra": 1}"#,
            r#"{"type": "subscribe", "subscription": "x"}"#,
        ] {
            assert!(
                serde_json::from_str::<ClientMessage>(text).is_err(),
                "{text}"
            );
        }
    }
}
