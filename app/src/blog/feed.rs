//! The home page: published posts across all blogs, newest first, a page at a time.

use leptos::prelude::*;
use leptos_meta::Title;

use super::cards::{CardFeed, CardPage};
use stratus::error::AppError;

pub const FEED_PAGE_SIZE: u32 = 10;

#[stratus::server]
pub async fn recent_posts(
    #[server(rename = "nextToken")] next_token: Option<String>,
) -> Result<CardPage, AppError> {
    use crate::models::{Post, PostStatus};

    let page = Post::by_status(PostStatus::Published)
        .descending()
        .limit(FEED_PAGE_SIZE)
        .after(next_token)
        .include(Post::BLOG)
        .include(Post::TAGS)
        .fetch()
        .await?;
    Ok(CardPage {
        cards: super::cards::cards_for(page.items).await?,
        next_token: page.next_token,
    })
}

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Stratus: recent posts"/>
        <section class="page feed">
            <h1>"Recent posts"</h1>
            <p class="lede">"What people are writing on Stratus, newest first."</p>
            <CardFeed load=recent_posts empty="No posts yet. Sign in and write the first one." testid="feed"/>
        </section>
    }
}
