//! The static site, as S3 and CloudFront serve it: the built files (`target/site`: pkg/) laid
//! over the static ones (`public/`), the shell (`index.html` naming the current build's files,
//! and the boot script and icon it loads under hashed names: `built_site::Shell`), and the single-page-app fallback: a path that
//! is not a file is a client-side route, answered with the shell. Files with a content hash in
//! their name may be cached for good; everything else is revalidated. Compressed for browsers that
//! ask: brotli or gzip files written beside the originals by the release build
//! (`cargo leptos build --precompress`), otherwise compressed as they are sent.

use std::path::{Path, PathBuf};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::built_site::{self, Shell};
use crate::configuration::SiteSettings;

#[derive(Clone)]
struct ShellFiles {
    public_dir: PathBuf,
    pkg_dir: PathBuf,
}

impl ShellFiles {
    /// Assembled on each request: `cargo leptos watch` rebuilds the client under a running
    /// server, and a visit asks for the shell once.
    fn shell(&self) -> std::io::Result<Shell> {
        Shell::assemble(&self.public_dir, &self.pkg_dir)
    }

    fn missing(&self, error: std::io::Error) -> Response {
        tracing::error!(%error, "the site's index.html or a file it loads cannot be read");
        (
            StatusCode::NOT_FOUND,
            format!(
                "The app's page is missing from {}: {error}",
                self.public_dir.display()
            ),
        )
            .into_response()
    }
}

pub fn router(site: &SiteSettings) -> Router<()> {
    let files = ShellFiles {
        public_dir: site.public_dir.clone(),
        pkg_dir: site.root.join("pkg"),
    };
    if !site.public_dir.join("index.html").is_file() {
        tracing::warn!(
            "{} does not exist: the site has no page to load the app",
            site.public_dir.join("index.html").display()
        );
    }
    if !files.pkg_dir.is_dir() {
        tracing::warn!(
            "{} does not exist: build the client with `cargo leptos build` (or run `cargo leptos watch`)",
            files.pkg_dir.display()
        );
    }
    let static_files = ServeDir::new(&site.root)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeDir::new(&site.public_dir).fallback(get(not_a_file).with_state(files.clone())),
        );
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .fallback_service(static_files)
        .with_state(files)
        .layer(middleware::from_fn(cache_control))
        .layer(CompressionLayer::new())
}

async fn index(State(files): State<ShellFiles>) -> Response {
    match files.shell() {
        Ok(shell) => html(shell.index_html),
        Err(error) => files.missing(error),
    }
}

/// A path that no file answers: a file the shell loads, under its hashed name; a client-side
/// route (the shell); or a missing file.
async fn not_a_file(State(files): State<ShellFiles>, request: Request) -> Response {
    let path = request.uri().path();
    let name = path.trim_start_matches('/');
    if built_site::is_content_hashed(name) && !name.contains('/') {
        let shell = match files.shell() {
            Ok(shell) => shell,
            Err(error) => return files.missing(error),
        };
        return match shell.asset(name) {
            Some(asset) => (
                [(header::CONTENT_TYPE, content_type(name))],
                asset.content.clone(),
            )
                .into_response(),
            // An earlier build's: the page that asks for it is stale, and reloading it loads this
            // build's shell.
            None => (
                StatusCode::NOT_FOUND,
                format!("{path} is not a file of this build"),
            )
                .into_response(),
        };
    }
    // A missing script, stylesheet or image must be a 404, not the HTML shell.
    if Path::new(path).extension().is_some() {
        return (StatusCode::NOT_FOUND, format!("{path} does not exist")).into_response();
    }
    index(State(files)).await
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// Sets `Cache-Control` by name (`built_site::cache_control`) on what the site answers.
async fn cache_control(request: Request, next: Next) -> Response {
    let policy = built_site::cache_control(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}
