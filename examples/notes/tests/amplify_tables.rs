//! An Amplify Gen 1 app's tables, used as they are: created as Amplify's stack creates them
//! (`<Model>-<apiId>-<env>`), seeded with items exactly as Amplify's resolvers write them with
//! conflict detection on (`__typename`, the owner as `sub::username`, `_version`,
//! `_lastChangedAt`, a soft-deleted item), then read, changed and deleted through the notes
//! app's generated functions over the real Router and DynamoDB Local.

mod common;

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, GlobalSecondaryIndex, KeySchemaElement,
    KeyType, Projection, ProjectionType, ScalarAttributeType, StreamSpecification, StreamViewType,
};
use axum::http::StatusCode;
use base64::Engine;
use common::{call, nanos, user};
use serde_json::{json, Value};
use stratus_ops::api_client::ApiClient;
use stratus_server::configuration::{AmplifyTables, Settings};
use stratus_server::startup::{router, AppState};

/// When the seeded items were written, as Amplify's resolvers format it.
const CREATED: &str = "2025-03-01T09:30:00.000Z";

/// A key attribute `name` of type string.
fn key(name: &str, key_type: KeyType) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(key_type)
        .build()
        .unwrap()
}

fn string_attribute(name: &str) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .unwrap()
}

fn gsi(name: &str, partition: &str, sort: Option<&str>) -> GlobalSecondaryIndex {
    let mut keys = vec![key(partition, KeyType::Hash)];
    keys.extend(sort.map(|sort| key(sort, KeyType::Range)));
    GlobalSecondaryIndex::builder()
        .index_name(name)
        .set_key_schema(Some(keys))
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .unwrap()
}

/// The tables as Amplify's CloudFormation declares them for the notes schema: `id` as the key,
/// the `@index` GSIs with all attributes projected, a stream of new and old images.
async fn create_amplify_tables(dynamodb: &aws_sdk_dynamodb::Client, settings: &Settings) {
    let tables = [
        ("Notebook", vec![string_attribute("id")], vec![]),
        (
            "Note",
            vec![
                string_attribute("id"),
                string_attribute("notebookId"),
                string_attribute("createdAt"),
                string_attribute("folder"),
            ],
            vec![
                gsi("byNotebook", "notebookId", Some("createdAt")),
                gsi("byFolder", "folder", None),
            ],
        ),
    ];
    for (model, attributes, indexes) in tables {
        dynamodb
            .create_table()
            .table_name(settings.table_name(model))
            .set_attribute_definitions(Some(attributes))
            .key_schema(key("id", KeyType::Hash))
            .set_global_secondary_indexes((!indexes.is_empty()).then_some(indexes))
            .billing_mode(BillingMode::PayPerRequest)
            .stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::NewAndOldImages)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("an Amplify table");
    }
}

/// An item as Amplify's resolvers store it: attribute values straight from the JSON.
async fn put(dynamodb: &aws_sdk_dynamodb::Client, table: &str, item: Value) {
    let item: HashMap<String, AttributeValue> = serde_dynamo::to_item(item).unwrap();
    dynamodb
        .put_item()
        .table_name(table)
        .set_item(Some(item))
        .send()
        .await
        .expect("a seeded item");
}

async fn stored(dynamodb: &aws_sdk_dynamodb::Client, table: &str, id: &str) -> Value {
    let output = dynamodb
        .get_item()
        .table_name(table)
        .key("id", AttributeValue::S(id.to_owned()))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    output
        .item
        .map(|item| serde_dynamo::from_item(item).unwrap())
        .unwrap_or(Value::Null)
}

