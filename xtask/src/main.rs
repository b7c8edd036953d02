//! `cargo xtask <command>`: the developer's and CI's entry points.

mod baselines;
mod bench;
mod bench_chart;
mod bench_client;
mod bench_lambda;
mod bootstrap;
mod client;
mod cmd;
mod deploy;
mod deploy_local;
mod e2e;
mod fuzz;
mod https_front;
mod import_amplify;
// The Lambda runtime API stand-in the server's tests use, for the benchmark's cold start.
#[path = "../../server/tests/common/runtime_api.rs"]
mod runtime_api;
mod sandbox;
mod schema;
mod stack;
mod sweep;
mod workspace;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Result;

use crate::bootstrap::Purpose;
use crate::cmd::{command, run, server_bin};
use crate::https_front::HttpsFront;
use crate::stack::LocalStack;
use crate::workspace::Workspace;

const USAGE: &str = "\
usage: cargo xtask <command>

  dev        install what is missing, start the local AWS stack, provision it,
             seed demo data into an empty stack, and run the app at
             http://127.0.0.1:3000 with live reload
  test       the same bootstrap, then cargo test, the fuzz targets (briefly), the
             Playwright suite, and its cloud journeys against the stack deployed
             into the local cloud (ministack)
             [cloud: only the deploy into the local cloud and its journeys]
  stack      start the local AWS stack, provision and seed it, until Ctrl-C
             (for running `cargo leptos watch` yourself)
  bench      release builds against the local stack: sizes, and the data layer's
             time and DynamoDB requests per generated call (writes target/bench.json)
             [lambda: only the Lambdas in the local cloud, Stratus's and Node's]
             [chart: draw bench.svg again from the last run's bench.json]
  deploy     build the client and the server for Lambda, write the CloudFormation
             template generated from the schema and the plan, then deploy to the
             AWS account of your credentials and print the site's URL
             [--dry-run: plan only, no AWS call] [--stack NAME] [--x86-64]
             [--local: the same, into the local cloud (ministack), served until Ctrl-C]
  schema     print what a schema becomes (models, keys, indexes, relations,
             operations, auth rules) as JSON, or its errors as file:line
             [FILE: default app/schema.graphql]
  import-amplify PATH
             point Stratus at an Amplify Gen 1 app's tables, user pool and
             identity pool: writes app/schema.graphql and amplify-import.toml,
             and says what does not carry over
  provision  create the tables, user pool and identity pool in a running stack
  seed       add the demo writer, blogs, posts and comments (only to an empty stack)
  add-to-group EMAIL GROUP
             put a user of the running local stack in a group of its user pool
             (`admins`: the blog's moderators)
  bootstrap  only install what is missing";

/// Set by Ctrl-C or SIGTERM.
static STOP: AtomicBool = AtomicBool::new(false);

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    // Internal: must run before anything starts a thread (see sandbox.rs).
    if args.first().is_some_and(|a| a == "__dynamodb-sandbox") {
        return sandbox::main(&args[1..]);
    }
    tracing_subscriber::fmt()
        .with_target(false)
        .without_time()
        .compact()
        .init();
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));

    let Some(name) = std::env::args().nth(1) else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let result = Workspace::discover().and_then(|ws| match name.as_str() {
        "dev" => dev(&ws),
        "test" if std::env::args().nth(2).as_deref() == Some("cloud") => test_cloud(&ws),
        "test" => test(&ws),
        "stack" => stack(&ws),
        "provision" => provision(&ws),
        "seed" => seed(&ws),
        "bench" => bench(&ws),
        "schema" => schema::run(&ws, std::env::args().nth(2).as_deref()),
        "import-amplify" => import_amplify::run(&ws, std::env::args().nth(2).as_deref()),
        "add-to-group" => add_to_group(&ws),
        "deploy" => deploy(&ws),
        "bootstrap" => bootstrap::run_all(&ws, Purpose::Test),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(anyhow::anyhow!("unknown command `{other}`\n{USAGE}")),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            ExitCode::FAILURE
        }
    }
}

fn dev(ws: &Workspace) -> Result<()> {
    bootstrap::run_all(ws, Purpose::Develop)?;
    let _stack = LocalStack::up(ws)?;
    provision(ws)?;
    seed(ws)?;
    tracing::info!(
        "starting the app at http://127.0.0.1:3000 (Ctrl-C stops it and the local stack)"
    );
    // Ctrl-C reaches cargo-leptos directly (same process group); the stack stops on return.
    run(command(ws, "cargo").args(["leptos", "watch"]))
}

