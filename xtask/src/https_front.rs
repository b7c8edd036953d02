//! The local cloud's HTTPS front. A stack deployed into ministack is reached as in AWS: over
//! HTTPS, at AWS's own host names (`d….cloudfront.net`, `….lambda-url.<region>.on.aws`,
//! `cognito-idp.<region>.amazonaws.com`), so the site, its `config.json`, its CORS origins and
//! its Content-Security-Policy are the cloud's, unchanged. ministack speaks plain HTTP; the
//! browser maps those names to this front (Chromium's `--host-resolver-rules`), which
//! terminates TLS with a certificate made for them at start and passes each request on to
//! ministack with its Host header as sent and `X-Forwarded-Proto: https` (what CloudFront's
//! viewer protocol policy and the Function URL look at). WebSocket handshakes (the live updates'
//! API, `wss://….execute-api.…`) are passed on too, and the connection relayed once upgraded.

use std::sync::Arc;

use anyhow::{Context, Result};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::HeaderValue;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::workspace::Endpoint;

/// The names a browser sends here: everything of AWS the deployed site reaches.
const AWS_HOST_PATTERNS: [&str; 3] = ["*.cloudfront.net", "*.on.aws", "*.amazonaws.com"];

type Upstream = Client<HttpConnector, Incoming>;
type AnyBody = BoxBody<Bytes, hyper::Error>;

/// Serves until dropped.
pub struct HttpsFront {
    pub port: u16,
    _runtime: tokio::runtime::Runtime,
}

impl HttpsFront {
    /// Listens on `127.0.0.1:port` (0: a free port) and forwards to ministack at `upstream`.
    pub fn start(port: u16, upstream: &Endpoint, region: &str) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("starting the HTTPS front's runtime")?;
        let listener = runtime
            .block_on(TcpListener::bind(("127.0.0.1", port)))
            .with_context(|| format!("the HTTPS front cannot listen on 127.0.0.1:{port}"))?;
        let port = listener.local_addr()?.port();
        let acceptor = TlsAcceptor::from(Arc::new(tls_config(region)?));
        let upstream_url: Arc<str> = upstream.url.clone().into();
        let client: Upstream = Client::builder(TokioExecutor::new()).build_http();
        runtime.spawn(serve(listener, acceptor, client, upstream_url));
        tracing::info!(
            "the local cloud's HTTPS front: https://127.0.0.1:{port} -> {}",
            upstream.url
        );
        Ok(Self {
            port,
            _runtime: runtime,
        })
    }

    /// Chromium's `--host-resolver-rules` value that sends AWS's names here.
    pub fn host_resolver_rules(&self) -> String {
        AWS_HOST_PATTERNS
            .iter()
            .map(|pattern| format!("MAP {pattern} 127.0.0.1:{}", self.port))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A certificate of its own for AWS's names: the browser is told to accept it
/// (`--ignore-certificate-errors`), as no authority vouches for a laptop's `cloudfront.net`.
fn tls_config(region: &str) -> Result<rustls::ServerConfig> {
    let names = vec![
        "*.cloudfront.net".to_owned(),
        format!("*.lambda-url.{region}.on.aws"),
        format!("cognito-idp.{region}.amazonaws.com"),
        format!("cognito-identity.{region}.amazonaws.com"),
        format!("sts.{region}.amazonaws.com"),
        format!("*.execute-api.{region}.amazonaws.com"),
    ];
    let certified = rcgen::generate_simple_self_signed(names).context("making a certificate")?;
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .context("TLS versions")?
    .with_no_client_auth()
    .with_single_cert(vec![certified.cert.der().clone()], key)
    .context("the certificate")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

async fn serve(listener: TcpListener, acceptor: TlsAcceptor, client: Upstream, upstream: Arc<str>) {
    loop {
        let Ok((connection, _)) = listener.accept().await else {
            continue;
        };
        let (acceptor, client, upstream) = (acceptor.clone(), client.clone(), upstream.clone());
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(connection).await else {
                return;
            };
            let service =
                service_fn(move |request| forward(request, client.clone(), upstream.clone()));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), service)
                // The live updates' WebSocket API.
                .with_upgrades()
                .await;
        });
    }
}

async fn forward(
    mut request: Request<Incoming>,
    client: Upstream,
    upstream: Arc<str>,
) -> Result<Response<AnyBody>, std::convert::Infallible> {
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let host = request
        .headers()
        .get(hyper::header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or_default();
    // ministack knows an API Gateway by AWS's name only under its own host name
    // (`<api>.execute-api.localhost`); its path form works under any.
    let path = match host.split_once(".execute-api.") {
        Some((api, _)) => format!("/_aws/execute-api/{api}{path}"),
        None => path.to_owned(),
    };
    let Ok(uri) = format!("{upstream}{path}").parse() else {
        return Ok(answer(StatusCode::BAD_REQUEST, "a path that makes no URL"));
    };
    *request.uri_mut() = uri;
    // The Host header stays as the browser sent it: ministack routes by it.
    request
        .headers_mut()
        .insert("x-forwarded-proto", HeaderValue::from_static("https"));
    // A WebSocket handshake: once ministack switches protocols, bytes flow both ways as they are.
    let browser_side = request
        .headers()
        .contains_key(hyper::header::UPGRADE)
        .then(|| hyper::upgrade::on(&mut request));
    Ok(match client.request(request).await {
        Ok(mut response) => {
            if let (Some(browser_side), StatusCode::SWITCHING_PROTOCOLS) =
                (browser_side, response.status())
            {
                let ministack_side = hyper::upgrade::on(&mut response);
                tokio::spawn(async move {
                    if let (Ok(browser), Ok(ministack)) = tokio::join!(browser_side, ministack_side)
                    {
                        let _ = tokio::io::copy_bidirectional(
                            &mut TokioIo::new(browser),
                            &mut TokioIo::new(ministack),
                        )
                        .await;
                    }
                });
            }
            response.map(BodyExt::boxed)
        }
        Err(error) => {
            tracing::warn!("the HTTPS front could not reach ministack: {error}");
            answer(StatusCode::BAD_GATEWAY, "ministack is not answering")
        }
    })
}

fn answer(status: StatusCode, text: &'static str) -> Response<AnyBody> {
    let mut response = Response::new(
        Full::new(Bytes::from_static(text.as_bytes()))
            .map_err(|never| match never {})
            .boxed(),
    );
    *response.status_mut() = status;
    response
}