/// The `sub` and `cognito:username` of the signed-in user, from their ID token.
fn claims(client: &ApiClient) -> (String, String) {
    let token = client.id_token.as_deref().expect("a signed-in user");
    let payload = token.split('.').nth(1).expect("a JWT");
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .unwrap();
    let claims: Value = serde_json::from_slice(&payload).unwrap();
    (
        claims["sub"].as_str().unwrap().to_owned(),
        claims["cognito:username"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn an_amplify_apps_tables_work_unchanged() {
    let mut settings = Settings::load().expect("settings load");
    settings.data.amplify = Some(AmplifyTables {
        api_id: format!("api{}", nanos()),
        env: "dev".into(),
        conflict_detection: true,
    });
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let dynamodb = stratus_server::aws::dynamodb(&sdk, &settings.aws);
    create_amplify_tables(&dynamodb, &settings).await;
    let (notebooks, notes) = (settings.table_name("Notebook"), settings.table_name("Note"));
    assert!(
        notes.starts_with("Note-api") && notes.ends_with("-dev"),
        "{notes}"
    );

    let ada = user(&settings, "ada").await;
    let bob = user(&settings, "bob").await;
    let (sub, username) = claims(&ada);
    let owner = format!("{sub}::{username}");
    let changed_at: u64 = 1_740_821_400_000;

    // What the Amplify app wrote: a notebook, a note, a note deleted offline (a tombstone), and
    // a note from before Amplify stored `sub::username` (the username alone).
    put(
        &dynamodb,
        &notebooks,
        json!({
            "id": "nb-1", "title": "Field notes", "owner": owner, "__typename": "Notebook",
            "createdAt": CREATED, "updatedAt": CREATED, "_version": 1, "_lastChangedAt": changed_at,
        }),
    )
    .await;
    let note = |id: &str, text: &str, owner: &str| {
        json!({
            "id": id, "notebookId": "nb-1", "folder": "field", "text": text, "pinned": false,
            "owner": owner, "__typename": "Note", "createdAt": CREATED,
            "_version": 1, "_lastChangedAt": changed_at,
        })
    };
    put(
        &dynamodb,
        &notes,
        note("n-1", "from the Amplify app", &owner),
    )
    .await;
    let mut tombstone = note("n-2", "deleted on a phone", &owner);
    tombstone["_deleted"] = json!(true);
    tombstone["_version"] = json!(2);
    tombstone["_ttl"] = json!(changed_at / 1000 + 30 * 24 * 3600);
    put(&dynamodb, &notes, tombstone).await;
    put(&dynamodb, &notes, note("n-3", "written in 2021", &username)).await;

    let app = router(
        AppState::from_settings(&settings, notes::models::MODELS).await,
        &settings,
    );

    // Read: the owner's note with its notebook; the tombstone is gone; the username-only owner
    // is the same person. A stranger reads nothing.
    let get = |id: &str| json!({ "id": id, "include": ["notebook"] }).to_string();
    let (status, n1) = call(&app, ada.post("/api/getNote", &get("n-1"))).await;
    assert_eq!(status, StatusCode::OK, "{n1}");
    assert_eq!(n1["text"], "from the Amplify app");
    assert_eq!(n1["owner"], json!(owner));
    assert_eq!(n1["notebook"]["title"], "Field notes");
    let (_, n2) = call(&app, ada.post("/api/getNote", &get("n-2"))).await;
    assert_eq!(n2, Value::Null, "a soft-deleted item is invisible");
    let (_, n3) = call(&app, ada.post("/api/getNote", &get("n-3"))).await;
    assert_eq!(n3["text"], "written in 2021");
    let (_, theirs) = call(&app, bob.post("/api/getNote", &get("n-1"))).await;
    assert_eq!(theirs, Value::Null);

    // A relation and an index query skip the tombstone too.
    let (status, children) = call(
        &app,
        ada.post("/api/notebookNotes", &json!({ "id": "nb-1" }).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{children}");
    let mut ids: Vec<&str> = children["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["n-1", "n-3"]);
    let (_, in_folder) = call(
        &app,
        ada.post(
            "/api/notesByFolder",
            &json!({ "folder": "field" }).to_string(),
        ),
    )
    .await;
    assert_eq!(
        in_folder["items"].as_array().map(Vec::len),
        Some(2),
        "{in_folder}"
    );

    // Update: the version advances as AppSync's does, and the item keeps what Amplify's client
    // reads (`__typename`, the owner, `_lastChangedAt`).
    let (status, refused) = call(
        &app,
        bob.post(
            "/api/updateNote",
            &json!({ "input": { "id": "n-3", "text": "mine", "_version": 1 } }).to_string(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, edited) = call(
        &app,
        ada.post(
            "/api/updateNote",
            &json!({ "input": { "id": "n-1", "text": "edited in Stratus", "_version": 1 } })
                .to_string(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    let row = stored(&dynamodb, &notes, "n-1").await;
    assert_eq!(row["text"], "edited in Stratus");
    assert_eq!(row["_version"], 2);
    assert_eq!(row["__typename"], "Note");
    assert_eq!(row["owner"], json!(owner));
    assert!(
        row["_lastChangedAt"].as_u64().unwrap() > changed_at,
        "{row}"
    );

    // Create: written as Amplify's resolver writes it.
    let (status, created) = call(
        &app,
        ada.post(
            "/api/createNote",
            &json!({ "input": { "notebookId": "nb-1", "folder": "field", "text": "new" } })
                .to_string(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let row = stored(&dynamodb, &notes, created["id"].as_str().unwrap()).await;
    assert_eq!(
        (&row["__typename"], &row["owner"], &row["_version"]),
        (&json!("Note"), &json!(owner), &json!(1))
    );
    assert!(row["_lastChangedAt"].is_u64(), "{row}");

    // Delete: a stranger may not; the owner's delete leaves a tombstone, as with DataStore.
    let delete = json!({ "id": "n-1", "expectedVersion": 2 }).to_string();
    let (status, refused) = call(&app, bob.post("/api/deleteNote", &delete)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, deleted) = call(&app, ada.post("/api/deleteNote", &delete)).await;
    assert_eq!(status, StatusCode::OK, "{deleted}");
    let row = stored(&dynamodb, &notes, "n-1").await;
    assert_eq!(
        (&row["_deleted"], &row["_version"]),
        (&json!(true), &json!(3)),
        "{row}"
    );
    let expires = row["_ttl"].as_u64().unwrap();
    let now = (nanos() / 1_000_000_000) as u64;
    assert!(
        (now + 29 * 24 * 3600..now + 31 * 24 * 3600).contains(&expires),
        "{row}"
    );
    let (_, gone) = call(&app, ada.post("/api/getNote", &get("n-1"))).await;
    assert_eq!(gone, Value::Null);
    let (_, again) = call(&app, ada.post("/api/deleteNote", &delete)).await;
    assert!(
        again.get("code").is_some(),
        "a second delete is refused: {again}"
    );
}
