//! The cloud's table of live connections and subscriptions (`live::cloud::registry`), on
//! DynamoDB Local, laid out as the template's `<stack>.live` table: a connection's subscriptions
//! are counted and capped atomically, each is found under its model, and a disconnect leaves
//! nothing behind.

mod common;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};
use serde_json::json;
use stratus::data::auth::Caller;
use stratus::live::protocol::MAX_SUBSCRIPTIONS;
use stratus_server::live::cloud::registry::{Connected, Registry, RegistryError};

/// A fresh live table of the template's layout, and the registry over it.
async fn registry() -> Registry {
    let settings = common::settings();
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let dynamodb = stratus_server::aws::dynamodb(&sdk, &settings.aws);
    let table = common::unique("live-registry").replace(' ', "-");
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .unwrap()
    };
    let text = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .unwrap()
    };
    dynamodb
        .create_table()
        .table_name(&table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(text("pk"))
        .attribute_definitions(text("sk"))
        .key_schema(key("pk", KeyType::Hash))
        .key_schema(key("sk", KeyType::Range))
        .send()
        .await
        .expect("DynamoDB Local is up (cargo xtask stack)");
    Registry::new(dynamodb, table)
}

fn ada() -> Connected {
    Connected {
        caller: Caller::User {
            sub: "sub-ada".into(),
            username: "ada".into(),
            groups: vec!["writers".into()],
        },
        ends_at: 4_000_000_000,
    }
}

#[tokio::test]
async fn a_connection_keeps_its_caller_and_its_subscriptions_are_found_by_model() {
    let registry = registry().await;
    let connection = common::unique("connection").replace(' ', "-");
    let ada = ada();
    registry
        .connect(&connection, &ada.caller, ada.ends_at)
        .await
        .unwrap();
    assert_eq!(
        registry.connected(&connection).await.unwrap(),
        Some(ada.clone())
    );

    let filter = json!({ "postCommentsId": { "eq": "p1" } });
    registry
        .subscribe(
            &ada,
            &connection,
            "1",
            "Comment",
            "onCreateComment",
            Some(&filter),
        )
        .await
        .unwrap();
    registry
        .subscribe(&ada, &connection, "2", "Post", "onUpdatePost", None)
        .await
        .unwrap();
    let comments = registry.subscribers("Comment").await.unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(
        (
            comments[0].connection.as_str(),
            comments[0].subscription_id.as_str()
        ),
        (connection.as_str(), "1")
    );
    assert_eq!(comments[0].caller, ada.caller);
    assert_eq!(comments[0].name, "onCreateComment");
    assert_eq!(comments[0].filter, Some(filter));

    // The same id for another model moves the subscription there.
    registry
        .subscribe(&ada, &connection, "1", "Post", "onCreatePost", None)
        .await
        .unwrap();
    assert!(registry.subscribers("Comment").await.unwrap().is_empty());
    assert_eq!(registry.subscribers("Post").await.unwrap().len(), 2);

    registry.unsubscribe(&connection, "2").await.unwrap();
    let posts = registry.subscribers("Post").await.unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].name, "onCreatePost");

    registry.disconnect(&connection).await.unwrap();
    assert_eq!(registry.connected(&connection).await.unwrap(), None);
    assert!(registry.subscribers("Post").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_connection_holds_at_most_its_share_of_subscriptions_and_a_gone_one_none() {
    let registry = registry().await;
    let connection = common::unique("connection").replace(' ', "-");
    let ada = ada();
    registry
        .connect(&connection, &ada.caller, ada.ends_at)
        .await
        .unwrap();
    for n in 0..MAX_SUBSCRIPTIONS {
        registry
            .subscribe(
                &ada,
                &connection,
                &n.to_string(),
                "Comment",
                "onCreateComment",
                None,
            )
            .await
            .unwrap();
    }
    let one_more = registry
        .subscribe(
            &ada,
            &connection,
            "extra",
            "Comment",
            "onCreateComment",
            None,
        )
        .await;
    assert!(
        matches!(one_more, Err(RegistryError::TooManySubscriptions)),
        "{one_more:?}"
    );
    // Replacing one it holds is not one more.
    registry
        .subscribe(&ada, &connection, "0", "Comment", "onDeleteComment", None)
        .await
        .unwrap();
    assert_eq!(
        registry.subscribers("Comment").await.unwrap().len(),
        MAX_SUBSCRIPTIONS
    );

    registry.disconnect(&connection).await.unwrap();
    let after = registry
        .subscribe(
            &ada,
            &connection,
            "late",
            "Comment",
            "onCreateComment",
            None,
        )
        .await;
    assert!(
        matches!(after, Err(RegistryError::ConnectionEnded)),
        "{after:?}"
    );
    // Nor does an unsubscribe bring a gone connection back.
    registry.unsubscribe(&connection, "late").await.unwrap();
    assert_eq!(registry.connected(&connection).await.unwrap(), None);
    assert!(registry.subscribers("Comment").await.unwrap().is_empty());
}
