//! A SigV4-signed request's `Authorization` header, and the checks that need no secret (scope,
//! signed headers, clock skew). The signature itself is checked by whoever holds the secret: the
//! Function URL in the cloud, the local cloud locally (see `local_edge.rs`).

use std::time::{Duration, SystemTime};

use axum::http::{header, HeaderMap};

use stratus::error::AppError;

/// How far a request's signing time may be from ours, as AWS allows.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key_id: String,
    pub date: String,
    pub region: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

fn unsigned(why: &str) -> AppError {
    AppError::unauthorized(format!("The request is not signed correctly: {why}"))
}

impl Authorization {
    pub fn parse(headers: &HeaderMap) -> Result<Self, AppError> {
        let value = headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| {
                AppError::unauthorized(
                    "The request is not signed: every call must carry AWS credentials (SigV4).",
                )
            })?
            .to_str()
            .map_err(|_| unsigned("the Authorization header is not text."))?;
        let rest = value.strip_prefix(ALGORITHM).ok_or_else(|| {
            unsigned(&format!(
                "the Authorization header must start with {ALGORITHM}."
            ))
        })?;
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for part in rest.split(',') {
            match part.trim().split_once('=') {
                Some(("Credential", v)) => credential = Some(v),
                Some(("SignedHeaders", v)) => signed_headers = Some(v),
                Some(("Signature", v)) => signature = Some(v),
                _ => {
                    return Err(unsigned(
                        "the Authorization header has a part it should not.",
                    ))
                }
            }
        }
        let (Some(credential), Some(signed_headers), Some(signature)) =
            (credential, signed_headers, signature)
        else {
            return Err(unsigned(
                "the Authorization header needs Credential, SignedHeaders and Signature.",
            ));
        };
        let scope: Vec<&str> = credential.split('/').collect();
        let [access_key_id, date, region, service, "aws4_request"] = scope[..] else {
            return Err(unsigned(
                "the credential scope must be key/date/region/service/aws4_request.",
            ));
        };
        Ok(Self {
            access_key_id: access_key_id.to_owned(),
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            signed_headers: signed_headers.split(';').map(str::to_owned).collect(),
            signature: signature.to_owned(),
        })
    }
}

/// What the request must have been signed for.
pub struct Expected<'a> {
    pub region: &'a str,
    pub service: &'a str,
    pub now: SystemTime,
}

/// The checks a signed request must pass before its signature is worth checking: signed for
/// this region and service, over its Host and date, within AWS's clock skew.
pub fn check_envelope(
    auth: &Authorization,
    expected: &Expected<'_>,
    headers: &HeaderMap,
) -> Result<(), AppError> {
    if auth.region != expected.region || auth.service != expected.service {
        return Err(unsigned(&format!(
            "it is signed for {}/{}, not {}/{}.",
            auth.region, auth.service, expected.region, expected.service
        )));
    }
    for required in ["host", "x-amz-date"] {
        if !auth.signed_headers.iter().any(|h| h == required) {
            return Err(unsigned(&format!(
                "the `{required}` header must be signed."
            )));
        }
    }
    let signed_at = signing_time(headers)?;
    let skew = expected
        .now
        .duration_since(signed_at)
        .or_else(|e| Ok::<_, AppError>(e.duration()))?;
    if skew > MAX_CLOCK_SKEW {
        return Err(AppError::unauthorized(format!(
            "The request was signed {} minutes away from the server's time (at most 15 are allowed): check your clock.",
            skew.as_secs() / 60
        )));
    }
    Ok(())
}

fn signing_time(headers: &HeaderMap) -> Result<SystemTime, AppError> {
    let text = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| unsigned("the X-Amz-Date header is missing."))?;
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let at = time::PrimitiveDateTime::parse(text, format)
        .map_err(|_| unsigned("X-Amz-Date must look like 20260101T120000Z."))?;
    Ok(at.assume_utc().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use stratus::auth::issued::IssuedCredentials;
    use stratus::auth::signing::signing_headers;

    const NOW: u64 = 1_790_000_000;

    /// Headers as the browser sends them, signed by the browser's own code.
    fn signed_request(body: &[u8], at: SystemTime) -> HeaderMap {
        let credentials = IssuedCredentials {
            access_key_id: "AKIDLOCAL".into(),
            secret_key: "secret".into(),
            session_token: "token".into(),
            expiration: 0.0,
        };
        let headers = [
            ("content-type", "application/json"),
            ("x-stratus-id-token", "eyJ..."),
        ];
        let signed: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let now_ms = at
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_millis() as f64;
        let added = signing_headers(
            &credentials,
            "us-east-1",
            "POST",
            "http://127.0.0.1:3000/api/createPost",
            &signed,
            body,
            now_ms,
        )
        .unwrap();
        let mut map = HeaderMap::new();
        map.insert("host", HeaderValue::from_static("127.0.0.1:3000"));
        for (name, value) in signed.iter().chain(&added) {
            map.insert(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn check(headers: &HeaderMap, now: SystemTime) -> Result<(), AppError> {
        let auth = Authorization::parse(headers)?;
        let expected = Expected {
            region: "us-east-1",
            service: "lambda",
            now,
        };
        check_envelope(&auth, &expected, headers)
    }

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn the_browsers_signature_names_its_key_scope_and_signed_headers() {
        let headers = signed_request(b"{\"a\":1}", at(NOW));
        let auth = Authorization::parse(&headers).unwrap();
        assert_eq!(
            (auth.access_key_id.as_str(), auth.service.as_str()),
            ("AKIDLOCAL", "lambda")
        );
        assert!(auth
            .signed_headers
            .contains(&"x-stratus-id-token".to_owned()));
        check(&headers, at(NOW + 60)).unwrap();
    }

    #[test]
    fn a_stale_or_early_date_is_refused_in_minutes() {
        let headers = signed_request(b"{\"a\":1}", at(NOW));
        let stale = check(&headers, at(NOW + 16 * 60)).unwrap_err();
        assert!(stale.to_string().contains("16 minutes"), "{stale}");
        assert_eq!(stale.status(), 401);
        let early = check(&headers, at(NOW - 20 * 60)).unwrap_err();
        assert!(early.to_string().contains("20 minutes"), "{early}");
    }

    #[test]
    fn a_request_signed_for_another_service_is_refused() {
        let headers = signed_request(b"{}", at(NOW));
        let auth = Authorization::parse(&headers).unwrap();
        let expected = Expected {
            region: "us-east-1",
            service: "execute-api",
            now: at(NOW),
        };
        let refused = check_envelope(&auth, &expected, &headers).unwrap_err();
        assert!(refused.to_string().contains("lambda"), "{refused}");
    }

    #[test]
    fn malformed_authorization_headers_are_named() {
        let mut headers = HeaderMap::new();
        assert!(Authorization::parse(&headers)
            .unwrap_err()
            .to_string()
            .contains("not signed"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert!(Authorization::parse(&headers)
            .unwrap_err()
            .to_string()
            .contains("AWS4-HMAC-SHA256"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static(
                "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=00",
            ),
        );
        assert!(Authorization::parse(&headers)
            .unwrap_err()
            .to_string()
            .contains("scope"));
    }
}
