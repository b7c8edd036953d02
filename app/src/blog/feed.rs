//! The home page: published posts across all blogs, newest first, a page at a time.

use leptos::prelude::*;
use leptos_meta::Title;

use super::cards::{CardFeed, CardPage};
use stratus::error::AppError;

#[stratus::server]
pub async fn recent_posts(
    #[server(rename = "nextToken")] next_token: Option<String>,
) -> Result<CardPage, AppError> {
    use crate::models::{Post, PostStatus};

    super::cards::newest_first(Post::by_status(PostStatus::Published), next_token).await
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
