//! Sign up with email and password, then confirm with the emailed code.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::fields::{field_error, Field, FormError, PasswordRules};
use super::providers::ProviderButtons;
use super::{check_code, check_email, paths};
use stratus::auth::cognito::Cognito;
use stratus::auth::deployment;
use stratus::auth::password::POLICY;
use stratus::error::AppError;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let sign_up = Action::new_local(|(email, password): &(String, String)| {
        let (email, password) = (email.trim().to_owned(), password.clone());
        async move {
            let config = deployment::config()?;
            Cognito::new(&config).sign_up(&email, &password).await?;
            Ok::<_, AppError>(email)
        }
    });
    let outcome = move || sign_up.value().get().and_then(Result::err);
    let email_error = field_error(
        "email",
        submitted,
        move || check_email(&email.get()),
        outcome,
    );
    let password_error = field_error(
        "password",
        submitted,
        move || POLICY.refusal(&password.get()),
        outcome,
    );

    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(email)) = sign_up.value().get() {
            navigate(
                &format!("{}?email={}", paths::CONFIRM, encode(&email)),
                Default::default(),
            );
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if check_email(&email.get_untracked()).is_none()
            && POLICY.refusal(&password.get_untracked()).is_none()
        {
            sign_up.dispatch((email.get_untracked(), password.get_untracked()));
        }
    };

    view! {
        <Title text="Sign up · Stratus"/>
        <section class="page auth-page">
            <h1>"Create your account"</h1>
            <ProviderButtons return_to="/".to_owned()/>
            <form class="card auth-form" on:submit=on_submit novalidate>
                <Field id="email" label="Email" kind="email" autocomplete="email" value=email error=email_error/>
                <Field id="password" label="Password" kind="password" autocomplete="new-password" value=password
                    error=password_error described_by="password-rules"/>
                <PasswordRules password/>
                <FormError error=Signal::derive(outcome)/>
                <button type="submit" disabled=move || sign_up.pending().get()>
                    {move || if sign_up.pending().get() { "Creating…" } else { "Sign up" }}
                </button>
            </form>
            <p>"Already have an account? " <a href=paths::SIGN_IN>"Sign in"</a></p>
        </section>
    }
}

#[component]
pub fn ConfirmSignUpPage() -> impl IntoView {
    let query = use_query_map();
    let email = RwSignal::new(query.get_untracked().get("email").unwrap_or_default());
    let code = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let confirm = Action::new_local(|(email, code): &(String, String)| {
        let (email, code) = (email.trim().to_owned(), code.trim().to_owned());
        async move {
            let config = deployment::config()?;
            Cognito::new(&config).confirm_sign_up(&email, &code).await?;
            Ok::<_, AppError>(email)
        }
    });
    let resend = Action::new_local(|email: &String| {
        let email = email.trim().to_owned();
        async move {
            let config = deployment::config()?;
            Cognito::new(&config).resend_confirmation_code(&email).await
        }
    });
    let outcome = move || {
        confirm
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| resend.value().get().and_then(Result::err))
    };
    let email_error = field_error(
        "email",
        submitted,
        move || check_email(&email.get()),
        outcome,
    );
    let code_error = field_error("code", submitted, move || check_code(&code.get()), outcome);

    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(email)) = confirm.value().get() {
            navigate(
                &format!("{}?email={}&confirmed=1", paths::SIGN_IN, encode(&email)),
                Default::default(),
            );
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if check_email(&email.get_untracked()).is_none()
            && check_code(&code.get_untracked()).is_none()
        {
            confirm.dispatch((email.get_untracked(), code.get_untracked()));
        }
    };
    let local_stack = deployment::config()
        .map(|c| c.cognito_endpoint.is_some())
        .unwrap_or(false);

    view! {
        <Title text="Confirm your email · Stratus"/>
        <section class="page auth-page">
            <h1>"Confirm your email"</h1>
            <p class="lede">"We sent a 6-digit code to your email address. Enter it here to finish signing up."</p>
            {local_stack.then(|| view! {
                <p class="note">"Local stack: no email is sent, and any 6 digits confirm the account."</p>
            })}
            <form class="card auth-form" on:submit=on_submit novalidate>
                <Field id="email" label="Email" kind="email" autocomplete="email" value=email error=email_error/>
                <Field id="code" label="Confirmation code" autocomplete="one-time-code" value=code error=code_error/>
                <FormError error=Signal::derive(outcome)/>
                <button type="submit" disabled=move || confirm.pending().get()>"Confirm"</button>
                <button type="button" class="secondary" on:click=move |_| { resend.dispatch(email.get_untracked()); }>
                    {move || match resend.value().get() {
                        Some(Ok(())) => "Code sent again",
                        _ => "Send the code again",
                    }}
                </button>
            </form>
        </section>
    }
}

/// Enough encoding for an email address in a query string.
pub fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}
