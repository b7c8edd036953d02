//! The DynamoDB client and the table names every step of the pipeline uses.

use stratus::data::spec::ModelSpec;

use crate::configuration::DataSettings;

pub struct DynamoStore {
    pub(crate) client: aws_sdk_dynamodb::Client,
    data: DataSettings,
}

impl DynamoStore {
    pub fn new(client: aws_sdk_dynamodb::Client, data: DataSettings) -> Self {
        Self { client, data }
    }

    pub(crate) fn model_table(&self, model: &ModelSpec) -> String {
        self.data.table_name(model.name)
    }

    /// Deletes mark items `_deleted`, as Amplify's resolvers do with conflict detection on.
    pub(crate) fn soft_deletes(&self) -> bool {
        self.data.soft_deletes()
    }
}
