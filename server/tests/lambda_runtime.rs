//! The built server binary as Lambda runs it: started with AWS_LAMBDA_RUNTIME_API pointing at a
//! local stand-in for the runtime API, it polls for Function URL events, answers them through
//! the Router, survives an event it cannot read, and logs JSON lines carrying the request id.

#[path = "common/runtime_api.rs"]
mod runtime_api;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use runtime_api::{Answer, RuntimeApi, FUNCTION_ENVIRONMENT};
use serde_json::Value;

struct Function {
    child: Child,
    log_lines: mpsc::Receiver<String>,
}

impl Drop for Function {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_function(api: &RuntimeApi) -> Function {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        // The workspace root: Leptos.toml and the provisioned ids of the local stack.
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env("AWS_LAMBDA_RUNTIME_API", api.address())
        .envs(FUNCTION_ENVIRONMENT)
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let (sender, log_lines) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    Function { child, log_lines }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Invokes; returns the request id and the Function URL response (statusCode, body, ...).
fn invoke(api: &RuntimeApi, event: &[u8]) -> (String, Answer) {
    api.invoke(event, Duration::from_secs(20))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn response(answer: Answer) -> Value {
    match answer {
        Answer::Response(body) => serde_json::from_slice(&body).expect("a JSON answer"),
        Answer::Error(error) => panic!("the function reported an error: {error}"),
    }
}

#[test]
fn the_binary_answers_function_url_events_through_the_runtime_api() {
    let api = RuntimeApi::start().unwrap();
    let function = start_function(&api);

    let (request_id, answer) = invoke(&api, &fixture("function_url_get_config.json"));
    let answer = response(answer);
    assert_eq!(answer["statusCode"], 200, "{answer}");
    let config: Value =
        serde_json::from_str(answer["body"].as_str().expect("a text body")).unwrap();
    assert!(
        config["region"].is_string() && config["identityPoolId"].is_string(),
        "{config}"
    );

    // An unknown path is the Router's 404, not a failed invocation.
    let mut event: Value =
        serde_json::from_slice(&fixture("function_url_get_config.json")).unwrap();
    event["rawPath"] = "/no/such/page.json".into();
    event["requestContext"]["http"]["path"] = "/no/such/page.json".into();
    let (_, answer) = invoke(&api, &serde_json::to_vec(&event).unwrap());
    assert_eq!(response(answer)["statusCode"], 404);

    // An event that is no HTTP event at all is reported to the runtime as an error, and the
    // function goes on serving.
    let (_, answer) = invoke(&api, br#"{"not": "an HTTP event"}"#);
    assert!(matches!(answer, Answer::Error(_)), "{answer:?}");
    let (_, answer) = invoke(&api, &fixture("function_url_get_config.json"));
    assert_eq!(response(answer)["statusCode"], 200);

    // The logs: JSON lines, and the request's own lines carry its request id.
    let lines: Vec<String> =
        std::iter::from_fn(|| function.log_lines.recv_timeout(Duration::from_secs(2)).ok())
            .collect();
    let parsed: Vec<Value> = lines
        .iter()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|_| panic!("a log line that is not JSON: {line}"))
        })
        .collect();
    let of_request: Vec<&Value> = parsed
        .iter()
        .filter(|line| line["span"]["request_id"] == request_id.as_str())
        .collect();
    assert!(
        !of_request.is_empty(),
        "no log line carries request id {request_id}:\n{}",
        lines.join("\n")
    );
    assert!(
        of_request
            .iter()
            .all(|line| line["span"]["path"] == "/config.json"),
        "{of_request:?}"
    );
    assert!(
        of_request
            .iter()
            .any(|line| line["level"] == "INFO" && line["fields"]["status"] == 200),
        "{of_request:?}"
    );
}
