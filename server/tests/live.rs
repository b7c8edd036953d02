//! Live subscriptions end to end: the real server on a real socket, DynamoDB Local's table
//! streams, and callers who sign and sign in as browsers do. Each change reaches those who may
//! read it, trimmed to the fields they may read, and nobody else; every refusal is in words.

mod common;

use std::time::{Duration, Instant};

use axum::Router;
use common::session::{self, Session};
use common::{ok_as, settings, unique};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use stratus_server::startup::{router, AppState};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a change may take to arrive; what must not arrive is waited for as long.
const DELIVERY: Duration = Duration::from_secs(5);
/// How long to wait for something that must not come.
const QUIET: Duration = Duration::from_millis(1500);

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The app served on a loopback port, with its streams followed, as `axum::serve` runs it.
async fn serve() -> (Router, String) {
    let settings = settings();
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let state = AppState::from_sdk(
        &sdk,
        &settings,
        app::models::MODELS,
        stratus_server::startup::Platform::Local,
    );
    stratus_server::live::local_streams::spawn(
        state.live.clone(),
        stratus_server::aws::dynamodb(&sdk, &settings.aws),
        stratus_server::aws::dynamodb_streams(&sdk, &settings.aws),
        &settings.data,
        app::models::MODELS,
    );
    let app = router(state, &settings);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let served = app.clone();
    tokio::spawn(async move { axum::serve(listener, served).await });
    // The stream followers start from the latest record: let them open their shards.
    tokio::time::sleep(Duration::from_millis(800)).await;
    (app, format!("ws://{address}/live"))
}

async fn connect(app: &Router, url: &str, caller: &Session) -> Socket {
    let ticket = ok_as(app, caller, "open_live_connection", json!({})).await;
    let ticket = ticket["ticket"].as_str().expect("a ticket");
    let (socket, _) = tokio_tungstenite::connect_async(format!("{url}?ticket={ticket}"))
        .await
        .expect("the socket opens with a ticket");
    socket
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// The next JSON message within `wait`, if one comes.
async fn next(socket: &mut Socket, wait: Duration) -> Option<Value> {
    loop {
        match tokio::time::timeout(wait, socket.next()).await {
            Err(_) => return None,
            Ok(Some(Ok(Message::Text(text)))) => return Some(serde_json::from_str(&text).unwrap()),
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            Ok(other) => panic!("the socket ended: {other:?}"),
        }
    }
}

async fn subscribe(socket: &mut Socket, id: &str, subscription: &str, filter: Value) -> Value {
    send(
        socket,
        json!({ "type": "subscribe", "id": id, "subscription": subscription, "filter": filter }),
    )
    .await;
    next(socket, DELIVERY)
        .await
        .expect("an answer to subscribe")
}

async fn subscribed(socket: &mut Socket, id: &str, subscription: &str, filter: Value) {
    let answer = subscribe(socket, id, subscription, filter).await;
    assert_eq!(answer, json!({ "type": "subscribed", "id": id }));
}

async fn published_post(app: &Router, owner: &Session, status: &str) -> Value {
    let blog = ok_as(
        app,
        owner,
        "createBlog",
        json!({ "input": { "name": unique("blog") } }),
    )
    .await;
    let input =
        json!({ "blogId": blog["id"], "title": unique("post"), "body": "text", "status": status });
    ok_as(app, owner, "createPost", json!({ "input": input })).await
}

#[tokio::test]
async fn a_new_comment_reaches_the_readers_of_its_post_and_no_other_post() {
    let (app, url) = serve().await;
    let settings = settings();
    let (ada, bob) = (
        session::new_user(&settings, "ada", &[]).await,
        session::new_user(&settings, "bob", &[]).await,
    );
    let guest = session::guest(&settings).await;
    let (post, other) = (
        published_post(&app, &ada, "PUBLISHED").await,
        published_post(&app, &ada, "PUBLISHED").await,
    );
    let mut reader = connect(&app, &url, &guest).await;
    let on = |post: &Value| json!({ "postCommentsId": { "eq": post["id"] } });
    subscribed(&mut reader, "this", "onCreateComment", on(&post)).await;
    subscribed(&mut reader, "other", "onCreateComment", on(&other)).await;

    let written = Instant::now();
    let content = unique("Nice post");
    let comment = ok_as(
        &app,
        &bob,
        "createComment",
        json!({ "input": { "content": content, "postCommentsId": post["id"] } }),
    )
    .await;
    let event = next(&mut reader, DELIVERY)
        .await
        .expect("the comment reaches the post's reader");
    eprintln!("a comment reached its reader in {:?}", written.elapsed());
    assert_eq!(event["type"], "change");
    assert_eq!(event["id"], "this", "{event}");
    assert_eq!(event["change"], "create");
    assert_eq!(event["item"]["id"], comment["id"]);
    assert_eq!(event["item"]["content"], content.as_str());
    assert_eq!(
        next(&mut reader, QUIET).await,
        None,
        "nothing for the other post"
    );
}

#[tokio::test]
async fn a_drafts_edits_reach_its_author_and_never_a_guest_or_another_user() {
    let (app, url) = serve().await;
    let settings = settings();
    let (ada, bob) = (
        session::new_user(&settings, "ada", &[]).await,
        session::new_user(&settings, "bob", &[]).await,
    );
    let guest = session::guest(&settings).await;
    let draft = published_post(&app, &ada, "DRAFT").await;
    let only_the_draft = json!({ "id": { "eq": draft["id"] } });
    let mut author = connect(&app, &url, &ada).await;
    let mut stranger = connect(&app, &url, &bob).await;
    let mut visitor = connect(&app, &url, &guest).await;
    for socket in [&mut author, &mut stranger, &mut visitor] {
        subscribed(socket, "edits", "onUpdatePost", only_the_draft.clone()).await;
    }

    let title = unique("A secret title");
    ok_as(
        &app,
        &ada,
        "updatePost",
        json!({ "input": { "id": draft["id"], "title": title, "_version": draft["_version"] } }),
    )
    .await;
    let event = next(&mut author, DELIVERY)
        .await
        .expect("the author sees her own edit");
    assert_eq!(event["item"]["title"], title.as_str());
    assert_eq!(
        next(&mut stranger, QUIET).await,
        None,
        "another user sees nothing"
    );
    assert_eq!(
        next(&mut visitor, QUIET).await,
        None,
        "a guest sees nothing"
    );
}

#[tokio::test]
async fn a_field_only_its_owner_may_read_never_leaves_in_an_event() {
    let (app, url) = serve().await;
    let settings = settings();
    let ada = session::new_user(&settings, "ada", &[]).await;
    let guest = session::guest(&settings).await;
    let input = json!({ "input": { "displayName": "Ada", "email": "ada@example.com" } });
    let profile = ok_as(&app, &ada, "createProfile", input).await;
    let mine = json!({ "userId": { "eq": profile["userId"] } });
    let mut owner = connect(&app, &url, &ada).await;
    let mut visitor = connect(&app, &url, &guest).await;
    subscribed(&mut owner, "p", "onUpdateProfile", mine.clone()).await;
    subscribed(&mut visitor, "p", "onUpdateProfile", mine).await;

    let changed = json!({ "input": {
        "userId": profile["userId"], "displayName": "Ada L.", "email": "ada@example.org",
        "_version": profile["_version"]
    } });
    ok_as(&app, &ada, "updateProfile", changed).await;
    let seen_by_owner = next(&mut owner, DELIVERY).await.expect("the owner's event");
    assert_eq!(seen_by_owner["item"]["email"], "ada@example.org");
    let seen_by_guest = next(&mut visitor, DELIVERY)
        .await
        .expect("the guest's event");
    assert_eq!(seen_by_guest["item"]["displayName"], "Ada L.");
    assert!(
        seen_by_guest["item"].get("email").is_none(),
        "the address stays its owner's: {seen_by_guest}"
    );
    // Nor can a filter on it tell the guest what it is.
    let answer = subscribe(
        &mut visitor,
        "probe",
        "onUpdateProfile",
        json!({ "email": { "beginsWith": "ada" } }),
    )
    .await;
    assert_eq!(answer["type"], "refused", "{answer}");
    assert_eq!(answer["id"], "probe");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("email"),
        "{answer}"
    );
}

