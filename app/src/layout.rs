//! The frame around every page: header with navigation, main content, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::pages::AccountMenu;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="/">"Stratus"</a>
            <nav aria-label="Main">
                <A href="/">"Guestbook"</A>
                <A href="/about">"About"</A>
            </nav>
            <AccountMenu/>
        </header>
        <main id="main">{children()}</main>
        <footer class="site-footer">
            <p>"Stratus: a serverless Rust stack. Leptos in the browser, one Lambda, DynamoDB."</p>
        </footer>
    }
}
