//! What guards every response and request of the site, apart from the API's own checks: the
//! security headers (the same policy CloudFront adds in the cloud), and, on the local server,
//! a Host allowlist, so a web page on another origin cannot reach the development server
//! through DNS rebinding.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use stratus::client_config::ClientConfig;
use stratus_codegen::security_headers::{aws_sources, content_security_policy, FIXED_HEADERS};

/// The headers for a site whose browser side is configured by `config`.
pub fn headers(config: &ClientConfig) -> Arc<Vec<(HeaderName, HeaderValue)>> {
    let mut sources: Vec<String> = match &config.cognito_endpoint {
        Some(endpoint) => vec![origin_of(endpoint)],
        None => aws_sources(&config.region),
    };
    sources.extend(config.api_url.as_deref().map(origin_of));
    if let Some(port) = config.live_reload_port {
        sources.extend([
            format!("ws://127.0.0.1:{port}"),
            format!("ws://localhost:{port}"),
        ]);
    }
    let policy = content_security_policy(&sources);
    let mut headers = vec![(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&policy).expect("the policy is ASCII"),
    )];
    headers.extend(FIXED_HEADERS.iter().map(|(name, value)| {
        (
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        )
    }));
    Arc::new(headers)
}

fn origin_of(url: &str) -> String {
    let url = url.trim_end_matches('/');
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest)),
        None => url.to_owned(),
    }
}

pub async fn add_headers(
    State(headers): State<Arc<Vec<(HeaderName, HeaderValue)>>>,
    mut response: Response,
) -> Response {
    for (name, value) in headers.iter() {
        response.headers_mut().insert(name.clone(), value.clone());
    }
    response
}

/// Locally, only requests addressed to this machine by a loopback name are answered.
pub async fn allow_local_hosts(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(host_name);
    match host {
        None => next.run(request).await,
        Some("127.0.0.1" | "localhost" | "[::1]") => next.run(request).await,
        Some(name) => (
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "This development server answers to 127.0.0.1 and localhost only, not to {name}."
            ),
        )
            .into_response(),
    }
}

fn host_name(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_their_port_and_endpoints_their_path() {
        assert_eq!(host_name("127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(host_name("[::1]:3000"), "[::1]");
        assert_eq!(host_name("evil.example"), "evil.example");
        assert_eq!(origin_of("http://127.0.0.1:5000/"), "http://127.0.0.1:5000");
        assert_eq!(
            origin_of("https://abc.lambda-url.eu-west-1.on.aws/api"),
            "https://abc.lambda-url.eu-west-1.on.aws"
        );
    }
}
