//! The static site, as S3 serves it in the cloud: the built files (`target/site`: pkg/) laid
//! over the static ones (`public/`: index.html, favicon), with the single-page-app fallback:
//! a path that is not a file is a client-side route, answered with `index.html`.

use std::path::{Path, PathBuf};

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::configuration::SiteSettings;

pub fn router(site: &SiteSettings) -> Router<()> {
    let index = site.public_dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(
            "{} does not exist: the site has no page to load the app",
            index.display()
        );
    }
    if !site.root.join("pkg").is_dir() {
        tracing::warn!(
            "{} does not exist: build the client with `cargo leptos build` (or run `cargo leptos watch`)",
            site.root.join("pkg").display()
        );
    }
    let fallback = get(move |request: Request| spa_fallback(index.clone(), request));
    let static_files = ServeDir::new(&site.public_dir).fallback(fallback);
    Router::new().fallback_service(ServeDir::new(&site.root).fallback(static_files))
}

async fn spa_fallback(index: PathBuf, request: Request) -> Response {
    let path = request.uri().path();
    // A missing script, stylesheet or image must be a 404, not the HTML shell.
    if Path::new(path).extension().is_some() {
        return (StatusCode::NOT_FOUND, format!("{path} does not exist")).into_response();
    }
    // ServeFile cannot fail (its error type is Infallible): a missing shell is its own 404.
    let Ok(mut response) = ServeFile::new(index).oneshot(request).await;
    // The shell names the current bundle; a cached copy would load an old one.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response.into_response()
}
