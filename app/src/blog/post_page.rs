//! One post, whole: rendered Markdown, its blog, author and tags, and its comments with a form
//! to add one. The owner gets edit and delete; a comment can be deleted by whoever wrote it and
//! by the owner of the post it is on.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::{Deserialize, Serialize};

use super::cards::{AuthorName, PostCard, TagList};
use super::markdown::to_safe_html;
use crate::account::paths;
use crate::dates::local_date_time;
use crate::error_view::ErrorView;
use crate::models::Comment;
use stratus::auth::session;
use stratus::error::AppError;

pub const MAX_COMMENT_CHARS: usize = 2000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentCard {
    pub comment: Comment,
    pub author: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostView {
    pub card: PostCard,
    /// Oldest first.
    pub comments: Vec<CommentCard>,
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
    use crate::models::{get_post, post_comments, Post};

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
    let mut comments = post_comments(id, Some(500), None, None).await?.items;
    comments.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    let names =
        super::profiles::display_names(comments.iter().filter_map(|c| c.owner.clone())).await?;
    let comments = comments
        .into_iter()
        .map(|comment| CommentCard {
            author: super::cards::author_name(&names, comment.owner.as_deref()),
            comment,
        })
        .collect();
    Ok(PostView { card, comments })
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
    let reload = RwSignal::new(0u32);
    let post = LocalResource::new(move || {
        reload.get();
        read_post(id())
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the post…"</p> }>
            {move || post.get().map(|result| match result {
                Ok(view) => view! { <PostArticle view reload/> }.into_any(),
                Err(error) => view! { <Title text="Post · Stratus"/><ErrorView error retry=Callback::new(move |_| post.refetch())/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn PostArticle(view: PostView, reload: RwSignal<u32>) -> impl IntoView {
    let PostView { card, comments } = view;
    let post = card.post.clone();
    let me = session::user().get_untracked().map(|u| u.sub);
    let mine = me.is_some() && post.owner == me;
    let html = to_safe_html(&post.body);
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
        <Title text=format!("{} · Stratus", post.title)/>
        <article class="page post">
            <h1>{post.title.clone()}</h1>
            <p class="post-meta">
                {post.blog.as_ref().map(|b| view! { <a class="post-blog" href=format!("/blogs/{}", b.id)>{b.name.clone()}</a>" · " })}
                <AuthorName owner=post.owner.clone() name=card.author.clone()/>" · "
                <time datetime=when.clone()>{local_date_time(&when)}</time>
                {post.reading_minutes.map(|m| view! { " · "<span>{m.max(1)}" min read"</span> })}
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
        <Comments post_id=post.id.clone() post_owner=post.owner.clone() comments reload/>
    }
}

#[component]
fn Comments(
    post_id: String,
    post_owner: Option<String>,
    comments: Vec<CommentCard>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let user = session::user();
    let me = user.get_untracked().map(|u| u.sub);
    let remove = Action::new_local(|id: &String| remove_comment(id.clone()));
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let count = comments.len();
    view! {
        <section class="comments" aria-label="Comments">
            <h2>{match count { 0 => "No comments yet".to_owned(), 1 => "1 comment".to_owned(), n => format!("{n} comments") }}</h2>
            {move || remove.value().get().and_then(Result::err).map(|error| view! { <ErrorView error/> })}
            <ol class="comment-list" data-testid="comments">
                {comments.into_iter().map(|CommentCard { comment, author }| {
                    let may_delete = me.is_some() && (comment.owner == me || post_owner == me);
                    let id = comment.id.clone();
                    view! {
                        <li class="comment card">
                            <p class="comment-text">{comment.content.clone()}</p>
                            <p class="post-meta">
                                <span class="comment-author">{author}</span>" · "
                                <time datetime=comment.created_at.clone()>{local_date_time(&comment.created_at)}</time>
                                {may_delete.then(|| view! {
                                    " · "<button type="button" class="link-button danger" on:click=move |_| { remove.dispatch(id.clone()); }>"Delete comment"</button>
                                })}
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {move || match user.get() {
                Some(_) => view! { <CommentForm post_id=post_id.clone() reload/> }.into_any(),
                None => view! { <p class="card"><a href=paths::SIGN_IN>"Sign in"</a>" to comment."</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CommentForm(post_id: String, reload: RwSignal<u32>) -> impl IntoView {
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
        if let Some(Ok(_)) = add.value().get() {
            text.set(String::new());
            submitted.set(false);
            reload.update(|n| *n += 1);
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
