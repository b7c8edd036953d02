//! Sign in with email and password (SRP: the password stays in the browser), then, for a user
//! who turned on multi-factor authentication, a code from their authenticator app.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::fields::{field_error, Field, FormError};
use super::providers::ProviderButtons;
use super::{check_email, parse_app_code, paths};
use stratus::auth::cognito::CodeChallenge;
use stratus::auth::session::{self, SignIn};
use stratus::error::AppError;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let email = RwSignal::new(query.get_untracked().get("email").unwrap_or_default());
    let just_confirmed = query.get_untracked().get("confirmed").is_some();
    let password_was_reset = query.get_untracked().get("reset").is_some();
    let signed_out_everywhere = query.get_untracked().get("signed-out").is_some();
    let next = paths::return_path(query.get_untracked().get("next"));
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let sign_in = Action::new_local(|(email, password): &(String, String)| {
        let (email, password) = (email.trim().to_owned(), password.clone());
        async move { session::sign_in(&email, &password).await }
    });
    // What the user pool asked for after the password: a code from the authenticator app.
    let code_needed = move || match sign_in.value().get() {
        Some(Ok(SignIn::CodeNeeded(challenge))) => Some(challenge),
        _ => None,
    };
    let outcome = move || sign_in.value().get().and_then(Result::err);
    let email_error = field_error(
        "email",
        submitted,
        move || check_email(&email.get()),
        outcome,
    );
    let password_error = field_error(
        "password",
        submitted,
        move || {
            password
                .get()
                .is_empty()
                .then(|| "Please enter your password.".to_owned())
        },
        outcome,
    );

    let navigate = use_navigate();
    let next_after_code = next.clone();
    let next_after_provider = next.clone();
    Effect::new(move |_| {
        if let Some(Ok(SignIn::Done(_))) = sign_in.value().get() {
            navigate(&paths::welcome_then(&next), Default::default());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if check_email(&email.get_untracked()).is_none() && !password.get_untracked().is_empty() {
            sign_in.dispatch((email.get_untracked(), password.get_untracked()));
        }
    };
    let unconfirmed = move || matches!(outcome(), Some(AppError::Invalid { ref message, .. }) if message.contains("not confirmed"));

    view! {
        <Title text="Sign in · Stratus"/>
        <section class="page auth-page">
            <h1>"Sign in"</h1>
            {move || code_needed().map(|challenge| view! {
                <CodeStep challenge next=next_after_code.clone() restart=move || sign_in.value().set(None)/>
            })}
            <div hidden=move || code_needed().is_some()>
            {just_confirmed.then(|| view! { <p class="note" role="status">"Your email is confirmed. Sign in to start."</p> })}
            {password_was_reset.then(|| view! { <p class="note" role="status">"Your password is changed. Sign in with the new one."</p> })}
            {signed_out_everywhere.then(|| view! { <p class="note" role="status">"You are signed out on every device."</p> })}
            <ProviderButtons return_to=next_after_provider/>
            <form class="card auth-form" on:submit=on_submit novalidate>
                <Field id="email" label="Email" kind="email" autocomplete="email" value=email error=email_error/>
                <Field id="password" label="Password" kind="password" autocomplete="current-password" value=password error=password_error/>
                <FormError error=Signal::derive(outcome)/>
                {move || unconfirmed().then(|| view! {
                    <p><a href=format!("{}?email={}", paths::CONFIRM, super::sign_up::encode(&email.get_untracked()))>"Enter your confirmation code"</a></p>
                })}
                <button type="submit" disabled=move || sign_in.pending().get()>
                    {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
            <p><a href=paths::FORGOT_PASSWORD>"Forgot your password?"</a></p>
            <p>"New here? " <a href=paths::SIGN_UP>"Create an account"</a></p>
            </div>
        </section>
    }
}

/// The second step: the six digits the user's authenticator app shows.
#[component]
fn CodeStep(
    challenge: CodeChallenge,
    next: String,
    restart: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let answer = Action::new_local(move |digits: &String| {
        let (challenge, digits) = (challenge.clone(), digits.clone());
        async move { session::answer_code(&challenge, &digits).await }
    });
    let outcome = move || answer.value().get().and_then(Result::err);
    let code_error = field_error(
        "code",
        submitted,
        move || parse_app_code(&code.get()).err(),
        outcome,
    );
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(SignIn::Done(_))) = answer.value().get() {
            navigate(&paths::welcome_then(&next), Default::default());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if let Ok(digits) = parse_app_code(&code.get_untracked()) {
            answer.dispatch(digits);
        }
    };
    view! {
        <form class="card auth-form" on:submit=on_submit novalidate>
            <p id="code-help">"Your account asks for a second step. Open your authenticator app and enter the 6-digit code it shows for Stratus."</p>
            <Field id="code" label="Code from your authenticator app" kind="text" autocomplete="one-time-code" value=code error=code_error described_by="code-help"/>
            <FormError error=Signal::derive(outcome)/>
            <button type="submit" disabled=move || answer.pending().get()>
                {move || if answer.pending().get() { "Checking…" } else { "Continue" }}
            </button>
            <button type="button" class="link-button" on:click=move |_| restart()>"Start again with your password"</button>
        </form>
    }
}
