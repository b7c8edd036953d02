//! The server function client: every call is signed (SigV4) with the caller's temporary AWS
//! credentials and carries the signed-in user's ID token, then goes out through server_fn's
//! own browser client. Generated and hand-written server functions name it with
//! `client = crate::auth::client::SignedClient`.

use std::future::Future;

use bytes::Bytes;
use futures::{Sink, Stream};
use send_wrapper::SendWrapper;
use server_fn::client::browser::BrowserClient;
use server_fn::client::Client;
use server_fn::error::FromServerFnError;
use server_fn::request::browser::BrowserRequest;
use server_fn::response::browser::BrowserResponse;
use server_fn::response::ClientRes;

use super::{credentials, deployment, session, signing, ID_TOKEN_HEADER};
use crate::error::AppError;

pub struct SignedClient;

impl<E, IS, OS> Client<E, IS, OS> for SignedClient
where
    E: FromServerFnError + Send,
    IS: FromServerFnError,
    OS: FromServerFnError,
{
    type Request = BrowserRequest;
    type Response = BrowserResponse;

    fn send(request: Self::Request) -> impl Future<Output = Result<Self::Response, E>> + Send {
        SendWrapper::new(async move {
            // An auth failure reaches the caller as the AppError it is, as if the server sent it.
            let (request, signed_in) = sign(request).await.map_err(|error| {
                E::de(Bytes::from(serde_json::to_vec(&error).unwrap_or_default()))
            })?;
            let response = <BrowserClient as Client<E, IS, OS>>::send(request).await?;
            // 401 to a call that carried a sign-in: the server no longer accepts this session
            // (signed out on another device, or the token is no longer valid).
            if signed_in && ClientRes::<E>::status(&response) == 401 {
                session::refused_by_server();
            }
            Ok(response)
        })
    }

    fn open_websocket(
        path: &str,
    ) -> impl Future<
        Output = Result<
            (
                impl Stream<Item = Result<Bytes, Bytes>> + Send + 'static,
                impl Sink<Bytes> + Send + 'static,
            ),
            E,
        >,
    > + Send {
        <BrowserClient as Client<E, IS, OS>>::open_websocket(path)
    }

    fn spawn(future: impl Future<Output = ()> + Send + 'static) {
        <BrowserClient as Client<E, IS, OS>>::spawn(future)
    }
}

/// The same request, with its body read out, signed, and rebuilt with the signature headers;
/// and whether it carries a signed-in user's ID token.
async fn sign(mut request: BrowserRequest) -> Result<(BrowserRequest, bool), AppError> {
    let config = deployment::config()?;
    let id_token = session::id_token().await?;
    let credentials = credentials::for_caller(id_token.as_deref()).await?;

    let url = absolute(&request.url());
    let method = request.method().to_string();
    let body = request
        .text()
        .await
        .map_err(|e| AppError::internal(format!("the request could not be read: {e}")))?;
    let content_type = request
        .headers()
        .get("content-type")
        .unwrap_or_else(|| "application/json".to_owned());
    let mut signed = vec![("content-type".to_owned(), content_type)];
    let signed_in = id_token.is_some();
    if let Some(token) = id_token {
        signed.push((ID_TOKEN_HEADER.to_owned(), token));
    }
    let added = signing::signing_headers(
        &credentials,
        &config.region,
        &method,
        &url,
        &signed,
        body.as_bytes(),
        deployment::now_ms(),
    )
    .map_err(|e| AppError::internal(format!("the request could not be signed: {e}")))?;

    let headers = request.headers();
    for (name, value) in signed.iter().chain(&added) {
        headers.set(name, value);
    }
    let rebuilt = gloo_net::http::RequestBuilder::new(&url)
        .method(request.method())
        .headers(headers)
        .body(body)
        .map_err(|e| AppError::internal(format!("the request could not be rebuilt: {e}")))?;
    *request = rebuilt;
    Ok((request, signed_in))
}

/// server_fn addresses calls relative to the page unless an API origin is configured; a
/// signature covers the host, so make it explicit.
fn absolute(url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        return url.to_owned();
    }
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{url}")
}
