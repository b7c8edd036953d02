//! DynamoDB stops answering in the middle of a burst of writes. Every call answers within its
//! timeout, with a 503 in words or success; afterwards every write that answered OK is there,
//! and no multi-item write (a post created with its tag links, one transaction) is half applied.
//! Two ways to stop it:
//! - the stack's DynamoDB Local is paused with SIGSTOP, then resumed;
//! - a DynamoDB Local of the test's own, keeping its data on disk (`-dbPath`), is killed
//!   (SIGKILL) and started again on the same files: a crash and a restart. DynamoDB Local does
//!   not promise that the last writes it acknowledged reach its files before a SIGKILL (about
//!   one run in five loses one; DynamoDB itself acknowledges only durable writes), so after a
//!   crash an acknowledged post may be absent; it is still never half there.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::{author, call_as, settings, unique};
use serde_json::{json, Value};
use stratus_ops::provision::tables::{ensure, ensure_sign_outs, TableLayout};
use stratus_server::startup::{router, AppState};

/// Resumes DynamoDB Local when dropped, so a failing test never leaves it paused.
struct Paused(libc::pid_t);

impl Paused {
    fn pause() -> Self {
        let pid = dynamodb_local_pid().expect(
            "DynamoDB Local runs as a local process (start the stack with `cargo xtask stack`)",
        );
        // SAFETY: kill(2) with a pid we just read and a standard signal.
        assert_eq!(
            unsafe { libc::kill(pid, libc::SIGSTOP) },
            0,
            "could not pause DynamoDB Local"
        );
        Paused(pid)
    }
}

impl Drop for Paused {
    fn drop(&mut self) {
        // SAFETY: as above.
        unsafe { libc::kill(self.0, libc::SIGCONT) };
    }
}

/// The stack's java process running DynamoDBLocal.jar (in memory), found in /proc (no procps).
fn dynamodb_local_pid() -> Option<libc::pid_t> {
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: libc::pid_t = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let contains = |needle: &[u8]| cmdline.windows(needle.len()).any(|w| w == needle);
            let is_java = cmdline
                .split(|b| *b == 0)
                .next()
                .is_some_and(|exe| exe.ends_with(b"java"));
            (is_java && contains(b"DynamoDBLocal") && contains(b"-inMemory")).then_some(pid)
        })
}

/// A DynamoDB Local of this test's own, with its data in files, in the sandbox the stack uses
/// (xtask's `__dynamodb-sandbox`, which also kills java when it dies).
struct OwnDynamoDb {
    sandbox: Child,
    port: u16,
    data: PathBuf,
}

