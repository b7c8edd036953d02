//! Writing and editing a post: title, blog, Markdown body with a live preview, tags (new ones
//! are created, existing ones reused), saved as a draft or published. An edit names the version
//! it started from; if someone saved in between, the writer is told and offered the newer
//! version instead of overwriting it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::markdown::to_safe_html;
use super::unsaved::{Slot, Typed};
use crate::error_view::ErrorView;
use crate::models::{Blog, Post};
use stratus::auth::session;
use stratus::error::AppError;

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 100_000;
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG_CHARS: usize = 30;

/// What the editor sends: a new post (`id: None`) or an edit of the version it loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostDraft {
    pub id: Option<String>,
    pub expected_version: Option<u64>,
    pub blog_id: String,
    pub title: String,
    pub body: String,
    /// As typed: labels separated by commas.
    pub tags: String,
    pub publish: bool,
}

pub fn check_title(title: &str) -> Option<String> {
    crate::text::refusal(
        title,
        MAX_TITLE_CHARS,
        "Please give the post a title.",
        "A title",
    )
}

pub fn check_body(body: &str) -> Option<String> {
    if body.trim().is_empty() {
        Some("Please write something first.".into())
    } else if body.chars().count() > MAX_BODY_CHARS {
        Some(format!(
            "A post can have at most {MAX_BODY_CHARS} characters."
        ))
    } else {
        None
    }
}

/// Tags as typed ("Rust, serverless,  rust") to labels: lowercase, trimmed, each once, in order.
pub fn parse_tags(typed: &str) -> Result<Vec<String>, String> {
    let mut labels: Vec<String> = Vec::new();
    for raw in typed.split(',') {
        let label = raw.trim().trim_start_matches('#').to_lowercase();
        if label.is_empty() || labels.contains(&label) {
            continue;
        }
        if label.chars().count() > MAX_TAG_CHARS {
            return Err(format!(
                "A tag can have at most {MAX_TAG_CHARS} characters: {label:?} is longer."
            ));
        }
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Err(format!(
                "Tags are letters, digits and dashes: {label:?} has something else."
            ));
        }
        labels.push(label);
    }
    if labels.len() > MAX_TAGS {
        return Err(format!("A post can have at most {MAX_TAGS} tags."));
    }
    Ok(labels)
}

/// The caller's blogs, to choose where a post goes.
#[stratus::server]
pub async fn my_blogs() -> Result<Vec<Blog>, AppError> {
    let caller = stratus::data::auth::Caller::from_context();
    let Some(me) = caller.user_id() else {
        return Err(AppError::unauthorized("Please sign in to write."));
    };
    super::blogs::blogs_of(me, None).await
}

#[stratus::server]
pub async fn save_post(draft: PostDraft) -> Result<Post, AppError> {
    server::save(draft).await
}

#[cfg(feature = "ssr")]
pub(super) mod server {
    use super::*;
    use crate::models::{
        create_tag, get_blog, get_post, link_post_tags, unlink_post_tags, CreatePostInput,
        CreateTagInput, PostStatus, Tag, UpdatePostInput,
    };
    use stratus::data::auth::Caller;
    use stratus::store::access;

