//! An author's page (`/authors/:id`): their profile (name, bio, website) and their published
//! posts across their blogs, newest first. Names on cards and posts link here.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::cards::{CardFeed, CardPage};
use crate::error_view::ErrorView;
use stratus::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorHeader {
    pub name: String,
    pub bio: Option<String>,
    pub website: Option<String>,
}

/// How many of an author's posts the page shows.
#[cfg(feature = "ssr")]
const AUTHOR_POSTS: usize = 50;

#[stratus::server]
pub async fn read_author(id: String) -> Result<AuthorHeader, AppError> {
    let profile = crate::models::get_profile(id, None).await?;
    Ok(match profile {
        Some(profile) => AuthorHeader {
            name: profile.display_name,
            bio: profile.bio.filter(|b| !b.trim().is_empty()),
            website: profile.website,
        },
        None => AuthorHeader {
            name: super::cards::NAMELESS_AUTHOR.to_owned(),
            bio: None,
            website: None,
        },
    })
}

/// The author's published posts, newest first (drafts stay off this page, even for their
/// writer: it shows what readers see).
#[stratus::server]
pub async fn author_posts(
    #[server(rename = "userId")] user_id: String,
) -> Result<CardPage, AppError> {
    use crate::models::{Post, PostStatus};

    let mut posts = Vec::new();
    for blog in super::blogs::blogs_of(&user_id, None).await? {
        let page = Post::by_blog(blog.id)
            .descending()
            .limit(AUTHOR_POSTS as u32)
            .include(Post::BLOG)
            .include(Post::TAGS)
            .fetch()
            .await?;
        posts.extend(
            page.items
                .into_iter()
                .filter(|p| p.status == PostStatus::Published),
        );
    }
    posts.sort_by(|a, b| b.published_at.cmp(&a.published_at));
    posts.truncate(AUTHOR_POSTS);
    Ok(CardPage {
        cards: super::cards::cards_for(posts).await?,
        next_token: None,
    })
}

#[component]
pub fn AuthorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let header = LocalResource::new(move || read_author(id()));
    view! {
        <section class="page author-page">
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the author…"</p> }>
                {move || header.get().map(|answer| match answer {
                    Ok(AuthorHeader { name, bio, website }) => view! {
                        <Title text=format!("{name} · Stratus")/>
                        <h1>{name}</h1>
                        {bio.map(|bio| view! { <p class="lede">{bio}</p> })}
                        {website.map(|url| view! { <p><a href=url.clone() rel="nofollow noopener">{url.clone()}</a></p> })}
                    }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                })}
            </Suspense>
            <h2>"Posts"</h2>
            {move || {
                let user_id = id();
                view! {
                    <CardFeed load=move |_| author_posts(user_id.clone()) empty="No published posts yet." testid="author-posts"/>
                }
            }}
        </section>
    }
}
