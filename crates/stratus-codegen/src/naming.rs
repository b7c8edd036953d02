//! How schema names become the names Amplify and Rust expect.

/// `Post` -> `post`: foreign keys (`postCommentsId`) and endpoints (`postComments`).
pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `comments` -> `Comments`.
pub fn upper_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