    pub async fn save(draft: PostDraft) -> Result<Post, AppError> {
        if let Some(problem) = check_title(&draft.title) {
            return Err(AppError::invalid("title", problem));
        }
        if let Some(problem) = check_body(&draft.body) {
            return Err(AppError::invalid("body", problem));
        }
        let labels =
            parse_tags(&draft.tags).map_err(|problem| AppError::invalid("tags", problem))?;
        let caller = Caller::from_context();
        // The post being edited, read once. An edit of someone else's post is refused as such,
        // whatever else is wrong with it.
        let current: Option<Post> = match &draft.id {
            Some(id) => {
                let post = get_post(id.clone(), Some(vec![Post::TAGS.into()]))
                    .await?
                    .ok_or_else(|| {
                        AppError::not_found("This post was deleted while you edited it.")
                    })?;
                if post.owner.is_none() || post.owner.as_deref() != caller.user_id() {
                    return Err(AppError::forbidden("Only its owner may change this Post."));
                }
                Some(post)
            }
            None => None,
        };
        let blog = get_blog(draft.blog_id.clone(), None)
            .await?
            .ok_or_else(|| AppError::invalid("blogId", "Please choose one of your blogs."))?;
        if blog.owner.as_deref() != caller.user_id() {
            return Err(AppError::invalid(
                "blogId",
                "You can only post to your own blogs.",
            ));
        }
        let tag_ids = tag_ids(&labels).await?;
        let status = if draft.publish {
            PostStatus::Published
        } else {
            PostStatus::Draft
        };
        let reading_minutes = Some(super::super::markdown::reading_minutes(&draft.body).max(1));
        let post_id = match (current, draft.expected_version) {
            (None, _) => {
                let input = CreatePostInput {
                    blog_id: draft.blog_id,
                    title: draft.title.trim().to_owned(),
                    body: draft.body,
                    status: Some(status),
                    published_at: draft.publish.then(now),
                    reading_minutes,
                    link_tags: Some(tag_ids),
                    ..Default::default()
                };
                let created: Post = access::create(&input).await?;
                created.id
            }
            (Some(current), Some(expected_version)) => {
                let id = current.id.clone();
                let published_at = match (draft.publish, &current.published_at) {
                    (true, Some(first)) => Some(first.clone()),
                    (true, None) => Some(now()),
                    (false, _) => None,
                };
                let input = UpdatePostInput {
                    id: id.clone(),
                    blog_id: Some(draft.blog_id),
                    title: Some(draft.title.trim().to_owned()),
                    body: Some(draft.body),
                    status: Some(status),
                    published_at,
                    reading_minutes,
                    expected_version,
                    ..Default::default()
                };
                let _: Post = access::update(&input).await.map_err(|error| match error {
                    AppError::Conflict { .. } => AppError::conflict(
                        "Someone saved this post after you opened it. Load the newer version to see their changes.",
                    ),
                    other => other,
                })?;
                let linked: Vec<String> = current
                    .tags
                    .unwrap_or_default()
                    .into_iter()
                    .map(|t| t.id)
                    .collect();
                for gone in linked.iter().filter(|t| !tag_ids.contains(t)) {
                    unlink_post_tags(id.clone(), gone.clone()).await?;
                }
                for added in tag_ids.iter().filter(|t| !linked.contains(t)) {
                    link_post_tags(id.clone(), added.clone()).await?;
                }
                id
            }
            (Some(_), None) => {
                return Err(AppError::malformed(
                    "An edit must say which version of the post it started from.",
                ))
            }
        };
        get_post(post_id, Some(vec![Post::TAGS.into(), Post::BLOG.into()]))
            .await?
            .ok_or_else(|| AppError::not_found("The post was deleted just after saving."))
    }

    /// The ids of the tags with these labels, creating the ones that do not exist yet.
    async fn tag_ids(labels: &[String]) -> Result<Vec<String>, AppError> {
        let mut ids = Vec::with_capacity(labels.len());
        for label in labels {
            let found = Tag::by_label(label.clone()).limit(1).fetch().await?;
            let id = match found.items.into_iter().next() {
                Some(tag) => tag.id,
                None => {
                    create_tag(CreateTagInput {
                        label: label.clone(),
                        ..Default::default()
                    })
                    .await?
                    .id
                }
            };
            ids.push(id);
        }
        Ok(ids)
    }

    /// Now, as the posts' dates are stored (RFC 3339).
    pub(in crate::blog) fn now() -> String {
        time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    }
}

