//! What a writer typed in the editor and has not saved, kept in this browser's local storage
//! (one entry per user and post, `new` for a post not yet saved), so that a reload, a closed tab
//! or a crash loses nothing. Saving forgets it.

use serde::{Deserialize, Serialize};

/// The editor's fields as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Typed {
    pub title: String,
    pub body: String,
    pub tags: String,
    pub blog_id: String,
}

/// Where one post's unsaved text is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot(String);

impl Slot {
    /// `user` is the writer's `sub`: on a shared computer, one writer never gets another's text.
    pub fn new(user: &str, post_id: Option<&str>) -> Self {
        Slot(format!(
            "stratus.unsaved.{user}.{}",
            post_id.unwrap_or("new")
        ))
    }

    pub fn load(&self) -> Option<Typed> {
        let text = storage()?.get_item(&self.0).ok()??;
        serde_json::from_str(&text).ok()
    }

    pub fn keep(&self, typed: &Typed) {
        if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(typed)) {
            // A full storage only loses the safety net, never the text on the page.
            let _ = storage.set_item(&self.0, &text);
        }
    }

    pub fn forget(&self) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(&self.0);
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}
