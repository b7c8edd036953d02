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
pub mod on_demand;
pub mod pages;
pub mod text;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy,
};

use crate::blog::feed::HomePage;
use crate::layout::Layout;
use crate::on_demand::*;
use crate::pages::NotFoundPage;
use stratus::client_config::ClientConfig;

#[component]
pub fn App(config: ClientConfig) -> impl IntoView {
    provide_meta_context();
    provide_context(config);
    provide_context(on_demand::PageLoading(RwSignal::new(false)));

    view! {
        <Title text="Stratus"/>
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/posts/:id") view={Lazy::<PostRoute>::new()}/>
                    <Route path=path!("/posts/:id/edit") view={Lazy::<EditorRoute>::new()}/>
                    <Route path=path!("/write") view={Lazy::<EditorRoute>::new()}/>
                    <Route path=path!("/blogs/new") view={Lazy::<NewBlogRoute>::new()}/>
                    <Route path=path!("/blogs/:id") view={Lazy::<BlogRoute>::new()}/>
                    <Route path=path!("/authors/:id") view={Lazy::<AuthorRoute>::new()}/>
                    <Route path=path!("/tags/:label") view={Lazy::<TagRoute>::new()}/>
                    <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()}/>
                    <Route path=path!("/me") view={Lazy::<WriterHomeRoute>::new()}/>
                    <Route path=path!("/welcome") view={Lazy::<WelcomeRoute>::new()}/>
                    <Route path=path!("/guestbook") view={Lazy::<GuestbookRoute>::new()}/>
                    <Route path=path!("/about") view={Lazy::<AboutRoute>::new()}/>
                    <Route path=path!("/signup") view={Lazy::<SignUpRoute>::new()}/>
                    <Route path=path!("/confirm") view={Lazy::<ConfirmSignUpRoute>::new()}/>
                    <Route path=path!("/signin") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()}/>
                    <Route path=path!("/auth/callback") view={Lazy::<ProviderReturnRoute>::new()}/>
                </Routes>
            </Layout>
        </Router>
    }
}
