//! Owner fields in the forms Amplify allows, beyond the blog's: a list of owners, an owner
//! field that stores the username (`identityClaim`), and a field with rules of its own. The
//! server sets owners from the caller, never lets an update change them, and applies field
//! rules to reads and writes.

mod common;

use serde_json::json;
use stratus::data::auth::Caller;
use stratus::data::spec::{
    AuthRuleSpec, AuthStrategy, FieldKind, FieldSpec, IdentityClaim, KeySpec, ModelSpec, Operation,
};
use stratus::error::AppError;
use stratus::store::Store;
use stratus_ops::provision::tables::{ensure, TableLayout};
use stratus_server::store::DynamoStore;

const ALL: &[Operation] = &[
    Operation::Create,
    Operation::Read,
    Operation::Update,
    Operation::Delete,
];

const fn rule(
    allow: AuthStrategy,
    owner_field: Option<&'static str>,
    identity_claim: IdentityClaim,
    groups: &'static [&'static str],
) -> AuthRuleSpec {
    AuthRuleSpec {
        allow,
        owner_field,
        identity_claim,
        groups,
        groups_field: None,
        operations: ALL,
        condition: &[],
        parent: None,
    }
}

const fn field(name: &'static str, list: bool, auth: &'static [AuthRuleSpec]) -> FieldSpec {
    FieldSpec {
        name,
        kind: FieldKind::String,
        required: false,
        list,
        default: None,
        server_managed: false,
        auth,
    }
}

/// `editors: [String]` and `author` (a username) are owner fields; `note` is the admins'.
static DOC: ModelSpec = ModelSpec {
    name: "StratusTestDoc",
    fields: &[
        FieldSpec {
            name: "id",
            kind: FieldKind::Id,
            required: true,
            list: false,
            default: None,
            server_managed: false,
            auth: &[],
        },
        field("title", false, &[]),
        field("editors", true, &[]),
        field("author", false, &[]),
        field(
            "note",
            false,
            &[rule(
                AuthStrategy::Groups,
                None,
                IdentityClaim::Sub,
                &["admins"],
            )],
        ),
    ],
    primary_key: KeySpec {
        partition: "id",
        sort: &[],
    },
    indexes: &[],
    relations: &[],
    timestamps: None,
    auth: &[
        rule(
            AuthStrategy::Owner,
            Some("editors"),
            IdentityClaim::Sub,
            &[],
        ),
        rule(
            AuthStrategy::Owner,
            Some("author"),
            IdentityClaim::Username,
            &[],
        ),
    ],
    references: &[],
    is_join_table: false,
    subscriptions: stratus::data::spec::SubscriptionSpec::NONE,
};

fn forbidden(result: &Result<serde_json::Value, AppError>, words: &str) {
    match result {
        Err(AppError::Forbidden { message, .. }) => {
            assert!(message.contains(words), "expected {words:?} in {message:?}")
        }
        other => panic!("expected a 403 saying {words:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn owners_come_from_the_caller_and_stay_and_field_rules_apply() {
    let _ = common::app().await;
    let settings = common::settings();
    let client = stratus_server::aws::dynamodb(
        &stratus_server::aws::sdk_config(&settings.aws).await,
        &settings.aws,
    );
    ensure(
        &client,
        &TableLayout::for_model(settings.table_name(DOC.name), &DOC),
        settings.dynamodb_endpoint().unwrap(),
    )
    .await
    .unwrap();
    let store = DynamoStore::new(client, settings.data.clone());
    let run = common::unique("doc").replace(' ', "-");
    let user = |name: &str, groups: &[&str]| Caller::User {
        sub: format!("{run}-{name}"),
        username: format!("{run}-{name}-login"),
        groups: groups.iter().map(|g| g.to_string()).collect(),
    };
    let (ada, bob, cyd, admin) = (
        user("ada", &[]),
        user("bob", &[]),
        user("cyd", &[]),
        user("root", &["admins"]),
    );
    let (ada_id, bob_id) = (
        ada.user_id().unwrap().to_owned(),
        bob.user_id().unwrap().to_owned(),
    );

    let doc = store
        .create_item(
            &ada,
            &DOC,
            json!({ "title": "shared", "editors": [ada_id, bob_id] }),
        )
        .await
        .unwrap();
    assert_eq!(
        (&doc["editors"], &doc["author"]),
        (&json!([ada_id, bob_id]), &json!(format!("{run}-ada-login"))),
        "{doc}"
    );
    let alone = store
        .create_item(&ada, &DOC, json!({ "title": "mine" }))
        .await
        .unwrap();
    assert_eq!(
        alone["editors"],
        json!([ada_id]),
        "a missing list of owners is the caller"
    );

    let key = json!({ "id": doc["id"] });
    let edited = store
        .update_item(
            &bob,
            &DOC,
            json!({ "id": doc["id"], "title": "edited by a co-owner", "_version": 1 }),
        )
        .await
        .unwrap();
    assert_eq!(edited["title"], "edited by a co-owner");
    forbidden(
        &store
            .update_item(
                &cyd,
                &DOC,
                json!({ "id": doc["id"], "title": "x", "_version": 2 }),
            )
            .await,
        "Only its owner may change this StratusTestDoc.",
    );
    forbidden(
        &store
            .update_item(
                &bob,
                &DOC,
                json!({ "id": doc["id"], "editors": [bob_id], "_version": 2 }),
            )
            .await,
        "`editors` names this StratusTestDoc's owner and cannot be changed.",
    );
    forbidden(
        &store
            .update_item(
                &ada,
                &DOC,
                json!({ "id": doc["id"], "author": "someone", "_version": 2 }),
            )
            .await,
        "`author` names this StratusTestDoc's owner and cannot be changed.",
    );
    forbidden(
        &store
            .create_item(&ada, &DOC, json!({ "title": "gift", "editors": [bob_id] }))
            .await,
        "`editors` names this StratusTestDoc's owner",
    );
    assert_eq!(
        store.get_item(&cyd, &DOC, key.clone(), &[]).await.unwrap(),
        None,
        "strangers do not read it"
    );

    forbidden(
        &store
            .create_item(&ada, &DOC, json!({ "title": "noted", "note": "mine" }))
            .await,
        "You may not set `note` of this StratusTestDoc.",
    );
    let noted = store.create_item(&admin, &DOC, json!({ "title": "noted", "note": "for admins", "editors": [admin.user_id().unwrap(), ada_id] })).await.unwrap();
    let seen_by_ada = store
        .get_item(&ada, &DOC, json!({ "id": noted["id"] }), &[])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (seen_by_ada["title"].as_str(), seen_by_ada.get("note")),
        (Some("noted"), None),
        "a field rule hides `note`"
    );
    let seen_by_admin = store
        .get_item(&admin, &DOC, json!({ "id": noted["id"] }), &[])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen_by_admin["note"], "for admins");
}