/// `/write` (a new post, `?blog=` preselects a blog) and `/posts/:id/edit`.
#[component]
pub fn EditorPage() -> impl IntoView {
    let params = use_params_map();
    let editing = params.with_untracked(|p| p.get("id"));
    let blogs = LocalResource::new(my_blogs);
    let loaded = LocalResource::new({
        let editing = editing.clone();
        move || {
            let editing = editing.clone();
            async move {
                match editing {
                    Some(id) => crate::models::get_post(id, Some(vec![Post::TAGS.into()])).await,
                    None => Ok(None),
                }
            }
        }
    });
    let heading = if editing.is_some() {
        "Edit post"
    } else {
        "Write a post"
    };
    view! {
        <Title text=format!("{heading} · Stratus")/>
        <section class="page editor">
            <h1>{heading}</h1>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
                {move || match (blogs.get(), loaded.get()) {
                    (Some(Ok(blogs)), Some(Ok(post))) => {
                        if let Some(error) = cannot_edit(editing.is_some(), post.as_ref()) {
                            view! { <ErrorView error/> }.into_any()
                        } else if blogs.is_empty() {
                            view! { <p class="card">"Posts live in a blog. "<a href="/blogs/new">"Create your blog"</a>" first."</p> }.into_any()
                        } else {
                            view! { <EditorForm blogs post/> }.into_any()
                        }
                    }
                    (Some(Err(error)), _) | (_, Some(Err(error))) => view! { <ErrorView error retry=Callback::new(move |_| { blogs.refetch(); loaded.refetch(); })/> }.into_any(),
                    _ => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
                }}
            </Suspense>
        </section>
    }
}

/// Why the editor cannot open the post it was asked for: gone, or someone else's. (The server
/// refuses another's edit anyway; this says so before anything is typed.)
fn cannot_edit(editing: bool, post: Option<&Post>) -> Option<AppError> {
    if !editing {
        return None;
    }
    let Some(post) = post else {
        return Some(AppError::not_found(
            "There is no such post to edit. It may have been deleted.",
        ));
    };
    let me = session::user().get_untracked().map(|user| user.sub);
    (post.owner.is_none() || post.owner != me)
        .then(|| AppError::forbidden("This post is someone else's: only its writer can edit it."))
}

