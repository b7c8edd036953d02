//! Reloads the page when `cargo leptos watch` rebuilds (the CSR counterpart of the
//! `AutoReload` script Leptos injects into server-rendered pages).

use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{MessageEvent, WebSocket};

#[derive(serde::Deserialize)]
struct ReloadMessage {
    #[serde(default)]
    all: bool,
    #[serde(default)]
    css: Option<String>,
}

pub fn connect(port: u16) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let host = window
        .location()
        .hostname()
        .unwrap_or_else(|_| "127.0.0.1".into());
    let Ok(socket) = WebSocket::new(&format!("ws://{host}:{port}/live_reload")) else {
        return;
    };

    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        let Ok(message) = serde_json::from_str::<ReloadMessage>(&text) else {
            return;
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        // A stylesheet change would allow a hot swap; a full reload is simpler and as fast here.
        if message.all || message.css.is_some() {
            let _ = window.location().reload();
        }
    });
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The socket lives as long as the page.
    on_message.forget();
}
