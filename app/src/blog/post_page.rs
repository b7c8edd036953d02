//! One post, whole: rendered Markdown, its blog, author and tags, and its comments with a form
//! to add one. The owner gets edit and delete; a comment can be deleted by whoever wrote it and
//! by the owner of the post it is on. Comments are live: others' new comments appear, and
//! deleted ones go, without a reload (`stratus::live::observe`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::{Deserialize, Serialize};

use std::collections::{HashMap, HashSet};

use super::cards::{AuthorName, PostCard, TagList};
use super::markdown::to_safe_html;
use super::profiles::author_names;
use crate::account::paths;
use crate::dates::local_date_time;
use crate::error_view::ErrorView;
use crate::models::{post_comments, Comment, ModelCommentFilter, ModelPostFilter, Post};
use stratus::auth::session;
use stratus::data::filter::StringFilter;
use stratus::data::spec::ChangeKind;
use stratus::error::AppError;
use stratus::live::{observe, watch, LiveEvent, Observed};

pub const MAX_COMMENT_CHARS: usize = 2000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostView {
    pub card: PostCard,
}

pub fn check_comment(text: &str) -> Option<String> {
    crate::text::refusal(
        text,
        MAX_COMMENT_CHARS,
        "Please write a comment first.",
        "A comment",
    )
}

#[stratus::server]
pub async fn read_post(id: String) -> Result<PostView, AppError> {
    use crate::models::get_post;

    let include = Some(vec![Post::BLOG.into(), Post::TAGS.into()]);
    let post = get_post(id.clone(), include)
        .await?
        .ok_or_else(|| AppError::not_found("There is no such post. It may have been deleted."))?;
    let mut card = super::cards::cards_for(vec![post.clone()])
        .await?
        .pop()
        .expect("one card per post");
    // The page shows the whole text, which a card leaves out.
    card.post = post;
    Ok(PostView { card })
}

/// Keeps the shown title, text and reading time up to date with the writer's edits.
fn follow_edits(
    post_id: String,
    text: RwSignal<(String, String, Option<i64>)>,
    reread: Callback<()>,
) {
    let this_post = ModelPostFilter {
        id: Some(StringFilter {
            eq: Some(post_id),
            ..StringFilter::default()
        }),
        ..ModelPostFilter::default()
    };
    let mut interrupted = false;
    watch::<Post>(
        ChangeKind::Update,
        Some(this_post),
        move |event| match event {
            LiveEvent::Changed(_, post) => text.set((post.title, post.body, post.reading_minutes)),
            LiveEvent::Interrupted => interrupted = true,
            LiveEvent::Subscribed if interrupted => {
                interrupted = false;
                reread.run(());
            }
            LiveEvent::Subscribed | LiveEvent::Refused(_) => {}
        },
    );
}

/// How many comments a post page shows.
const MAX_COMMENTS: u32 = 500;

/// The comments on a post, oldest first.
fn by_age(a: &Comment, b: &Comment) -> std::cmp::Ordering {
    a.created_at.cmp(&b.created_at)
}

#[stratus::server]
pub async fn add_comment(
    #[server(rename = "postId")] post_id: String,
    content: String,
) -> Result<Comment, AppError> {
    use crate::models::{get_post, CreateCommentInput};

    if let Some(problem) = check_comment(&content) {
        return Err(AppError::invalid("content", problem));
    }
    if get_post(post_id.clone(), None).await?.is_none() {
        return Err(AppError::not_found(
            "This post was deleted; your comment was not saved.",
        ));
    }
    let input = CreateCommentInput {
        content: content.trim().to_owned(),
        post_comments_id: Some(post_id),
        ..Default::default()
    };
    stratus::store::access::create(&input).await
}

/// Deletes a comment: its author may, and so may whoever may delete the post it is on (the
/// schema's `allow: parent` rule on Comment).
#[stratus::server]
pub async fn remove_comment(id: String) -> Result<(), AppError> {
    crate::models::delete_comment(id, None)
        .await
        .map_err(|error| match error {
            AppError::Forbidden { .. } => AppError::forbidden(
                "Only the comment's author or the post's owner may delete this comment.",
            ),
            AppError::Unauthorized { .. } => {
                AppError::unauthorized("Please sign in to delete comments.")
            }
            AppError::NotFound { .. } => {
                AppError::not_found("There is no such comment. It may have been deleted already.")
            }
            other => other,
        })?;
    Ok(())
}

