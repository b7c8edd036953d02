//! When the server runs on a laptop (`cargo leptos watch`), say in one line how to start the
//! local AWS stack if it is not running, or how to create the tables of models added since the
//! last provisioning, instead of failing every call without a hint.

use std::time::Duration;

use stratus::data::spec::ModelSpec;

use crate::configuration::Settings;

/// `dynamodb` is the server's own client: the check costs no second SDK set-up.
pub async fn warn_if_unready(
    settings: &Settings,
    dynamodb: &aws_sdk_dynamodb::Client,
    models: &[&'static ModelSpec],
) {
    if warn_if_unreachable(settings).await {
        warn_if_tables_missing(settings, dynamodb, models).await;
    }
}

/// Whether every local endpoint answers.
async fn warn_if_unreachable(settings: &Settings) -> bool {
    let mut all_reachable = true;
    let endpoints = [
        ("DynamoDB Local", settings.dynamodb_endpoint()),
        ("ministack", settings.aws.endpoint_url.as_deref()),
    ];
    for (name, endpoint) in endpoints {
        let Some(address) = endpoint.and_then(host_and_port) else {
            continue;
        };
        let reachable = matches!(
            tokio::time::timeout(
                Duration::from_secs(1),
                tokio::net::TcpStream::connect(&address)
            )
            .await,
            Ok(Ok(_))
        );
        if !reachable {
            all_reachable = false;
            tracing::warn!("{name} is not answering at {address}: start the local stack with `cargo xtask stack` in another terminal");
        }
    }
    all_reachable
}

async fn warn_if_tables_missing(
    settings: &Settings,
    dynamodb: &aws_sdk_dynamodb::Client,
    models: &[&'static ModelSpec],
) {
    // One page holds 100 names: a laptop's DynamoDB Local rarely has more.
    let existing = match dynamodb.list_tables().limit(100).send().await {
        Ok(answer) => answer.table_names.unwrap_or_default(),
        Err(error) => {
            tracing::warn!("DynamoDB Local did not list its tables: {error}");
            return;
        }
    };
    let missing: Vec<String> = models
        .iter()
        .map(|model| settings.table_name(model.name))
        .filter(|table| !existing.contains(table))
        .collect();
    if !missing.is_empty() {
        tracing::warn!(
            "the schema has tables DynamoDB Local does not ({}): create them with `cargo xtask provision`",
            missing.join(", ")
        );
    }
}

/// `http://127.0.0.1:8000/` -> `127.0.0.1:8000`.
fn host_and_port(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next()?;
    (!authority.is_empty()).then(|| authority.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn endpoints_reduce_to_their_authority() {
        assert_eq!(
            super::host_and_port("http://127.0.0.1:8000/").as_deref(),
            Some("127.0.0.1:8000")
        );
        assert_eq!(
            super::host_and_port("127.0.0.1:5000").as_deref(),
            Some("127.0.0.1:5000")
        );
        assert_eq!(super::host_and_port("http://"), None);
    }
}
