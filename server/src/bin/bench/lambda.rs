//! `bench --lambda <dir>`: Stratus's function as `cargo xtask deploy --local` deployed it into
//! the local cloud (ministack), and the Node.js baseline's handler deployed beside it the same
//! way (a Lambda of the zip, its own Function URL with AWS_IAM, the same role and tables), each
//! called through its Function URL, signed by the same signed-in user:
//!
//! - cold: the first call after the function's configuration changed (a new worker process
//!   starts, as a new execution environment does in AWS), p50 of `COLD_RUNS`;
//! - warm: `WARM_CALLS` calls one after another to a running worker, p50 and p99;
//! - the emulator's share of a warm call: calls the function refuses at once, which pay the
//!   same URL front, dispatch and (in ministack) a wait of up to 50 ms for the function's log
//!   lines; the warm p50 less theirs is the function's own time, what AWS would bill;
//! - memory: the worker's peak resident memory (VmHWM) after them;
//! - and from the own time and the memory, the cost of a million requests (lambda_cost.rs).
//!
//! Both calls read one post by id: Stratus's generated `getPost` (with its signer and ID token
//! checks and the @auth rules) and the baseline's `/get` (one GetItem, no checks).
//! `<dir>` is what `deploy --local` left: `deployed.json`, `site/config.json`, `lambda.zip`, and
//! `node-lambda.zip` (the baseline bundled by xtask).

use std::path::Path;
use std::time::{Duration, Instant};

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{Environment, FunctionUrlAuthType, LastUpdateStatus, Runtime};
use serde_json::{json, Value};
use stratus::client_config::ClientConfig;
use stratus_ops::api_client::{register_confirmed, ApiClient};
use stratus_server::configuration::Settings;

use crate::lambda_cost;
use crate::{millis, send, send_for_status, Target};

const COLD_RUNS: usize = 5;
const WARM_CALLS: usize = 200;
/// What changes in a function's environment to make its next call a cold one.
const COLD_MARKER: &str = "STRATUS_BENCH_GENERATION";

/// A function behind its URL, and the call the benchmark makes to it.
struct Function {
    name: String,
    url_host: String,
    path: &'static str,
    body: String,
    /// A call the function answers at once, without work (with an error status): what the
    /// emulator adds to every call, measured for this function.
    idle_path: &'static str,
    zip_bytes: u64,
}

pub async fn run(mut settings: Settings, dir: &Path) -> Value {
    let config: ClientConfig = read_json(&dir.join("site/config.json"));
    let deployed: Value = read_json(&dir.join("deployed.json"));
    let stack = deployed["stack"]
        .as_str()
        .expect("deployed.json names the stack");
    settings.aws.region = config.region.clone();
    settings.auth.user_pool_id = config.user_pool_id.clone();
    settings.auth.user_pool_client_id = config.user_pool_client_id.clone();
    settings.auth.identity_pool_id = config.identity_pool_id.clone();
    let sdk = stratus_server::aws::sdk_config(&settings.aws).await;
    let lambda = aws_sdk_lambda::Client::new(&sdk);
    let endpoint = settings
        .aws
        .endpoint_url
        .clone()
        .expect("the local cloud's endpoint");
    let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
    // Latency is what is measured: each request goes out at once, not held back by Nagle.
    connector.set_nodelay(true);
    let target = Target::Http(
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build(connector),
        endpoint.trim_start_matches("http://").to_owned(),
    );

    let stratus_name = format!("{stack}-api");
    let stratus_function = lambda
        .get_function_configuration()
        .function_name(&stratus_name)
        .send()
        .await
        .expect("the deployed stack's function");
    let node_name = format!("{stack}-node-baseline");
    let node_zip = std::fs::read(dir.join("node-lambda.zip")).expect("node-lambda.zip");
    tracing::info!("deploying the Node.js baseline as {node_name}, beside {stratus_name}");
    let node_url = deploy_node_baseline(
        &lambda,
        &node_name,
        stratus_function.role().expect("the function's role"),
        stratus_function.memory_size().unwrap_or(256),
        &format!("{stack}-"),
        node_zip.clone(),
    )
    .await;

    let email = format!("bench-lambda-{}@example.com", uuid::Uuid::new_v4());
    let password = "Bench-password-1";
    register_confirmed(&settings, &email, password, &[])
        .await
        .expect("the bench user signs up in the deployed user pool");
    let author = ApiClient::user(&settings, &email, password)
        .await
        .expect("the bench user signs in");
    let stratus_host = host_of(config.api_url.as_deref().expect("config.json has apiUrl"));
    let post = seed_post(&target, &author, &stratus_host).await;
    let read = json!({ "id": post["id"] }).to_string();

    let functions = [
        Function {
            name: stratus_name,
            url_host: stratus_host.clone(),
            path: "/api/getPost",
            body: read.clone(),
            // GET only: refused by the router before any check or work.
            idle_path: "/config.json",
            zip_bytes: file_size(&dir.join("lambda.zip")),
        },
        Function {
            name: node_name,
            url_host: host_of(&node_url),
            path: "/get",
            body: read,
            // No such route. (ministack answers `/health` itself, on any host.)
            idle_path: "/no-such-route",
            zip_bytes: node_zip.len() as u64,
        },
    ];
    let mut report = serde_json::Map::new();
    for (label, function) in ["stratus", "node"].into_iter().zip(&functions) {
        let answer = call_once(&target, &author, function).await;
        assert_eq!(
            answer["id"], post["id"],
            "{} answered with another post",
            function.name
        );
        report.insert(
            label.into(),
            measure(&lambda, &target, &author, function).await,
        );
    }
    report.insert("prices".into(), json!(lambda_cost::PRICES_AS_OF));
    report.insert(
        "method".into(),
        json!(format!(
            "through each function's Function URL in ministack (AWS_IAM, signed by one signed-in user); cold: first call after a configuration change, p50 of {COLD_RUNS}; warm: {WARM_CALLS} calls in a row; memory: the worker's VmHWM; own time: warm p50 less the p50 of calls the function refuses at once (the emulator's share: its URL front, dispatch, and a wait of up to 50 ms for log lines after each call); cost from the own time (warm) or the cold p50 (cold, an upper bound) and the smallest memory setting holding 1.5x the peak"
        )),
    );
    Value::Object(report)
}

