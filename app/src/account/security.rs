//! The profile page's security section: two-step sign-in, and signing out of every device at
//! once.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::authenticator_app::AuthenticatorApp;
use super::paths;
use stratus::auth::session;

#[component]
pub fn AccountSecurity() -> impl IntoView {
    let sign_out_everywhere = Action::new_local(|_: &()| session::end_session(true));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out_everywhere.value().get() {
            navigate(
                &format!("{}?signed-out=everywhere", paths::SIGN_IN),
                Default::default(),
            );
        }
    });
    view! {
        <section class="card" aria-labelledby="security-heading">
            <h2 id="security-heading">"Security"</h2>
            <AuthenticatorApp/>
            <h3>"Devices"</h3>
            <p id="everywhere-help">"Lost a phone, or signed in on a shared computer? Sign out on every device at once: each of them will have to sign in again."</p>
            <button type="button" aria-describedby="everywhere-help" disabled=move || sign_out_everywhere.pending().get()
                on:click=move |_| { sign_out_everywhere.dispatch(()); }>
                {move || if sign_out_everywhere.pending().get() { "Signing out everywhere…" } else { "Sign out everywhere" }}
            </button>
            <p class="form-error" role="alert">{move || sign_out_everywhere.value().get().and_then(Result::err).map(|error| format!(
                "You are signed out here, but the other devices may still be signed in: {error}"
            ))}</p>
        </section>
    }
}
