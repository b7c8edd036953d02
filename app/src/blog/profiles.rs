//! The author's profile: a display name and a short bio, one per user (keyed by the user's
//! `sub`), shown on their posts and comments.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::account::AccountSecurity;
use crate::error_view::ErrorView;
use crate::models::Profile;
use stratus::auth::session;
use stratus::error::AppError;

pub const MAX_NAME_CHARS: usize = 60;
pub const MAX_BIO_CHARS: usize = 280;

pub fn check_name(name: &str) -> Option<String> {
    crate::text::refusal(
        name,
        MAX_NAME_CHARS,
        "Please enter the name readers will see.",
        "A display name",
    )
}

pub fn check_bio(bio: &str) -> Option<String> {
    (bio.trim().chars().count() > MAX_BIO_CHARS)
        .then(|| format!("A bio can have at most {MAX_BIO_CHARS} characters."))
}

/// The display name of `user_id`, if they wrote a profile.
#[cfg(feature = "ssr")]
pub async fn display_name(user_id: &str) -> Result<Option<String>, AppError> {
    let profile = crate::models::get_profile(user_id.to_owned(), None).await?;
    Ok(profile.map(|p| p.display_name))
}

/// The display names of `user_ids` (each read once, concurrently); users without a profile are
/// left out.
#[cfg(feature = "ssr")]
pub async fn display_names(
    user_ids: impl IntoIterator<Item = String>,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    let mut ids: Vec<String> = user_ids.into_iter().collect();
    ids.sort();
    ids.dedup();
    let names = futures::future::try_join_all(ids.iter().map(|id| display_name(id))).await?;
    Ok(ids
        .into_iter()
        .zip(names)
        .filter_map(|(id, name)| Some((id, name?)))
        .collect())
}

/// The names to show for `user_ids`, each of them (the nameless author's for one without a
/// profile): for authors the page learns of as it goes, such as a live comment's.
#[stratus::server]
pub async fn author_names(
    user_ids: Vec<String>,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    const MAX_IDS: usize = 100;
    if user_ids.len() > MAX_IDS {
        return Err(AppError::malformed(format!(
            "Ask for at most {MAX_IDS} authors at once."
        )));
    }
    let names = display_names(user_ids.iter().cloned()).await?;
    Ok(user_ids
        .into_iter()
        .map(|id| {
            let name = super::cards::author_name(&names, Some(&id));
            (id, name)
        })
        .collect())
}

/// The caller's own profile, if they wrote one.
#[stratus::server]
pub async fn my_profile() -> Result<Option<Profile>, AppError> {
    let caller = stratus::data::auth::Caller::from_context();
    let Some(user_id) = caller.user_id() else {
        return Err(AppError::unauthorized(
            "Please sign in to see your profile.",
        ));
    };
    crate::models::get_profile(user_id.to_owned(), None).await
}

/// Creates or updates the caller's profile (`expected_version` of the one they edited).
#[stratus::server]
pub async fn save_profile(
    #[server(rename = "displayName")] display_name: String,
    bio: String,
    #[server(rename = "expectedVersion")] expected_version: Option<u64>,
) -> Result<Profile, AppError> {
    use crate::models::{CreateProfileInput, UpdateProfileInput};

    if let Some(problem) = check_name(&display_name) {
        return Err(AppError::invalid("displayName", problem));
    }
    if let Some(problem) = check_bio(&bio) {
        return Err(AppError::invalid("bio", problem));
    }
    let caller = stratus::data::auth::Caller::from_context();
    let Some(user_id) = caller.user_id().map(str::to_owned) else {
        return Err(AppError::unauthorized(
            "Please sign in to write your profile.",
        ));
    };
    let bio = Some(bio.trim().to_owned()).filter(|b| !b.is_empty());
    match expected_version {
        None => {
            let input = CreateProfileInput {
                user_id: Some(user_id),
                display_name: display_name.trim().to_owned(),
                bio,
                ..Default::default()
            };
            stratus::store::access::create(&input).await
        }
        Some(version) => {
            let input = UpdateProfileInput {
                user_id,
                display_name: Some(display_name.trim().to_owned()),
                bio,
                expected_version: version,
                ..Default::default()
            };
            stratus::store::access::update(&input).await
        }
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let profile = LocalResource::new(my_profile);
    view! {
        <Title text="Your profile · Stratus"/>
        <section class="page">
            <h1>"Your profile"</h1>
            <p class="lede">"Readers see your name on your posts and comments."</p>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading your profile…"</p> }>
                {move || profile.get().map(|result| match result {
                    Ok(existing) => view! { <ProfileForm existing/> <AccountSecurity/> }.into_any(),
                    Err(error) => view! { <ErrorView error retry=Callback::new(move |_| profile.refetch())/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ProfileForm(existing: Option<Profile>) -> impl IntoView {
    let name = RwSignal::new(
        existing
            .as_ref()
            .map(|p| p.display_name.clone())
            .unwrap_or_default(),
    );
    let bio = RwSignal::new(
        existing
            .as_ref()
            .and_then(|p| p.bio.clone())
            .unwrap_or_default(),
    );
    let version = RwSignal::new(existing.as_ref().map(|p| p.version));
    let save = ServerAction::<SaveProfile>::new();
    let submitted = RwSignal::new(false);
    let server_error = move || save.value().get().and_then(Result::err);
    let name_error = Signal::derive(move || {
        let typed = name.get();
        (submitted.get() || !typed.is_empty())
            .then(|| check_name(&typed))
            .flatten()
            .or_else(|| {
                server_error()
                    .filter(|e| e.field() == Some("displayName"))
                    .map(|e| e.to_string())
            })
    });
    let bio_error = Signal::derive(move || {
        check_bio(&bio.get()).or_else(|| {
            server_error()
                .filter(|e| e.field() == Some("bio"))
                .map(|e| e.to_string())
        })
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            version.set(Some(saved.version));
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if check_name(&name.get_untracked()).is_none() && check_bio(&bio.get_untracked()).is_none()
        {
            save.dispatch(SaveProfile {
                display_name: name.get_untracked(),
                bio: bio.get_untracked(),
                expected_version: version.get_untracked(),
            });
        }
    };
    let email = session::user()
        .get_untracked()
        .map(|u| u.email)
        .unwrap_or_default();
    view! {
        <form class="card" on:submit=on_submit novalidate>
            <p class="muted">"Signed in as "{email}</p>
            <label for="display-name">"Display name"</label>
            <input id="display-name" maxlength=MAX_NAME_CHARS prop:value=name on:input=move |ev| name.set(event_target_value(&ev))
                aria-invalid=move || name_error.get().is_some().to_string() aria-describedby="display-name-error"/>
            <p id="display-name-error" class="field-error" role="alert">{move || name_error.get()}</p>
            <label for="bio">"Short bio"</label>
            <textarea id="bio" rows="3" prop:value=bio on:input=move |ev| bio.set(event_target_value(&ev))
                aria-invalid=move || bio_error.get().is_some().to_string() aria-describedby="bio-error"></textarea>
            <p id="bio-error" class="field-error" role="alert">{move || bio_error.get()}</p>
            <p class="form-error" role="alert">{move || server_error().filter(|e| e.field().is_none()).map(|e| e.to_string())}</p>
            <button type="submit" disabled=move || save.pending().get()>"Save profile"</button>
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <p class="note" role="status">"Profile saved."</p> })}
        </form>
    }
}