/// A blog and a post in it, written through Stratus's deployed function; returns the post.
async fn seed_post(target: &Target, author: &ApiClient, stratus_host: &str) -> Value {
    let call = |endpoint: &str, body: Value| {
        author.post_to_host(
            stratus_host,
            &format!("/api/{endpoint}"),
            body.to_string().as_bytes(),
        )
    };
    let blog = send(
        target,
        call("createBlog", json!({ "input": { "name": "lambda bench" } })),
    )
    .await;
    send(
        target,
        call(
            "createPost",
            json!({ "input": { "blogId": blog["id"], "title": "cold and warm", "body": "text" } }),
        ),
    )
    .await
}

/// Creates the baseline's function (again, if a run before left one) with its URL, and lets
/// signed callers of this account call that URL, as the identity pool's roles may call
/// Stratus's. Returns the URL.
async fn deploy_node_baseline(
    lambda: &aws_sdk_lambda::Client,
    name: &str,
    role: &str,
    memory_mb: i32,
    table_prefix: &str,
    zip: Vec<u8>,
) -> String {
    // Not found the first time. (ministack keeps a URL's config after its function is
    // deleted, so that goes first.)
    let _ = lambda
        .delete_function_url_config()
        .function_name(name)
        .send()
        .await;
    let _ = lambda.delete_function().function_name(name).send().await;
    lambda
        .create_function()
        .function_name(name)
        .runtime(Runtime::Nodejs22x)
        .handler("index.handler")
        .role(role)
        .memory_size(memory_mb)
        .timeout(15)
        .environment(
            Environment::builder()
                .variables("STRATUS_TABLE_PREFIX", table_prefix)
                .build(),
        )
        .code(
            aws_sdk_lambda::types::FunctionCode::builder()
                .zip_file(Blob::new(zip))
                .build(),
        )
        .send()
        .await
        .expect("the Node.js baseline's function is created");
    let url = lambda
        .create_function_url_config()
        .function_name(name)
        .auth_type(FunctionUrlAuthType::AwsIam)
        .send()
        .await
        .expect("the Node.js baseline's Function URL is created");
    lambda
        .add_permission()
        .function_name(name)
        .statement_id("signed-callers")
        .action("lambda:InvokeFunctionUrl")
        .principal("*")
        .function_url_auth_type(FunctionUrlAuthType::AwsIam)
        .send()
        .await
        .expect("signed callers may call the baseline's URL");
    url.function_url().to_owned()
}

