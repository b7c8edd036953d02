//! Dynamic groups (`{ allow: groups, groupsField: "editors" }`): an item names the groups that
//! may use it. A member reads, lists and changes it; a caller in other groups, or in none, gets
//! nothing and changes nothing; nobody creates an item for groups they are not in.

mod common;

use serde_json::json;
use stratus::data::auth::Caller;
use stratus::data::spec::{
    AuthRuleSpec, AuthStrategy, FieldKind, FieldSpec, IdentityClaim, KeySpec, ModelSpec, Operation,
};
use stratus::error::ErrorCode;
use stratus::store::{ListRequest, Store};
use stratus_ops::provision::tables::{ensure, TableLayout};
use stratus_server::store::DynamoStore;

const fn field(name: &'static str, kind: FieldKind, list: bool) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        required: true,
        list,
        default: None,
        server_managed: false,
        auth: &[],
    }
}

static DOCUMENT: ModelSpec = ModelSpec {
    name: "StratusTestDocument",
    fields: &[
        field("id", FieldKind::Id, false),
        field("title", FieldKind::String, false),
        field("editors", FieldKind::String, true),
    ],
    primary_key: KeySpec {
        partition: "id",
        sort: &[],
    },
    indexes: &[],
    relations: &[],
    timestamps: None,
    auth: &[AuthRuleSpec {
        allow: AuthStrategy::Groups,
        owner_field: None,
        identity_claim: IdentityClaim::SubUsername,
        groups: &[],
        groups_field: Some("editors"),
        operations: &[
            Operation::Create,
            Operation::Read,
            Operation::Update,
            Operation::Delete,
        ],
        condition: &[],
        parent: None,
    }],
    references: &[],
    is_join_table: false,
    subscriptions: stratus::data::spec::SubscriptionSpec::NONE,
};

fn user(name: &str, groups: &[&str]) -> Caller {
    Caller::User {
        sub: format!("sub-{name}"),
        username: name.to_owned(),
        groups: groups.iter().map(|g| g.to_string()).collect(),
    }
}

#[tokio::test]
async fn an_item_is_for_the_groups_it_names() {
    let _ = common::app().await;
    let settings = common::settings();
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let client = stratus_server::aws::dynamodb(&sdk, &settings.aws);
    ensure(
        &client,
        &TableLayout::for_model(settings.table_name(DOCUMENT.name), &DOCUMENT),
        settings.dynamodb_endpoint().unwrap(),
    )
    .await
    .unwrap();
    let store = DynamoStore::new(client, settings.data.clone());
    let group = common::unique("reviewers").replace(' ', "-");
    let (ada, carol) = (user("ada", &[&group]), user("carol", &["x", &group]));
    let (bob, nobody) = (user("bob", &["sales"]), user("dan", &[]));

    let document = store
        .create_item(
            &ada,
            &DOCUMENT,
            json!({ "title": "Q3 plan", "editors": [group] }),
        )
        .await
        .expect("a member creates it");
    let key = json!({ "id": document["id"] });

    // Nobody creates an item for a group they are not in.
    let refused = store
        .create_item(
            &ada,
            &DOCUMENT,
            json!({ "title": "planted", "editors": ["sales"] }),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden, "{refused:?}");

    // Another member reads, finds and changes it.
    let read = store
        .get_item(&carol, &DOCUMENT, key.clone(), &[])
        .await
        .unwrap();
    assert_eq!(read.unwrap()["title"], "Q3 plan");
    let filter = json!({ "title": { "eq": "Q3 plan" }, "editors": { "contains": group } });
    let listed = store
        .list_items(
            &carol,
            &DOCUMENT,
            ListRequest {
                filter: Some(filter.clone()),
                ..ListRequest::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    store
        .update_item(
            &carol,
            &DOCUMENT,
            json!({ "id": document["id"], "title": "Q3 plan, revised", "_version": 1 }),
        )
        .await
        .expect("a member changes it");

    // Strangers, in other groups or in none, see and change nothing.
    for stranger in [&bob, &nobody, &Caller::Guest] {
        let read = store.get_item(stranger, &DOCUMENT, key.clone(), &[]).await;
        assert!(
            matches!(read, Ok(None) | Err(_)),
            "{stranger:?} read {read:?}"
        );
        let listed = store
            .list_items(
                stranger,
                &DOCUMENT,
                ListRequest {
                    filter: Some(json!({ "editors": { "contains": group } })),
                    ..ListRequest::default()
                },
            )
            .await;
        assert!(
            listed.as_ref().map_or(true, |page| page.items.is_empty()),
            "{stranger:?} listed {listed:?}"
        );
        let changed = store
            .update_item(
                stranger,
                &DOCUMENT,
                json!({ "id": document["id"], "title": "mine", "_version": 2 }),
            )
            .await;
        assert!(changed.is_err(), "{stranger:?} changed it");
        let deleted = store
            .delete_item(stranger, &DOCUMENT, key.clone(), None)
            .await;
        assert!(deleted.is_err(), "{stranger:?} deleted it");
    }
    let kept = store
        .get_item(&ada, &DOCUMENT, key.clone(), &[])
        .await
        .unwrap();
    assert_eq!(kept.unwrap()["title"], "Q3 plan, revised");

    store
        .delete_item(&ada, &DOCUMENT, key.clone(), Some(2))
        .await
        .expect("a member deletes it");
}
