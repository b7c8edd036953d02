//! One change of one item, as a table's stream reports it, in the terms subscriptions use.
//! Where an Amplify app's tables mark deletes (`_deleted`, conflict detection on), the mark is
//! the delete, and DynamoDB's later removal of the marked item is not reported again.

use serde_json::{Map, Value};
use stratus::data::spec::{ChangeKind, ModelSpec};

use crate::store::amplify::DELETED;

/// A stream record's event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamEvent {
    Insert,
    Modify,
    Remove,
}

/// An item of `model` was created, changed or deleted: `item` as it is now (for a delete, as it
/// was).
#[derive(Debug, Clone)]
pub struct Change {
    pub model: &'static ModelSpec,
    pub kind: ChangeKind,
    pub item: Map<String, Value>,
}

impl Change {
    /// The change a stream record with these images reports, if it reports one.
    pub fn from_images(
        model: &'static ModelSpec,
        event: StreamEvent,
        old: Option<Map<String, Value>>,
        new: Option<Map<String, Value>>,
    ) -> Option<Change> {
        let (kind, item) = match (event, old, new) {
            (StreamEvent::Insert, _, Some(new)) if !is_deleted(&new) => (ChangeKind::Create, new),
            (StreamEvent::Modify, old, Some(new)) if is_deleted(&new) => {
                if old.as_ref().is_some_and(is_deleted) {
                    return None;
                }
                (ChangeKind::Delete, new)
            }
            (StreamEvent::Modify, _, Some(new)) => (ChangeKind::Update, new),
            (StreamEvent::Remove, Some(old), _) if !is_deleted(&old) => (ChangeKind::Delete, old),
            _ => return None,
        };
        Some(Change { model, kind, item })
    }
}

fn is_deleted(item: &Map<String, Value>) -> bool {
    item.get(DELETED) == Some(&Value::Bool(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use stratus::data::spec::{KeySpec, SubscriptionSpec};

    static NOTE: ModelSpec = ModelSpec {
        name: "Note",
        fields: &[],
        primary_key: KeySpec {
            partition: "id",
            sort: &[],
        },
        indexes: &[],
        relations: &[],
        timestamps: None,
        auth: &[],
        references: &[],
        is_join_table: false,
        subscriptions: SubscriptionSpec::NONE,
    };

    fn item(value: Value) -> Option<Map<String, Value>> {
        value.as_object().cloned()
    }

    #[test]
    fn inserts_modifies_and_removes_are_creates_updates_and_deletes() {
        let (a, b) = (
            json!({"id": "1", "text": "a"}),
            json!({"id": "1", "text": "b"}),
        );
        let kind = |event, old, new| Change::from_images(&NOTE, event, old, new).map(|c| c.kind);
        assert_eq!(
            kind(StreamEvent::Insert, None, item(a.clone())),
            Some(ChangeKind::Create)
        );
        assert_eq!(
            kind(StreamEvent::Modify, item(a.clone()), item(b.clone())),
            Some(ChangeKind::Update)
        );
        let removed = Change::from_images(&NOTE, StreamEvent::Remove, item(b), None).unwrap();
        assert_eq!(removed.kind, ChangeKind::Delete);
        assert_eq!(
            removed.item["text"], "b",
            "a delete reports the item as it was"
        );
    }

    #[test]
    fn an_amplify_soft_delete_is_the_delete_and_its_removal_is_not_reported_again() {
        let live = json!({"id": "1"});
        let marked = json!({"id": "1", "_deleted": true});
        let change = |event, old, new| Change::from_images(&NOTE, event, old, new).map(|c| c.kind);
        assert_eq!(
            change(StreamEvent::Modify, item(live), item(marked.clone())),
            Some(ChangeKind::Delete)
        );
        assert_eq!(
            change(StreamEvent::Remove, item(marked.clone()), None),
            None
        );
        assert_eq!(
            change(StreamEvent::Modify, item(marked.clone()), item(marked)),
            None
        );
    }
}
