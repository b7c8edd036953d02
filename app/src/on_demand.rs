//! Pages whose code the browser downloads the first time a person opens one of them.
//!
//! The home page is all a first visit needs. With the `split` feature (every build `cargo xtask`
//! makes: `cargo leptos build --split --lib-features split`), each group of pages below is a
//! `#[lazy]` function, and `--split` moves its code, and whatever only it uses (SRP's arithmetic
//! for sign-in, the Markdown renderer for a post), out of the first download into files of their
//! own, fetched when one of its routes is first matched. Without the feature (`cargo leptos
//! watch` as it is) the same routes are plain functions and the whole app is one file: a
//! `#[lazy]` function built without `--split` imports a module that only the split step writes.
//!
//! The router changes the address only once the page's code has arrived; until then the header
//! says the page is loading (`PageLoading`), so a click on a slow network is seen to work.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::account::{
    ConfirmSignUpPage, ForgotPasswordPage, ProviderReturnPage, SignInPage, SignUpPage,
};
use crate::blog::{
    author_page::AuthorPage, blog_page::BlogPage, blogs::NewBlogPage, editor::EditorPage,
    post_page::PostPage, profiles::ProfilePage, tags::TagPage, welcome::WelcomePage,
    writer_home::WriterHomePage,
};
use crate::guestbook::GuestbookPage;
use crate::pages::AboutPage;

/// Whether a page's code is being fetched; provided by `App`, shown by the layout.
#[derive(Clone, Copy)]
pub struct PageLoading(pub RwSignal<bool>);

/// Builds a page of a group, saying so while its code may still be on its way.
async fn load_page(load: impl std::future::Future<Output = AnyView>) -> AnyView {
    let loading = use_context::<PageLoading>();
    if let Some(PageLoading(loading)) = loading {
        loading.set(true);
    }
    let view = load.await;
    if let Some(PageLoading(loading)) = loading {
        loading.set(false);
    }
    view
}

/// For each group `load: Group { Route => Page, ... }`: one function `load` that builds any page
/// of the group (lazy with `split`: the group's code is fetched together, the first time one of
/// its pages opens), and for each page a route type for `Lazy::<Route>::new()`.
macro_rules! pages_on_demand {
    ($($(#[$doc:meta])* $load:ident: $group:ident { $($route:ident => $page:ident,)* })*) => {$(
        // Each variant is named after its route type, which the router's `Lazy` names.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $group {
            $($route,)*
        }

        $(#[$doc])*
        #[cfg_attr(feature = "split", leptos::lazy)]
        async fn $load(page: $group) -> AnyView {
            match page {
                $($group::$route => view! { <$page/> }.into_any(),)*
            }
        }

        $(
            #[doc = concat!("The route of [`", stringify!($page), "`], loaded on demand.")]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_: Self) -> AnyView {
                    load_page($load($group::$route)).await
                }
            }
        )*
    )*};
}

// Few groups rather than a file per page: wasm-split gives every combination of pages that share
// code a file of its own, so with a group per page a post page took 78 requests to open.
pages_on_demand! {
    /// What a reader opens from the feed.
    reading_pages: ReadingPage {
        PostRoute => PostPage,
        BlogRoute => BlogPage,
        AuthorRoute => AuthorPage,
        TagRoute => TagPage,
    }
    /// A writer's pages.
    writing_pages: WritingPage {
        EditorRoute => EditorPage,
        NewBlogRoute => NewBlogPage,
        WriterHomeRoute => WriterHomePage,
        ProfileRoute => ProfilePage,
        WelcomeRoute => WelcomePage,
    }
    /// Signing up and in.
    account_pages: AccountPage {
        SignUpRoute => SignUpPage,
        ConfirmSignUpRoute => ConfirmSignUpPage,
        SignInRoute => SignInPage,
        ForgotPasswordRoute => ForgotPasswordPage,
        ProviderReturnRoute => ProviderReturnPage,
    }
    /// The rest.
    other_pages: OtherPage {
        GuestbookRoute => GuestbookPage,
        AboutRoute => AboutPage,
    }
}
