//! Small static pages.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AboutPage() -> impl IntoView {
    view! {
        <Title text="About · Stratus"/>
        <section class="page about">
            <h1>"About Stratus"</h1>
            <p>
                "This page is a Leptos application compiled to WebAssembly and served as static files. "
                "It calls server functions that run in one AWS Lambda (or, on your laptop, one local "
                "process) and keep their data in DynamoDB."
            </p>
            <p>
                "Sign-in is Amazon Cognito: every call from this page is signed with temporary AWS "
                "credentials, and the data model's rules decide who may read and write what. "
                "Posts are Markdown; anything that looks like HTML in them is shown as text."
            </p>
        </section>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Not found · Stratus"/>
        <section class="page not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. " <a href="/">"Back to the recent posts"</a></p>
        </section>
    }
}
