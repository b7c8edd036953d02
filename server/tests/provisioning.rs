//! Provisioning against DynamoDB Local: a table gains the indexes the schema added.

mod common;

use aws_sdk_dynamodb::types::{KeyType, ScalarAttributeType};
use stratus_ops::provision::tables::{ensure, IndexLayout, TableLayout};
use stratus_ops::provision::Outcome;

#[tokio::test]
async fn indexes_added_to_the_schema_are_added_to_the_existing_table() {
    let settings = common::settings();
    let _ = common::app().await; // fails with a clear message when the stack is down
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let client = stratus_server::aws::dynamodb(&sdk, &settings.aws);
    let endpoint = settings.dynamodb_endpoint().unwrap().to_owned();

    let name = common::unique("stratus-test-Growth").replace(' ', "-");
    let key = |attribute: &str, key_type: KeyType| {
        (attribute.to_owned(), ScalarAttributeType::S, key_type)
    };
    let mut layout = TableLayout {
        name: name.clone(),
        key: vec![key("id", KeyType::Hash)],
        indexes: Vec::new(),
    };
    assert_eq!(
        ensure(&client, &layout, &endpoint).await.unwrap(),
        Outcome::Created
    );
    assert_eq!(
        ensure(&client, &layout, &endpoint).await.unwrap(),
        Outcome::Unchanged
    );

    layout.indexes = vec![
        IndexLayout {
            name: "byAuthor".into(),
            key: vec![
                key("author", KeyType::Hash),
                key("createdAt", KeyType::Range),
            ],
        },
        IndexLayout {
            name: "byTopic".into(),
            key: vec![key("topic", KeyType::Hash)],
        },
    ];
    assert_eq!(
        ensure(&client, &layout, &endpoint).await.unwrap(),
        Outcome::Updated("added indexes byAuthor, byTopic".into())
    );
    assert_eq!(
        ensure(&client, &layout, &endpoint).await.unwrap(),
        Outcome::Unchanged,
        "a second run changes nothing"
    );

    let table = client
        .describe_table()
        .table_name(&name)
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    let mut indexes: Vec<&str> = table
        .global_secondary_indexes()
        .iter()
        .filter_map(|i| i.index_name())
        .collect();
    indexes.sort();
    assert_eq!(indexes, ["byAuthor", "byTopic"]);
    client
        .delete_table()
        .table_name(&name)
        .send()
        .await
        .unwrap();
}
