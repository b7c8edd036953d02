//! DynamoDB tables, created when missing.

use std::time::Duration;

use app::store::TableSpec;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, TableStatus,
};

use super::{aws_error, Outcome, ProvisionError};

const SERVICE: &str = "DynamoDB";

pub async fn ensure(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
    spec: &TableSpec,
    endpoint: &str,
) -> Result<Outcome, ProvisionError> {
    match client.describe_table().table_name(name).send().await {
        Ok(_) => return Ok(Outcome::Unchanged),
        Err(error) if error.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => {}
        Err(error) => return Err(aws_error(SERVICE, endpoint, format!("describing table {name}"), error)),
    }

    let mut keys = vec![(spec.partition_key, KeyType::Hash)];
    if let Some(sort_key) = spec.sort_key {
        keys.push((sort_key, KeyType::Range));
    }
    let mut create = client.create_table().table_name(name).billing_mode(BillingMode::PayPerRequest);
    for (attribute, key_type) in keys {
        create = create
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(attribute)
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .expect("name and type are set"),
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name(attribute)
                    .key_type(key_type)
                    .build()
                    .expect("name and type are set"),
            );
    }
    create.send().await.map_err(|error| aws_error(SERVICE, endpoint, format!("creating table {name}"), error))?;
    wait_until_active(client, name, endpoint).await?;
    Ok(Outcome::Created)
}

async fn wait_until_active(client: &aws_sdk_dynamodb::Client, name: &str, endpoint: &str) -> Result<(), ProvisionError> {
    for attempt in 0.. {
        let description = client
            .describe_table()
            .table_name(name)
            .send()
            .await
            .map_err(|error| aws_error(SERVICE, endpoint, format!("describing table {name}"), error))?;
        if description.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
            return Ok(());
        }
        if attempt % 10 == 0 {
            tracing::info!("waiting for table {name} to become active");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    unreachable!("the loop only ends by returning")
}
