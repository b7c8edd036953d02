//! The generated template passes cfn-lint (AWS's CloudFormation linter, from PyPI), for both
//! architectures. `cargo xtask test` names the linter in STRATUS_CFN_LINT.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use stratus::client_config::SignInFlow;
use stratus_codegen::cloudformation::Architecture;
use stratus_codegen::federation::Federation;
use stratus_ops::deploy;

fn cfn_lint() -> String {
    std::env::var("STRATUS_CFN_LINT").unwrap_or_else(|_| "cfn-lint".into())
}

/// Lints a template; returns the linter's findings when it has any.
fn lint(template: &Value, name: &str) -> Result<(), String> {
    let path: PathBuf =
        std::env::temp_dir().join(format!("stratus-{name}-{}.json", std::process::id()));
    std::fs::write(&path, deploy::pretty(template)).unwrap();
    let output = Command::new(cfn_lint())
        .arg(&path)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} ({e}): run the tests through `cargo xtask test`, which installs it",
                cfn_lint()
            )
        });
    std::fs::remove_file(&path).ok();
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn blog_template(architecture: Architecture) -> Value {
    deploy::template(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/schema.graphql"),
        architecture,
        SignInFlow::Srp,
        &Federation::default(),
    )
    .expect("the schema compiles")
}

#[test]
fn the_template_passes_cfn_lint() {
    for architecture in [Architecture::Arm64, Architecture::X86_64] {
        if let Err(findings) = lint(&blog_template(architecture), architecture.lambda_name()) {
            panic!(
                "cfn-lint found problems in the {} template:\n{findings}",
                architecture.lambda_name()
            );
        }
    }
}

/// With an OIDC and a SAML provider, as a deployment that federates both declares them.
#[test]
fn the_template_with_identity_providers_passes_cfn_lint_and_names_no_secret() {
    let federation = Federation {
        domain_prefix: Some("stratus-blog".into()),
        providers: vec![
            serde_json::from_value(serde_json::json!({
                "name": "Google", "label": "Google", "type": "oidc",
                "issuer": "https://accounts.google.com",
                "client_id": "1234.apps.googleusercontent.com",
                "client_secret_name": "stratus/google",
                "attributes": { "email": "email", "name": "name" },
            }))
            .unwrap(),
            serde_json::from_value(serde_json::json!({
                "name": "Corp", "label": "Example Corp", "type": "saml",
                "metadata_url": "https://idp.example.com/saml/metadata",
                "attributes": { "email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" },
            }))
            .unwrap(),
        ],
    };
    let template = deploy::template(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/schema.graphql"),
        Architecture::Arm64,
        SignInFlow::Srp,
        &federation,
    )
    .expect("the schema compiles");
    if let Err(findings) = lint(&template, "federated") {
        panic!("cfn-lint found problems in the federated template:\n{findings}");
    }
    let text = template.to_string();
    assert!(text.contains("{{resolve:secretsmanager:stratus/google}}"));

    // The repository's own settings name an empty client id: a deploy says what to do.
    let mut unset = federation.clone();
    unset.providers.truncate(1);
    if let stratus_codegen::federation::Protocol::Oidc { client_id, .. } =
        &mut unset.providers[0].protocol
    {
        client_id.clear();
    }
    let refused = deploy::template(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/schema.graphql"),
        Architecture::Arm64,
        SignInFlow::Srp,
        &unset,
    )
    .expect_err("an empty client id is refused");
    assert!(refused.to_string().contains("set client_id"), "{refused}");
}

#[test]
fn cfn_lint_catches_a_broken_table() {
    // The check above is only worth something if the linter reads what we give it.
    let mut template = blog_template(Architecture::Arm64);
    template["Resources"]["PostTable"]["Properties"]["BillingMode"] = json!("FREE_OF_CHARGE");
    let findings = lint(&template, "broken").expect_err("cfn-lint accepts an invalid BillingMode");
    assert!(
        findings.contains("E3030") && findings.contains("FREE_OF_CHARGE"),
        "{findings}"
    );
}

#[test]
fn the_sign_out_table_is_laid_out_as_the_server_reads_it() {
    use stratus_server::auth::sign_outs::layout;
    let template = blog_template(Architecture::Arm64);
    let table = &template["Resources"]["SignOutTable"]["Properties"];
    assert_eq!(
        table["KeySchema"],
        json!([{ "AttributeName": layout::KEY_ATTRIBUTE, "KeyType": "HASH" }])
    );
    assert_eq!(
        table["TimeToLiveSpecification"],
        json!({ "AttributeName": layout::TTL_ATTRIBUTE, "Enabled": true })
    );
    let environment =
        &template["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        environment["STRATUS_AUTH__SIGN_OUT_TABLE"],
        json!({ "Ref": "SignOutTable" }),
        "the function is told the table's name"
    );
}
