//! How schema names become Rust identifiers: snake_case functions and fields, SCREAMING_SNAKE
//! constants, PascalCase variants; a Rust keyword becomes a raw identifier (`r#type`), whatever
//! the schema says.

use proc_macro2::{Ident, Span};

/// `name` as an identifier, raw when it is a keyword.
pub fn ident(name: &str) -> Ident {
    if syn::parse_str::<Ident>(name).is_ok() {
        Ident::new(name, Span::call_site())
    } else if matches!(name, "self" | "Self" | "super" | "crate" | "_") {
        // The four keywords that cannot be raw identifiers.
        Ident::new(&format!("{name}_"), Span::call_site())
    } else {
        Ident::new_raw(name, Span::call_site())
    }
}

/// `postCommentsId` -> `post_comments_id`.
pub fn snake_ident(name: &str) -> Ident {
    ident(&snake_case(name))
}

/// `comments` -> `COMMENTS`, `byStatus` -> `BY_STATUS`.
pub fn const_ident(name: &str) -> Ident {
    ident(&snake_case(name).to_uppercase())
}

/// `PUBLISHED` -> `Published`, `in_review` -> `InReview`.
pub fn variant_ident(value: &str) -> Ident {
    let pascal: String = value
        .split('_')
        .map(|word| {
            let lower = word.to_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    ident(&pascal)
}

/// The static `ModelSpec` of a model: `Post` -> `POST_SPEC`.
pub fn spec_ident(model: &str) -> Ident {
    Ident::new(
        &format!("{}_SPEC", snake_case(model).to_uppercase()),
        Span::call_site(),
    )
}

/// A name made for Rust out of parts (`Create` + `Post` + `Input`).
pub fn joined(parts: &[&str]) -> Ident {
    ident(&parts.concat())
}

pub fn snake_case(name: &str) -> String {
    let mut snake = String::new();
    for (index, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if index > 0 && !snake.ends_with('_') {
                snake.push('_');
            }
            snake.extend(c.to_lowercase());
        } else if c.is_alphanumeric() {
            snake.push(c);
        } else if !snake.ends_with('_') {
            snake.push('_');
        }
    }
    snake
}

/// What serde's `rename_all = "camelCase"` makes of a snake_case field.
pub fn camel_case(snake: &str) -> String {
    let mut camel = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            camel.extend(c.to_uppercase());
            upper = false;
        } else {
            camel.push(c);
        }
    }
    camel
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(snake_ident("type").to_string(), "r#type");
        assert_eq!(snake_ident("matchId").to_string(), "match_id");
        assert_eq!(ident("async").to_string(), "r#async");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(const_ident("byStatus").to_string(), "BY_STATUS");
        assert_eq!(variant_ident("IN_REVIEW").to_string(), "InReview");
        assert_eq!(spec_ident("BlogCover").to_string(), "BLOG_COVER_SPEC");
    }

    #[test]
    fn camel_case_undoes_snake_case() {
        for name in ["postCommentsId", "id", "createdAt"] {
            assert_eq!(camel_case(&snake_case(name)), name);
        }
    }
}