/// Cold starts, warm calls, memory and cost of one function.
async fn measure(
    lambda: &aws_sdk_lambda::Client,
    target: &Target,
    caller: &ApiClient,
    function: &Function,
) -> Value {
    tracing::info!("{}: {COLD_RUNS} cold starts", function.name);
    let mut cold = Vec::new();
    for generation in 0..COLD_RUNS {
        let before = worker_pid(&function.name);
        restart_environment(lambda, &function.name, generation).await;
        let started = Instant::now();
        call_once(target, caller, function).await;
        cold.push(started.elapsed());
        let after = worker_pid(&function.name);
        assert!(
            after.is_some() && after != before,
            "{}: no new worker answered after the configuration changed ({before:?} -> {after:?})",
            function.name
        );
    }
    tracing::info!("{}: {WARM_CALLS} warm calls", function.name);
    let mut warm = Vec::new();
    for _ in 0..WARM_CALLS {
        let started = Instant::now();
        call_once(target, caller, function).await;
        warm.push(started.elapsed());
    }
    let mut idle = Vec::new();
    for _ in 0..WARM_CALLS {
        let started = Instant::now();
        let (status, _) = send_for_status(
            target,
            caller.post_to_host(&function.url_host, function.idle_path, b"{}"),
        )
        .await;
        idle.push(started.elapsed());
        assert!(
            status.is_client_error(),
            "{}{} answered {status}: it should be refused at once",
            function.name,
            function.idle_path
        );
    }
    let pid = worker_pid(&function.name).expect("the worker that answered");
    let peak_kb = status_kb(pid, "VmHWM:").expect("the worker's peak memory");
    let warm_p50 = percentile_ms(&mut warm, 50);
    let idle_p50 = percentile_ms(&mut idle, 50);
    let cold_p50 = percentile_ms(&mut cold, 50);
    let own_ms = ((warm_p50 - idle_p50).max(0.0) * 100.0).round() / 100.0;
    json!({
        "function": function.name,
        "zip_bytes": function.zip_bytes,
        "cold_p50_ms": cold_p50,
        "cold_runs_ms": cold.into_iter().map(millis).collect::<Vec<_>>(),
        "warm_p50_ms": warm_p50,
        "warm_p99_ms": percentile_ms(&mut warm, 99),
        "emulator_p50_ms": idle_p50,
        "own_ms": own_ms,
        "peak_memory_kb": peak_kb,
        "cost": lambda_cost::estimate(own_ms, cold_p50, peak_kb),
    })
}

/// Changes the function's environment, which retires its execution environment: the next call
/// starts a new one.
async fn restart_environment(lambda: &aws_sdk_lambda::Client, name: &str, generation: usize) {
    let current = lambda
        .get_function_configuration()
        .function_name(name)
        .send()
        .await
        .expect("the function's configuration");
    let mut variables = current
        .environment()
        .and_then(|e| e.variables())
        .cloned()
        .unwrap_or_default();
    variables.insert(COLD_MARKER.into(), generation.to_string());
    lambda
        .update_function_configuration()
        .function_name(name)
        .environment(
            Environment::builder()
                .set_variables(Some(variables))
                .build(),
        )
        .send()
        .await
        .expect("the function's configuration is updated");
    let started = Instant::now();
    loop {
        let state = lambda
            .get_function_configuration()
            .function_name(name)
            .send()
            .await
            .expect("the function's configuration");
        match state.last_update_status() {
            None | Some(LastUpdateStatus::Successful) => return,
            Some(LastUpdateStatus::Failed) => panic!("updating {name} failed"),
            _ if started.elapsed() > Duration::from_secs(30) => {
                panic!("{name} was still updating after 30 s")
            }
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

async fn call_once(target: &Target, caller: &ApiClient, function: &Function) -> Value {
    send(
        target,
        caller.post_to_host(&function.url_host, function.path, function.body.as_bytes()),
    )
    .await
}

/// The process ministack runs the function's code in: the one whose environment names it.
fn worker_pid(function: &str) -> Option<u32> {
    let wanted = format!("AWS_LAMBDA_FUNCTION_NAME={function}");
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|environ| {
                environ
                    .split(|&b| b == 0)
                    .any(|variable| variable == wanted.as_bytes())
            })
        })
}

pub(crate) fn status_kb(pid: u32, field: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|line| line.strip_prefix(field))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn host_of(url: &str) -> String {
    url.trim_start_matches("https://")
        .trim_end_matches('/')
        .to_owned()
}

/// The `per_hundred`th percentile, in ms, indexed as the rest of the benchmark does.
fn percentile_ms(times: &mut [Duration], per_hundred: usize) -> f64 {
    times.sort();
    millis(times[times.len() * per_hundred / 100])
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .len()
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
