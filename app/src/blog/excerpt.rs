//! What a card says of a post's text before it is opened: its start, without the Markdown.
//! Computed on the server, so lists need not carry the bodies to the browser. (The reading
//! time is stored with the post: `markdown::reading_minutes`.)

/// About the length of two lines of a card.
pub const EXCERPT_CHARS: usize = 200;

/// The post's text as a reader sees it, without headings' `#`, emphasis marks, link targets or
/// images; code is kept as text.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    let mut text = String::new();
    let mut in_image = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Image { .. }) => in_image = true,
            Event::End(TagEnd::Image) => in_image = false,
            Event::Text(part) | Event::Code(part) if !in_image => text.push_str(&part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            // A block ends: keep words of two blocks apart.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::TableCell,
            ) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The start of the plain text, cut at a word, with "…" when there is more.
pub fn excerpt(markdown: &str) -> String {
    let text = plain_text(markdown);
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let at_word = match cut.rfind(' ') {
        // A single word longer than the excerpt (a URL) is cut where it stands.
        Some(space) if space > 0 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_the_text_a_reader_sees() {
        let markdown = "# Greetings\n\nThis is **bold**, `code` and a [link](https://example.com).\n\n![a cat](cat.png)\n\n- one\n- two";
        assert_eq!(
            plain_text(markdown),
            "Greetings This is bold, code and a link. one two"
        );
    }

    #[test]
    fn a_long_text_is_cut_at_a_word_with_an_ellipsis() {
        let markdown = "word ".repeat(100);
        let cut = excerpt(&markdown);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("Short and sweet."), "Short and sweet.");
        let url = format!("https://example.com/{}", "a".repeat(300));
        assert_eq!(excerpt(&url).chars().count(), EXCERPT_CHARS + 1);
    }
}
