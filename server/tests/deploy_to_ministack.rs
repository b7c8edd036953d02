//! The whole deploy, against the local cloud's (ministack's) CloudFormation, S3, STS and
//! Lambda: the template generated from app/schema.graphql, the built server as the Lambda's
//! `bootstrap`, a site. Then the resources the stack created are read back through their own
//! services' APIs and checked against what the server expects; the function is called through
//! its URL, signed, unsigned and wrongly signed; and a schema with one more index deploys as an
//! update of the same stack.

use std::collections::BTreeSet;
use std::path::Path;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::config::Credentials;
use stratus::client_config::SignInFlow;
use stratus_codegen::cloudformation::Architecture;
use stratus_codegen::federation::Federation;
use stratus_ops::deploy::{self, Deployment};
use stratus_ops::provision::tables::TableLayout;

fn ministack_url() -> String {
    std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4566".into())
}

/// As its account's administrator.
async fn ministack() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            stratus_server::aws::LOCAL_ADMIN_KEY,
            stratus_server::aws::LOCAL_ADMIN_KEY,
            None,
            None,
            "test",
        ))
        .endpoint_url(ministack_url())
        .load()
        .await
}

/// A form POST over plain HTTP, answered as text (the query protocol's XML).
async fn post_form(url: &str, body: String) -> String {
    use axum::body::Bytes;
    use http_body_util::{BodyExt, Full};
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Full<Bytes>>();
    let request = axum::http::Request::post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    let response = client.request(request).await.unwrap();
    String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap()
}

/// This machine's, which is what ministack runs the `bootstrap` on.
const ARCHITECTURE: Architecture = if cfg!(target_arch = "aarch64") {
    Architecture::Arm64
} else {
    Architecture::X86_64
};

/// The server binary cargo built for this test, as the Lambda's `bootstrap`. Stored, not
/// deflated: the debug binary is large, and deflating it here would cost more than it saves.
fn lambda_zip_of_the_server(zip_path: &Path) {
    use std::io::Write;
    let binary = std::fs::read(env!("CARGO_BIN_EXE_server")).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(binary.len() > u32::MAX as usize)
        .unix_permissions(0o755);
    zip.start_file("bootstrap", options).unwrap();
    zip.write_all(&binary).unwrap();
    zip.finish().unwrap();
}

/// The content hash in the name of the test site's built script.
const HASHED: &str = "kC2ZpXQ5qU3VdJ1mWbE7Rw";

