//! The profile page's two-step sign-in: an authenticator app set up by scanning a QR code (or
//! typing its secret), confirmed with a code from the app; and turned off again.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

use super::fields::{field_error, Field, FormError};
use super::parse_app_code;
use stratus::auth::authenticator_app::{self, AppSetup};
use stratus::error::AppError;

#[derive(Debug, Clone, PartialEq)]
enum State {
    Off,
    SettingUp(AppSetup),
    On,
}

#[component]
pub fn AuthenticatorApp() -> impl IntoView {
    let state = RwSignal::new(None::<State>);
    let failure = RwSignal::new(None::<AppError>);
    leptos::task::spawn_local(async move {
        match authenticator_app::is_on().await {
            Ok(on) => state.set(Some(if on { State::On } else { State::Off })),
            Err(error) => failure.set(Some(error)),
        }
    });
    let start = Action::new_local(|_: &()| authenticator_app::start_setup());
    let turn_off = Action::new_local(|_: &()| authenticator_app::turn_off());
    Effect::new(move |_| match start.value().get() {
        Some(Ok(setup)) => state.set(Some(State::SettingUp(setup))),
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    Effect::new(move |_| match turn_off.value().get() {
        Some(Ok(())) => state.set(Some(State::Off)),
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });

    view! {
        <div class="authenticator-app" data-testid="authenticator-app">
            <h3>"Two-step sign-in"</h3>
            {move || match state.get() {
                None => view! { <p class="loading" role="status">"Checking your sign-in settings…"</p> }.into_any(),
                Some(State::Off) => view! {
                    <p id="two-step-help">"Ask for a code from an authenticator app (such as 1Password, Google Authenticator or Authy) each time you sign in, so a stolen password is not enough."</p>
                    <button type="button" aria-describedby="two-step-help" disabled=move || start.pending().get()
                        on:click=move |_| { failure.set(None); start.dispatch(()); }>"Set up an authenticator app"</button>
                }.into_any(),
                Some(State::SettingUp(setup)) => view! {
                    <Setup setup on_done=move || state.set(Some(State::On)) on_cancel=move || state.set(Some(State::Off))/>
                }.into_any(),
                Some(State::On) => view! {
                    <p role="status">"Two-step sign-in is on: signing in asks for a code from your authenticator app."</p>
                    <button type="button" class="secondary" disabled=move || turn_off.pending().get()
                        on:click=move |_| { failure.set(None); turn_off.dispatch(()); }>"Turn off two-step sign-in"</button>
                }.into_any(),
            }}
            <FormError error=failure/>
        </div>
    }
}

/// Scan (or type), then prove it with the first code.
#[component]
fn Setup(
    setup: AppSetup,
    on_done: impl Fn() + Send + Sync + 'static,
    on_cancel: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let confirm = Action::new_local(|digits: &String| {
        let digits = digits.clone();
        async move { authenticator_app::confirm(&digits).await }
    });
    let outcome = move || confirm.value().get().and_then(Result::err);
    let code_error = field_error(
        "code",
        submitted,
        move || parse_app_code(&code.get()).err(),
        outcome,
    );
    Effect::new(move |_| {
        if let Some(Ok(())) = confirm.value().get() {
            on_done();
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if let Ok(digits) = parse_app_code(&code.get_untracked()) {
            confirm.dispatch(digits);
        }
    };
    let grouped_secret = setup
        .secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <form class="auth-form" on:submit=on_submit novalidate>
            <p>"Scan this code with your authenticator app:"</p>
            <div class="qr-code" inner_html=qr_svg(&setup.uri)></div>
            <p>"Or type this key into the app (spaces do not matter):"</p>
            <p><code class="secret" data-testid="authenticator-secret" data-secret=setup.secret.clone()>{grouped_secret}</code></p>
            <Field id="code" label="The 6-digit code the app shows" kind="text" autocomplete="one-time-code" value=code error=code_error/>
            <FormError error=Signal::derive(outcome)/>
            <button type="submit" disabled=move || confirm.pending().get()>"Turn on two-step sign-in"</button>
            <button type="button" class="link-button" on:click=move |_| on_cancel()>"Cancel"</button>
        </form>
    }
}

/// The QR code of `text` as an SVG image, one square per dark module, with the quiet zone the
/// standard asks for.
fn qr_svg(text: &str) -> String {
    const QUIET_ZONE: i32 = 4;
    // An otpauth URI is a few dozen characters; QR codes hold thousands.
    let Ok(qr) = QrCode::encode_text(text, QrCodeEcc::Medium) else {
        return String::new();
    };
    let modules = qr.size();
    let mut path = String::new();
    for y in 0..modules {
        for x in 0..modules {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + QUIET_ZONE, y + QUIET_ZONE));
            }
        }
    }
    let side = modules + 2 * QUIET_ZONE;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="200" height="200" shape-rendering="crispEdges" role="img" aria-label="QR code for your authenticator app"><rect width="{side}" height="{side}" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    )
}
