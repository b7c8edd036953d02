//! The Stratus runtime, used by both sides of an app.
//!
//! Built with `csr` into the browser bundle (session, credentials, request signing) and with
//! `ssr` into the server (the [`store::Store`] boundary the server runtime implements). Model
//! specs, `@auth` rules and errors are the same on both sides. Nothing here knows an app's
//! schema: generated code is made of these parts.

// `#[stratus::server]` names this crate by its name, also inside it.
extern crate self as stratus;

pub mod auth;
pub mod client_config;
pub mod data;
pub mod error;
pub mod live;
#[cfg(feature = "csr")]
mod live_reload;
#[cfg(feature = "ssr")]
pub mod store;

/// Declares a server function the Stratus way: see [`stratus_macros::server`].
pub use stratus_macros::server;

/// Applies the deployment's configuration before the first server function call.
#[cfg(feature = "csr")]
pub fn configure(config: &client_config::ClientConfig) {
    auth::session::configure(config.clone());
    if let Some(api_url) = config.api_url.as_deref().filter(|url| !url.is_empty()) {
        // server_fn keeps the URL for the life of the page, as a `&'static str`.
        server_fn::client::set_server_url(Box::leak(
            api_url.trim_end_matches('/').to_owned().into_boxed_str(),
        ));
    }
    if let Some(port) = config.live_reload_port {
        live_reload::connect(port);
    }
}
