//! The home page: published posts across all blogs, newest first, a page at a time.

use leptos::prelude::*;
use leptos_meta::Title;

use super::cards::{CardPage, PostCard, PostCardView};
use crate::error_view::ErrorView;
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
    // Pages loaded so far; "Older posts" appends the next one.
    let cards = RwSignal::new(Vec::<PostCard>::new());
    let next = RwSignal::new(None::<String>);
    let load = Action::new_local(|token: &Option<String>| recent_posts(token.clone()));
    Effect::new(move |_| {
        if let Some(Ok(page)) = load.value().get() {
            cards.update(|all| all.extend(page.cards));
            next.set(page.next_token);
        }
    });
    load.dispatch(None);

    view! {
        <Title text="Stratus: recent posts"/>
        <section class="page feed">
            <h1>"Recent posts"</h1>
            <p class="lede">"What people are writing on Stratus, newest first."</p>
            <div class="cards" data-testid="feed">
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
                _ if cards.with(Vec::is_empty) => view! { <p class="empty">"No posts yet. Sign in and write the first one."</p> }.into_any(),
                _ => next.get().map(|token| view! {
                    <button type="button" class="secondary" on:click=move |_| { load.dispatch(Some(token.clone())); }>"Older posts"</button>
                }).into_any(),
            }}
        </section>
    }
}
