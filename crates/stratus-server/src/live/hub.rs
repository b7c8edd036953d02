//! The live connections of one server and their subscriptions, and the fan-out of each change.
//!
//! A subscription names one of a model's subscriptions and, optionally, a filter; both are
//! checked when it starts (the name exists, the caller may read some item of the model, the
//! filter is well formed and uses only fields the caller may read on every item). Each change
//! is then checked per subscriber: the item goes out only if the model's rules let that caller
//! read it, trimmed to the fields they may read, and only if it matches their filter there.
//! A subscriber who cannot keep up is dropped (their browser reconnects and catches up), so
//! one slow reader never holds up the others or grows the server's memory.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde_json::Value;
use stratus::data::auth::Caller;
use stratus::data::spec::ModelSpec;
use stratus::error::AppError;
use stratus::live::protocol::{ServerMessage, MAX_SUBSCRIPTIONS};
use tokio::sync::mpsc;

use super::delivery::Delivery;
use super::subscription::{connection_ended, too_many_subscriptions, Subscription};
use super::Change;

/// How many messages may wait for one connection before it counts as not keeping up.
const OUTBOX_CAPACITY: usize = 1024;

pub type ConnectionId = u64;

pub struct Hub {
    models: &'static [&'static ModelSpec],
    connections: Mutex<HashMap<ConnectionId, Connection>>,
    next_id: AtomicU64,
}

struct Connection {
    caller: Caller,
    outbox: mpsc::Sender<ServerMessage>,
    subscriptions: HashMap<String, Subscription>,
}

