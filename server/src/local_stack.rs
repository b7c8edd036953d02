//! When the server runs on a laptop (`cargo leptos watch`), say in one line how to start the
//! local AWS stack if it is not running, instead of failing every call without a hint.

use std::time::Duration;

use crate::configuration::Settings;

pub async fn warn_if_unreachable(settings: &Settings) {
    let endpoints = [
        ("DynamoDB Local", settings.dynamodb_endpoint()),
        ("the moto server", settings.aws.endpoint_url.as_deref()),
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
            tracing::warn!("{name} is not answering at {address}: start the local stack with `cargo xtask stack` in another terminal");
        }
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
