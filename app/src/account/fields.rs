//! Form pieces the auth pages share: a labelled input with its error, the password policy
//! checklist, and the form-level error line.

use leptos::prelude::*;

use stratus::auth::password::POLICY;
use stratus::error::AppError;

#[component]
pub fn Field(
    id: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] described_by: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described = match described_by {
        Some(extra) => format!("{error_id} {extra}"),
        None => error_id.clone(),
    };
    view! {
        <label for=id>{label}</label>
        <input
            id=id
            name=id
            type=kind
            autocomplete=autocomplete
            prop:value=value
            on:input=move |ev| value.set(event_target_value(&ev))
            aria-invalid=move || error.get().is_some().to_string()
            aria-describedby=described
        />
        <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
    }
}

/// The pool's password rules, each ticked off as the password meets it.
#[component]
pub fn PasswordRules(password: RwSignal<String>) -> impl IntoView {
    view! {
        <ul id="password-rules" class="password-rules">
            {move || POLICY.check(&password.get()).into_iter().map(|(rule, met)| view! {
                <li class:met=met>{if met { "✓ " } else { "· " }}{rule}</li>
            }).collect_view()}
        </ul>
    }
}

/// A client-side check once the form was submitted, else the server's (Cognito's) refusal for
/// this field.
pub fn field_error(
    field: &'static str,
    submitted: RwSignal<bool>,
    local: impl Fn() -> Option<String> + Send + Sync + 'static,
    outcome: impl Fn() -> Option<AppError> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        let local = if submitted.get() { local() } else { None };
        local.or_else(|| {
            outcome()
                .filter(|e| e.field() == Some(field))
                .map(|e| e.to_string())
        })
    })
}

/// The refusal that concerns no one field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <p class="form-error" role="alert">{move || error.get().filter(|e| e.field().is_none()).map(|e| e.to_string())}</p>
    }
}
