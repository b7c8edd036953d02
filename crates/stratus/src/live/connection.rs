//! The page's one live connection, shared by every subscription on it. It opens when the first
//! subscription starts and closes when the last one ends. When it drops it comes back by
//! itself, waiting longer after each failure (half a second, doubling, at most half a minute).
//! Each subscription then hears `Interrupted`, and `Subscribed` again once it is back in place,
//! so it knows when to catch up.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::{set_timeout, GetUntracked};
use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use super::protocol::{ClientMessage, ServerMessage, CLOSE_RENEW, LIVE_PATH};
use crate::data::spec::ChangeKind;
use crate::error::AppError;

const FIRST_RETRY: Duration = Duration::from_millis(500);
/// How long an unused connection stays open: going from one page to the next ends the first
/// page's subscriptions just before or after the next page starts its own.
const LINGER: Duration = Duration::from_secs(5);
const LONGEST_RETRY: Duration = Duration::from_secs(30);
/// The close code for "this page no longer needs the connection".
const CLOSE_NORMAL: u16 = 1000;

/// What a subscription hears from the connection.
pub(crate) enum Delivery {
    Subscribed,
    Interrupted,
    Refused(AppError),
    Change(ChangeKind, Value),
}

struct Entry {
    subscription: String,
    filter: Option<Value>,
    deliver: Rc<dyn Fn(Delivery)>,
}

impl Entry {
    /// The message that starts (or, after a reconnection, restarts) this subscription.
    fn subscribe(&self, id: &str) -> ClientMessage {
        ClientMessage::Subscribe {
            id: id.to_owned(),
            subscription: self.subscription.clone(),
            filter: self.filter.clone(),
        }
    }
}

#[derive(Default)]
struct Connection {
    socket: Option<WebSocket>,
    open: bool,
    /// A ticket is being fetched or the socket is opening.
    connecting: bool,
    /// Failed attempts since the last open connection.
    failures: u32,
    /// The user the open connection is for (`None`: a guest).
    user: Option<String>,
    entries: HashMap<String, Entry>,
    next_id: u64,
}

thread_local! {
    static CONNECTION: RefCell<Connection> = RefCell::new(Connection::default());
}

/// Starts a subscription; returns the id that [`remove`] takes.
pub(crate) fn add(
    subscription: String,
    filter: Option<Value>,
    deliver: Rc<dyn Fn(Delivery)>,
) -> String {
    let user = current_user();
    let (id, renew) = CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        c.next_id += 1;
        let id = c.next_id.to_string();
        let entry = Entry {
            subscription,
            filter,
            deliver,
        };
        // The connection speaks for whoever was signed in when it opened.
        let renew = c.open && c.user != user;
        if c.open && !renew {
            send(&c, &entry.subscribe(&id));
        }
        c.entries.insert(id.clone(), entry);
        (id, renew)
    });
    if renew {
        close(CLOSE_RENEW);
    } else {
        connect();
    }
    id
}

/// Ends a subscription; the connection closes a little after the last one ends.
pub(crate) fn remove(id: &str) {
    let last = CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        if c.entries.remove(id).is_some() && c.open {
            send(&c, &ClientMessage::Unsubscribe { id: id.to_owned() });
        }
        c.entries.is_empty()
    });
    if last {
        set_timeout(
            || {
                if CONNECTION.with(|c| c.borrow().entries.is_empty()) {
                    close(CLOSE_NORMAL);
                }
            },
            LINGER,
        );
    }
}

fn current_user() -> Option<String> {
    crate::auth::session::user()
        .get_untracked()
        .map(|user| user.sub)
}

fn send(connection: &Connection, message: &ClientMessage) {
    if let Some(socket) = &connection.socket {
        let text = serde_json::to_string(message).expect("a message is JSON");
        let _ = socket.send_with_str(&text);
    }
}

fn close(code: u16) {
    let socket = CONNECTION.with(|c| c.borrow().socket.clone());
    if let Some(socket) = socket {
        let _ = socket.close_with_code(code);
    }
}

/// Opens the connection unless it is open or opening, or no subscription needs it.
fn connect() {
    let start = CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        let start = !c.open && !c.connecting && !c.entries.is_empty();
        c.connecting |= start;
        start
    });
    if start {
        leptos::task::spawn_local(open());
    }
}