#[component]
pub fn PostPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let post = LocalResource::new(move || read_post(id()));
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the post…"</p> }>
            {move || post.get().map(|result| match result {
                Ok(view) => view! { <PostArticle view reread=Callback::new(move |()| post.refetch())/> }.into_any(),
                Err(error) => view! { <Title text="Post · Stratus"/><ErrorView error retry=Callback::new(move |_| post.refetch())/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The post; its writer's edits show as they are saved (`reread`: the page reads the post again
/// after the live connection was interrupted, in case an edit was missed).
#[component]
fn PostArticle(view: PostView, reread: Callback<()>) -> impl IntoView {
    let PostView { card } = view;
    let post = card.post.clone();
    let me = session::user().get_untracked().map(|u| u.sub);
    let mine = me.is_some() && post.owner == me;
    let text = RwSignal::new((post.title.clone(), post.body.clone(), post.reading_minutes));
    follow_edits(post.id.clone(), text, reread);
    let title = move || text.with(|(title, _, _)| title.clone());
    let html = move || text.with(|(_, body, _)| to_safe_html(body));
    let reading_minutes = move || text.with(|(_, _, minutes)| *minutes);
    let when = post
        .published_at
        .clone()
        .unwrap_or_else(|| post.created_at.clone());
    let tags: Vec<String> = post
        .tags
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.label)
        .collect();
    let delete = Action::new_local({
        let id = post.id.clone();
        move |_: &()| crate::models::delete_post(id.clone(), None)
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = delete.value().get() {
            navigate("/", Default::default());
        }
    });
    let confirm_delete = move |_| {
        let sure = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message("Delete this post and its comments?")
                    .ok()
            })
            .unwrap_or(false);
        if sure {
            delete.dispatch(());
        }
    };
    view! {
        <Title text=move || format!("{} · Stratus", title())/>
        <article class="page post">
            <h1>{title}</h1>
            <p class="post-meta">
                {post.blog.as_ref().map(|b| view! { <a class="post-blog" href=format!("/blogs/{}", b.id)>{b.name.clone()}</a>" · " })}
                <AuthorName owner=post.owner.clone() name=card.author.clone()/>" · "
                <time datetime=when.clone()>{local_date_time(&when)}</time>
                {move || reading_minutes().map(|m| view! { " · "<span>{m.max(1)}" min read"</span> })}
            </p>
            <TagList tags/>
            {mine.then(|| view! {
                <p class="owner-actions">
                    <a href=format!("/posts/{}/edit", post.id)>"Edit"</a>
                    <button type="button" class="link-button danger" on:click=confirm_delete>"Delete post"</button>
                </p>
            })}
            {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorView error/> })}
            <div class="markdown" inner_html=html></div>
        </article>
        <Comments post_id=post.id.clone() post_owner=post.owner.clone()/>
    }
}

