//! A blog's own page: its name, description and writer, then its posts, newest first, a page at
//! a time. Drafts appear only to their writer: the data layer leaves out what the caller may
//! not read.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::cards::{AuthorName, CardFeed, CardPage};
use crate::error_view::ErrorView;
use crate::models::Blog;
use stratus::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlogHeader {
    pub blog: Blog,
    /// The writer's display name.
    pub writer: String,
}

#[stratus::server]
pub async fn read_blog(id: String) -> Result<BlogHeader, AppError> {
    let blog = crate::models::get_blog(id, Some(vec![Blog::COVER.into()]))
        .await?
        .ok_or_else(|| AppError::not_found("There is no such blog. It may have been deleted."))?;
    let names = super::profiles::display_names(blog.owner.clone()).await?;
    Ok(BlogHeader {
        writer: super::cards::author_name(&names, blog.owner.as_deref()),
        blog,
    })
}

#[stratus::server]
pub async fn blog_posts(
    #[server(rename = "blogId")] blog_id: String,
    #[server(rename = "nextToken")] next_token: Option<String>,
) -> Result<CardPage, AppError> {
    use crate::models::Post;

    super::cards::newest_first(Post::by_blog(blog_id), next_token).await
}

#[component]
pub fn BlogPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let header = LocalResource::new(move || read_blog(id()));
    view! {
        <section class="page blog-page">
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the blog…"</p> }>
                {move || header.get().map(|answer| match answer {
                    Ok(BlogHeader { blog, writer }) => view! {
                        <Title text=format!("{} · Stratus", blog.name)/>
                        {blog.cover.clone().map(|cover| {
                            let caption = cover.caption.filter(|c| !c.is_empty());
                            view! {
                            <figure class="blog-cover">
                                <img src=cover.image_url alt=caption.clone().unwrap_or_default()/>
                                {caption.map(|caption| view! { <figcaption>{caption}</figcaption> })}
                            </figure>
                        }})}
                        <h1>{blog.name.clone()}</h1>
                        <p class="post-meta">"By "<AuthorName owner=blog.owner.clone() name=writer/></p>
                        {blog.description.clone().filter(|d| !d.trim().is_empty()).map(|d| view! { <p class="lede">{d}</p> })}
                    }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                })}
            </Suspense>
            {move || {
                let blog_id = id();
                view! {
                    <CardFeed load=move |token| blog_posts(blog_id.clone(), token) empty="No posts in this blog yet." testid="blog-posts"/>
                }
            }}
        </section>
    }
}
