//! The one way the app shows a failed call: a title the UI chooses from the error's code, the
//! server's account of it, a retry when trying again can help, and a way to sign in (and come
//! back here) when that is what is missing.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use stratus::error::{AppError, ErrorCode};

#[component]
pub fn ErrorView(error: AppError, #[prop(optional)] retry: Option<Callback<()>>) -> impl IntoView {
    let title = title(error.code());
    let retry = retry.filter(|_| error.is_retryable());
    let sign_in = (error.code() == ErrorCode::SignInRequired).then(|| {
        let here = use_location().pathname.get_untracked();
        view! { <p><a href=crate::account::paths::sign_in_returning_to(&here)>"Sign in"</a>" and you will come back here."</p> }
    });
    view! {
        <div class="error-view card" role="alert">
            <h2>{title}</h2>
            <p>{error.to_string()}</p>
            {sign_in}
            {retry.map(|retry| view! {
                <button type="button" on:click=move |_| retry.run(())>"Try again"</button>
            })}
        </div>
    }
}

fn title(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidInput | ErrorCode::MalformedRequest => "That did not work",
        ErrorCode::SignInRequired => "Please sign in",
        ErrorCode::Forbidden => "Not allowed",
        ErrorCode::NotFound => "Not found",
        ErrorCode::AlreadyExists => "It exists already",
        ErrorCode::VersionConflict => "Someone changed this first",
        ErrorCode::ChangedMeanwhile => "Something changed meanwhile",
        ErrorCode::TooManyItems => "Too much at once",
        ErrorCode::Throttled => "Busy right now",
        ErrorCode::Unavailable | ErrorCode::MissingTable => "The service is unavailable",
        ErrorCode::Network => "You seem to be offline",
        ErrorCode::UnreadableAnswer | ErrorCode::Internal => "Something went wrong on our side",
    }
}
