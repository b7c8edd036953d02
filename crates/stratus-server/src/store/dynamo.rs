//! The DynamoDB client and the table names every step of the pipeline uses.

use stratus::data::spec::ModelSpec;

pub struct DynamoStore {
    pub(crate) client: aws_sdk_dynamodb::Client,
    table_prefix: String,
}

impl DynamoStore {
    pub fn new(client: aws_sdk_dynamodb::Client, table_prefix: impl Into<String>) -> Self {
        Self {
            client,
            table_prefix: table_prefix.into(),
        }
    }

    pub(crate) fn model_table(&self, model: &ModelSpec) -> String {
        format!("{}{}", self.table_prefix, model.name)
    }
}
