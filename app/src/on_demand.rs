//! Pages whose code the browser downloads the first time a person opens one of them.
//!
//! The home page is all a first visit needs. With the `split` feature (`cargo xtask` release
//! builds: `cargo leptos build --release --split --lib-features split`), each page below is a
//! `#[lazy]` function, and `--split` moves its code, and whatever only it uses (SRP's arithmetic
//! for sign-in, the Markdown renderer for a post), out of the first download into files of their
//! own, fetched when the route is first matched. Without the feature (`cargo leptos watch` as it
//! is) the same routes are plain functions and the whole app is one file: a `#[lazy]` function
//! built without `--split` imports a module that only the split step writes.

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

/// For each `Route: load => Page`, a route type for `Lazy::<Route>::new()` whose view is `Page`,
/// built by the function `load` (lazy with `split`).
macro_rules! pages_on_demand {
    ($($route:ident: $load:ident => $page:ident;)*) => {$(
        #[doc = concat!("The route of [`", stringify!($page), "`], loaded on demand.")]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_: Self) -> AnyView {
                $load().await
            }
        }

        #[cfg_attr(feature = "split", leptos::lazy)]
        async fn $load() -> AnyView {
            view! { <$page/> }.into_any()
        }
    )*};
}

pages_on_demand! {
    PostRoute: post_page => PostPage;
    EditorRoute: editor_page => EditorPage;
    NewBlogRoute: new_blog_page => NewBlogPage;
    BlogRoute: blog_page => BlogPage;
    AuthorRoute: author_page => AuthorPage;
    TagRoute: tag_page => TagPage;
    ProfileRoute: profile_page => ProfilePage;
    WriterHomeRoute: writer_home_page => WriterHomePage;
    WelcomeRoute: welcome_page => WelcomePage;
    GuestbookRoute: guestbook_page => GuestbookPage;
    AboutRoute: about_page => AboutPage;
    SignUpRoute: sign_up_page => SignUpPage;
    ConfirmSignUpRoute: confirm_sign_up_page => ConfirmSignUpPage;
    SignInRoute: sign_in_page => SignInPage;
    ForgotPasswordRoute: forgot_password_page => ForgotPasswordPage;
    ProviderReturnRoute: provider_return_page => ProviderReturnPage;
}
