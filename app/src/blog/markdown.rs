//! Posts are Markdown, rendered to HTML in the browser. Raw HTML in a post is shown as text,
//! never inserted, and links or images with a scheme other than http(s) or mailto lose their
//! address: a post cannot run script in its readers' browsers.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

pub fn to_safe_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Relative addresses and http(s)/mailto ones pass; `javascript:`, `data:` and the like become
/// empty. Browsers ignore whitespace and control characters inside a scheme, so we do too.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let compact: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = compact.find([':', '/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|end| compact[end..].starts_with(':'));
    let allowed = !has_scheme
        || ["http:", "https:", "mailto:"]
            .iter()
            .any(|s| compact.starts_with(s));
    if allowed {
        url
    } else {
        CowStr::Borrowed("")
    }
}

/// Minutes to read `markdown` at 200 words a minute, at least one.
pub fn reading_minutes(markdown: &str) -> i64 {
    (markdown.split_whitespace().count() as i64 + 199) / 200
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders() {
        let html = to_safe_html("# Title\n\nSome *emphasis* and a [link](https://example.com).");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<em>emphasis</em>"));
        assert!(html.contains(r#"<a href="https://example.com">link</a>"#));
    }

    #[test]
    fn raw_html_is_shown_as_text_never_inserted() {
        let html =
            to_safe_html("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(2)> there");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{html}"
        );
    }

    #[test]
    fn only_harmless_link_schemes_keep_their_address() {
        for evil in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "<java\tscript:alert(1)>",
            "data:text/html;base64,xx",
            "<&#32;vbscript:x>",
            "<java&#x0A;script:x>",
        ] {
            let html = to_safe_html(&format!("[click]({evil}) ![img]({evil})"));
            for address in addresses(&html) {
                let compact: String = address
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                assert!(
                    !compact.contains("script:") && !compact.starts_with("data:"),
                    "{evil} -> {html}"
                );
            }
        }
        for fine in [
            "https://example.com/a?b#c",
            "/posts/1",
            "mailto:ada@example.com",
            "#top",
        ] {
            assert!(
                to_safe_html(&format!("[x]({fine})")).contains(&format!("href=\"{fine}\"")),
                "{fine}"
            );
        }
    }

    /// Every href and src value in `html`, entities decoded the way a browser would for these.
    fn addresses(html: &str) -> Vec<String> {
        let mut found = Vec::new();
        for attribute in ["href=\"", "src=\""] {
            for (start, _) in html.match_indices(attribute) {
                let rest = &html[start + attribute.len()..];
                let value = &rest[..rest.find('"').unwrap_or(rest.len())];
                found.push(
                    value
                        .replace("&#9;", "\t")
                        .replace("%09", "\t")
                        .replace("%0A", "\n")
                        .replace("%20", " "),
                );
            }
        }
        found
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes("one two"), 1);
        assert_eq!(reading_minutes(&"word ".repeat(401)), 3);
        assert_eq!(reading_minutes(""), 0);
    }
}
