//! A tag's page: the published posts that carry it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::cards::{CardPage, PostCardView};
use crate::error_view::ErrorView;
use stratus::error::AppError;

#[stratus::server]
pub async fn posts_tagged(label: String) -> Result<CardPage, AppError> {
    use crate::models::{tag_posts, Post, PostStatus, Tag};

    let Some(tag) = Tag::by_label(label.to_lowercase())
        .limit(1)
        .fetch()
        .await?
        .items
        .pop()
    else {
        return Ok(CardPage {
            cards: Vec::new(),
            next_token: None,
        });
    };
    // With their blogs and tags, as the home page's cards show them.
    let include = vec![Post::BLOG.into(), Post::TAGS.into()];
    let mut posts = tag_posts(tag.id, Some(100), None, Some(include))
        .await?
        .items;
    posts.retain(|p| p.status == PostStatus::Published);
    posts.sort_by(|a, b| b.published_at.cmp(&a.published_at));
    Ok(CardPage {
        cards: super::cards::cards_for(posts).await?,
        next_token: None,
    })
}

#[component]
pub fn TagPage() -> impl IntoView {
    let params = use_params_map();
    let label = move || params.with(|p| p.get("label").unwrap_or_default());
    let posts = LocalResource::new(move || posts_tagged(label()));
    view! {
        <Title text=move || format!("#{} · Stratus", label())/>
        <section class="page feed">
            <h1>"#"{label}</h1>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading posts…"</p> }>
                {move || posts.get().map(|result| match result {
                    Ok(page) if page.cards.is_empty() => view! { <p class="empty">"No published posts carry this tag yet."</p> }.into_any(),
                    Ok(page) => view! {
                        <div class="cards" data-testid="tagged">
                            {page.cards.into_iter().map(|card| view! { <PostCardView card/> }).collect_view()}
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorView error retry=Callback::new(move |_| posts.refetch())/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
