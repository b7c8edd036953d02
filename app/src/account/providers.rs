//! Sign-in with another identity provider: a "Continue with …" button for each provider the
//! deployment federates (none, no buttons), and the page the user pool sends the browser back
//! to, which finishes the sign-in and returns the person where they were.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use super::fields::FormError;
use super::paths;
use stratus::auth::deployment;
use stratus::auth::hosted::{self, Answer};
use stratus::error::AppError;

/// The buttons, above the email form; `return_to` is the page to come back to afterwards.
#[component]
pub fn ProviderButtons(return_to: String) -> impl IntoView {
    let providers = deployment::config()
        .ok()
        .and_then(|config| config.hosted_sign_in)
        .map(|hosted| hosted.providers)
        .unwrap_or_default();
    let failed = RwSignal::new(None::<AppError>);
    (!providers.is_empty()).then(|| {
        let buttons = providers
            .into_iter()
            .map(|provider| {
                let return_to = return_to.clone();
                let label = provider.label.clone();
                view! {
                    <button type="button" class="provider-button" on:click=move |_| {
                        if let Err(error) = hosted::begin(&provider, &return_to) {
                            failed.set(Some(error));
                        }
                    }>{format!("Continue with {label}")}</button>
                }
            })
            .collect_view();
        view! {
            <div class="card provider-buttons" role="group" aria-label="Sign in with another account">
                {buttons}
                <FormError error=Signal::derive(move || failed.get())/>
            </div>
            <p class="divider">"or with your email"</p>
        }
    })
}

/// Where the user pool sends the browser back (`/auth/callback`): the sign-in is finished here,
/// once, and the person goes back to the page they started from.
#[component]
pub fn ProviderReturnPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let answer = Answer {
        code: query.get("code"),
        state: query.get("state"),
        error: query.get("error"),
        error_description: query.get("error_description"),
    };
    let complete = Action::new_local(|answer: &Answer| hosted::complete(answer.clone()));
    complete.dispatch(answer);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok((_, return_to))) = complete.value().get() {
            // Replaced: going back should not land on a used answer.
            navigate(
                &paths::welcome_then(&paths::return_path(Some(return_to))),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let error = move || complete.value().get().and_then(Result::err);
    view! {
        <Title text="Signing in · Stratus"/>
        <section class="page auth-page">
            <h1>"Signing in"</h1>
            <Show when=move || error().is_some() fallback=|| view! { <p role="status">"Finishing your sign-in…"</p> }>
                <FormError error=Signal::derive(error)/>
                <p><a href=paths::SIGN_IN>"Back to sign in"</a></p>
            </Show>
        </section>
    }
}