impl OwnDynamoDb {
    fn start(port: u16, data: PathBuf) -> Self {
        let (Ok(jar_dir), Ok(xtask)) = (
            std::env::var("STRATUS_DYNAMODB_LOCAL_DIR"),
            std::env::var("STRATUS_XTASK_EXE"),
        ) else {
            panic!("STRATUS_DYNAMODB_LOCAL_DIR and STRATUS_XTASK_EXE are not set: run the tests through `cargo xtask test`");
        };
        std::fs::create_dir_all(&data).unwrap();
        let sandbox = Command::new(xtask)
            .current_dir(&jar_dir)
            .args(["__dynamodb-sandbox", &port.to_string(), "java"])
            .arg(format!("-Djava.library.path={jar_dir}/DynamoDBLocal_lib"))
            .args([
                "-jar",
                "DynamoDBLocal.jar",
                "-sharedDb",
                "-disableTelemetry",
                "-port",
                &port.to_string(),
                "-dbPath",
            ])
            .arg(&data)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("xtask starts the sandbox");
        OwnDynamoDb {
            sandbox,
            port,
            data,
        }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// SIGKILL: no shutdown, no flush beyond what DynamoDB Local already did per request.
    fn crash(mut self) -> (u16, PathBuf) {
        self.sandbox.kill().unwrap();
        self.sandbox.wait().unwrap();
        (self.port, std::mem::take(&mut self.data))
    }
}

impl Drop for OwnDynamoDb {
    fn drop(&mut self) {
        let _ = self.sandbox.kill();
        let _ = self.sandbox.wait();
    }
}

/// Waits until DynamoDB answers at `endpoint`, then gives the settings that use it.
async fn settings_using(endpoint: &str) -> stratus_server::configuration::Settings {
    let mut settings = settings();
    settings.aws.dynamodb_endpoint_url = Some(endpoint.to_owned());
    settings.aws.operation_timeout_ms = 1500;
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let client = stratus_server::aws::dynamodb(&sdk, &settings.aws);
    let started = Instant::now();
    while client.list_tables().send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "DynamoDB Local did not answer at {endpoint} within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    settings
}

/// A burst of 30 posts, each created with two tag links in one transaction, 100 ms apart.
/// A create's id, and its answer with how long it took (or the timeout's error).
type CallOutcome = (
    String,
    Result<(StatusCode, Value, Duration), tokio::time::error::Elapsed>,
);

struct Burst {
    run: String,
    tags: Vec<Value>,
    calls: Vec<tokio::task::JoinHandle<CallOutcome>>,
}

async fn start_burst(app: &axum::Router) -> Burst {
    let author = author().await;
    let run = unique("outage").replace(' ', "-");
    let blog = common::ok(app, "createBlog", json!({ "input": { "name": run } })).await;
    let mut tags = Vec::new();
    for n in 0..2 {
        tags.push(
            common::ok(
                app,
                "createTag",
                json!({ "input": { "label": format!("{run}-{n}") } }),
            )
            .await["id"]
                .clone(),
        );
    }
    let calls = (0..30)
        .map(|n| {
            let (app, author, blog_id, tags) = (app.clone(), author.clone(), blog["id"].clone(), tags.clone());
            let id = format!("{run}-post-{n}");
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(n * 100)).await;
                let started = Instant::now();
                let body = json!({ "input": { "id": id, "blogId": blog_id, "title": format!("post {n}"), "body": "b", "linkTags": tags } });
                let answer = tokio::time::timeout(Duration::from_secs(15), call_as(&app, &author, "createPost", body)).await;
                (id, answer.map(|(status, body)| (status, body, started.elapsed())))
            })
        })
        .collect();
    Burst { run, tags, calls }
}

/// Every call answered in time; returns the ids of the posts whose creation answered OK, and
/// of all the posts tried.
async fn answers(burst: Burst) -> (Vec<String>, Vec<String>, Vec<Value>) {
    let mut ok_ids = Vec::new();
    let (mut refused, mut all_ids) = (0, Vec::new());
    for call in burst.calls {
        let (id, answer) = call.await.unwrap();
        let (status, body, took) = answer.unwrap_or_else(|_| panic!("{id} hung past 15 s"));
        assert!(took < Duration::from_secs(12), "{id} took {took:?}");
        match status {
            StatusCode::OK => ok_ids.push(id.clone()),
            StatusCode::SERVICE_UNAVAILABLE => {
                refused += 1;
                assert!(
                    body["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("Please try again")),
                    "{body}"
                );
            }
            other => panic!("{id}: {other} {body}"),
        }
        all_ids.push(id);
    }
    assert!(
        refused > 0,
        "the outage refused some writes ({})",
        burst.run
    );
    assert!(
        !ok_ids.is_empty(),
        "writes before and after the outage succeeded"
    );
    (ok_ids, all_ids, burst.tags)
}

/// What the store promises for a write it acknowledged.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Acknowledged {
    /// It is there, whole.
    Kept,
    /// It is there whole, or (the store crashed before making it durable) absent.
    WholeOrLost,
}

