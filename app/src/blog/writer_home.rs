//! A writer's home (`/me`): their blogs and their posts, drafts first, with what a writer does
//! to them: edit, publish or unpublish, delete; and each blog's settings: its name,
//! description and cover image, and deleting it, after a confirmation that says what goes with
//! it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::blogs::{check_blog_name, MAX_BLOG_NAME_CHARS};
use crate::error_view::ErrorView;
use crate::models::{DeleteBlog, DeletePost};
use stratus::error::AppError;

/// One of the writer's blogs, with how many posts its deletion would take along.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyBlog {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub version: u64,
    pub posts: usize,
    /// The cover image's address and caption, if it has one.
    pub cover: Option<(String, Option<String>)>,
}

/// One of the writer's posts, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPost {
    pub id: String,
    pub title: String,
    pub draft: bool,
    pub blog_name: String,
    /// When it was first published, or created for a draft never published (RFC 3339).
    pub date: String,
    pub version: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriterHome {
    pub blogs: Vec<MyBlog>,
    /// Drafts first, then the published, newest first within each.
    pub posts: Vec<MyPost>,
}

#[stratus::server]
pub async fn my_writing() -> Result<WriterHome, AppError> {
    server::my_writing().await
}

/// A blog's settings as its writer saves them: its name and description, and its cover image
/// (an `https://` address and a caption; an empty address removes the cover).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlogSettingsInput {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(rename = "coverUrl")]
    pub cover_url: String,
    #[serde(rename = "coverCaption")]
    pub cover_caption: String,
    /// The version of the blog the writer edited.
    #[serde(rename = "expectedVersion")]
    pub expected_version: u64,
}

/// Saves them in one call: the cover's item first, then the blog (which names a new cover),
/// so the writer's one version of the blog covers the whole change.
#[stratus::server]
pub async fn save_blog_settings(settings: BlogSettingsInput) -> Result<(), AppError> {
    server::save_blog_settings(settings).await
}

/// What is wrong with a cover's address, if anything (empty: no cover).
pub fn check_cover_url(url: &str) -> Option<String> {
    let url = url.trim();
    (!url.is_empty()
        && (!url.starts_with("https://") || url.len() < 12 || url.contains(char::is_whitespace)))
    .then(|| "The cover is an image's web address starting with https://.".to_owned())
}

