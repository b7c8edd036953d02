//! The one way the app shows a failed call: what went wrong in words, and a retry when
//! trying again can help.

use leptos::prelude::*;

use stratus::error::AppError;

#[component]
pub fn ErrorView(error: AppError, #[prop(optional)] retry: Option<Callback<()>>) -> impl IntoView {
    let title = match &error {
        AppError::Invalid { .. } => "That did not work",
        AppError::Unauthorized { .. } => "Please sign in",
        AppError::Forbidden { .. } => "Not allowed",
        AppError::NotFound { .. } => "Not found",
        AppError::Conflict { .. } => "Someone changed this first",
        AppError::Unavailable { .. } => "The service is unavailable",
        AppError::Network { .. } => "You seem to be offline",
        AppError::Internal { .. } => "Something went wrong on our side",
    };
    let retry = retry.filter(|_| error.is_retryable());
    view! {
        <div class="error-view card" role="alert">
            <h2>{title}</h2>
            <p>{error.to_string()}</p>
            {retry.map(|retry| view! {
                <button type="button" on:click=move |_| retry.run(())>"Try again"</button>
            })}
        </div>
    }
}