impl Hub {
    pub fn new(models: &'static [&'static ModelSpec]) -> Self {
        Hub {
            models,
            connections: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
        }
    }

    /// A new connection of `caller`; the receiver yields what to send it, and ends when the
    /// hub drops the connection.
    pub fn connect(&self, caller: Caller) -> (ConnectionId, mpsc::Receiver<ServerMessage>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (outbox, receiver) = mpsc::channel(OUTBOX_CAPACITY);
        self.lock().insert(
            id,
            Connection {
                caller,
                outbox,
                subscriptions: HashMap::new(),
            },
        );
        (id, receiver)
    }

    pub fn disconnect(&self, id: ConnectionId) {
        self.lock().remove(&id);
    }

    /// Starts subscription `subscription_id` of a connection, or says why not.
    pub fn subscribe(
        &self,
        id: ConnectionId,
        subscription_id: String,
        name: &str,
        filter: Option<Value>,
    ) -> Result<(), AppError> {
        let mut connections = self.lock();
        let connection = connections.get_mut(&id).ok_or_else(connection_ended)?;
        if connection.subscriptions.len() >= MAX_SUBSCRIPTIONS
            && !connection.subscriptions.contains_key(&subscription_id)
        {
            return Err(too_many_subscriptions());
        }
        let subscription = Subscription::check(self.models, &connection.caller, name, filter)?;
        connection
            .subscriptions
            .insert(subscription_id, subscription);
        Ok(())
    }

    pub fn unsubscribe(&self, id: ConnectionId, subscription_id: &str) {
        if let Some(connection) = self.lock().get_mut(&id) {
            connection.subscriptions.remove(subscription_id);
        }
    }

    /// Sends `change` to every subscriber who may see it; returns how many were sent.
    pub fn publish(&self, change: &Change) -> usize {
        let mut sent = 0;
        let mut behind = Vec::new();
        let mut connections = self.lock();
        let mut delivery = Delivery::of(change);
        for (id, connection) in connections.iter() {
            for (subscription_id, subscription) in &connection.subscriptions {
                let Some(message) =
                    delivery.message(&connection.caller, subscription_id, subscription)
                else {
                    continue;
                };
                match connection.outbox.try_send(message) {
                    Ok(()) => sent += 1,
                    Err(_) => {
                        behind.push(*id);
                        break;
                    }
                }
            }
        }
        for id in behind {
            tracing::info!(connection = id, "a live connection fell behind; dropped");
            connections.remove(&id);
        }
        sent
    }

    /// Whether any connection subscribes to a change of `model`.
    pub fn is_watched(&self, model: &ModelSpec) -> bool {
        self.lock().values().any(|connection| {
            connection
                .subscriptions
                .values()
                .any(|subscription| subscription.model.name == model.name)
        })
    }

    /// How many connections and subscriptions are open.
    pub fn counts(&self) -> (usize, usize) {
        let connections = self.lock();
        let subscriptions = connections.values().map(|c| c.subscriptions.len()).sum();
        (connections.len(), subscriptions)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ConnectionId, Connection>> {
        // A panic while holding the lock leaves the map as it was between two operations.
        self.connections
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use stratus::data::spec::{
        AuthRuleSpec, AuthStrategy, ChangeKind, FieldKind, FieldSpec, IdentityClaim, KeySpec,
        Operation, SubscriptionSpec,
    };

    const fn field(name: &'static str, kind: FieldKind) -> FieldSpec {
        FieldSpec {
            name,
            kind,
            required: false,
            list: false,
            default: None,
            server_managed: false,
            auth: &[],
        }
    }

    /// Notes: their owner's alone, each on a board.
    static NOTE: ModelSpec = ModelSpec {
        name: "Note",
        fields: &[
            field("id", FieldKind::Id),
            field("board", FieldKind::String),
            field("owner", FieldKind::String),
        ],
        primary_key: KeySpec {
            partition: "id",
            sort: &[],
        },
        indexes: &[],
        relations: &[],
        timestamps: None,
        auth: &[AuthRuleSpec {
            allow: AuthStrategy::Owner,
            owner_field: Some("owner"),
            identity_claim: IdentityClaim::Sub,
            groups: &[],
            groups_field: None,
            operations: &[Operation::Read],
            condition: &[],
            parent: None,
        }],
        references: &[],
        is_join_table: false,
        subscriptions: SubscriptionSpec {
            on_create: &["onCreateNote"],
            ..SubscriptionSpec::NONE
        },
    };
    static MODELS: [&ModelSpec; 1] = [&NOTE];

    fn user(sub: &str) -> Caller {
        Caller::User {
            sub: sub.into(),
            username: sub.into(),
            groups: Vec::new(),
        }
    }

    fn created(id: usize, owner: &str, board: &str) -> Change {
        Change {
            model: &NOTE,
            kind: ChangeKind::Create,
            item: json!({ "id": id.to_string(), "owner": owner, "board": board })
                .as_object()
                .unwrap()
                .clone(),
        }
    }

    #[tokio::test]
    async fn each_subscriber_gets_what_the_rules_and_their_filter_let_through() {
        let hub = Hub::new(&MODELS);
        let (ada, mut ada_gets) = hub.connect(user("ada"));
        let (bob, mut bob_gets) = hub.connect(user("bob"));
        hub.subscribe(ada, "all".into(), "onCreateNote", None)
            .unwrap();
        let on_work = Some(json!({ "board": { "eq": "work" } }));
        hub.subscribe(ada, "work".into(), "onCreateNote", on_work)
            .unwrap();
        hub.subscribe(bob, "all".into(), "onCreateNote", None)
            .unwrap();

        assert_eq!(hub.publish(&created(1, "ada", "home")), 1);
        assert_eq!(hub.publish(&created(2, "ada", "work")), 2);
        let mut got = Vec::new();
        while let Ok(ServerMessage::Change { id, item, .. }) = ada_gets.try_recv() {
            got.push((id, item["id"].as_str().unwrap().to_owned()));
        }
        got.sort();
        let expected =
            [("all", "1"), ("all", "2"), ("work", "2")].map(|(s, i)| (s.to_owned(), i.to_owned()));
        assert_eq!(got, expected);
        assert!(
            bob_gets.try_recv().is_err(),
            "bob reads none of ada's notes"
        );
    }

    #[test]
    fn a_guest_cannot_subscribe_to_a_model_only_owners_read() {
        let hub = Hub::new(&MODELS);
        let (guest, _) = hub.connect(Caller::Guest);
        let refused = hub
            .subscribe(guest, "s".into(), "onCreateNote", None)
            .unwrap_err();
        assert_eq!(refused.status(), 401, "{refused}");
        let unknown = hub.subscribe(guest, "s".into(), "onUpdateNote", None);
        assert!(unknown
            .unwrap_err()
            .to_string()
            .contains("no subscription named"));
    }

    #[tokio::test]
    async fn a_subscriber_who_falls_behind_is_dropped_and_the_others_go_on() {
        let hub = Hub::new(&MODELS);
        let (slow, mut slow_gets) = hub.connect(user("ada"));
        let (quick, mut quick_gets) = hub.connect(user("ada"));
        for connection in [slow, quick] {
            hub.subscribe(connection, "s".into(), "onCreateNote", None)
                .unwrap();
        }
        for n in 0..=OUTBOX_CAPACITY {
            hub.publish(&created(n, "ada", "work"));
            // The quick one reads as it goes.
            while quick_gets.try_recv().is_ok() {}
        }
        assert_eq!(hub.counts().0, 1, "the slow connection was dropped");
        let mut waiting = 0;
        while slow_gets.recv().await.is_some() {
            waiting += 1;
        }
        assert_eq!(
            waiting, OUTBOX_CAPACITY,
            "what it had is still delivered, then it ends"
        );
        assert_eq!(hub.publish(&created(9_999, "ada", "work")), 1);
    }
}
