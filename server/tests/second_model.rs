//! The data layer with a model unlike the blog's (the tracker schema's `Task`): a primary key
//! with a numeric sort key, and an index with a composite sort key (`priority#number`).

mod common;

use serde_json::{json, Value};
use stratus::data::auth::Caller;
use stratus::data::filter::{KeyCondition, SortDirection};
use stratus::data::spec::{
    AuthRuleSpec, AuthStrategy, DefaultSpec, FieldKind, FieldSpec, IdentityClaim, IndexSpec,
    KeySpec, ModelSpec, Operation,
};
use stratus::store::{ListRequest, Store};
use stratus_ops::provision::tables::{ensure, TableLayout};
use stratus_server::store::DynamoStore;

static TASK: ModelSpec = ModelSpec {
    name: "StratusTestTask",
    fields: &[
        FieldSpec {
            name: "projectSlug",
            kind: FieldKind::String,
            required: true,
            list: false,
            default: None,
            server_managed: false,
            auth: &[],
        },
        FieldSpec {
            name: "number",
            kind: FieldKind::Int,
            required: true,
            list: false,
            default: None,
            server_managed: false,
            auth: &[],
        },
        FieldSpec {
            name: "priority",
            kind: FieldKind::Enum(&["LOW", "MEDIUM", "HIGH"]),
            required: true,
            list: false,
            default: Some(DefaultSpec::String("MEDIUM")),
            server_managed: false,
            auth: &[],
        },
        FieldSpec {
            name: "done",
            kind: FieldKind::Boolean,
            required: true,
            list: false,
            default: Some(DefaultSpec::Boolean(false)),
            server_managed: false,
            auth: &[],
        },
    ],
    primary_key: KeySpec {
        partition: "projectSlug",
        sort: &["number"],
    },
    indexes: &[IndexSpec {
        name: "byProject",
        key: KeySpec {
            partition: "projectSlug",
            sort: &["priority", "number"],
        },
        query_field: Some("tasksOfProject"),
    }],
    relations: &[],
    timestamps: None,
    // Anyone may do anything: this test is about keys and paging, not rules.
    auth: &[AuthRuleSpec {
        allow: AuthStrategy::Public,
        owner_field: None,
        identity_claim: IdentityClaim::Sub,
        groups: &[],
        groups_field: None,
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

fn numbers(items: &[Value]) -> Vec<i64> {
    items
        .iter()
        .map(|task| task["number"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_numeric_sort_key_and_a_composite_index_behave() {
    let _ = common::app().await;
    let settings = common::settings();
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let client = stratus_server::aws::dynamodb(&sdk, &settings.aws);
    let table = settings.table_name(TASK.name);
    ensure(
        &client,
        &TableLayout::for_model(table, &TASK),
        settings.dynamodb_endpoint().unwrap(),
    )
    .await
    .unwrap();
    let store = DynamoStore::new(client, settings.data.clone());

    let project = common::unique("proj").replace(' ', "-");
    for number in 1..=12 {
        let priority = ["LOW", "MEDIUM", "HIGH"][number as usize % 3];
        let created = store
            .create_item(
                &Caller::Guest,
                &TASK,
                json!({ "projectSlug": project, "number": number, "priority": priority }),
            )
            .await
            .unwrap();
        assert_eq!(created["done"], false, "the default applies");
    }

    // Numbers sort as numbers (12 before 9), pages resume where they stopped.
    let mut request = ListRequest {
        partition: Some(json!(project)),
        direction: SortDirection::Desc,
        limit: Some(5),
        ..ListRequest::default()
    };
    let first = store
        .list_items(&Caller::Guest, &TASK, request.clone())
        .await
        .unwrap();
    assert_eq!(numbers(&first.items), [12, 11, 10, 9, 8]);
    request.next_token = first.next_token;
    let second = store
        .list_items(&Caller::Guest, &TASK, request.clone())
        .await
        .unwrap();
    assert_eq!(numbers(&second.items), [7, 6, 5, 4, 3]);

    let between = ListRequest {
        partition: Some(json!(project)),
        sort: Some(KeyCondition::Between(["3".into(), "5".into()])),
        ..ListRequest::default()
    };
    assert_eq!(
        numbers(
            &store
                .list_items(&Caller::Guest, &TASK, between)
                .await
                .unwrap()
                .items
        ),
        [3, 4, 5]
    );

    let project_value = json!(project);
    assert_eq!(high_priority(&store, &project_value).await, [2, 5, 8, 11]);

    // Changing a part of the composite key moves the item in the index.
    let updated = store
        .update_item(
            &Caller::Guest,
            &TASK,
            json!({ "projectSlug": project, "number": 3, "priority": "HIGH", "_version": 1 }),
        )
        .await
        .unwrap();
    assert_eq!(updated["priority#number"], "HIGH#3");
    assert_eq!(
        high_priority(&store, &project_value).await,
        [2, 3, 5, 8, 11]
    );

    let key = json!({ "projectSlug": project, "number": 3 });
    assert_eq!(
        store
            .get_item(&Caller::Guest, &TASK, key.clone(), &[])
            .await
            .unwrap()
            .unwrap()["_version"],
        2
    );
    store
        .delete_item(&Caller::Guest, &TASK, key.clone(), Some(2))
        .await
        .unwrap();
    assert_eq!(
        store
            .get_item(&Caller::Guest, &TASK, key, &[])
            .await
            .unwrap(),
        None
    );
    let missing_sort = store
        .get_item(
            &Caller::Guest,
            &TASK,
            json!({ "projectSlug": project }),
            &[],
        )
        .await
        .unwrap_err();
    assert_eq!(missing_sort.field(), Some("number"));
}

/// The numbers of a project's HIGH tasks, read through the composite index.
async fn high_priority(store: &DynamoStore, project: &Value) -> Vec<i64> {
    let request = ListRequest {
        index: Some("byProject"),
        partition: Some(project.clone()),
        sort: Some(KeyCondition::BeginsWith("HIGH#".into())),
        ..ListRequest::default()
    };
    let mut found = numbers(
        &store
            .list_items(&Caller::Guest, &TASK, request)
            .await
            .unwrap()
            .items,
    );
    found.sort();
    found
}
