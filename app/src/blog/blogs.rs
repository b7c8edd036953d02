//! Creating a blog: where a writer's posts live.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use stratus::auth::session;
use stratus::error::AppError;

use crate::error_view::ErrorView;
use crate::models::{CreateBlog, CreateBlogInput};

pub const MAX_BLOG_NAME_CHARS: usize = 80;

pub fn check_blog_name(name: &str) -> Option<String> {
    crate::text::refusal(
        name,
        MAX_BLOG_NAME_CHARS,
        "Please name your blog.",
        "A blog name",
    )
}

/// Every blog `owner` writes, as the caller may read them, with the relations `include` names. A scan with a filter, page by page
/// (a page's limit counts the items read, not the matches): fine while blogs are few; an index
/// on the owner would serve many.
#[cfg(feature = "ssr")]
pub async fn blogs_of(
    owner: &str,
    include: Option<Vec<stratus::data::Include<crate::models::Blog>>>,
) -> Result<Vec<crate::models::Blog>, AppError> {
    use crate::models::{Blog, ModelBlogFilter};
    use stratus::data::filter::StringFilter;

    let mut blogs = Vec::new();
    let mut next_token = None;
    loop {
        let filter = ModelBlogFilter {
            owner: Some(StringFilter {
                eq: Some(owner.to_owned()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let page = stratus::data::Query::<Blog>::all()
            .filter(filter)
            .limit(100)
            .after(next_token)
            .includes(include.clone())
            .fetch()
            .await?;
        blogs.extend(page.items);
        next_token = page.next_token;
        if next_token.is_none() {
            return Ok(blogs);
        }
    }
}

#[component]
pub fn NewBlogPage() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let create = ServerAction::<CreateBlog>::new();
    let server_error = move || create.value().get().and_then(Result::err);
    let name_error = Signal::derive(move || {
        let typed = name.get();
        (submitted.get() || !typed.is_empty())
            .then(|| check_blog_name(&typed))
            .flatten()
            .or_else(|| {
                server_error()
                    .filter(|e| e.field() == Some("name"))
                    .map(|e| e.to_string())
            })
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(blog)) = create.value().get() {
            navigate(&format!("/write?blog={}", blog.id), Default::default());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if check_blog_name(&name.get_untracked()).is_none() {
            let description =
                Some(description.get_untracked().trim().to_owned()).filter(|d| !d.is_empty());
            create.dispatch(CreateBlog {
                input: CreateBlogInput {
                    name: name.get_untracked().trim().to_owned(),
                    description,
                    ..Default::default()
                },
            });
        }
    };
    // A guest is told to sign in before filling a form that only a signed-in user may send.
    let signed_in = {
        let user = session::user();
        move || user.get().is_some()
    };
    let sign_in_first = || {
        view! { <ErrorView error=AppError::unauthorized("Please sign in to create a blog.")/> }
    };
    view! {
        <Title text="New blog · Stratus"/>
        <section class="page">
            <h1>"Create your blog"</h1>
            <Show when=signed_in fallback=sign_in_first>
            <form class="card" on:submit=on_submit novalidate>
                <label for="blog-name">"Name"</label>
                <input id="blog-name" maxlength=MAX_BLOG_NAME_CHARS prop:value=name on:input=move |ev| name.set(event_target_value(&ev))
                    aria-invalid=move || name_error.get().is_some().to_string() aria-describedby="blog-name-error"/>
                <p id="blog-name-error" class="field-error" role="alert">{move || name_error.get()}</p>
                <label for="blog-description">"What it is about (optional)"</label>
                <textarea id="blog-description" rows="2" prop:value=description on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                <p class="form-error" role="alert">{move || server_error().filter(|e| e.field() != Some("name")).map(|e| e.to_string())}</p>
                <button type="submit" disabled=move || create.pending().get()>"Create blog"</button>
            </form>
            </Show>
        </section>
    }
}
