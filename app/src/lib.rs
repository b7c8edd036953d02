//! The Stratus application: routes, pages and their server functions.
//!
//! Built twice: with `csr` for the browser (server functions become HTTP calls) and with
//! `ssr` as a library of the server (server functions run, against the data layer).

pub mod account;
pub mod blog;
pub mod dates;
pub mod error_view;
pub mod guestbook;
pub mod layout;
pub mod models;
pub mod pages;
pub mod text;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::account::{
    ConfirmSignUpPage, ForgotPasswordPage, ProviderReturnPage, SignInPage, SignUpPage,
};
use crate::blog::{
    author_page::AuthorPage, blog_page::BlogPage, blogs::NewBlogPage, editor::EditorPage,
    feed::HomePage, post_page::PostPage, profiles::ProfilePage, tags::TagPage,
    welcome::WelcomePage, writer_home::WriterHomePage,
};
use crate::guestbook::GuestbookPage;
use crate::layout::Layout;
use crate::pages::{AboutPage, NotFoundPage};
use stratus::client_config::ClientConfig;

#[component]
pub fn App(config: ClientConfig) -> impl IntoView {
    provide_meta_context();
    provide_context(config);

    view! {
        <Title text="Stratus"/>
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/posts/:id") view=PostPage/>
                    <Route path=path!("/posts/:id/edit") view=EditorPage/>
                    <Route path=path!("/write") view=EditorPage/>
                    <Route path=path!("/blogs/new") view=NewBlogPage/>
                    <Route path=path!("/blogs/:id") view=BlogPage/>
                    <Route path=path!("/authors/:id") view=AuthorPage/>
                    <Route path=path!("/tags/:label") view=TagPage/>
                    <Route path=path!("/profile") view=ProfilePage/>
                    <Route path=path!("/me") view=WriterHomePage/>
                    <Route path=path!("/welcome") view=WelcomePage/>
                    <Route path=path!("/guestbook") view=GuestbookPage/>
                    <Route path=path!("/about") view=AboutPage/>
                    <Route path=path!("/signup") view=SignUpPage/>
                    <Route path=path!("/confirm") view=ConfirmSignUpPage/>
                    <Route path=path!("/signin") view=SignInPage/>
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage/>
                    <Route path=path!("/auth/callback") view=ProviderReturnPage/>
                </Routes>
            </Layout>
        </Router>
    }
}
