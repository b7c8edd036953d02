//! The frame around every page: header with navigation, main content, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::account::AccountMenu;
use crate::on_demand::PageLoading;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let user = stratus::auth::session::user();
    let signed_in = move || user.get().is_some();
    let page_loading = use_context::<PageLoading>().map(|PageLoading(loading)| loading);
    let loading = move || page_loading.is_some_and(|loading| loading.get());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="/">"Stratus"</a>
            <nav aria-label="Main">
                <A href="/">"Home"</A>
                {move || signed_in().then(|| view! { <A href="/write">"Write"</A><A href="/me">"Your posts"</A><A href="/profile">"Profile"</A> })}
                <A href="/guestbook">"Guestbook"</A>
                <A href="/about">"About"</A>
            </nav>
            <AccountMenu/>
        </header>
        <p class="page-loading" role="status" aria-live="polite" hidden=move || !loading()>
            {move || loading().then_some("Loading the page…")}
        </p>
        <main id="main">{children()}</main>
        <footer class="site-footer">
            <p>"Stratus: a serverless Rust stack. Leptos in the browser, one Lambda, DynamoDB."</p>
        </footer>
    }
}
