//! The edge on a laptop. In the cloud the Function URL (AWS_IAM) checks each request's
//! signature against the secret of the temporary credentials Cognito issued. Locally nothing
//! stands in front of the server, and only the local cloud (ministack) knows those secrets, so
//! the server asks it: the signed request is sent there as it arrived (method, path, headers
//! with the signed Host), with the body's SHA-256 in `x-amz-content-sha256` in place of the
//! body (SigV4 signs the body through that hash, and ministack takes the header's value where
//! there is one, as S3 does). ministack checks a request's signature before it routes it, and
//! routes no path under `/api/` (its Lambda API's paths start with a date): its "function not
//! found" answer means the signature held; its signature errors are passed on in words.
//!
//! ministack does not check signatures made with its own administrator key (`test`), so only
//! temporary credentials (`ASIA...`, with their session token) are sent to be checked: those
//! are what its identity pool issues, and all a browser ever signs with.

use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use stratus::auth::ID_TOKEN_HEADER;
use stratus::error::AppError;

use super::edge::{Signer, SignerLogin, SIGNING_SERVICE};
use super::sigv4::{self, Authorization, Expected};

const CHECK_TIMEOUT: Duration = Duration::from_secs(5);
/// What AWS's temporary (STS) access key ids start with.
const TEMPORARY_KEY_PREFIX: &str = "ASIA";
const SESSION_TOKEN_HEADER: &str = "x-amz-security-token";
const CONTENT_SHA256_HEADER: &str = "x-amz-content-sha256";

pub struct LocalEdge {
    region: String,
    /// ministack's address; `None` when the settings name no local cloud.
    local_cloud: Option<String>,
    http: Client<HttpConnector, Full<Bytes>>,
}

/// An AWS JSON error answer: `{"__type": "...", "message": "..."}`.
#[derive(Debug, Default, Deserialize)]
struct AwsError {
    #[serde(rename = "__type", default)]
    kind: String,
    #[serde(default)]
    message: String,
}