#[component]
fn Comments(post_id: String, post_owner: Option<String>) -> impl IntoView {
    let user = session::user();
    let me = user.get_untracked().map(|u| u.sub);
    let on_this_post = ModelCommentFilter {
        post_comments_id: Some(StringFilter {
            eq: Some(post_id.clone()),
            ..StringFilter::default()
        }),
        ..ModelCommentFilter::default()
    };
    let thread = observe::<Comment, _, _>(
        Some(on_this_post),
        {
            let post_id = post_id.clone();
            move || {
                let post_id = post_id.clone();
                async move {
                    let page = post_comments(post_id, Some(MAX_COMMENTS), None, None).await?;
                    Ok(page.items)
                }
            }
        },
        by_age,
    );
    let names = author_names_of(thread);
    let remove = Action::new_local(|comment: &Comment| {
        let comment = comment.clone();
        async move { remove_comment(comment.id.clone()).await.map(|()| comment) }
    });
    // Shown at once, whether or not the live connection is up to report it.
    Effect::new(move |_| {
        if let Some(Ok(removed)) = remove.value().get() {
            thread.apply(ChangeKind::Delete, removed);
        }
    });
    let count = move || {
        thread
            .items
            .with(|items| items.as_ref().map_or(0, Vec::len))
    };
    view! {
        <section class="comments" aria-label="Comments">
            <h2>{move || match count() { 0 => "No comments yet".to_owned(), 1 => "1 comment".to_owned(), n => format!("{n} comments") }}</h2>
            {move || remove.value().get().and_then(Result::err).map(|error| view! { <ErrorView error/> })}
            {move || thread.error.get().map(|error| view! { <ErrorView error/> })}
            <ol class="comment-list" data-testid="comments" data-live=move || thread.live.get().to_string()>
                <For each=move || thread.items.get().unwrap_or_default() key=|comment| (comment.id.clone(), comment.version) let:comment>
                    {
                        let may_delete = me.is_some() && (comment.owner == me || post_owner == me);
                        let owner = comment.owner.clone();
                        let removed = comment.clone();
                        // Blank for the moment it takes to learn a new author's name.
                        let author = move || names.with(|names| owner.as_ref().and_then(|o| names.get(o).cloned()).unwrap_or_default());
                        view! {
                            <li class="comment card">
                                <p class="comment-text">{comment.content.clone()}</p>
                                <p class="post-meta">
                                    <span class="comment-author">{author}</span>" · "
                                    <time datetime=comment.created_at.clone()>{local_date_time(&comment.created_at)}</time>
                                    {may_delete.then(|| view! {
                                        " · "<button type="button" class="link-button danger" on:click=move |_| { remove.dispatch(removed.clone()); }>"Delete comment"</button>
                                    })}
                                </p>
                            </li>
                        }
                    }
                </For>
            </ol>
            {move || match user.get() {
                Some(_) => view! { <CommentForm post_id=post_id.clone() thread/> }.into_any(),
                None => view! { <p class="card"><a href=paths::SIGN_IN>"Sign in"</a>" to comment."</p> }.into_any(),
            }}
        </section>
    }
}

/// The names of the comments' authors, asked for as new authors appear.
fn author_names_of(thread: Observed<Comment>) -> RwSignal<HashMap<String, String>> {
    let names = RwSignal::new(HashMap::new());
    let asked = StoredValue::new(HashSet::<String>::new());
    Effect::new(move |_| {
        let wanted: Vec<String> = thread.items.with(|items| {
            items
                .iter()
                .flatten()
                .filter_map(|c| c.owner.clone())
                .filter(|owner| !asked.with_value(|asked| asked.contains(owner)))
                .collect::<HashSet<_>>()
                .into_iter()
                .collect()
        });
        if wanted.is_empty() {
            return;
        }
        asked.update_value(|asked| asked.extend(wanted.iter().cloned()));
        leptos::task::spawn_local(async move {
            if let Ok(found) = author_names(wanted).await {
                names.update(|names| names.extend(found));
            }
        });
    });
    names
}

#[component]
fn CommentForm(post_id: String, thread: Observed<Comment>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let add = ServerAction::<AddComment>::new();
    let error = Signal::derive(move || {
        let typed = text.get();
        (submitted.get() || !typed.is_empty())
            .then(|| check_comment(&typed))
            .flatten()
            .or_else(|| {
                add.value()
                    .get()
                    .and_then(Result::err)
                    .map(|e| e.to_string())
            })
    });
    Effect::new(move |_| {
        if let Some(Ok(comment)) = add.value().get() {
            text.set(String::new());
            submitted.set(false);
            // The live subscription reports it too; the list keeps it once.
            thread.apply(ChangeKind::Create, comment);
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if check_comment(&text.get_untracked()).is_none() {
            add.dispatch(AddComment {
                post_id: post_id.clone(),
                content: text.get_untracked(),
            });
        }
    };
    view! {
        <form class="card" on:submit=on_submit novalidate>
            <label for="comment">"Your comment"</label>
            <textarea id="comment" rows="3" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string() aria-describedby="comment-error"></textarea>
            <p id="comment-error" class="field-error" role="alert">{move || error.get()}</p>
            <button type="submit" disabled=move || add.pending().get()>"Comment"</button>
        </form>
    }
}
