//! The header's account corner: who is signed in and a way out, or the ways in.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::paths;
use stratus::auth::session;

#[component]
pub fn AccountMenu() -> impl IntoView {
    let user = session::user();
    let ended = session::ended();
    let navigate = use_navigate();
    let sign_out = move |_| {
        leptos::task::spawn_local(async {
            // The session is gone from this browser either way; what failed is in the console.
            let _ = session::end_session(false).await;
        });
        navigate("/", Default::default());
    };
    view! {
        <div class="account" data-testid="account">
            {move || match user.get() {
                Some(user) => view! {
                    <span class="signed-in-as">"Signed in as " <strong>{user.email}</strong></span>
                    <button type="button" class="link-button" on:click=sign_out.clone()>"Sign out"</button>
                }.into_any(),
                None => view! {
                    {ended.get().then(|| view! { <span class="session-ended" role="status">"Your session has ended. Please sign in again."</span> })}
                    <a href=paths::SIGN_IN>"Sign in"</a>
                    <a href=paths::SIGN_UP class="button">"Sign up"</a>
                }.into_any(),
            }}
        </div>
    }
}