impl LocalEdge {
    pub fn new(region: String, local_cloud: Option<String>) -> Self {
        Self {
            region,
            local_cloud: local_cloud.map(|url| url.trim_end_matches('/').to_owned()),
            http: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    pub async fn verify(&self, parts: &Parts, body: &[u8]) -> Result<Signer, AppError> {
        let auth = Authorization::parse(&parts.headers)?;
        if parts.headers.contains_key(ID_TOKEN_HEADER)
            && !auth.signed_headers.iter().any(|h| h == ID_TOKEN_HEADER)
        {
            return Err(AppError::unauthorized(format!(
                "The `{ID_TOKEN_HEADER}` header must be signed with the request."
            )));
        }
        let expected = Expected {
            region: &self.region,
            service: SIGNING_SERVICE,
            now: SystemTime::now(),
        };
        sigv4::check_envelope(&auth, &expected, &parts.headers)?;
        if !auth.access_key_id.starts_with(TEMPORARY_KEY_PREFIX)
            || !parts.headers.contains_key(SESSION_TOKEN_HEADER)
        {
            return Err(AppError::unauthorized(
                "The request must be signed with the temporary credentials the identity pool issues. Please sign in again.",
            ));
        }
        if auth.signed_headers.iter().any(|h| h == "content-length") {
            // The body stays here, so the length the local cloud would see is not the one signed.
            return Err(AppError::unauthorized(
                "The local server cannot check a signature over `content-length`: sign without it, as the browser does.",
            ));
        }
        self.ask_local_cloud(parts, body).await?;
        Ok(Signer {
            access_key_id: auth.access_key_id,
            identity_id: None,
            login: SignerLogin::Unknown,
        })
    }

    async fn ask_local_cloud(&self, parts: &Parts, body: &[u8]) -> Result<(), AppError> {
        let Some(local_cloud) = &self.local_cloud else {
            return Err(AppError::unavailable(
                "Signatures cannot be checked: outside Lambda the server checks them through the local cloud, and no `aws.endpoint_url` is set.",
            ));
        };
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let uri: Uri = format!("{local_cloud}{path}")
            .parse()
            .map_err(|e| unavailable(format!("{local_cloud}{path} is not a URL: {e}")))?;
        let mut replay = Request::builder().method(parts.method.clone()).uri(uri);
        // The Host header as signed; hyper adds its own only where there is none.
        *replay.headers_mut().expect("a request builder") = replayed_headers(&parts.headers, body);
        let replay = replay
            .body(Full::new(Bytes::new()))
            .map_err(|e| unavailable(e.to_string()))?;
        let answer = tokio::time::timeout(CHECK_TIMEOUT, self.http.request(replay))
            .await
            .map_err(|_| unavailable(format!("no answer within {} s", CHECK_TIMEOUT.as_secs())))?
            .map_err(|e| unavailable(format!("{local_cloud} is not answering ({e})")))?;
        let status = answer.status();
        let answer = answer
            .into_body()
            .collect()
            .await
            .map_err(|e| unavailable(e.to_string()))?
            .to_bytes();
        let error: AwsError = serde_json::from_slice(&answer).unwrap_or_default();
        verdict(status, &error)
    }
}

/// The request's own headers, less those that describe one hop of the connection or the body
/// left behind, plus the body's hash.
fn replayed_headers(headers: &HeaderMap, body: &[u8]) -> HeaderMap {
    let mut replayed = headers.clone();
    for hop in [
        "connection",
        "keep-alive",
        "transfer-encoding",
        "upgrade",
        "te",
        "content-length",
    ] {
        replayed.remove(hop);
    }
    let hash = hex::encode(Sha256::digest(body));
    replayed.insert(
        CONTENT_SHA256_HEADER,
        HeaderValue::from_str(&hash).expect("hex digits are a header value"),
    );
    replayed
}

/// What ministack's answer to a replayed request says of its signature.
fn verdict(status: StatusCode, error: &AwsError) -> Result<(), AppError> {
    match (status, error.kind.as_str()) {
        // Past the signature check, and routed nowhere.
        (StatusCode::NOT_FOUND, "ResourceNotFoundException")
            if error.message.starts_with("Function not found") =>
        {
            Ok(())
        }
        // Routed somewhere after all (a server function named like a Lambda API path).
        (StatusCode::NOT_FOUND, "ResourceNotFoundException") => Err(unavailable(format!(
            "the local cloud routed the request to one of its own APIs ({})",
            error.message
        ))),
        (_, "InvalidSignatureException" | "SignatureDoesNotMatch") => Err(AppError::unauthorized(
            "The request's signature does not match its contents: it was changed after signing, or signed with other credentials.",
        )),
        (_, "UnrecognizedClientException" | "InvalidClientTokenId" | "InvalidToken") => {
            Err(AppError::unauthorized(
                "The request is signed with credentials the identity service did not issue. Please sign in again.",
            ))
        }
        (_, "ExpiredToken" | "ExpiredTokenException") => Err(AppError::unauthorized(
            "The request's credentials have expired. Please sign in again.",
        )),
        (status, kind) if status.is_client_error() && !kind.is_empty() => {
            tracing::info!(kind, message = %error.message, "the local cloud refused a signature");
            Err(AppError::unauthorized(format!(
                "The request is not signed correctly: {}",
                error.message
            )))
        }
        (status, kind) => Err(unavailable(format!(
            "an answer that says nothing of the signature ({status} {kind} {})",
            error.message
        ))),
    }
}

fn unavailable(reason: String) -> AppError {
    tracing::error!(%reason, "the local cloud did not check a signature");
    AppError::unavailable(
        "Signatures cannot be checked: the local cloud (ministack) is not answering as expected.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(kind: &str) -> AwsError {
        AwsError {
            kind: kind.into(),
            message: "m".into(),
        }
    }

    #[test]
    fn only_routed_nowhere_means_the_signature_held() {
        let routed_nowhere = AwsError {
            kind: "ResourceNotFoundException".into(),
            message: "Function not found: /api/getPost".into(),
        };
        assert!(verdict(StatusCode::NOT_FOUND, &routed_nowhere).is_ok());
        // A 404 of another kind, a success or a server error says nothing of the signature.
        for (status, kind) in [
            (StatusCode::NOT_FOUND, ""),
            (StatusCode::NOT_FOUND, "ResourceNotFoundException"),
            (StatusCode::OK, ""),
            (StatusCode::INTERNAL_SERVER_ERROR, "InternalError"),
        ] {
            let refused = verdict(status, &error(kind)).unwrap_err();
            assert_eq!(refused.status(), 503, "{status} {kind}");
        }
    }

    #[test]
    fn signature_errors_are_told_in_words() {
        let wrong =
            verdict(StatusCode::FORBIDDEN, &error("InvalidSignatureException")).unwrap_err();
        assert_eq!(wrong.status(), 401);
        assert!(wrong.to_string().contains("does not match"), "{wrong}");
        let unknown =
            verdict(StatusCode::FORBIDDEN, &error("UnrecognizedClientException")).unwrap_err();
        assert!(unknown.to_string().contains("did not issue"), "{unknown}");
    }

    #[test]
    fn the_replay_keeps_the_host_and_carries_the_bodys_hash_instead_of_the_body() {
        let mut headers = HeaderMap::new();
        headers.insert("host", "127.0.0.1:3000".parse().unwrap());
        headers.insert("connection", "keep-alive".parse().unwrap());
        headers.insert("content-length", "2".parse().unwrap());
        let replayed = replayed_headers(&headers, b"{}");
        assert_eq!(replayed.get("host").unwrap(), "127.0.0.1:3000");
        assert!(!replayed.contains_key("connection"));
        assert!(!replayed.contains_key("content-length"));
        // SHA-256 of `{}`.
        assert_eq!(
            replayed.get(CONTENT_SHA256_HEADER).unwrap(),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }
}
