//! The browser entry point: load the deployment's configuration, then mount the app.

use app::App;
use leptos::prelude::*;
use stratus::client_config::fetch_client_config;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        match fetch_client_config().await {
            Ok(config) => {
                stratus::configure(&config);
                leptos::mount::mount_to_body(move || view! { <App config/> });
            }
            Err(message) => {
                leptos::mount::mount_to_body(move || {
                    view! {
                        <main class="startup-error" role="alert">
                            <h1>"Stratus could not start"</h1>
                            <p>{message.clone()}</p>
                        </main>
                    }
                });
            }
        }
    });
}
