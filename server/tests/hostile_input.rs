//! Hostile input against every server function the Router has: malformed JSON, invalid UTF-8,
//! deep nesting, wrong types and unknown fields. Each is answered with a 4xx and a message in
//! words (or, where the body happens to be valid for that function, handled normally), never a
//! 500 or a panic. Signed as a real user, so the bodies reach the decoders.

mod common;

use axum::http::StatusCode;
use common::{app, author, call};

fn bodies() -> Vec<(&'static str, Vec<u8>)> {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    vec![
        ("malformed JSON", b"{not json".to_vec()),
        (
            "invalid UTF-8",
            vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}'],
        ),
        ("deep nesting", deep.into_bytes()),
        ("a number where an object is due", b"7".to_vec()),
        (
            "wrong types",
            br#"{"id": 7, "input": "text", "limit": "many", "nextToken": 3, "filter": []}"#
                .to_vec(),
        ),
        (
            "unknown fields in an input",
            br#"{"input": {"surprise": true}}"#.to_vec(),
        ),
        (
            "a forged page token",
            br#"{"nextToken": "not-a-token"}"#.to_vec(),
        ),
        ("an empty body", Vec::new()),
    ]
}

/// Bodies that no server function can accept.
fn always_refused(label: &str) -> bool {
    matches!(
        label,
        "malformed JSON"
            | "invalid UTF-8"
            | "deep nesting"
            | "a number where an object is due"
            | "an empty body"
    )
}

#[tokio::test]
async fn every_server_function_answers_hostile_bodies_with_a_4xx_in_words() {
    let app = app().await;
    let author = author().await;
    let paths: Vec<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    assert!(
        paths.len() > 40,
        "every generated and hand-written function is registered: {paths:?}"
    );
    let mut failures = Vec::new();
    for path in &paths {
        for (label, body) in bodies() {
            // Signed over the real bytes, so the edge lets them through to the decoder.
            let (status, text) = call(&app, author.post_bytes(path, &body)).await;
            let message = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["message"].as_str().map(str::to_owned));
            let refused_in_words =
                status.is_client_error() && message.as_deref().is_some_and(|m| !m.is_empty());
            let acceptable = refused_in_words || (status.is_success() && !always_refused(label));
            if !acceptable || status.is_server_error() {
                failures.push(format!(
                    "{path} with {label}: {status} {}",
                    text.chars().take(200).collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} answers were not a 4xx in words:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn invalid_utf8_is_refused_even_when_signed() {
    let app = app().await;
    let author = author().await;
    // Sign a valid body, then swap in invalid bytes of the same shape: the edge refuses it,
    // which is also a 4xx in words.
    let mut request = author.post("/api/getPost", "{\"id\":\"ab\"}");
    *request.body_mut() = axum::body::Body::from(vec![
        b'{', b'"', b'i', b'd', b'"', b':', b'"', 0xff, 0xfe, b'"', b'}',
    ]);
    let (status, text) = call(&app, request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
    assert!(text.contains("does not match its contents"), "{text}");
}
