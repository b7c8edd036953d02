//! A post as lists show it: with its blog, tags, author's name, comment count, reading time and
//! the start of its text. Assembled on
//! the server with a bounded number of requests per page: the posts' query (with `blog` and
//! `tags` included, one BatchGetItem each), one profile read per distinct author, one COUNT
//! query per post.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::dates::local_date;
use crate::error_view::ErrorView;
use crate::models::Post;
use stratus::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostCard {
    /// The post without its body: a list shows the excerpt instead.
    pub post: Post,
    /// The author's display name from their profile.
    pub author: String,
    pub comment_count: u64,
    /// The start of the text, without Markdown (`excerpt::excerpt`).
    pub excerpt: String,
}

/// One page of cards and the token for the next ("older posts").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardPage {
    pub cards: Vec<PostCard>,
    pub next_token: Option<String>,
}

/// Cards on one page of a list ("Older posts" loads the next).
pub const CARDS_PER_PAGE: u32 = 10;

/// One page of `posts`, newest first, as cards with their blogs and tags.
#[cfg(feature = "ssr")]
pub async fn newest_first(
    posts: stratus::data::Query<Post>,
    next_token: Option<String>,
) -> Result<CardPage, AppError> {
    let page = posts
        .descending()
        .limit(CARDS_PER_PAGE)
        .after(next_token)
        .include(Post::BLOG)
        .include(Post::TAGS)
        .fetch()
        .await?;
    Ok(CardPage {
        cards: cards_for(page.items).await?,
        next_token: page.next_token,
    })
}

/// What a post's author is called when they have not written a profile yet.
pub const NAMELESS_AUTHOR: &str = "A Stratus writer";

#[cfg(feature = "ssr")]
pub async fn cards_for(posts: Vec<Post>) -> Result<Vec<PostCard>, AppError> {
    use futures::future::try_join_all;

    let names =
        super::profiles::display_names(posts.iter().filter_map(|p| p.owner.clone())).await?;
    let counts = try_join_all(
        posts
            .iter()
            .map(|post| stratus::store::access::count_related(Post::COMMENTS, post.id.clone())),
    )
    .await?;
    Ok(posts
        .into_iter()
        .zip(counts)
        .map(|(mut post, comment_count)| {
            let author = author_name(&names, post.owner.as_deref());
            let excerpt = super::excerpt::excerpt(&post.body);
            // A page of cards would otherwise carry every post's whole text.
            post.body = String::new();
            PostCard {
                post,
                author,
                comment_count,
                excerpt,
            }
        })
        .collect())
}

/// A user's display name, or [`NAMELESS_AUTHOR`] when they have no profile.
#[cfg(feature = "ssr")]
pub fn author_name(
    names: &std::collections::HashMap<String, String>,
    owner: Option<&str>,
) -> String {
    owner
        .and_then(|o| names.get(o))
        .cloned()
        .unwrap_or_else(|| NAMELESS_AUTHOR.to_owned())
}

/// Cards a page at a time: the first page at once, then "Older posts" appends the next.
#[component]
pub fn CardFeed<Load, Answer>(
    load: Load,
    /// What the list says when there is nothing in it.
    empty: &'static str,
    testid: &'static str,
) -> impl IntoView
where
    Load: Fn(Option<String>) -> Answer + 'static,
    Answer: std::future::Future<Output = Result<CardPage, AppError>> + 'static,
{
    let cards = RwSignal::new(Vec::<PostCard>::new());
    let next = RwSignal::new(None::<String>);
    let load = Action::new_local(move |token: &Option<String>| load(token.clone()));
    Effect::new(move |_| {
        if let Some(Ok(page)) = load.value().get() {
            cards.update(|all| all.extend(page.cards));
            next.set(page.next_token);
        }
    });
    load.dispatch(None);
    view! {
        <div class="cards" data-testid=testid>
            <For each=move || cards.get() key=|card| card.post.id.clone() let:card>
                <PostCardView card/>
            </For>
        </div>
        {move || match load.value().get() {
            Some(Err(error)) => {
                let retry = Callback::new(move |_| { load.dispatch(next.get_untracked()); });
                view! { <ErrorView error retry/> }.into_any()
            }
            _ if load.pending().get() => view! { <p class="loading" role="status">"Loading posts…"</p> }.into_any(),
            _ if cards.with(Vec::is_empty) => view! { <p class="empty">{empty}</p> }.into_any(),
            _ => next.get().map(|token| view! {
                <button type="button" class="secondary" on:click=move |_| { load.dispatch(Some(token.clone())); }>"Older posts"</button>
            }).into_any(),
        }}
    }
}

#[component]
pub fn PostCardView(card: PostCard) -> impl IntoView {
    let PostCard {
        post,
        author,
        comment_count,
        excerpt,
    } = card;
    let when = post
        .published_at
        .clone()
        .unwrap_or_else(|| post.created_at.clone());
    let blog = post.blog.as_ref().map(|b| (b.id.clone(), b.name.clone()));
    let tags: Vec<String> = post
        .tags
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.label)
        .collect();
    let comments = match comment_count {
        0 => "No comments".to_owned(),
        1 => "1 comment".to_owned(),
        n => format!("{n} comments"),
    };
    view! {
        <article class="post-card card">
            <h2><a href=format!("/posts/{}", post.id)>{post.title.clone()}</a></h2>
            <p class="post-meta">
                {blog.map(|(id, name)| view! { <a class="post-blog" href=format!("/blogs/{id}")>{name}</a>" · " })}
                <AuthorName owner=post.owner.clone() name=author/>" · "
                <time datetime=when.clone()>{local_date(&when)}</time>" · "
                {post.reading_minutes.map(|minutes| view! { <span class="post-reading-time">{minutes.max(1)}" min read"</span>" · " })}
                <span class="post-comments">{comments}</span>
            </p>
            {(!excerpt.is_empty()).then(|| view! { <p class="post-excerpt">{excerpt}</p> })}
            <TagList tags/>
        </article>
    }
}

/// The author's name, linking to their page.
#[component]
pub fn AuthorName(owner: Option<String>, name: String) -> impl IntoView {
    match owner {
        Some(owner) => {
            view! { <a class="post-author" href=format!("/authors/{owner}")>{name}</a> }.into_any()
        }
        None => view! { <span class="post-author">{name}</span> }.into_any(),
    }
}

#[component]
pub fn TagList(tags: Vec<String>) -> impl IntoView {
    (!tags.is_empty()).then(|| view! {
        <ul class="tags" aria-label="Tags">
            {tags.into_iter().map(|tag| view! { <li><a href=format!("/tags/{tag}")>"#"{tag.clone()}</a></li> }).collect_view()}
        </ul>
    })
}
