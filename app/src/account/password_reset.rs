//! Forgot password: ask for a code by email, then set a new password with it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::fields::{field_error, Field, FormError, PasswordRules};
use super::{check_code, check_email, paths};
use stratus::auth::cognito::Cognito;
use stratus::auth::deployment;
use stratus::auth::password::POLICY;
use stratus::error::AppError;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    // The code and the new password are judged from their own first submit: when the code has
    // just been sent they are empty, and not yet wrong.
    let reset_submitted = RwSignal::new(false);
    let request_code = Action::new_local(|email: &String| {
        let email = email.trim().to_owned();
        async move {
            let config = deployment::config()?;
            Cognito::new(&config).forgot_password(&email).await
        }
    });
    let reset = Action::new_local(|(email, code, password): &(String, String, String)| {
        let (email, code, password) = (
            email.trim().to_owned(),
            code.trim().to_owned(),
            password.clone(),
        );
        async move {
            let config = deployment::config()?;
            Cognito::new(&config)
                .confirm_forgot_password(&email, &code, &password)
                .await?;
            Ok::<_, AppError>(email)
        }
    });
    let code_sent = move || matches!(request_code.value().get(), Some(Ok(())));
    let outcome = move || {
        reset
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| request_code.value().get().and_then(Result::err))
    };
    let email_error = field_error(
        "email",
        submitted,
        move || check_email(&email.get()),
        outcome,
    );
    let code_error = field_error(
        "code",
        reset_submitted,
        move || code_sent().then(|| check_code(&code.get())).flatten(),
        outcome,
    );
    let password_error = field_error(
        "password",
        reset_submitted,
        move || {
            code_sent()
                .then(|| POLICY.refusal(&password.get()))
                .flatten()
        },
        outcome,
    );

    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(email)) = reset.value().get() {
            navigate(
                &format!(
                    "{}?email={}&reset=1",
                    paths::SIGN_IN,
                    super::sign_up::encode(&email)
                ),
                Default::default(),
            );
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if check_email(&email.get_untracked()).is_some() {
            return;
        }
        if !code_sent() {
            request_code.dispatch(email.get_untracked());
            return;
        }
        reset_submitted.set(true);
        if check_code(&code.get_untracked()).is_none()
            && POLICY.refusal(&password.get_untracked()).is_none()
        {
            reset.dispatch((
                email.get_untracked(),
                code.get_untracked(),
                password.get_untracked(),
            ));
        }
    };

    view! {
        <Title text="Reset your password · Stratus"/>
        <section class="page auth-page">
            <h1>"Reset your password"</h1>
            <form class="card auth-form" on:submit=on_submit novalidate>
                <Field id="email" label="Email" kind="email" autocomplete="email" value=email error=email_error/>
                <Show when=code_sent>
                    <p class="note" role="status">"We sent a code to your email. Enter it with your new password."</p>
                    <Field id="code" label="Code from the email" autocomplete="one-time-code" value=code error=code_error/>
                    <Field id="password" label="New password" kind="password" autocomplete="new-password" value=password
                        error=password_error described_by="password-rules"/>
                    <PasswordRules password/>
                </Show>
                <FormError error=Signal::derive(outcome)/>
                <button type="submit" disabled=move || request_code.pending().get() || reset.pending().get()>
                    {move || if code_sent() { "Set the new password" } else { "Email me a code" }}
                </button>
            </form>
            <p><a href=paths::SIGN_IN>"Back to sign in"</a></p>
        </section>
    }
}
