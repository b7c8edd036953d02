//! DynamoDB stops answering in the middle of a burst of writes (DynamoDB Local is paused with
//! SIGSTOP, then resumed: a restart would empty the in-memory emulator, and with it the
//! evidence). Every call answers within its timeout, with a 503 in words or success; afterwards
//! every write that answered OK is there, and no multi-item write (a post created with its tag
//! links, one transaction) is half applied.

mod common;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::{author, call_as, settings, unique};
use serde_json::{json, Value};
use server::startup::{router, AppState};

/// Resumes DynamoDB Local when dropped, so a failing test never leaves it paused.
struct Paused(libc::pid_t);

impl Paused {
    fn pause() -> Self {
        let pid = dynamodb_local_pid().expect("DynamoDB Local runs as a local process (start the stack with `cargo xtask stack`)");
        // SAFETY: kill(2) with a pid we just read and a standard signal.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGSTOP) }, 0, "could not pause DynamoDB Local");
        Paused(pid)
    }
}

impl Drop for Paused {
    fn drop(&mut self) {
        // SAFETY: as above.
        unsafe { libc::kill(self.0, libc::SIGCONT) };
    }
}

/// The java process running DynamoDBLocal.jar, found in /proc (no procps needed).
fn dynamodb_local_pid() -> Option<libc::pid_t> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|entry| {
        let pid: libc::pid_t = entry.file_name().to_str()?.parse().ok()?;
        let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
        let is_java = cmdline.split(|b| *b == 0).next().is_some_and(|exe| exe.ends_with(b"java"));
        (is_java && cmdline.windows(b"DynamoDBLocal".len()).any(|w| w == b"DynamoDBLocal")).then_some(pid)
    })
}

#[tokio::test]
async fn a_pause_mid_burst_answers_every_call_and_loses_or_halves_no_write() {
    let _ = common::app().await; // a clear failure when the stack is down
    let mut settings = settings();
    settings.aws.operation_timeout_ms = 1500;
    let app = router(AppState::from_settings(&settings).await, &settings);
    let author = author().await;
    let run = unique("outage").replace(' ', "-");
    let blog = common::ok(&app, "createBlog", json!({ "input": { "name": run } })).await;
    let mut tags = Vec::new();
    for n in 0..2 {
        tags.push(common::ok(&app, "createTag", json!({ "input": { "label": format!("{run}-{n}") } })).await["id"].clone());
    }

    let burst = (0..30).map(|n| {
        let (app, author, blog_id, tags) = (app.clone(), author.clone(), blog["id"].clone(), tags.clone());
        let id = format!("{run}-post-{n}");
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(n * 100)).await;
            let started = Instant::now();
            let body = json!({ "input": { "id": id, "blogId": blog_id, "title": format!("post {n}"), "body": "b", "linkTags": tags } });
            let answer = tokio::time::timeout(Duration::from_secs(15), call_as(&app, &author, "createPost", body)).await;
            (id, answer.map(|(status, body)| (status, body, started.elapsed())))
        })
    });
    let burst: Vec<_> = burst.collect();
    tokio::time::sleep(Duration::from_millis(800)).await;
    let paused = Paused::pause();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop(paused);

    let mut ok_ids = Vec::new();
    let (mut refused, mut all_ids) = (0, Vec::new());
    for call in burst {
        let (id, answer) = call.await.unwrap();
        let (status, body, took) = answer.unwrap_or_else(|_| panic!("{id} hung past 15 s"));
        assert!(took < Duration::from_secs(12), "{id} took {took:?}");
        match status {
            StatusCode::OK => ok_ids.push(id.clone()),
            StatusCode::SERVICE_UNAVAILABLE => {
                refused += 1;
                assert!(body["message"].as_str().is_some_and(|m| m.contains("Please try again")), "{body}");
            }
            other => panic!("{id}: {other} {body}"),
        }
        all_ids.push(id);
    }
    assert!(refused > 0, "the pause refused some writes");
    assert!(!ok_ids.is_empty(), "writes before and after the pause succeeded");

    for id in &all_ids {
        let post = common::ok(&app, "getPost", json!({ "id": id, "include": ["tags"] })).await;
        let linked_from_tags = tag_links(&app, &tags, id).await;
        if ok_ids.contains(id) {
            assert_eq!(post["tags"].as_array().map(Vec::len), Some(2), "{id} answered OK and is whole: {post}");
        }
        match post {
            Value::Null => assert_eq!(linked_from_tags, 0, "{id} is absent, so no tag may link to it"),
            post => {
                assert_eq!(post["tags"].as_array().map(Vec::len), Some(2), "{id} exists, so it is whole");
                assert_eq!(linked_from_tags, 2, "{id} exists, so both tags link to it");
            }
        }
    }
}

/// How many of `tags` list the post `id` among their posts.
async fn tag_links(app: &axum::Router, tags: &[Value], id: &str) -> usize {
    let mut count = 0;
    for tag in tags {
        let posts = common::ok(app, "tagPosts", json!({ "id": tag, "limit": 1000 })).await;
        count += posts["items"].as_array().unwrap().iter().filter(|p| p["id"] == id).count();
    }
    count
}
