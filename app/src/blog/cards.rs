//! A post as lists show it: with its blog, tags, author's name, comment count, the start of its
//! text and its reading time. Assembled on
//! the server with a bounded number of requests per page: the posts' query (with `blog` and
//! `tags` included, one BatchGetItem each), one profile read per distinct author, one COUNT
//! query per post.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::dates::local_date;
use crate::models::Post;

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
    pub reading_minutes: u32,
}

/// One page of cards and the token for the next ("older posts").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardPage {
    pub cards: Vec<PostCard>,
    pub next_token: Option<String>,
}

/// What a post's author is called when they have not written a profile yet.
pub const NAMELESS_AUTHOR: &str = "A Stratus writer";

#[cfg(feature = "ssr")]
pub async fn cards_for(posts: Vec<Post>) -> Result<Vec<PostCard>, stratus::error::AppError> {
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
            let reading_minutes = super::excerpt::reading_minutes(&post.body);
            // A page of cards would otherwise carry every post's whole text.
            post.body = String::new();
            PostCard {
                post,
                author,
                comment_count,
                excerpt,
                reading_minutes,
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

#[component]
pub fn PostCardView(card: PostCard) -> impl IntoView {
    let PostCard {
        post,
        author,
        comment_count,
        excerpt,
        reading_minutes,
    } = card;
    let when = post
        .published_at
        .clone()
        .unwrap_or_else(|| post.created_at.clone());
    let blog = post.blog.as_ref().map(|b| b.name.clone());
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
                {blog.map(|b| view! { <span class="post-blog">{b}</span>" · " })}
                <span class="post-author">{author}</span>" · "
                <time datetime=when.clone()>{local_date(&when)}</time>" · "
                <span class="post-reading-time">{reading_minutes}" min read"</span>" · "
                <span class="post-comments">{comments}</span>
            </p>
            {(!excerpt.is_empty()).then(|| view! { <p class="post-excerpt">{excerpt}</p> })}
            <TagList tags/>
        </article>
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
