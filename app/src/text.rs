//! Short text fields as forms and server functions check them: trimmed, required, bounded.

/// Why `raw`, trimmed, is refused: `when_empty` when nothing is left, or "`subject` can have at
/// most `max_chars` characters." when too long; `None` when it is fine.
pub fn refusal(raw: &str, max_chars: usize, when_empty: &str, subject: &str) -> Option<String> {
    let text = raw.trim();
    if text.is_empty() {
        Some(when_empty.to_owned())
    } else if text.chars().count() > max_chars {
        Some(format!(
            "{subject} can have at most {max_chars} characters."
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_long_text_is_refused_in_words() {
        assert_eq!(
            refusal("  ", 3, "Say something.", "A word").as_deref(),
            Some("Say something.")
        );
        assert_eq!(
            refusal("abcd", 3, "Say something.", "A word").as_deref(),
            Some("A word can have at most 3 characters.")
        );
        assert_eq!(
            refusal(" ééé ", 3, "Say something.", "A word"),
            None,
            "characters, not bytes, after trimming"
        );
    }
}
