//! The question a new user is asked once, right after their first sign-in: what readers should
//! call them (their profile's display name). Every sign-in passes through `/welcome?next=…`; a
//! user who has a profile goes straight on to `next`.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use super::profiles::{check_name, my_profile, SaveProfile, MAX_NAME_CHARS};
use crate::account::paths;
use crate::error_view::ErrorView;
use stratus::auth::session;

#[component]
pub fn WelcomePage() -> impl IntoView {
    let next = paths::return_path(use_query_map().get_untracked().get("next"));
    let profile = LocalResource::new(my_profile);
    let navigate = use_navigate();
    let go_on = {
        let next = next.clone();
        move || {
            // Replaced: going back should not ask again.
            navigate(
                &next,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            )
        }
    };
    let has_profile = {
        let go_on = go_on.clone();
        move || {
            if let Some(Ok(Some(_))) = profile.get() {
                go_on();
            }
        }
    };
    Effect::new(move |_| has_profile());
    view! {
        <Title text="Welcome · Stratus"/>
        <section class="page auth-page">
            <Suspense fallback=|| view! { <p class="loading" role="status">"Signing you in…"</p> }>
                {move || profile.get().map(|answer| match answer {
                    Ok(Some(_)) => view! { <p class="loading" role="status">"Signing you in…"</p> }.into_any(),
                    Ok(None) => view! { <NameForm go_on=go_on.clone() skip_to=next.clone()/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn NameForm(go_on: impl Fn() + Clone + Send + Sync + 'static, skip_to: String) -> impl IntoView {
    // A start the person can keep or change: the part of their email before the @.
    let suggested = session::user()
        .get_untracked()
        .and_then(|user| user.email.split('@').next().map(str::to_owned))
        .unwrap_or_default();
    let name = RwSignal::new(suggested);
    let submitted = RwSignal::new(false);
    let save = ServerAction::<SaveProfile>::new();
    let server_error = move || save.value().get().and_then(Result::err);
    let name_error = Signal::derive(move || {
        submitted
            .get()
            .then(|| check_name(&name.get()))
            .flatten()
            .or_else(|| server_error().map(|e| e.to_string()))
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            go_on();
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if check_name(&name.get_untracked()).is_none() {
            save.dispatch(SaveProfile {
                display_name: name.get_untracked().trim().to_owned(),
                bio: String::new(),
                expected_version: None,
            });
        }
    };
    view! {
        <h1>"Welcome to Stratus"</h1>
        <form class="card auth-form" on:submit=on_submit novalidate>
            <label for="welcome-name">"What should readers call you?"</label>
            <p id="welcome-name-help" class="muted">"Your name appears on your posts and comments. You can change it on your profile."</p>
            <input id="welcome-name" maxlength=MAX_NAME_CHARS autocomplete="name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))
                aria-invalid=move || name_error.get().is_some().to_string() aria-describedby="welcome-name-help welcome-name-error"/>
            <p id="welcome-name-error" class="field-error" role="alert">{move || name_error.get()}</p>
            <button type="submit" disabled=move || save.pending().get()>"Continue"</button>
        </form>
        <p><a href=skip_to>"Skip for now"</a></p>
    }
}