async fn open() {
    let user = current_user();
    let endpoint = match endpoint() {
        Ok(endpoint) => endpoint,
        Err(error) => return refuse_all(error),
    };
    let url = match super::open_live_connection().await {
        Ok(ticket) => format!("{endpoint}?ticket={}", ticket.ticket),
        Err(error) => {
            leptos::logging::warn!("no live connection ticket: {error}");
            return retry_later();
        }
    };
    let socket = match WebSocket::new(&url) {
        Ok(socket) => socket,
        Err(_) => return retry_later(),
    };
    let on_open = Closure::<dyn FnMut()>::new(on_open);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    let on_close = Closure::<dyn FnMut(CloseEvent)>::new(on_close);
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    // They live as long as their socket, which drops them when it is collected.
    on_open.forget();
    on_message.forget();
    on_close.forget();
    CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        c.socket = Some(socket);
        c.user = user;
    });
}

fn on_open() {
    CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        c.open = true;
        c.connecting = false;
        c.failures = 0;
        for (id, entry) in &c.entries {
            send(&c, &entry.subscribe(id));
        }
    });
}

fn on_message(event: MessageEvent) {
    let Some(text) = event.data().as_string() else {
        return;
    };
    let message = match serde_json::from_str::<ServerMessage>(&text) {
        Ok(message) => message,
        Err(error) => {
            leptos::logging::warn!("a live message not understood: {error}");
            return;
        }
    };
    let (id, delivery) = match message {
        ServerMessage::Subscribed { id } => (Some(id), Delivery::Subscribed),
        ServerMessage::Refused { id, error } => (id, Delivery::Refused(error)),
        ServerMessage::Change { id, change, item } => (Some(id), Delivery::Change(change, item)),
    };
    let deliver = match &id {
        Some(id) => CONNECTION.with(|c| c.borrow().entries.get(id).map(|e| e.deliver.clone())),
        None => None,
    };
    match (deliver, delivery) {
        // Delivered outside the borrow: a subscriber may subscribe or unsubscribe in turn.
        (Some(deliver), delivery) => deliver(delivery),
        (None, Delivery::Refused(error)) => {
            leptos::logging::warn!("live connection refused: {error}")
        }
        (None, _) => {}
    }
}

fn on_close(event: CloseEvent) {
    let (delivers, renew, needed) = CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        c.socket = None;
        c.open = false;
        c.connecting = false;
        let delivers: Vec<_> = c.entries.values().map(|e| e.deliver.clone()).collect();
        let needed = !c.entries.is_empty();
        (delivers, event.code() == CLOSE_RENEW, needed)
    });
    for deliver in delivers {
        deliver(Delivery::Interrupted);
    }
    match (needed, renew) {
        (false, _) => {}
        (true, true) => connect(),
        (true, false) => retry_later(),
    }
}

/// No connection can be made at all: every subscription hears why, once.
fn refuse_all(error: AppError) {
    let delivers: Vec<_> = CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        c.connecting = false;
        c.entries.values().map(|e| e.deliver.clone()).collect()
    });
    for deliver in delivers {
        deliver(Delivery::Refused(error.clone()));
    }
}

/// Tries again after a wait that doubles with each failure.
fn retry_later() {
    let wait = CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        c.connecting = false;
        c.failures += 1;
        FIRST_RETRY
            .saturating_mul(1 << c.failures.min(6))
            .min(LONGEST_RETRY)
    });
    set_timeout(connect, wait);
}

/// `live_url` from the deployment's configuration, or `/live` on the server functions' origin.
fn endpoint() -> Result<String, AppError> {
    let config = crate::auth::deployment::config()?;
    match config.live_url {
        Some(url) if url.is_empty() => {
            return Err(AppError::unavailable(
                "Live updates are not available in this deployment.",
            ))
        }
        Some(url) => return Ok(url),
        None => {}
    }
    let origin = match config.api_url.filter(|url| !url.is_empty()) {
        Some(api_url) => api_url.trim_end_matches('/').to_owned(),
        None => web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .ok_or_else(|| AppError::internal("The page has no origin."))?,
    };
    let socket_origin = match origin.split_once("://") {
        Some(("https", rest)) => format!("wss://{rest}"),
        Some((_, rest)) => format!("ws://{rest}"),
        None => return Err(AppError::internal(format!("{origin} is not a URL."))),
    };
    Ok(format!("{socket_origin}{LIVE_PATH}"))
}