#[component]
fn EditorForm(blogs: Vec<Blog>, post: Option<Post>) -> impl IntoView {
    let query = use_query_map();
    let preselected = query.with_untracked(|q| q.get("blog"));
    // What the server has (or an empty new post), and what this browser kept unsaved.
    let saved = RwSignal::new(match &post {
        Some(post) => typed_of(post),
        None => Typed {
            blog_id: preselected.unwrap_or_else(|| blogs[0].id.clone()),
            ..Typed::default()
        },
    });
    let me = session::user()
        .get_untracked()
        .map(|user| user.sub)
        .unwrap_or_default();
    let slot = Slot::new(&me, post.as_ref().map(|p| p.id.as_str()));
    let kept = slot.load().filter(|kept| *kept != saved.get_untracked());
    let restored = RwSignal::new(kept.is_some());
    let start = kept.unwrap_or_else(|| saved.get_untracked());
    let title = RwSignal::new(start.title);
    let body = RwSignal::new(start.body);
    let tags = RwSignal::new(start.tags);
    let blog_id = RwSignal::new(start.blog_id);
    let typed = move || Typed {
        title: title.get(),
        body: body.get(),
        tags: tags.get(),
        blog_id: blog_id.get(),
    };
    let show = move |version: &Typed| {
        title.set(version.title.clone());
        body.set(version.body.clone());
        tags.set(version.tags.clone());
        blog_id.set(version.blog_id.clone());
    };
    let dirty = Memo::new(move |_| typed() != saved.get());
    Effect::new({
        let slot = slot.clone();
        move |_| {
            // Tracks every keystroke, so the kept text is the latest.
            let now = typed();
            if dirty.get() {
                slot.keep(&now);
            } else {
                slot.forget();
            }
        }
    });
    // Leaving the page (reload, closing the tab, another site) with unsaved text: the browser
    // asks first. The text is kept in storage either way.
    let leaving = window_event_listener(leptos::ev::beforeunload, move |event| {
        if dirty.get_untracked() {
            event.prevent_default();
            event.set_return_value("");
        }
    });
    on_cleanup(move || leaving.remove());

    let id = post.as_ref().map(|p| p.id.clone());
    let version = RwSignal::new(post.as_ref().map(|p| p.version));
    let last_publish = RwSignal::new(true);
    let submitted = RwSignal::new(false);
    let save = ServerAction::<SavePost>::new();
    let server_error = move || save.value().get().and_then(Result::err);
    let field_error =
        move |field: &'static str, local: fn(&str) -> Option<String>, value: RwSignal<String>| {
            // Checked as the user types; an empty field only once they tried to save.
            Signal::derive(move || {
                let typed = value.get();
                (submitted.get() || !typed.trim().is_empty())
                    .then(|| local(&typed))
                    .flatten()
                    .or_else(|| {
                        server_error()
                            .filter(|e| e.field() == Some(field))
                            .map(|e| e.to_string())
                    })
            })
        };
    let title_error = field_error("title", check_title, title);
    let body_error = field_error("body", check_body, body);
    let tags_error = field_error("tags", |t| parse_tags(t).err(), tags);
    let conflict = move || matches!(server_error(), Some(AppError::Conflict { .. }));
    // After a conflict: the version saved meanwhile, shown beside the person's own.
    let theirs = Action::new_local({
        let id = id.clone();
        move |_: &()| {
            let id = id.clone();
            async move {
                match id {
                    Some(id) => crate::models::get_post(id, Some(vec![Post::TAGS.into()])).await,
                    None => Ok(None),
                }
            }
        }
    });
    Effect::new(move |_| {
        if conflict() {
            theirs.dispatch(());
        }
    });
    let navigate = use_navigate();
    Effect::new({
        let slot = slot.clone();
        move |_| {
            if let Some(Ok(stored)) = save.value().get() {
                saved.set(typed_of(&stored));
                slot.forget();
                navigate(&format!("/posts/{}", stored.id), Default::default());
            }
        }
    });
    let submit = move |publish: bool| {
        submitted.set(true);
        last_publish.set(publish);
        let valid = check_title(&title.get_untracked()).is_none()
            && check_body(&body.get_untracked()).is_none()
            && parse_tags(&tags.get_untracked()).is_ok();
        if valid {
            save.dispatch(SavePost {
                draft: PostDraft {
                    id: id.clone(),
                    expected_version: version.get_untracked(),
                    blog_id: blog_id.get_untracked(),
                    title: title.get_untracked(),
                    body: body.get_untracked(),
                    tags: tags.get_untracked(),
                    publish,
                },
            });
        }
    };
    let publish = {
        let submit = submit.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            submit(true);
        }
    };
    let preview = Memo::new(move |_| to_safe_html(&body.get()));
    view! {
        {move || restored.get().then(|| view! {
            <p class="note" role="status">
                "Your unsaved changes from earlier are back. "
                <button type="button" class="link-button" on:click=move |_| {
                    show(&saved.get_untracked());
                    restored.set(false);
                }>"Discard them"</button>
            </p>
        })}
        <form class="card editor-form" on:submit=publish novalidate>
            <label for="title">"Title"</label>
            <input id="title" maxlength=MAX_TITLE_CHARS prop:value=title on:input=move |ev| title.set(event_target_value(&ev))
                aria-invalid=move || title_error.get().is_some().to_string() aria-describedby="title-error"/>
            <p id="title-error" class="field-error" role="alert">{move || title_error.get()}</p>

            <label for="blog">"Blog"</label>
            <select id="blog" prop:value=blog_id on:change=move |ev| blog_id.set(event_target_value(&ev))>
                {blogs.into_iter().map(|b| view! { <option value=b.id.clone()>{b.name}</option> }).collect_view()}
            </select>

            <div class="editor-panes">
                <div>
                    <label for="body">"Text (Markdown)"</label>
                    <textarea id="body" rows="16" prop:value=body on:input=move |ev| body.set(event_target_value(&ev))
                        aria-invalid=move || body_error.get().is_some().to_string() aria-describedby="body-error"></textarea>
                    <p id="body-error" class="field-error" role="alert">{move || body_error.get()}</p>
                </div>
                <div>
                    <h2 class="preview-heading" id="preview-heading">"Preview"</h2>
                    <div class="markdown preview" aria-labelledby="preview-heading" data-testid="preview" inner_html=preview></div>
                </div>
            </div>

            <label for="tags">"Tags"</label>
            <input id="tags" placeholder="rust, serverless" prop:value=tags on:input=move |ev| tags.set(event_target_value(&ev))
                aria-invalid=move || tags_error.get().is_some().to_string() aria-describedby="tags-hint tags-error"/>
            <p id="tags-hint" class="muted">"Separate tags with commas. New tags are created for you."</p>
            <p id="tags-error" class="field-error" role="alert">{move || tags_error.get()}</p>

            <p class="form-error" role="alert">
                {move || server_error().filter(|e| !matches!(e.field(), Some("title" | "body" | "tags"))).map(|e| e.to_string())}
            </p>
            {let submit_again = submit.clone(); move || conflict().then(|| match theirs.value().get() {
                Some(Ok(Some(newer))) => {
                    let their_text = typed_of(&newer);
                    let their_version = newer.version;
                    let keep_mine = submit_again.clone();
                    view! {
                        <section class="conflict card" aria-labelledby="theirs-heading" data-testid="theirs">
                            <h2 id="theirs-heading">"The version saved meanwhile"</h2>
                            <p class="muted">"Yours is still in the form; nothing you typed is lost. Choose which to keep."</p>
                            <h3>{their_text.title.clone()}</h3>
                            <div class="markdown" inner_html=to_safe_html(&their_text.body)></div>
                            <p class="editor-actions">
                                <button type="button" on:click=move |_| {
                                    // Save mine over theirs: they were seen, so this is no blind overwrite.
                                    version.set(Some(their_version));
                                    keep_mine(last_publish.get_untracked());
                                }>"Keep mine"</button>
                                <button type="button" class="secondary" on:click=move |_| {
                                    show(&their_text);
                                    saved.set(their_text.clone());
                                    version.set(Some(their_version));
                                    save.value().set(None);
                                }>"Use theirs"</button>
                            </p>
                        </section>
                    }.into_any()
                }
                Some(Ok(None)) => view! { <p class="note">"The post was deleted meanwhile. Your text is still in the form and kept in this browser: copy it before you leave."</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorView error/> }.into_any(),
                None => view! { <p class="loading" role="status">"Loading the version saved meanwhile…"</p> }.into_any(),
            })}
            <div class="editor-actions">
                <button type="submit" disabled=move || save.pending().get()>"Publish"</button>
                <button type="button" class="secondary" disabled=move || save.pending().get() on:click=move |_| submit(false)>"Save draft"</button>
            </div>
        </form>
    }
}

/// A stored post's fields as the editor shows them.
fn typed_of(post: &Post) -> Typed {
    Typed {
        title: post.title.clone(),
        body: post.body.clone(),
        tags: post
            .tags
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.label)
            .collect::<Vec<_>>()
            .join(", "),
        blog_id: post.blog_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_and_checked() {
        assert_eq!(
            parse_tags(" Rust, serverless,,  rust, #Leptos ").unwrap(),
            ["rust", "serverless", "leptos"]
        );
        assert!(parse_tags("two words")
            .unwrap_err()
            .contains("letters, digits and dashes"));
        assert!(parse_tags(&"x".repeat(31)).is_err());
        assert!(parse_tags(
            &(0..11)
                .map(|n| format!("t{n}"))
                .collect::<Vec<_>>()
                .join(",")
        )
        .is_err());
        assert_eq!(parse_tags("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn titles_and_bodies_are_required_and_bounded() {
        assert!(check_title("  ").is_some());
        assert!(check_title(&"t".repeat(201)).is_some());
        assert_eq!(check_title("Hello"), None);
        assert!(check_body("").is_some());
        assert_eq!(check_body("text"), None);
    }
}
