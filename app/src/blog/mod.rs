//! The blog: what people come for. A home page of recent posts across blogs, a page per post
//! with its comments, an editor with a live Markdown preview, blogs, tags and profiles. The
//! server functions sit next to the pages that call them and go through the generated data
//! layer, so the schema's @auth rules apply to every one.

pub mod author_page;
pub mod blog_page;
pub mod blogs;
pub mod cards;
pub mod editor;
pub mod excerpt;
pub mod feed;
pub mod markdown;
pub mod post_page;
pub mod profiles;
pub mod tags;
pub mod unsaved;
pub mod welcome;
pub mod writer_home;
