//! Real time: Amplify's subscriptions (`onCreateComment`...), delivered over a WebSocket.
//!
//! The browser asks for a ticket with a signed server function call ([`open_live_connection`]),
//! so opening a socket needs the same credentials and sign-in as any call, then opens the
//! socket with it and subscribes by name, with the model's filter. The server sends each
//! change of a subscribed model that the caller may read under the model's rules, trimmed to
//! the fields they may read ([`protocol`]). In the browser, [`subscribe`] is a typed stream of
//! those changes, [`watch`] follows one for as long as a component is mounted, and [`observe`]
//! keeps a list up to date in a signal.

pub mod protocol;
#[cfg(feature = "ssr")]
pub mod ticket;

// The browser's side. Built on the server too (an app's components are), never run there.
mod connection;
mod observe;
mod subscription;
mod watch;

pub use observe::{observe, Observed};
pub use subscription::{subscribe, LiveEvent, Subscription};
pub use watch::watch;

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the browser needs to open a socket: the ticket, good for a minute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveTicket {
    pub ticket: String,
}

/// A ticket to open a live connection as the caller: the caller's credentials and sign-in
/// are checked on this call like on every other, and the ticket carries who they are.
#[crate::server(endpoint = "open_live_connection")]
pub async fn open_live_connection() -> Result<LiveTicket, AppError> {
    use crate::data::auth::Caller;

    let key = leptos::prelude::use_context::<ticket::TicketKey>()
        .ok_or_else(|| AppError::unavailable("Live updates are not set up on this server."))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| AppError::internal(format!("the server's clock is wrong: {e}")))?
        .as_secs();
    Ok(LiveTicket {
        ticket: key.issue(&Caller::from_context(), now),
    })
}
