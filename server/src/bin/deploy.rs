//! `deploy`: the AWS half of `cargo xtask deploy`, which builds the artifacts first and then
//! runs this. Writes the template and the plan next to the artifacts; without `--dry-run`,
//! deploys them to the AWS account and region of the caller's credentials.
//!
//! usage: deploy --artifacts DIR [--stack NAME] [--arch arm64|x86_64] [--dry-run] [--local-cloud]
//!   DIR holds lambda.zip and site/; template.json and plan.txt are written there, and, after a
//!   deploy, deployed.json (the stack's name, the site's and the API's URLs).

use std::path::PathBuf;
use std::process::ExitCode;

use aws_config::BehaviorVersion;
use stratus_codegen::cloudformation::Architecture;
use stratus_ops::deploy::{self, Deployment};
use stratus_server::configuration::{find_workspace_root, provider_buttons, Settings};
use stratus_server::telemetry;

const DEPLOYED_FILE: &str = "deployed.json";

struct Arguments {
    artifacts: PathBuf,
    stack_name: String,
    architecture: Architecture,
    dry_run: bool,
    /// Into ministack (`cargo xtask deploy --local`), whose CloudFormation cannot create
    /// identity providers.
    local_cloud: bool,
}

fn arguments() -> Result<Arguments, String> {
    let mut parsed = Arguments {
        artifacts: PathBuf::new(),
        stack_name: "stratus".into(),
        architecture: Architecture::Arm64,
        dry_run: false,
        local_cloud: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--artifacts" => parsed.artifacts = PathBuf::from(value("--artifacts")?),
            "--stack" => parsed.stack_name = value("--stack")?,
            "--arch" => {
                parsed.architecture = match value("--arch")?.as_str() {
                    "arm64" => Architecture::Arm64,
                    "x86_64" => Architecture::X86_64,
                    other => return Err(format!("--arch {other}: use arm64 or x86_64")),
                }
            }
            "--dry-run" => parsed.dry_run = true,
            "--local-cloud" => parsed.local_cloud = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if parsed.artifacts.as_os_str().is_empty() {
        return Err("--artifacts DIR is required".into());
    }
    // CloudFormation's rule for stack names; they also prefix table and function names.
    let valid = parsed
        .stack_name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && parsed.stack_name.len() <= 40
        && parsed
            .stack_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        return Err(format!("--stack {}: a stack name starts with a letter and has up to 40 letters, digits and hyphens", parsed.stack_name));
    }
    Ok(parsed)
}

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init(false);
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let args = arguments()?;
    let root = find_workspace_root(&std::env::current_dir().unwrap_or_default())
        .ok_or("Leptos.toml not found here or above: run the deploy from the Stratus workspace")?;
    let state_dir = root.join(".stratus");
    let settings = Settings::load_from(Some(&root)).map_err(|e| e.to_string())?;
    let mut federation = settings.auth.federation();
    if args.local_cloud && !federation.providers.is_empty() {
        tracing::warn!(
            "the local cloud's CloudFormation has no AWS::Cognito::UserPoolIdentityProvider: this stack signs in without {} (the local stack, `cargo xtask dev`, has them)",
            federation.providers.iter().map(|p| p.label.as_str()).collect::<Vec<_>>().join(", ")
        );
        federation = Default::default();
    }
    let template = deploy::template(
        &root.join("app/schema.graphql"),
        args.architecture,
        settings.auth.sign_in_flow,
        &federation,
    )
    .map_err(|e| e.to_string())?;
    let template_path = args.artifacts.join("template.json");
    std::fs::write(&template_path, deploy::pretty(&template))
        .map_err(|e| format!("{}: {e}", template_path.display()))?;

    let deployment = Deployment {
        stack_name: args.stack_name.clone(),
        architecture: args.architecture,
        lambda_zip: args.artifacts.join("lambda.zip"),
        site_dir: args.artifacts.join("site"),
        provider_buttons: provider_buttons(&federation),
    };
    if args.dry_run {
        let recorded = deploy::recorded_template(&state_dir, &args.stack_name);
        let plan = deploy::plan::plan(recorded.as_ref(), &template);
        let against = if recorded.is_some() {
            "the last deploy from this checkout"
        } else {
            "nothing deployed"
        };
        let text = format!(
            "Plan for stack {} ({}), against {against}:\n{plan}",
            args.stack_name,
            args.architecture.lambda_name()
        );
        let plan_path = args.artifacts.join("plan.txt");
        std::fs::write(&plan_path, &text).map_err(|e| format!("{}: {e}", plan_path.display()))?;
        println!("{text}");
        println!("Dry run: nothing was sent to AWS.");
        println!("  template  {}", template_path.display());
        println!("  zip       {}", deployment.lambda_zip.display());
        println!("  site      {}", deployment.site_dir.display());
        println!("  plan      {}", plan_path.display());
        return Ok(());
    }

    let sdk = aws_config::defaults(BehaviorVersion::latest()).load().await;
    let deployed = deploy::deploy(&sdk, &deployment, &template)
        .await
        .map_err(|e| e.to_string())?;
    deploy::record_template(&state_dir, &args.stack_name, &template).map_err(|e| e.to_string())?;
    // For whatever runs next (`cargo xtask deploy --local` opens the site from it).
    let addresses = serde_json::json!({
        "stack": args.stack_name,
        "siteUrl": deployed.site_url,
        "apiUrl": deployed.api_url,
    });
    let addresses_path = args.artifacts.join(DEPLOYED_FILE);
    std::fs::write(&addresses_path, addresses.to_string())
        .map_err(|e| format!("{}: {e}", addresses_path.display()))?;
    println!("Deployed stack {}.", args.stack_name);
    println!("  site  {}", deployed.site_url);
    println!("  api   {}", deployed.api_url);
    Ok(())
}
