//! A second Stratus app: notebooks and notes. Its schema is all it declares; the crates do the
//! rest. One hand-written server function shows the typed API.

pub mod models;

use stratus::error::AppError;

use crate::models::Note;

/// The caller's pinned notes in one folder, newest first.
#[stratus::server]
pub async fn pinned_notes(folder: String) -> Result<Vec<Note>, AppError> {
    use crate::models::ModelNoteFilter;
    use stratus::data::filter::BooleanFilter;

    let pinned = ModelNoteFilter {
        pinned: Some(BooleanFilter {
            eq: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    };
    let page = Note::by_folder(folder)
        .filter(pinned)
        .include(Note::NOTEBOOK)
        .limit(50)
        .fetch()
        .await?;
    Ok(page.items)
}