/// A Lambda zip and a site, as `cargo xtask deploy` would leave them.
fn artifacts(dir: &Path) -> Deployment {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(
        site.join("index.html"),
        r#"<!doctype html><title>Stratus</title><script type="module" src="/boot.js"></script>"#,
    )
    .unwrap();
    std::fs::write(site.join("boot.js"), r#"import "/pkg/stratus.js";"#).unwrap();
    // A release build's file, named by its content, and the compressed copy written beside it.
    std::fs::write(
        site.join(format!("pkg/stratus.{HASHED}.js")),
        "export default 1;",
    )
    .unwrap();
    std::fs::write(
        site.join(format!("pkg/stratus.{HASHED}.js.br")),
        "compressed",
    )
    .unwrap();
    let zip = dir.join("lambda.zip");
    lambda_zip_of_the_server(&zip);
    Deployment {
        stack_name: format!(
            "deploytest-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        ),
        architecture: ARCHITECTURE,
        provider_buttons: Vec::new(),
        lambda_zip: zip,
        site_dir: site,
    }
}

fn workspace_file(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

#[tokio::test]
async fn the_generated_stack_deploys_and_matches_the_schema() {
    let sdk = ministack().await;
    let dir =
        std::env::temp_dir().join(format!("stratus-deploy-{}", uuid::Uuid::new_v4().simple()));
    let deployment = artifacts(&dir);
    let stack = deployment.stack_name.clone();
    let template = deploy::template(
        &workspace_file("app/schema.graphql"),
        ARCHITECTURE,
        SignInFlow::Srp,
        &Federation::default(),
    )
    .expect("the schema compiles");

    let deployed = deploy::deploy(&sdk, &deployment, &template)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "the deploy to ministack at {} failed: {e} (is the local stack running?)",
                ministack_url()
            )
        });

    // Every model's table, with the key and indexes the server queries.
    let dynamodb = aws_sdk_dynamodb::Client::from_conf(
        aws_sdk_dynamodb::config::Builder::from(&sdk)
            .endpoint_url(ministack_url())
            .build(),
    );
    for model in app::models::MODELS {
        let mut expected = TableLayout::for_model(format!("{stack}-{}", model.name), model);
        expected.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        let described = dynamodb
            .describe_table()
            .table_name(&expected.name)
            .send()
            .await;
        let table = described
            .unwrap_or_else(|e| panic!("table {} was not created: {e:?}", expected.name))
            .table
            .unwrap();
        assert_eq!(
            actual_layout(&table),
            expected,
            "table {} differs from what the server expects",
            expected.name
        );
    }

    // The user pool with the sign-up form's password policy, its app client and the groups.
    let user_pools = aws_sdk_cognitoidentityprovider::Client::new(&sdk);
    let pool = user_pools
        .describe_user_pool()
        .user_pool_id(&deployed.config.user_pool_id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(pool.name(), Some(stack.as_str()));
    let policy = pool
        .policies()
        .and_then(|p| p.password_policy())
        .expect("a password policy");
    assert_eq!(
        policy.minimum_length(),
        Some(stratus::auth::password::POLICY.min_length as i32)
    );
    assert_eq!(
        pool.username_attributes()
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["email"]
    );
    let client = user_pools
        .describe_user_pool_client()
        .user_pool_id(&deployed.config.user_pool_id)
        .client_id(&deployed.config.user_pool_client_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    let flows: BTreeSet<&str> = client
        .explicit_auth_flows()
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert_eq!(
        flows,
        BTreeSet::from(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"])
    );
    assert!(
        client.client_secret().is_none(),
        "a browser cannot keep a secret"
    );
    user_pools
        .get_group()
        .user_pool_id(&deployed.config.user_pool_id)
        .group_name("admins")
        .send()
        .await
        .expect("the admins group");

    // The identity pool: guests allowed, users from this pool's app client.
    let identity = aws_sdk_cognitoidentity::Client::new(&sdk);
    let identity_pool = identity
        .describe_identity_pool()
        .identity_pool_id(&deployed.config.identity_pool_id)
        .send()
        .await
        .unwrap();
    assert!(identity_pool.allow_unauthenticated_identities());
    let provider = &identity_pool.cognito_identity_providers()[0];
    assert_eq!(
        provider.client_id(),
        Some(deployed.config.user_pool_client_id.as_str())
    );
    assert_eq!(
        provider.provider_name().map(str::to_owned),
        Some(format!(
            "cognito-idp.us-east-1.amazonaws.com/{}",
            deployed.config.user_pool_id
        ))
    );

    // The site bucket holds the site and the config.json made from the stack's outputs.
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(true)
            .build(),
    );
    let outputs = aws_sdk_cloudformation::Client::new(&sdk)
        .describe_stacks()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let bucket = outputs.stacks()[0]
        .outputs()
        .iter()
        .find(|o| o.output_key() == Some("SiteBucket"))
        .and_then(|o| o.output_value())
        .unwrap()
        .to_owned();
    let listed = s3.list_objects_v2().bucket(&bucket).send().await.unwrap();
    let keys: BTreeSet<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    let hashed = format!("pkg/stratus.{HASHED}.js");
    let boot = keys
        .iter()
        .find(|key| key.starts_with("boot.") && key.ends_with(".js"))
        .unwrap_or_else(|| panic!("no hashed boot script among {keys:?}"))
        .to_string();
    // The compressed copy stays behind (CloudFront compresses); boot.js goes up by its hash too.
    assert_eq!(
        keys,
        BTreeSet::from([
            "boot.js",
            "config.json",
            "index.html",
            hashed.as_str(),
            boot.as_str()
        ])
    );
    let object = |key: String| {
        let s3 = s3.clone();
        let bucket = bucket.clone();
        async move {
            s3.get_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await
                .unwrap()
        }
    };
    let index = object("index.html".into()).await;
    assert_eq!(index.cache_control(), Some("no-cache"));
    let index = String::from_utf8(index.body.collect().await.unwrap().to_vec()).unwrap();
    assert!(index.contains(&format!("src=\"/{boot}\"")), "{index}");
    let boot_script = object(boot).await;
    assert_eq!(
        boot_script.cache_control(),
        Some("public, max-age=31536000, immutable")
    );
    let boot_script =
        String::from_utf8(boot_script.body.collect().await.unwrap().to_vec()).unwrap();
    assert_eq!(boot_script, format!(r#"import "/{hashed}";"#));
    assert_eq!(
        object(hashed.clone()).await.cache_control(),
        Some("public, max-age=31536000, immutable")
    );
    let config = s3
        .get_object()
        .bucket(&bucket)
        .key("config.json")
        .send()
        .await
        .unwrap();
    assert_eq!(config.content_type(), Some("application/json"));
    let config: stratus::client_config::ClientConfig =
        serde_json::from_slice(&config.body.collect().await.unwrap().into_bytes()).unwrap();
    assert_eq!(config, deployed.config);
    assert!(
        config.api_url.as_deref().is_some_and(
            |url| url.starts_with("https://") && url.contains(".lambda-url.us-east-1.on.aws")
        ),
        "{config:?}"
    );
    // Guests in the cloud take the basic flow, for the stack's guest role: the deployed pool's
    // OpenID token, exchanged at STS with the browser's own request and reading of the answer,
    // gives credentials that STS knows as a session of that role.
    let guest_role_arn = config
        .guest_role_arn
        .clone()
        .expect("config.json names the guest role");
    let guest_role_name = guest_role_arn.rsplit('/').next().unwrap().to_owned();
    let id = identity
        .get_id()
        .identity_pool_id(&config.identity_pool_id)
        .send()
        .await
        .unwrap();
    let open_id = identity
        .get_open_id_token()
        .set_identity_id(id.identity_id)
        .send()
        .await
        .unwrap();
    let answer = post_form(
        &ministack_url(),
        stratus::auth::sts::form_body(&guest_role_arn, open_id.token().unwrap()),
    )
    .await;
    let guest =
        stratus::auth::sts::read_answer(&answer).unwrap_or_else(|e| panic!("{e}: {answer}"));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        guest.expiration > now && guest.expiration <= now + 3_700.0,
        "expires at {} (now {now})",
        guest.expiration
    );
    let guest_credentials = Credentials::new(
        guest.access_key_id.clone(),
        guest.secret_key.clone(),
        Some(guest.session_token.clone()),
        None,
        "guest",
    );
    let as_guest = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(&sdk)
            .credentials_provider(guest_credentials)
            .build(),
    );
    let caller = as_guest.get_caller_identity().send().await.unwrap();
    assert_eq!(
        caller
            .arn()
            .and_then(|arn| arn.split_once(":assumed-role/"))
            .map(|(_, who)| who.to_owned()),
        Some(format!("{guest_role_name}/stratus-guest"))
    );
    assert!(
        deployed.site_url.starts_with("https://") && deployed.site_url.ends_with(".cloudfront.net"),
        "{}",
        deployed.site_url
    );

    // The function: the server binary, told its tables and pools, behind an IAM-only URL.
    let lambda = aws_sdk_lambda::Client::new(&sdk);
    let function = lambda
        .get_function_configuration()
        .function_name(format!("{stack}-api"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        function.runtime().map(|r| r.as_str()),
        Some("provided.al2023")
    );
    assert_eq!(
        function
            .architectures()
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        [ARCHITECTURE.lambda_name()]
    );
    let variables = function
        .environment()
        .and_then(|e| e.variables())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        variables.get("STRATUS_DATA__TABLE_PREFIX"),
        Some(&format!("{stack}-"))
    );
    assert_eq!(
        variables.get("STRATUS_AUTH__USER_POOL_ID"),
        Some(&deployed.config.user_pool_id)
    );
    assert_eq!(
        variables.get("STRATUS_AUTH__USER_POOL_CLIENT_ID"),
        Some(&deployed.config.user_pool_client_id)
    );
    let url = lambda
        .get_function_url_config()
        .function_name(format!("{stack}-api"))
        .send()
        .await
        .unwrap();
    assert_eq!(url.auth_type().as_str(), "AWS_IAM");
    assert_eq!(url.function_url().trim_end_matches('/'), deployed.api_url);

    // The function runs: the real bootstrap under ministack's runtime API answers a guest's
    // signed call from DynamoDB, and the URL's AWS_IAM check refuses the rest.
    let guest = stratus_ops::api_client::ApiClient {
        region: "us-east-1".into(),
        credentials: guest,
        id_token: None,
    };
    let function_host = deployed.api_url.trim_start_matches("https://").to_owned();
    let call = |secret: Option<&str>| {
        let mut caller = guest.clone();
        if let Some(secret) = secret {
            caller.credentials.secret_key = secret.to_owned();
        }
        caller.signed_for_host(
            &function_host,
            "POST",
            "/api/listPosts",
            b"{}",
            std::time::SystemTime::now(),
            &[],
        )
    };
    let (status, body) = send_to_ministack(call(None)).await;
    assert_eq!(status, 200, "a guest's signed call: {body}");
    assert!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["items"].is_array(),
        "{body}"
    );
    let (status, body) = send_to_ministack(call(Some("a wrong secret"))).await;
    assert_eq!(status, 403, "signed with a wrong secret: {body}");
    let mut unsigned = call(None);
    unsigned.headers_mut().remove("authorization");
    let (status, body) = send_to_ministack(unsigned).await;
    assert_eq!(status, 403, "unsigned: {body}");

    // One more index is an update of the same stack, and the table gains the index.
    let with_index = dir.join("schema-with-index.graphql");
    let schema = std::fs::read_to_string(workspace_file("app/schema.graphql")).unwrap();
    let post_title = "  title: String!\n";
    assert!(schema.contains(post_title), "Post has a title line");
    std::fs::write(
        &with_index,
        schema.replacen(
            post_title,
            "  title: String! @index(name: \"byTitle\", queryField: null)\n",
            1,
        ),
    )
    .unwrap();
    let updated = deploy::template(
        &with_index,
        ARCHITECTURE,
        SignInFlow::Srp,
        &Federation::default(),
    )
    .expect("the schema compiles");
    let stack_id =
        |answer: aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput| {
            answer.stacks()[0].stack_id().unwrap().to_owned()
        };
    let cloudformation = aws_sdk_cloudformation::Client::new(&sdk);
    let before = stack_id(
        cloudformation
            .describe_stacks()
            .stack_name(&stack)
            .send()
            .await
            .unwrap(),
    );
    deploy::deploy(&sdk, &deployment, &updated)
        .await
        .unwrap_or_else(|e| panic!("the update failed: {e}"));
    let after = stack_id(
        cloudformation
            .describe_stacks()
            .stack_name(&stack)
            .send()
            .await
            .unwrap(),
    );
    assert_eq!(before, after, "the same stack, updated");
    let post_table = dynamodb
        .describe_table()
        .table_name(format!("{stack}-Post"))
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    assert!(
        post_table
            .global_secondary_indexes()
            .iter()
            .any(|index| index.index_name() == Some("byTitle")),
        "{post_table:?}"
    );

    std::fs::remove_dir_all(dir).ok();
}

/// Sends a request to ministack as it is (the Host header names the Function URL).
async fn send_to_ministack(request: axum::http::Request<axum::body::Body>) -> (u16, String) {
    use http_body_util::BodyExt;
    let (mut parts, body) = request.into_parts();
    let path = parts.uri.path_and_query().unwrap().as_str().to_owned();
    parts.uri = format!("{}{path}", ministack_url()).parse().unwrap();
    let body = body.collect().await.unwrap().to_bytes();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<axum::body::Bytes>>();
    let response = client
        .request(axum::http::Request::from_parts(
            parts,
            http_body_util::Full::new(body),
        ))
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// What DynamoDB says a table is, in the terms provisioning uses.
fn actual_layout(table: &aws_sdk_dynamodb::types::TableDescription) -> TableLayout {
    let attribute_type = |name: &str| {
        table
            .attribute_definitions()
            .iter()
            .find(|d| d.attribute_name() == name)
            .map(|d| d.attribute_type().clone())
            .expect("a defined key attribute")
    };
    let key = |schema: &[aws_sdk_dynamodb::types::KeySchemaElement]| {
        schema
            .iter()
            .map(|k| {
                (
                    k.attribute_name().to_owned(),
                    attribute_type(k.attribute_name()),
                    k.key_type().clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let mut indexes: Vec<stratus_ops::provision::tables::IndexLayout> = table
        .global_secondary_indexes()
        .iter()
        .map(|i| stratus_ops::provision::tables::IndexLayout {
            name: i.index_name().unwrap().to_owned(),
            key: key(i.key_schema()),
        })
        .collect();
    indexes.sort_by(|a, b| a.name.cmp(&b.name));
    TableLayout {
        name: table.table_name().unwrap().to_owned(),
        key: key(table.key_schema()),
        indexes,
    }
}
