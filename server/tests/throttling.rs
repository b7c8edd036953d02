//! A throttled DynamoDB: an SDK interceptor throttles a share of the attempts. A throttled
//! attempt must change nothing, as in DynamoDB: the interceptor sends it with an operation
//! name DynamoDB does not know, then turns the refusal into a ThrottlingException. The SDK retries with backoff, so a partly throttled table is invisible
//! to callers; a fully throttled one gets a 503 that says so, in bounded time, with nothing
//! written.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::interceptors::{
    BeforeDeserializationInterceptorContextMut, BeforeTransmitInterceptorContextMut,
};
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_types::config_bag::{Storable, StoreReplace};
use axum::http::StatusCode;
use axum::Router;
use common::{author, call_as, settings, unique};
use serde_json::json;
use stratus_server::startup::{router, AppState, Platform};

/// Throttles every `every`-th answer (1: all of them).
#[derive(Debug, Clone)]
struct Throttle {
    every: usize,
    answers: Arc<AtomicUsize>,
    throttled: Arc<AtomicUsize>,
}

/// Marks the current attempt as throttled (attempts of one operation run one after another).
#[derive(Debug, Clone)]
struct ThrottledAttempt(bool);

impl Storable for ThrottledAttempt {
    type Storer = StoreReplace<Self>;
}

impl Intercept for Throttle {
    fn name(&self) -> &'static str {
        "Throttle"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        config: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        let throttled = self
            .answers
            .fetch_add(1, Ordering::SeqCst)
            .is_multiple_of(self.every);
        if throttled {
            context
                .request_mut()
                .headers_mut()
                .insert("x-amz-target", "DynamoDB_20120810.NoSuchOperationThrottled");
        }
        config
            .interceptor_state()
            .store_put(ThrottledAttempt(throttled));
        Ok(())
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        config: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        if config
            .load::<ThrottledAttempt>()
            .is_some_and(|attempt| attempt.0)
        {
            self.throttled.fetch_add(1, Ordering::SeqCst);
            let response = context.response_mut();
            *response.status_mut() =
                aws_smithy_runtime_api::http::StatusCode::try_from(400u16).expect("a status");
            *response.body_mut() = aws_smithy_types::body::SdkBody::from(
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}"#,
            );
        }
        Ok(())
    }
}

async fn throttled_app(every: usize) -> (Router, Throttle) {
    let _ = common::app().await; // a clear failure when the stack is down
    let settings = settings();
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let throttle = Throttle {
        every,
        answers: Arc::default(),
        throttled: Arc::default(),
    };
    let mut config = aws_sdk_dynamodb::config::Builder::from(&sdk).interceptor(throttle.clone());
    if let Some(url) = settings.dynamodb_endpoint() {
        config = config.endpoint_url(url);
    }
    let dynamodb = aws_sdk_dynamodb::Client::from_conf(config.build());
    let state = AppState::with_clients(app::models::MODELS, dynamodb, &settings, Platform::Local);
    (router(state, &settings), throttle)
}

#[tokio::test]
async fn a_partly_throttled_table_is_retried_and_every_call_succeeds() {
    let (app, throttle) = throttled_app(2).await;
    let author = author().await;
    for n in 0..10 {
        let (status, answer) = call_as(
            &app,
            &author,
            "createBlog",
            json!({ "input": { "name": unique(&format!("retried {n}")) } }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    assert!(
        throttle.throttled.load(Ordering::SeqCst) >= 5,
        "half the answers were throttled"
    );
    assert!(throttle.answers.load(Ordering::SeqCst) >= 15, "and retried");
}

#[tokio::test]
async fn a_fully_throttled_table_answers_503_in_words_in_bounded_time_and_writes_nothing() {
    let (app, throttle) = throttled_app(1).await;
    let author = author().await;
    let name = unique("never written");
    let started = Instant::now();
    let (status, answer) = call_as(
        &app,
        &author,
        "createBlog",
        json!({ "input": { "name": name } }),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "retries give up in bounded time: {:?}",
        started.elapsed()
    );
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
    assert_eq!(answer["code"], "throttled", "clients may retry it later");
    assert_eq!(
        answer["message"],
        "The database is busy right now (too many requests). Please try again in a moment."
    );
    assert!(
        throttle.answers.load(Ordering::SeqCst) >= 2,
        "the SDK retried before giving up"
    );

    let plain = common::app().await;
    let (status, page) = call_as(
        &plain,
        &author,
        "listBlogs",
        json!({ "filter": { "name": { "eq": name } } }),
    )
    .await;
    assert_eq!(
        (status, page["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0)),
        "nothing was written"
    );
}
