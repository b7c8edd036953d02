//! Live updates in the cloud: the same checks as the local hub, run by the one Lambda on two
//! kinds of events. The API Gateway WebSocket API holds the browsers' connections and hands
//! their openings, messages and closings to [`gateway`]; the model tables' streams hand their
//! changes to [`fanout`], which posts each subscriber what it may see. Between invocations,
//! who is subscribed to what lives in the [`registry`] table.

pub mod fanout;
pub mod gateway;
pub mod registry;

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_apigatewaymanagement::error::{DisplayErrorContext, SdkError};
use aws_sdk_apigatewaymanagement::operation::post_to_connection::PostToConnectionError;
use aws_sdk_apigatewaymanagement::primitives::Blob;
use stratus::data::spec::ModelSpec;
use stratus::live::protocol::ServerMessage;
use stratus::live::ticket::TicketKey;

use crate::configuration::Settings;
use registry::Registry;

pub struct CloudLive {
    models: &'static [&'static ModelSpec],
    registry: Registry,
    tickets: TicketKey,
    connections: aws_sdk_apigatewaymanagement::Client,
    /// Each model by its table's name, which stream records give.
    tables: HashMap<String, &'static ModelSpec>,
}

/// What became of a message posted to a connection.
#[derive(Debug, PartialEq, Eq)]
pub enum Posted {
    Sent,
    /// The browser has gone; the connection is forgotten.
    Gone,
    Failed,
}

impl CloudLive {
    /// `None` unless the settings name the live table and the WebSocket API (the deployed
    /// template sets them; locally the server holds its connections itself).
    pub fn from_settings(
        sdk: &aws_config::SdkConfig,
        settings: &Settings,
        models: &'static [&'static ModelSpec],
        tickets: TicketKey,
    ) -> Option<Self> {
        let table = settings.live.table.clone()?;
        let endpoint = settings.live.connections_endpoint(&settings.aws)?;
        let connections = aws_sdk_apigatewaymanagement::Client::from_conf(
            aws_sdk_apigatewaymanagement::config::Builder::from(sdk)
                .endpoint_url(endpoint)
                .build(),
        );
        Some(CloudLive {
            models,
            registry: Registry::new(crate::aws::dynamodb(sdk, &settings.aws), table),
            tickets,
            connections,
            tables: models
                .iter()
                .map(|model| (settings.data.table_name(model.name), *model))
                .collect(),
        })
    }

    async fn post(&self, connection: &str, message: &ServerMessage) -> Posted {
        let text = serde_json::to_vec(message).expect("a message is JSON");
        let posted = self
            .connections
            .post_to_connection()
            .connection_id(connection)
            .data(Blob::new(text))
            .send()
            .await;
        match posted {
            Ok(_) => Posted::Sent,
            Err(SdkError::ServiceError(error))
                if matches!(error.err(), PostToConnectionError::GoneException(_)) =>
            {
                self.forget(connection).await;
                Posted::Gone
            }
            Err(error) => {
                tracing::warn!(%connection, "could not post to a live connection: {}", DisplayErrorContext(error));
                Posted::Failed
            }
        }
    }

    /// Closes a connection whose time is up (the browser opens a new one with a new ticket).
    async fn close(&self, connection: &str) {
        if let Err(error) = self
            .connections
            .delete_connection()
            .connection_id(connection)
            .send()
            .await
        {
            tracing::debug!(%connection, "closing a live connection: {}", DisplayErrorContext(error));
        }
        self.forget(connection).await;
    }

    async fn forget(&self, connection: &str) {
        if let Err(error) = self.registry.disconnect(connection).await {
            tracing::warn!(%connection, %error, "could not forget a live connection");
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}
