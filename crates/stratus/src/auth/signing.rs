//! SigV4 for server function calls, as a Lambda Function URL with AWS_IAM auth expects them:
//! service `lambda`, the session token included, the body hashed into the signature.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

use super::issued::IssuedCredentials;

pub const SERVICE: &str = "lambda";

/// The headers to add to the request. `headers` are the ones to sign along (not `host`: it is
/// taken from `url`, as the browser will send it). `now_ms` comes from the browser's clock,
/// since `SystemTime::now()` panics on wasm32.
pub fn signing_headers(
    credentials: &IssuedCredentials,
    region: &str,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    now_ms: f64,
) -> Result<Vec<(String, String)>, String> {
    let identity = Credentials::new(
        &credentials.access_key_id,
        &credentials.secret_key,
        Some(credentials.session_token.clone()),
        None,
        "cognito-identity",
    )
    .into();
    let time = SystemTime::UNIX_EPOCH + Duration::from_millis(now_ms as u64);
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(SERVICE)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let request = SignableRequest::new(
        method,
        url,
        headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = sign(request, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_the_given_headers_and_uses_the_browsers_clock() {
        let credentials = IssuedCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_key: "secret".into(),
            session_token: "token".into(),
            expiration: 0.0,
        };
        let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        let added = signing_headers(
            &credentials,
            "eu-west-1",
            "POST",
            "http://127.0.0.1:3000/api/x",
            &headers,
            b"{}",
            1_790_000_000_000.0,
        )
        .unwrap();
        let get = |name: &str| {
            added
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("x-amz-date"), Some("20260921T141320Z"));
        assert_eq!(get("x-amz-security-token"), Some("token"));
        let authorization = get("authorization").unwrap();
        assert!(
            authorization.starts_with(
                "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20260921/eu-west-1/lambda/aws4_request"
            ),
            "{authorization}"
        );
        assert!(
            authorization
                .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token"),
            "{authorization}"
        );
    }
}
