//! The guestbook: the first page, and the foundation's end-to-end data round trip
//! (browser -> signed server function -> DynamoDB -> back). Anyone reads it; signed-in users
//! sign it and may delete their own entries (the schema's @auth rules, enforced on the server).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::account::paths;
use crate::dates::local_date_time;
use crate::error_view::ErrorView;
use crate::models::DeleteGuestbookEntry;
use stratus::auth::session;
use stratus::error::AppError;

pub use crate::models::GuestbookEntry;

/// The name a guest signs with: trimmed, 1 to 60 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestName(String);

impl GuestName {
    pub const MAX_CHARS: usize = 60;

    pub fn parse(raw: &str) -> Result<Self, AppError> {
        bounded_text(
            raw,
            "name",
            Self::MAX_CHARS,
            "Please enter your name.",
            "Your name",
        )
        .map(GuestName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A guestbook message: trimmed, 1 to 500 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestMessage(String);

impl GuestMessage {
    pub const MAX_CHARS: usize = 500;

    pub fn parse(raw: &str) -> Result<Self, AppError> {
        bounded_text(
            raw,
            "message",
            Self::MAX_CHARS,
            "Please write a message.",
            "A message",
        )
        .map(GuestMessage)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Trimmed text of 1 to `max_chars` characters, or an error naming `field`.
fn bounded_text(
    raw: &str,
    field: &str,
    max_chars: usize,
    when_empty: &str,
    subject: &str,
) -> Result<String, AppError> {
    match crate::text::refusal(raw, max_chars, when_empty, subject) {
        Some(problem) => Err(AppError::invalid(field, problem)),
        None => Ok(raw.trim().to_owned()),
    }
}

/// Every entry goes into one book, read newest first through the `byBook` index.
#[cfg(feature = "ssr")]
const MAIN_BOOK: &str = "main";

/// How many entries the page shows.
pub const ENTRIES_SHOWN: u32 = 20;

#[stratus::server]
pub async fn sign_guestbook(name: String, message: String) -> Result<GuestbookEntry, AppError> {
    use crate::models::CreateGuestbookEntryInput;

    let name = GuestName::parse(&name)?;
    let message = GuestMessage::parse(&message)?;
    let input = CreateGuestbookEntryInput {
        book: MAIN_BOOK.to_owned(),
        name: name.as_str().to_owned(),
        message: message.as_str().to_owned(),
        ..CreateGuestbookEntryInput::default()
    };
    let entry: GuestbookEntry = stratus::store::access::create(&input).await?;
    tracing::info!(id = %entry.id, "guestbook signed");
    Ok(entry)
}

#[stratus::server]
pub async fn list_guestbook() -> Result<Vec<GuestbookEntry>, AppError> {
    let page = GuestbookEntry::by_book(MAIN_BOOK.to_owned())
        .descending()
        .limit(ENTRIES_SHOWN)
        .fetch()
        .await?;
    Ok(page.items)
}

#[component]
pub fn GuestbookPage() -> impl IntoView {
    let sign = ServerAction::<SignGuestbook>::new();
    let delete = ServerAction::<DeleteGuestbookEntry>::new();
    let entries = LocalResource::new(move || {
        // Read the actions' versions so the list reloads after every signature and deletion.
        sign.version().get();
        delete.version().get();
        list_guestbook()
    });
    let user = session::user();
    let signed_in = {
        let user = user.clone();
        move || user.get().is_some()
    };
    let me = Signal::derive(move || user.get().map(|u| u.sub));

    view! {
        <Title text="Guestbook · Stratus"/>
        <section class="page guestbook">
            <h1>"Guestbook"</h1>
            <p class="lede">
                "Leave a line. It travels from this page through a server function into DynamoDB, "
                "and the list below is read back from there."
            </p>
            <Show
                when=signed_in
                fallback=|| view! {
                    <p class="card sign-in-prompt">
                        <a href=paths::SIGN_IN>"Sign in"</a>" or "<a href=paths::SIGN_UP>"create an account"</a>
                        " to sign the guestbook."
                    </p>
                }
            >
                <SignForm sign/>
            </Show>
            {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorView error/> })}
            <h2>"Latest entries"</h2>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading entries…"</p> }>
                {move || entries.get().map(|result| match result {
                    Ok(list) => view! { <EntryList entries=list me delete/> }.into_any(),
                    Err(error) => view! {
                        <ErrorView error retry=Callback::new(move |_| entries.refetch())/>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SignForm(sign: ServerAction<SignGuestbook>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    // Validation runs as the user types, once the field has been touched.
    let touched = RwSignal::new(false);

    let server_error = move || sign.value().get().and_then(Result::err);
    let error_for = move |field: &'static str| {
        move || {
            let local = if touched.get() {
                match field {
                    "name" => GuestName::parse(&name.get()).err(),
                    _ => GuestMessage::parse(&message.get()).err(),
                }
            } else {
                None
            };
            local
                .or_else(|| server_error().filter(|e| e.field() == Some(field)))
                .map(|e| e.to_string())
        }
    };
    let form_error = move || {
        server_error()
            .filter(|e| e.field().is_none())
            .map(|e| e.to_string())
    };

    // Clear the message after a successful signature, keep the name for the next one.
    Effect::new(move |_| {
        if let Some(Ok(_)) = sign.value().get() {
            message.set(String::new());
            touched.set(false);
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if GuestName::parse(&name.get_untracked()).is_ok()
            && GuestMessage::parse(&message.get_untracked()).is_ok()
        {
            sign.dispatch(SignGuestbook {
                name: name.get_untracked(),
                message: message.get_untracked(),
            });
        }
    };

    let name_error = error_for("name");
    let message_error = error_for("message");
    view! {
        <form class="card sign-form" on:submit=on_submit novalidate>
            <label for="guest-name">"Your name"</label>
            <input
                id="guest-name"
                name="name"
                autocomplete="name"
                maxlength=GuestName::MAX_CHARS
                prop:value=name
                on:input=move |ev| name.set(event_target_value(&ev))
                aria-invalid=move || name_error().is_some().to_string()
                aria-describedby="guest-name-error"
            />
            <p id="guest-name-error" class="field-error" role="alert">{name_error}</p>

            <label for="guest-message">"Message"</label>
            <textarea
                id="guest-message"
                name="message"
                rows="3"
                maxlength=GuestMessage::MAX_CHARS
                prop:value=message
                on:input=move |ev| message.set(event_target_value(&ev))
                aria-invalid=move || message_error().is_some().to_string()
                aria-describedby="guest-message-error"
            ></textarea>
            <p id="guest-message-error" class="field-error" role="alert">{message_error}</p>

            <p class="form-error" role="alert">{form_error}</p>
            <button type="submit" disabled=move || sign.pending().get()>
                {move || if sign.pending().get() { "Signing…" } else { "Sign the guestbook" }}
            </button>
        </form>
    }
}

#[component]
fn EntryList(
    entries: Vec<GuestbookEntry>,
    me: Signal<Option<String>>,
    delete: ServerAction<DeleteGuestbookEntry>,
) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty">"No entries yet. Be the first to sign."</p> }.into_any();
    }
    view! {
        <ol class="entries" data-testid="guestbook-entries">
            {entries.into_iter().map(|entry| view! {
                <li class="entry card">
                    <p class="entry-message">{entry.message}</p>
                    <p class="entry-meta">
                        <span class="entry-name">{entry.name}</span>
                        " · "
                        <time datetime=entry.created_at.clone()>{local_date_time(&entry.created_at)}</time>
                    </p>
                    {
                        // Only the owner sees the control; the server refuses anyone else anyway.
                        let (id, owner) = (entry.id.clone(), entry.owner.clone());
                        move || (owner.is_some() && me.get() == owner).then(|| {
                            let id = id.clone();
                            view! {
                                <button type="button" class="link-button danger"
                                    on:click=move |_| { delete.dispatch(DeleteGuestbookEntry { id: id.clone(), expected_version: None }); }
                                >"Delete"</button>
                            }
                        })
                    }
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(GuestName::parse("  Ada  ").unwrap().as_str(), "Ada");
        assert_eq!(GuestName::parse("   ").unwrap_err().field(), Some("name"));
        assert!(GuestName::parse(&"é".repeat(GuestName::MAX_CHARS)).is_ok());
        assert!(GuestName::parse(&"é".repeat(GuestName::MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn messages_are_required_and_bounded() {
        assert_eq!(
            GuestMessage::parse("").unwrap_err().field(),
            Some("message")
        );
        assert!(GuestMessage::parse(&"x".repeat(GuestMessage::MAX_CHARS)).is_ok());
        let too_long = GuestMessage::parse(&"x".repeat(GuestMessage::MAX_CHARS + 1)).unwrap_err();
        assert!(too_long.to_string().contains("500"), "{too_long}");
    }
}
