//! The notes app on the Stratus crates, against the local stack: its tables come from its own
//! schema, its generated and hand-written functions answer over the real Router, and its
//! `@auth` rules keep a stranger out of every note, the ones a query includes too.

mod common;

use axum::http::StatusCode;
use axum::Router;
use common::{call, user};
use serde_json::{json, Value};
use stratus_ops::provision::tables::{ensure, TableLayout};
use stratus_server::configuration::Settings;
use stratus_server::startup::{router, AppState};

async fn notes_app(settings: &Settings) -> Router {
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let dynamodb = stratus_server::aws::dynamodb(&sdk, &settings.aws);
    let endpoint = settings
        .dynamodb_endpoint()
        .expect("run with `cargo xtask test`: it starts DynamoDB Local");
    for model in notes::models::MODELS {
        let layout = TableLayout::for_model(settings.table_name(model.name), model);
        ensure(&dynamodb, &layout, endpoint)
            .await
            .expect("the notes tables");
    }
    router(
        AppState::from_settings(settings, notes::models::MODELS).await,
        settings,
    )
}

#[tokio::test]
async fn a_second_app_keeps_its_notes_to_their_owner() {
    let settings = Settings::load().expect("settings load");
    let app = notes_app(&settings).await;
    let ada = user(&settings, "ada").await;
    let bob = user(&settings, "bob").await;

    let (status, notebook) = call(
        &app,
        ada.post(
            "/api/createNotebook",
            &json!({ "input": { "title": "Ideas" } }).to_string(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{notebook}");
    let folder = format!("work-{}", notebook["id"].as_str().unwrap());
    let (status, note) = call(
        &app,
        ada.post(
            "/api/createNote",
            &json!({ "input": { "notebookId": notebook["id"], "folder": folder, "text": "ship it", "pinned": true } })
                .to_string(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{note}");
    assert_eq!(note["owner"], notebook["owner"], "the owner is the caller");

    // The hand-written function: the typed index query, its filter and its include.
    let (status, pinned) = call(
        &app,
        ada.post(
            "/api/pinned_notes",
            &json!({ "folder": folder }).to_string(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{pinned}");
    assert_eq!(pinned.as_array().map(Vec::len), Some(1), "{pinned}");
    assert_eq!(pinned[0]["notebook"]["title"], "Ideas");

    // A stranger sees nothing of it, by any way in.
    let (status, got) = call(
        &app,
        bob.post("/api/getNote", &json!({ "id": note["id"] }).to_string()),
    )
    .await;
    assert_eq!((status, got), (StatusCode::OK, Value::Null));
    let (_, theirs) = call(
        &app,
        bob.post(
            "/api/pinned_notes",
            &json!({ "folder": folder }).to_string(),
        ),
    )
    .await;
    assert_eq!(theirs, json!([]));
    let (status, refused) = call(
        &app,
        bob.post(
            "/api/updateNote",
            &json!({ "input": { "id": note["id"], "text": "mine now", "_version": note["_version"] } })
                .to_string(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    // Filing a note in someone else's notebook needs the right to change that notebook.
    let (status, refused) = call(
        &app,
        bob.post(
            "/api/createNote",
            &json!({ "input": { "notebookId": notebook["id"], "folder": folder, "text": "planted" } })
                .to_string(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");

    // The note is as Ada left it.
    let (_, kept) = call(
        &app,
        ada.post("/api/getNote", &json!({ "id": note["id"] }).to_string()),
    )
    .await;
    assert_eq!(kept["text"], "ship it");

    // `timestamps: { updatedAt: null }`: a note keeps when it was written, and no updatedAt.
    assert!(note["createdAt"].is_string(), "{note}");
    assert!(note.get("updatedAt").is_none(), "{note}");
    let (status, edited) = call(
        &app,
        ada.post(
            "/api/updateNote",
            &json!({ "input": { "id": note["id"], "text": "shipped", "_version": note["_version"] } })
                .to_string(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        (&edited["text"], edited.get("updatedAt")),
        (&json!("shipped"), None)
    );
    assert_eq!(edited["createdAt"], note["createdAt"]);
}