/// Publishes a post (keeping the date it was first published) or takes it back to a draft.
#[stratus::server]
pub async fn set_published(
    id: String,
    publish: bool,
    #[server(rename = "expectedVersion")] expected_version: u64,
) -> Result<(), AppError> {
    server::set_published(id, publish, expected_version).await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::models::{
        get_blog, get_post, Blog, BlogCover, CreateBlogCoverInput, Post, PostStatus,
        UpdateBlogCoverInput, UpdateBlogInput, UpdatePostInput,
    };
    use stratus::data::auth::Caller;
    use stratus::store::access;

    /// Posts read per blog: a writer's home lists at most this many of each blog.
    const POSTS_PER_BLOG: u32 = 200;

    pub async fn my_writing() -> Result<WriterHome, AppError> {
        let caller = Caller::from_context();
        let Some(me) = caller.user_id() else {
            return Err(AppError::unauthorized(
                "Please sign in to see your blogs and posts.",
            ));
        };
        let mut writing = WriterHome::default();
        // The covers come with the blogs' own pages of the scan (one BatchGetItem each).
        for blog in super::super::blogs::blogs_of(me, Some(vec![Blog::COVER.into()])).await? {
            let cover = blog
                .cover
                .clone()
                .map(|c| (c.image_url, c.caption.filter(|c| !c.is_empty())));
            let posts = Post::by_blog(blog.id.clone())
                .limit(POSTS_PER_BLOG)
                .fetch()
                .await?
                .items;
            writing.blogs.push(MyBlog {
                id: blog.id.clone(),
                name: blog.name.clone(),
                description: blog.description.clone(),
                version: blog.version,
                posts: posts.len(),
                cover,
            });
            writing.posts.extend(posts.into_iter().map(|post| {
                MyPost {
                    draft: post.status == PostStatus::Draft,
                    date: post
                        .published_at
                        .clone()
                        .unwrap_or_else(|| post.created_at.clone()),
                    id: post.id,
                    title: post.title,
                    blog_name: blog.name.clone(),
                    version: post.version,
                }
            }));
        }
        writing
            .posts
            .sort_by(|a, b| b.draft.cmp(&a.draft).then_with(|| b.date.cmp(&a.date)));
        Ok(writing)
    }

    pub async fn save_blog_settings(settings: BlogSettingsInput) -> Result<(), AppError> {
        if let Some(problem) = check_blog_name(&settings.name) {
            return Err(AppError::invalid("name", problem));
        }
        if let Some(problem) = check_cover_url(&settings.cover_url) {
            return Err(AppError::invalid("coverUrl", problem));
        }
        let blog = get_blog(settings.id, Some(vec![Blog::COVER.into()]))
            .await?
            .ok_or_else(|| {
                AppError::not_found("There is no such blog. It may have been deleted.")
            })?;
        // Nothing is written for someone else's blog, or from an older version of it: the
        // cover included, which is written first.
        if blog.owner.as_deref() != Caller::from_context().user_id() {
            return Err(AppError::forbidden("Only its owner may change this Blog."));
        }
        if blog.version != settings.expected_version {
            return Err(AppError::conflict(
                "This blog was changed since you opened its settings. Reload the page and make your change again.",
            ));
        }
        let caption = settings.cover_caption.trim().to_owned();
        let image_url = settings.cover_url.trim().to_owned();
        let new_cover = match (blog.cover, image_url.is_empty()) {
            (None, true) => None,
            (Some(cover), true) => {
                let _: BlogCover = access::delete::<BlogCover>(
                    serde_json::json!({ "id": cover.id }),
                    Some(cover.version),
                )
                .await?;
                None
            }
            (Some(cover), false) => {
                let input = UpdateBlogCoverInput {
                    id: cover.id,
                    image_url: Some(image_url),
                    // An update leaves out what is `None`: an emptied caption is stored empty.
                    caption: Some(caption),
                    expected_version: cover.version,
                    ..Default::default()
                };
                let _: BlogCover = access::update(&input).await?;
                None
            }
            (None, false) => {
                let cover: BlogCover = access::create(&CreateBlogCoverInput {
                    image_url,
                    caption: Some(caption).filter(|c| !c.is_empty()),
                    blog_cover_blog_id: Some(blog.id.clone()),
                    ..Default::default()
                })
                .await?;
                Some(cover.id)
            }
        };
        let input = UpdateBlogInput {
            id: blog.id,
            name: Some(settings.name.trim().to_owned()),
            description: Some(settings.description.trim().to_owned()),
            blog_cover_id: new_cover,
            expected_version: settings.expected_version,
        };
        let _: Blog = access::update(&input).await?;
        Ok(())
    }

    pub async fn set_published(
        id: String,
        publish: bool,
        expected_version: u64,
    ) -> Result<(), AppError> {
        let post = get_post(id.clone(), None)
            .await?
            .ok_or_else(|| AppError::not_found("This post was deleted."))?;
        let published_at = match (publish, post.published_at) {
            (true, None) => Some(super::super::editor::server::now()),
            (_, first) => first,
        };
        let input = UpdatePostInput {
            id,
            status: Some(if publish {
                PostStatus::Published
            } else {
                PostStatus::Draft
            }),
            published_at,
            expected_version,
            ..Default::default()
        };
        let _: Post = access::update(&input).await?;
        Ok(())
    }
}

