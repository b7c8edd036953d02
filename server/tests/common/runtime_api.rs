//! A stand-in for the Lambda runtime API: the HTTP interface a function's `bootstrap` polls for
//! events (`GET /2018-06-01/runtime/invocation/next`) and answers
//! (`POST .../invocation/<id>/response` or `/error`). Start the server binary with
//! `AWS_LAMBDA_RUNTIME_API` set to [`RuntimeApi::address`] and it runs exactly as on Lambda.
//!
//! Plain std (threads, one per connection), so that both the tests and xtask's benchmark can use
//! it; xtask includes this file by path.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const PREFIX: &str = "/2018-06-01/runtime";

#[derive(Default)]
struct State {
    events: VecDeque<(String, Vec<u8>)>,
    answers: HashMap<String, Answer>,
    init_error: Option<String>,
    next_id: u64,
}

/// What the function sent back for one event.
#[derive(Debug, Clone)]
pub enum Answer {
    Response(Vec<u8>),
    Error(String),
}

#[derive(Clone)]
pub struct RuntimeApi {
    address: String,
    shared: Arc<(Mutex<State>, Condvar)>,
}

impl RuntimeApi {
    pub fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let api = RuntimeApi {
            address: listener.local_addr()?.to_string(),
            shared: Arc::default(),
        };
        let server = api.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let api = server.clone();
                std::thread::spawn(move || api.serve(stream));
            }
        });
        Ok(api)
    }

    /// `host:port`, the form AWS_LAMBDA_RUNTIME_API takes.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Queues an event and waits for the function's answer; returns the request id with it.
    pub fn invoke(&self, event: &[u8], timeout: Duration) -> Result<(String, Answer), String> {
        let (lock, changed) = &*self.shared;
        let mut state = lock.lock().unwrap();
        state.next_id += 1;
        let id = format!("stratus-invoke-{}-{}", std::process::id(), state.next_id);
        state.events.push_back((id.clone(), event.to_vec()));
        changed.notify_all();
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(answer) = state.answers.remove(&id) {
                return Ok((id, answer));
            }
            if let Some(error) = &state.init_error {
                return Err(format!("the function failed to start: {error}"));
            }
            let left = deadline
                .checked_duration_since(Instant::now())
                .ok_or_else(|| format!("no answer to {id} within {timeout:?}"))?;
            state = changed.wait_timeout(state, left).unwrap().0;
        }
    }

    /// One connection: the runtime client keeps it open for several requests.
    fn serve(&self, stream: TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().expect("a TCP stream clones"));
        let mut writer = stream;
        while let Some((method, path, body)) = read_request(&mut reader) {
            let reply = match (method.as_str(), path.as_str()) {
                ("GET", p) if p == format!("{PREFIX}/invocation/next") => self.next_event(),
                ("POST", p) if p.starts_with(&format!("{PREFIX}/invocation/")) => {
                    self.record(p, body)
                }
                ("POST", p) if p == format!("{PREFIX}/init/error") => {
                    self.finish(|state| {
                        state.init_error = Some(String::from_utf8_lossy(&body).into_owned())
                    });
                    (202, Vec::new(), Vec::new())
                }
                _ => (404, Vec::new(), b"not a runtime API path".to_vec()),
            };
            if write_response(&mut writer, reply).is_err() {
                return;
            }
        }
    }

    /// Blocks until an event is queued, as the real API does.
    fn next_event(&self) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let (lock, changed) = &*self.shared;
        let mut state = lock.lock().unwrap();
        let (id, event) = loop {
            if let Some(next) = state.events.pop_front() {
                break next;
            }
            state = changed.wait(state).unwrap();
        };
        let deadline = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            + Duration::from_secs(15);
        let headers = vec![
            ("Lambda-Runtime-Aws-Request-Id".to_owned(), id),
            (
                "Lambda-Runtime-Deadline-Ms".to_owned(),
                deadline.as_millis().to_string(),
            ),
            (
                "Lambda-Runtime-Invoked-Function-Arn".to_owned(),
                "arn:aws:lambda:us-east-1:123456789012:function:stratus-api".to_owned(),
            ),
            (
                "Lambda-Runtime-Trace-Id".to_owned(),
                "Root=1-00000000-000000000000000000000000;Sampled=0".to_owned(),
            ),
            ("Content-Type".to_owned(), "application/json".to_owned()),
        ];
        (200, headers, event)
    }

    fn record(&self, path: &str, body: Vec<u8>) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let rest = &path[PREFIX.len() + "/invocation/".len()..];
        let Some((id, kind)) = rest.split_once('/') else {
            return (404, Vec::new(), Vec::new());
        };
        let answer = match kind {
            "response" => Answer::Response(body),
            "error" => Answer::Error(String::from_utf8_lossy(&body).into_owned()),
            _ => return (404, Vec::new(), Vec::new()),
        };
        let id = id.to_owned();
        self.finish(|state| {
            state.answers.insert(id, answer);
        });
        (202, Vec::new(), Vec::new())
    }

    fn finish(&self, update: impl FnOnce(&mut State)) {
        let (lock, changed) = &*self.shared;
        update(&mut lock.lock().unwrap());
        changed.notify_all();
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<(String, String, Vec<u8>)> {
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).ok()? == 0 {
        return None;
    }
    let mut parts = request_line.split_whitespace();
    let (method, path) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((method, path, body))
}

fn write_response(
    writer: &mut TcpStream,
    (status, headers, body): (u16, Vec<(String, String)>, Vec<u8>),
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\n",
        if status < 300 { "OK" } else { "Not Found" },
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    writer.write_all(head.as_bytes())?;
    writer.write_all(&body)?;
    writer.flush()
}

/// The environment Lambda gives a function, besides AWS_LAMBDA_RUNTIME_API.
pub const FUNCTION_ENVIRONMENT: [(&str, &str); 4] = [
    ("AWS_LAMBDA_FUNCTION_NAME", "stratus-api"),
    ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"),
    ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
    ("AWS_LAMBDA_LOG_STREAM_NAME", "local"),
];