/// Every OK post is whole (or lost in a crash, when `acknowledged` allows); every other post is
/// whole or absent, never half there.
async fn check_nothing_lost_or_halved(
    app: &axum::Router,
    ok_ids: &[String],
    all_ids: &[String],
    tags: &[Value],
    acknowledged: Acknowledged,
) {
    for id in all_ids {
        let post = common::ok(app, "getPost", json!({ "id": id, "include": ["tags"] })).await;
        let linked_from_tags = tag_links(app, tags, id).await;
        if ok_ids.contains(id) && post.is_null() && acknowledged == Acknowledged::WholeOrLost {
            eprintln!("{id} was acknowledged, then lost with DynamoDB Local's crash");
        } else if ok_ids.contains(id) {
            assert_eq!(
                post["tags"].as_array().map(Vec::len),
                Some(2),
                "{id} answered OK and is whole: {post}"
            );
        }
        match post {
            Value::Null => assert_eq!(
                linked_from_tags, 0,
                "{id} is absent, so no tag may link to it"
            ),
            post => {
                assert_eq!(
                    post["tags"].as_array().map(Vec::len),
                    Some(2),
                    "{id} exists, so it is whole"
                );
                assert_eq!(linked_from_tags, 2, "{id} exists, so both tags link to it");
            }
        }
    }
}

#[tokio::test]
async fn a_pause_mid_burst_answers_every_call_and_loses_or_halves_no_write() {
    let _ = common::app().await; // a clear failure when the stack is down
    let mut settings = settings();
    settings.aws.operation_timeout_ms = 1500;
    let app = router(
        AppState::from_settings(&settings, app::models::MODELS).await,
        &settings,
    );
    let burst = start_burst(&app).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let paused = Paused::pause();
    // Longer than the operation timeout with room to spare: a call caught by the pause is
    // refused, whatever else the machine is doing.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    drop(paused);
    let (ok_ids, all_ids, tags) = answers(burst).await;
    check_nothing_lost_or_halved(&app, &ok_ids, &all_ids, &tags, Acknowledged::Kept).await;
}

#[tokio::test]
async fn a_crash_and_restart_mid_burst_halves_no_write() {
    let _ = common::app().await; // the user pool and identity pool are the stack's
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let data =
        std::env::temp_dir().join(format!("stratus-crash-{}", uuid::Uuid::new_v4().simple()));
    let dynamodb = OwnDynamoDb::start(port, data);
    let settings = settings_using(&dynamodb.endpoint()).await;
    let client = stratus_server::aws::dynamodb(
        &stratus_server::aws::sdk_config(&settings.aws).await,
        &settings.aws,
    );
    for model in app::models::MODELS {
        let layout = TableLayout::for_model(settings.table_name(model.name), model);
        ensure(&client, &layout, &dynamodb.endpoint())
            .await
            .unwrap();
    }
    ensure_sign_outs(&client, &settings.auth.sign_out_table, &dynamodb.endpoint())
        .await
        .unwrap();
    let app = router(
        AppState::from_settings(&settings, app::models::MODELS).await,
        &settings,
    );

    let burst = start_burst(&app).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let (port, data) = dynamodb.crash();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let restarted = OwnDynamoDb::start(port, data.clone());
    let (ok_ids, all_ids, tags) = answers(burst).await;

    // What survived is what DynamoDB Local had on disk when it died: read it back afresh.
    let settings = settings_using(&restarted.endpoint()).await;
    let app = router(
        AppState::from_settings(&settings, app::models::MODELS).await,
        &settings,
    );
    check_nothing_lost_or_halved(&app, &ok_ids, &all_ids, &tags, Acknowledged::WholeOrLost).await;
    drop(restarted);
    std::fs::remove_dir_all(data).ok();
}

/// How many of `tags` list the post `id` among their posts.
async fn tag_links(app: &axum::Router, tags: &[Value], id: &str) -> usize {
    let mut count = 0;
    for tag in tags {
        let posts = common::ok(app, "tagPosts", json!({ "id": tag, "limit": 1000 })).await;
        count += posts["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["id"] == id)
            .count();
    }
    count
}