#[component]
pub fn WriterHomePage() -> impl IntoView {
    let writing = LocalResource::new(my_writing);
    let changed = move || writing.refetch();
    view! {
        <Title text="Your writing · Stratus"/>
        <section class="page writer-home">
            <h1>"Your writing"</h1>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading your blogs and posts…"</p> }>
                {move || writing.get().map(|answer| match answer {
                    Ok(writing) => view! { <Writing writing changed/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Writing(
    writing: WriterHome,
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    if writing.blogs.is_empty() {
        return view! {
            <p class="empty">"You have no blog yet."</p>
            <p><a class="button" href="/blogs/new">"Create your blog"</a></p>
        }
        .into_any();
    }
    let drafts = writing.posts.iter().filter(|p| p.draft).count();
    view! {
        <h2>"Posts"</h2>
        <p class="muted">{count(writing.posts.len(), drafts)}" "<a href="/write">"Write a post"</a></p>
        {if writing.posts.is_empty() {
            view! { <p class="empty">"No posts yet."</p> }.into_any()
        } else {
            view! {
                <ul class="my-posts" data-testid="my-posts">
                    {writing.posts.into_iter().map(|post| view! { <PostRow post changed/> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>"Blogs"</h2>
        <ul class="my-blogs" data-testid="my-blogs">
            {writing.blogs.into_iter().map(|blog| view! { <BlogSettings blog changed/> }).collect_view()}
        </ul>
        <p><a href="/blogs/new">"Start another blog"</a></p>
    }
    .into_any()
}

fn count(posts: usize, drafts: usize) -> String {
    match (posts, drafts) {
        (1, 1) => "1 post, a draft.".to_owned(),
        (1, _) => "1 post.".to_owned(),
        (n, 0) => format!("{n} posts."),
        (n, 1) => format!("{n} posts, 1 of them a draft."),
        (n, d) => format!("{n} posts, {d} of them drafts."),
    }
}

#[component]
fn PostRow(post: MyPost, changed: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let publish = ServerAction::<SetPublished>::new();
    let delete = ServerAction::<DeletePost>::new();
    let confirming = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(publish.value().get(), Some(Ok(())))
            || matches!(delete.value().get(), Some(Ok(_)))
        {
            changed();
        }
    });
    let error = move || {
        publish
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| delete.value().get().and_then(Result::err))
    };
    let (id, title, draft, version) = (
        post.id.clone(),
        post.title.clone(),
        post.draft,
        post.version,
    );
    let day = post.date.get(..10).unwrap_or_default().to_owned();
    view! {
        <li class="card my-post">
            <p class="my-post-title">
                {draft.then(|| view! { <span class="badge">"Draft"</span>" " })}
                <a href=format!("/posts/{id}")>{title.clone()}</a>
            </p>
            <p class="post-meta">{post.blog_name.clone()}" · "{if draft { format!("started {day}") } else { format!("published {day}") }}</p>
            <div class="actions">
                <a href=format!("/posts/{id}/edit")>"Edit"</a>
                <button type="button" class="secondary" disabled=move || publish.pending().get()
                    on:click={let id = id.clone(); move |_| { publish.dispatch(SetPublished { id: id.clone(), publish: draft, expected_version: version }); }}>{if draft { "Publish" } else { "Unpublish" }}</button>
                <button type="button" class="link-button danger" on:click=move |_| confirming.set(true)>"Delete"</button>
            </div>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-label="Delete this post?">
                    <p>{format!("Delete “{title}” and its comments? This cannot be undone.")}</p>
                    <button type="button" class="danger-button" disabled=move || delete.pending().get()
                        on:click={let id = id.clone(); move |_| { delete.dispatch(DeletePost { id: id.clone(), expected_version: Some(version) }); }}>"Delete post"</button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Keep it"</button>
                </div>
            </Show>
            <p class="form-error" role="alert">{move || error().map(|e| e.to_string())}</p>
        </li>
    }
}

#[component]
fn BlogSettings(blog: MyBlog, changed: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let name = RwSignal::new(blog.name.clone());
    let description = RwSignal::new(blog.description.clone().unwrap_or_default());
    let cover_url = RwSignal::new(blog.cover.clone().map(|(url, _)| url).unwrap_or_default());
    let cover_caption = RwSignal::new(blog.cover.clone().and_then(|(_, c)| c).unwrap_or_default());
    let update = ServerAction::<SaveBlogSettings>::new();
    let refused = move |field: &'static str| {
        update
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.field() == Some(field))
            .map(|e| e.to_string())
    };
    // The address is checked once the person leaves the field (or saves), not at each keystroke.
    let cover_left = RwSignal::new(false);
    let cover_error = Signal::derive(move || {
        cover_left
            .get()
            .then(|| check_cover_url(&cover_url.get()))
            .flatten()
            .or_else(|| refused("coverUrl"))
    });
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let delete = ServerAction::<DeleteBlog>::new();
    Effect::new(move |_| {
        if matches!(update.value().get(), Some(Ok(_)))
            || matches!(delete.value().get(), Some(Ok(_)))
        {
            changed();
        }
    });
    let name_error =
        Signal::derive(move || check_blog_name(&name.get()).or_else(|| refused("name")));
    let error = move || {
        update
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.field().is_none())
            .or_else(|| delete.value().get().and_then(Result::err))
    };
    let (id, version, posts) = (blog.id.clone(), blog.version, blog.posts);
    let save = {
        let id = id.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            cover_left.set(true);
            if name_error.get_untracked().is_some()
                || check_cover_url(&cover_url.get_untracked()).is_some()
            {
                return;
            }
            update.dispatch(SaveBlogSettings {
                settings: BlogSettingsInput {
                    id: id.clone(),
                    name: name.get_untracked(),
                    description: description.get_untracked(),
                    cover_url: cover_url.get_untracked(),
                    cover_caption: cover_caption.get_untracked(),
                    expected_version: version,
                },
            });
        }
    };
    let what_goes = match posts {
        0 => "It has no posts.".to_owned(),
        1 => "Its post and that post's comments are deleted with it.".to_owned(),
        n => format!("Its {n} posts and their comments are deleted with it."),
    };
    let field = {
        let id = blog.id.clone();
        move |suffix: &str| format!("blog-{suffix}-{id}")
    };
    view! {
        <li class="card my-blog">
            <p class="my-blog-name"><a href=format!("/blogs/{id}")>{blog.name.clone()}</a></p>
            {blog.description.clone().map(|d| view! { <p class="muted">{d}</p> })}
            <div class="actions">
                <a href=format!("/write?blog={id}")>"Write a post here"</a>
                <button type="button" class="secondary" on:click=move |_| editing.update(|e| *e = !*e)>"Rename or describe"</button>
                <button type="button" class="link-button danger" on:click=move |_| confirming.set(true)>"Delete blog"</button>
            </div>
            <Show when=move || editing.get()>
                <form on:submit=save.clone() novalidate>
                    <label for=field("name")>"Name"</label>
                    <input id=field("name") maxlength=MAX_BLOG_NAME_CHARS prop:value=name on:input=move |ev| name.set(event_target_value(&ev))
                        aria-invalid=move || name_error.get().is_some().to_string() aria-describedby=field("name-error")/>
                    <p id=field("name-error") class="field-error" role="alert">{move || name_error.get()}</p>
                    <label for=field("description")>"What it is about"</label>
                    <textarea id=field("description") rows="2" prop:value=description on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                    <label for=field("cover")>"Cover image address (optional)"</label>
                    <input id=field("cover") type="url" placeholder="https://" prop:value=cover_url on:input=move |ev| cover_url.set(event_target_value(&ev)) on:blur=move |_| cover_left.set(true)
                        aria-invalid=move || cover_error.get().is_some().to_string() aria-describedby=field("cover-error")/>
                    <p id=field("cover-error") class="field-error" role="alert">{move || cover_error.get()}</p>
                    <label for=field("caption")>"Cover caption (optional)"</label>
                    <input id=field("caption") prop:value=cover_caption on:input=move |ev| cover_caption.set(event_target_value(&ev))/>
                    <button type="submit" disabled=move || update.pending().get()>"Save blog"</button>
                </form>
            </Show>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-label="Delete this blog?">
                    <p>{format!("Delete the blog “{}”? {what_goes} This cannot be undone.", blog.name)}</p>
                    <button type="button" class="danger-button" disabled=move || delete.pending().get()
                        on:click={let id = id.clone(); move |_| { delete.dispatch(DeleteBlog { id: id.clone(), expected_version: Some(version) }); }}>
                        {if posts == 0 { "Delete blog".to_owned() } else { format!("Delete blog and {posts} post{}", if posts == 1 { "" } else { "s" }) }}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Keep it"</button>
                </div>
            </Show>
            <p class="form-error" role="alert">{move || error().map(|e| e.to_string())}</p>
        </li>
    }
}
