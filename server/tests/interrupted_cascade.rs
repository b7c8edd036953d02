//! A cascading delete cut short, as if the process were killed between two of its
//! transactions: the post stays, with fewer comments and no orphan, and running the delete
//! again finishes it.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use app::models::{BLOG_SPEC, COMMENT_SPEC, POST_SPEC};
use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use serde_json::{json, Value};
use stratus::data::auth::Caller;
use stratus::store::{ListRequest, Store};
use stratus_server::store::DynamoStore;

/// Lets the first transaction through and fails every later one before it is sent.
#[derive(Debug, Clone, Default)]
struct CutAfterFirstTransaction(Arc<AtomicUsize>);

impl Intercept for CutAfterFirstTransaction {
    fn name(&self) -> &'static str {
        "CutAfterFirstTransaction"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _config: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        let target = context
            .request()
            .headers()
            .get("x-amz-target")
            .unwrap_or_default();
        if target.ends_with("TransactWriteItems") && self.0.fetch_add(1, Ordering::SeqCst) > 0 {
            return Err("the process was killed here (simulated)".into());
        }
        Ok(())
    }
}

async fn comments_of(store: &DynamoStore, caller: &Caller, post: &Value) -> Vec<Value> {
    let request = ListRequest {
        index: Some("gsi-Post.comments"),
        partition: Some(post.clone()),
        limit: Some(1000),
        ..ListRequest::default()
    };
    store
        .list_items(caller, &COMMENT_SPEC, request)
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn a_cascade_cut_short_leaves_no_orphan_and_finishes_when_run_again() {
    let _ = common::app().await; // a clear failure when the stack is down
    let settings = common::settings();
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let client = stratus_server::aws::dynamodb(&sdk, &settings.aws);
    let store = DynamoStore::new(client.clone(), settings.data.clone());
    let cut_client = aws_sdk_dynamodb::Client::from_conf(
        client
            .config()
            .to_builder()
            .interceptor(CutAfterFirstTransaction::default())
            .build(),
    );
    let cut = DynamoStore::new(cut_client, settings.data.clone());

    let run = common::unique("cut").replace(' ', "-");
    let user = |name: &str| Caller::User {
        sub: format!("{run}-{name}"),
        username: name.into(),
        groups: Vec::new(),
    };
    let (ada, bob) = (user("ada"), user("bob"));
    let blog = store
        .create_item(&ada, &BLOG_SPEC, json!({ "name": "cut short" }))
        .await
        .unwrap();
    let post = store
        .create_item(
            &ada,
            &POST_SPEC,
            json!({ "blogId": blog["id"], "title": "t", "body": "b", "status": "PUBLISHED" }),
        )
        .await
        .unwrap();
    for chunk in (0..150).collect::<Vec<_>>().chunks(25) {
        let comments = chunk.iter().map(|n| {
            store.create_item(
                &bob,
                &COMMENT_SPEC,
                json!({ "content": format!("c{n}"), "postCommentsId": post["id"] }),
            )
        });
        for comment in futures_util::future::join_all(comments).await {
            comment.unwrap();
        }
    }

    let error = cut
        .delete_item(&ada, &POST_SPEC, json!({ "id": post["id"] }), None)
        .await
        .unwrap_err();
    assert_eq!(error.status(), 503, "{error}");
    let left = comments_of(&store, &ada, &post["id"]).await;
    assert!(
        !left.is_empty() && left.len() < 150,
        "the first batch went, the rest did not: {} left",
        left.len()
    );
    let still = store
        .get_item(&ada, &POST_SPEC, json!({ "id": post["id"] }), &[])
        .await
        .unwrap();
    assert_eq!(
        still.map(|p| p["id"].clone()),
        Some(post["id"].clone()),
        "the post goes last, so no comment is an orphan"
    );

    store
        .delete_item(&ada, &POST_SPEC, json!({ "id": post["id"] }), None)
        .await
        .unwrap();
    assert_eq!(
        comments_of(&store, &ada, &post["id"]).await,
        Vec::<Value>::new()
    );
    assert_eq!(
        store
            .get_item(&ada, &POST_SPEC, json!({ "id": post["id"] }), &[])
            .await
            .unwrap(),
        None
    );
}