#[tokio::test]
async fn what_is_wrong_with_a_connection_or_a_subscription_is_said_in_words() {
    let (app, url) = serve().await;
    let settings = settings();
    let guest = session::guest(&settings).await;

    for (address, words) in [
        (url.clone(), "needs a ticket"),
        (format!("{url}?ticket=forged.ticket"), "is not a ticket"),
    ] {
        match tokio_tungstenite::connect_async(&address).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 401);
                let body = String::from_utf8_lossy(response.body().as_deref().unwrap_or_default())
                    .into_owned();
                assert!(body.contains(words), "{address}: {body}");
            }
            other => panic!("{address} was not refused: {other:?}"),
        }
    }

    let mut socket = connect(&app, &url, &guest).await;
    for (subscription, filter, words) in [
        (
            "onCreateNothing",
            Value::Null,
            "There is no subscription named `onCreateNothing`",
        ),
        (
            "onCreateComment",
            json!({ "content": { "like": "x" } }),
            "`like` is not a filter operator",
        ),
        (
            "onCreateComment",
            json!({ "nope": { "eq": "x" } }),
            "Comment has no field `nope`",
        ),
    ] {
        let answer = subscribe(&mut socket, "s", subscription, filter).await;
        assert_eq!(answer["type"], "refused", "{answer}");
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "expected {words:?} in {message:?}");
    }
    send(&mut socket, json!({ "type": "publish" })).await;
    let answer = next(&mut socket, DELIVERY).await.unwrap();
    assert_eq!(answer["type"], "refused");
    assert!(answer.get("id").is_none());
    // After all that, the connection still works.
    subscribed(&mut socket, "ok", "onCreateComment", Value::Null).await;
}
