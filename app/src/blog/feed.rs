//! The home page: published posts across all blogs, newest first, a page at a time. Posts
//! published while it is open are counted ("2 new posts"), and shown when the reader asks.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos_meta::Title;

use super::cards::{CardFeed, CardPage};
use crate::models::{ModelPostFilter, Post, PostStatus};
use stratus::data::filter::StringFilter;
use stratus::data::spec::ChangeKind;
use stratus::error::AppError;
use stratus::live::{watch, LiveEvent};

#[stratus::server]
pub async fn recent_posts(
    #[server(rename = "nextToken")] next_token: Option<String>,
) -> Result<CardPage, AppError> {
    super::cards::newest_first(Post::by_status(PostStatus::Published), next_token).await
}

#[component]
pub fn HomePage() -> impl IntoView {
    // Each showing of the feed counts what is published after it began.
    let showing = RwSignal::new(0u32);
    view! {
        <Title text="Stratus: recent posts"/>
        <section class="page feed">
            <h1>"Recent posts"</h1>
            <p class="lede">"What people are writing on Stratus, newest first."</p>
            {move || {
                showing.get();
                // "New posts" starts once the feed's first page is on screen, so that its code
                // and its connection come after what the reader came for.
                let shown = RwSignal::new(false);
                let load = move |token: Option<String>| async move {
                    let page = recent_posts(token).await;
                    shown.set(true);
                    page
                };
                view! {
                    {move || shown.get().then(|| view! {
                        <NewPosts show=Callback::new(move |()| showing.update(|n| *n += 1))/>
                    })}
                    <CardFeed load empty="No posts yet. Sign in and write the first one." testid="feed"/>
                }
            }}
        </section>
    }
}

/// "N new posts": posts published since the feed was shown, as a button that shows them.
#[component]
fn NewPosts(show: Callback<()>) -> impl IntoView {
    let fresh = RwSignal::new(HashSet::<String>::new());
    // How many of the two subscriptions are in place (for tests and screen readers alike, the
    // count is only meaningful once both are).
    let listening = RwSignal::new(0u8);
    // The live client is not part of the first download: its code is fetched now, and the
    // subscriptions end with the feed (or never start if it went meanwhile).
    let since = js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    leptos::task::spawn_local_scoped_with_cancellation(count_new_posts(since, fresh, listening));
    let count = move || fresh.with(HashSet::len);
    view! {
        <div class="new-posts" aria-live="polite" data-live=move || (listening.get() >= 2).to_string()>
            {move || (count() > 0).then(|| view! {
                <button type="button" class="secondary" on:click=move |_| show.run(())>
                    {match count() { 1 => "1 new post".to_owned(), n => format!("{n} new posts") }}
                </button>
            })}
        </div>
    }
}

/// Collects into `fresh` the posts published after `since` (an ISO 8601 time), for as long as
/// the calling component lives; `listening` counts the subscriptions in place.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn count_new_posts(since: String, fresh: RwSignal<HashSet<String>>, listening: RwSignal<u8>) {
    // Published now: created published, or a draft published (an update).
    let published_since = ModelPostFilter {
        status: Some(StringFilter {
            eq: serde_json::to_value(PostStatus::Published)
                .ok()
                .and_then(|status| status.as_str().map(str::to_owned)),
            ..StringFilter::default()
        }),
        published_at: Some(StringFilter {
            gt: Some(since),
            ..StringFilter::default()
        }),
        ..ModelPostFilter::default()
    };
    for change in [ChangeKind::Create, ChangeKind::Update] {
        watch::<Post>(
            change,
            Some(published_since.clone()),
            move |event| match event {
                LiveEvent::Changed(_, post) => fresh.update(|fresh| {
                    fresh.insert(post.id);
                }),
                LiveEvent::Subscribed => listening.update(|n| *n += 1),
                LiveEvent::Interrupted => listening.set(0),
                LiveEvent::Refused(_) => {}
            },
        );
    }
}