fn test(ws: &Workspace) -> Result<()> {
    let started = std::time::Instant::now();
    let run_started = std::time::SystemTime::now();
    bootstrap::run_all(ws, Purpose::Test)?;
    // Style first: it takes seconds, and a failure there needs no stack to show.
    run(command(ws, "cargo").args(["fmt", "--all", "--check"]))?;
    run(command(ws, "cargo").args([
        "clippy",
        "--workspace",
        "--exclude",
        "browser",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    let _stack = LocalStack::up(ws)?;
    provision(ws)?;
    run(command(ws, "cargo").args(["test", "--workspace", "--exclude", "browser"]))?;
    fuzz::run_briefly(ws)?;
    client::build(ws, client::Profile::Debug)?;
    e2e::run(ws)?;
    cloud_journeys(ws)?;
    sweep::remove_superseded(ws, run_started)?;
    tracing::info!(
        "all tests passed in {:.0}s",
        started.elapsed().as_secs_f32()
    );
    Ok(())
}

/// The cloud path: the debug build deployed into ministack, and the journeys run through it.
fn cloud_journeys(ws: &Workspace) -> Result<()> {
    let deployment = deploy_local::deploy(
        ws,
        deploy_local::Build::Debug,
        deploy_local::LOCAL_STACK_NAME,
    )?;
    let front = HttpsFront::start(0, &ws.ministack_endpoint, &ws.region)?;
    e2e::run_deployed(ws, &deployment, &front)
}

/// `test cloud`: only the cloud journeys, for work on the deployed path.
fn test_cloud(ws: &Workspace) -> Result<()> {
    bootstrap::run_all(ws, Purpose::Test)?;
    let _stack = LocalStack::up(ws)?;
    client::build(ws, client::Profile::Debug)?;
    cloud_journeys(ws)
}

fn stack(ws: &Workspace) -> Result<()> {
    bootstrap::run_all(ws, Purpose::Develop)?;
    let mut stack = LocalStack::up(ws)?;
    provision(ws)?;
    seed(ws)?;
    tracing::info!("the local stack is running; start the app with `cargo leptos watch`. Ctrl-C stops the stack");
    serve_until_stopped(&mut stack)
}

/// Until Ctrl-C, failing if an emulator the stack started stops on its own.
fn serve_until_stopped(stack: &mut LocalStack) -> Result<()> {
    while !STOP.load(Ordering::SeqCst) {
        stack.check_alive()?;
        std::thread::sleep(Duration::from_millis(300));
    }
    Ok(())
}

fn bench(ws: &Workspace) -> Result<()> {
    if std::env::args().nth(2).as_deref() == Some("chart") {
        return bench::chart_again(ws);
    }
    // Test's tools: Chromium and end2end/node_modules (the first render, the Node.js baseline).
    bootstrap::run_all(ws, Purpose::Test)?;
    let _stack = LocalStack::up(ws)?;
    provision(ws)?;
    match std::env::args().nth(2).as_deref() {
        None => bench::run_all(ws),
        Some("lambda") => bench::run_lambda(ws),
        Some(other) => {
            anyhow::bail!(
                "`cargo xtask bench {other}`: the only part that runs alone is `lambda` (and `chart` redraws bench.svg)"
            )
        }
    }
}

fn deploy(ws: &Workspace) -> Result<()> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let options = deploy::Options::parse(&args)?;
    if options.local {
        return deploy_locally(ws, &options);
    }
    bootstrap::run_all(
        ws,
        Purpose::Deploy {
            x86_64: options.x86_64,
        },
    )?;
    deploy::run_deploy(ws, &options)
}

fn deploy_locally(ws: &Workspace, options: &deploy::Options) -> Result<()> {
    bootstrap::run_all(ws, Purpose::Develop)?;
    let mut stack = LocalStack::up(ws)?;
    let stack_name = options
        .stack_name
        .as_deref()
        .unwrap_or(deploy_local::LOCAL_STACK_NAME);
    let deployed = deploy_local::deploy(ws, deploy_local::Build::Release, stack_name)?;
    let front = HttpsFront::start(
        deploy_local::HTTPS_FRONT_PORT,
        &ws.ministack_endpoint,
        &ws.region,
    )?;
    println!(
        "\nDeployed into the local cloud. The site answers at AWS's own addresses, which the \
         local cloud's HTTPS front serves; open it in a Chromium told so:\n\n  \
         chromium --user-data-dir=\"$(mktemp -d)\" --ignore-certificate-errors \\\n    \
         --host-resolver-rules=\"{}\" \\\n    {}\n\n  \
         api: {}\n\nCtrl-C stops the front (and the local cloud, if this command started it: \
         its state is in memory).",
        front.host_resolver_rules(),
        deployed.site_url,
        deployed.api_url
    );
    serve_until_stopped(&mut stack)
}

fn provision(ws: &Workspace) -> Result<()> {
    run(&mut server_bin(ws, "provision"))
}

/// `add-to-group EMAIL GROUP`: the arguments go to the server's `add_to_group`.
fn add_to_group(ws: &Workspace) -> Result<()> {
    run(server_bin(ws, "add_to_group").args(std::env::args().skip(2)))
}

/// Demo data for an empty stack, so the app is alive on first run (prints the demo sign-in).
fn seed(ws: &Workspace) -> Result<()> {
    run(&mut server_bin(ws, "seed"))
}
