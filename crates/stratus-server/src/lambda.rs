//! The server on AWS Lambda. One function receives three kinds of events, told apart by their
//! shape: the Function URL's HTTP requests (through lambda_http's adapter, into the same Router
//! as locally), the WebSocket API's connections and messages, and the model tables' stream
//! records (both to [`CloudLive`]).

use std::sync::Arc;

use axum::Router;
use lambda_http::lambda_runtime::{self, service_fn, LambdaEvent};
use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Service};
use serde_json::Value;

use crate::live::cloud::fanout::StreamBatch;
use crate::live::cloud::gateway::WebSocketEvent;
use crate::live::cloud::CloudLive;

type HttpAdapter = Adapter<'static, axum::response::Response, Router>;

/// An event, by its shape.
#[derive(Debug)]
enum Event {
    Http(Box<LambdaRequest>),
    WebSocket(WebSocketEvent),
    Stream(StreamBatch),
}

impl Event {
    fn kind(&self) -> &'static str {
        match self {
            Event::Http(_) => "an HTTP request",
            Event::WebSocket(_) => "a WebSocket event",
            Event::Stream(_) => "stream records",
        }
    }

    fn read(payload: Value) -> Result<Event, serde_json::Error> {
        if payload.get("Records").is_some_and(Value::is_array) {
            return serde_json::from_value(payload).map(Event::Stream);
        }
        let context = payload.get("requestContext");
        if context.and_then(|c| c.get("connectionId")).is_some() {
            return serde_json::from_value(payload).map(Event::WebSocket);
        }
        serde_json::from_value(payload).map(|request| Event::Http(Box::new(request)))
    }
}

/// Answers events until the runtime stops. Without `live`, only HTTP requests are expected.
pub async fn run(app: Router, live: Option<Arc<CloudLive>>) -> Result<(), lambda_runtime::Error> {
    let http: HttpAdapter = Adapter::from(app);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let (http, live) = (http.clone(), live.clone());
        // Boxed: the three handlers' futures together are deeper than the compiler follows.
        Box::pin(async move { dispatch(http, live.as_deref(), event).await })
    }))
    .await
}

async fn dispatch(
    mut http: HttpAdapter,
    live: Option<&CloudLive>,
    event: LambdaEvent<Value>,
) -> Result<Value, lambda_runtime::Error> {
    let LambdaEvent { payload, context } = event;
    match (Event::read(payload)?, live) {
        (Event::Http(request), _) => {
            let response = http.call(LambdaEvent::new(*request, context)).await?;
            Ok(serde_json::to_value(response)?)
        }
        (Event::WebSocket(event), Some(live)) => {
            Ok(serde_json::to_value(live.on_websocket(event).await)?)
        }
        (Event::Stream(batch), Some(live)) => {
            let sent = live.on_stream(batch).await?;
            tracing::debug!(sent, "live changes delivered");
            Ok(Value::Null)
        }
        (event, None) => Err(format!(
            "live updates are not configured (live.table, live.api_id, live.stage), yet the function received {}",
            event.kind()
        )
        .into()),
    }
}
