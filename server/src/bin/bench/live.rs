//! Live delivery under load: 1, 100 and 1,000 subscribers to one post's new comments, each on
//! its own WebSocket to the release server, as readers with the post open would be. For each
//! of [`WRITES`] comments: the time from sending the write to the last subscriber's delivery,
//! and to each delivery; p50 and p99 of both; and the server's resident memory with the
//! subscribers connected. The subscribers are guests (most readers of a public post are), on
//! one ticket.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use stratus_ops::api_client::{register_confirmed, ApiClient};
use stratus_server::configuration::Settings;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use super::{call, Target};

const SUBSCRIBERS: [usize; 3] = [1, 100, 1_000];
const WRITES: usize = 20;
/// How long one comment may take to reach every subscriber before the run fails.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(30);

/// `target` is `host:port:pid` of the running release server.
pub async fn run(settings: &Settings, target: &str) -> Value {
    let (addr, pid) = target.rsplit_once(':').expect("host:port:pid");
    let pid: u32 = pid.parse().expect("a process id");
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http();
    let http = Target::Http(client, addr.to_owned());
    let email = format!("bench-live-{}@example.com", uuid::Uuid::new_v4());
    let password = "Bench-password-1";
    register_confirmed(settings, &email, password, &[])
        .await
        .expect("the bench user signs up");
    let author = ApiClient::user(settings, &email, password)
        .await
        .expect("the bench user signs in");
    let guest = ApiClient::guest(settings).await.expect("guest credentials");
    let blog = call(
        &http,
        &author,
        "createBlog",
        json!({ "input": { "name": "live bench" } }),
    )
    .await;
    let post = call(
        &http,
        &author,
        "createPost",
        json!({ "input": { "blogId": blog["id"], "title": "Live", "body": "text", "status": "PUBLISHED" } }),
    )
    .await;

    let mut levels = Vec::new();
    for subscribers in SUBSCRIBERS {
        tracing::info!("live delivery: {subscribers} subscribers, {WRITES} comments");
        let rss_before_kb = super::lambda::status_kb(pid, "VmRSS:");
        let ticket = call(&http, &guest, "open_live_connection", json!({})).await;
        let url = format!(
            "ws://{addr}/live?ticket={}",
            ticket["ticket"].as_str().expect("a ticket")
        );
        let filter = json!({ "postCommentsId": { "eq": post["id"] } });
        let (deliveries, mut delivered) = mpsc::unbounded_channel::<(String, Instant)>();
        let mut readers = Vec::with_capacity(subscribers);
        for _ in 0..subscribers {
            readers.push(subscriber(&url, &filter, deliveries.clone()).await);
        }
        let rss_connected_kb = super::lambda::status_kb(pid, "VmRSS:");
        let (mut to_last, mut to_each) = (Vec::new(), Vec::new());
        for n in 0..WRITES {
            let sent = Instant::now();
            let comment = call(
                &http,
                &author,
                "createComment",
                json!({ "input": { "content": format!("comment {n}"), "postCommentsId": post["id"] } }),
            )
            .await;
            let id = comment["id"].as_str().expect("an id").to_owned();
            let mut seen = 0;
            while seen < subscribers {
                let (delivered_id, at) = tokio::time::timeout(DELIVERY_TIMEOUT, delivered.recv())
                    .await
                    .unwrap_or_else(|_| {
                        panic!("comment {n} reached {seen} of {subscribers} subscribers")
                    })
                    .expect("the subscribers are listening");
                if delivered_id == id {
                    seen += 1;
                    to_each.push(at - sent);
                    if seen == subscribers {
                        to_last.push(at - sent);
                    }
                }
            }
        }
        for reader in readers {
            reader.abort();
        }
        levels.push(json!({
            "subscribers": subscribers,
            "writes": WRITES,
            "to_last_delivery_ms": percentiles(&mut to_last),
            "to_each_delivery_ms": percentiles(&mut to_each),
            "server_rss_kb": { "before": rss_before_kb, "with_subscribers": rss_connected_kb },
        }));
    }
    json!({
        "what": "guests subscribed to one post's new comments, each on its own WebSocket; from sending a comment to its delivery",
        "levels": levels,
    })
}

/// One subscriber: connected and subscribed before it returns; reports each comment it gets.
async fn subscriber(
    url: &str,
    filter: &Value,
    deliveries: mpsc::UnboundedSender<(String, Instant)>,
) -> tokio::task::JoinHandle<()> {
    let (mut socket, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("a subscriber connects");
    let subscribe = json!({ "type": "subscribe", "id": "c", "subscription": "onCreateComment", "filter": filter });
    socket
        .send(Message::Text(subscribe.to_string().into()))
        .await
        .expect("the subscription is sent");
    match socket.next().await {
        Some(Ok(Message::Text(text))) => {
            let answer: Value = serde_json::from_str(&text).expect("JSON");
            assert_eq!(answer["type"], "subscribed", "{answer}");
        }
        other => panic!("no answer to the subscription: {other:?}"),
    }
    let deliveries = Arc::new(deliveries);
    tokio::spawn(async move {
        while let Some(Ok(message)) = socket.next().await {
            let Message::Text(text) = message else {
                continue;
            };
            let at = Instant::now();
            let event: Value = serde_json::from_str(&text).unwrap_or_default();
            if let Some(id) = event["item"]["id"].as_str() {
                let _ = deliveries.send((id.to_owned(), at));
            }
        }
    })
}

fn percentiles(times: &mut [Duration]) -> Value {
    times.sort();
    let at = |per_hundred: usize| {
        let index = (times.len() * per_hundred / 100).min(times.len() - 1);
        (times[index].as_secs_f64() * 1000.0 * 10.0).round() / 10.0
    };
    json!({ "p50": at(50), "p99": at(99) })
}
