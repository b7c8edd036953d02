//! The headers every page is served with, locally by the server and in the cloud by
//! CloudFront (the deploy template's response headers policy): one policy, written once.

/// `nosniff`, no framing, and a referrer that leaves out paths on other origins.
pub const FIXED_HEADERS: [(&str, &str); 3] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
];

/// The Content-Security-Policy the wasm app works under: its own scripts (and the right to
/// compile WebAssembly), no inline script, no framing, and network access only to its own
/// origin and `connect_sources` (Cognito, STS, the API, the live-reload socket). Inline styles
/// stay allowed: Leptos sets `style` attributes, and a style cannot run code.
pub fn content_security_policy(connect_sources: &[String]) -> String {
    let mut connect = vec!["'self'".to_owned()];
    connect.extend(connect_sources.iter().cloned());
    [
        "default-src 'self'".to_owned(),
        "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
        "style-src 'self' 'unsafe-inline'".to_owned(),
        "img-src 'self' data: https:".to_owned(),
        format!("connect-src {}", connect.join(" ")),
        "object-src 'none'".to_owned(),
        "base-uri 'self'".to_owned(),
        "form-action 'self'".to_owned(),
        "frame-ancestors 'none'".to_owned(),
    ]
    .join("; ")
}

/// The AWS endpoints the browser calls in `region` (Cognito's and STS's JSON/query APIs), as
/// `app/src/auth/cognito.rs` forms them.
pub fn aws_sources(region: &str) -> Vec<String> {
    ["cognito-idp", "cognito-identity", "sts"]
        .iter()
        .map(|service| format!("https://{service}.{region}.amazonaws.com"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_forbids_inline_script_and_framing_and_names_each_endpoint() {
        let policy = content_security_policy(&aws_sources("eu-west-1"));
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval';"),
            "{policy}"
        );
        assert!(
            !policy.contains("'unsafe-inline' ;")
                && !policy.contains("script-src 'self' 'unsafe-inline'"),
            "{policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(policy.contains("connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com https://cognito-identity.eu-west-1.amazonaws.com https://sts.eu-west-1.amazonaws.com;"), "{policy}");
    }
}
