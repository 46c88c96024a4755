//! Markdown → plain text: front matter read as metadata, headings made headlines,
//! inline markup (emphasis, links, code) reduced to its text.
//!
//! This is not a full CommonMark renderer: bulletins use headings, paragraphs and
//! lists, and the extractor needs their words, not their layout.

use std::sync::LazyLock;

use regex::Regex;

use super::Metadata;
use crate::extract::date::find_document_date;

static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").expect("the link pattern is valid"));
static EMPHASIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\*\*|__|\*|`)").expect("the emphasis pattern is valid"));
static ORDERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d{1,3}[.)]\s+").expect("the ordered-list pattern is valid"));

pub(super) fn to_text(raw: &str) -> (String, Metadata) {
    let mut meta = Metadata::default();
    let mut body = raw;
    if let Some(rest) = raw.strip_prefix("---\n")
        && let Some(end) = rest.find("\n---")
    {
        for line in rest[..end].lines() {
            let Some((key, value)) = line.split_once(':') else { continue };
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
            match key.trim().to_ascii_lowercase().as_str() {
                "title" if !value.is_empty() => meta.title = Some(value.to_owned()),
                "date" | "published" => {
                    let day = value.get(..10).unwrap_or(value);
                    meta.date = day.parse().ok().or_else(|| find_document_date(value));
                }
                _ => {}
            }
        }
        body = rest[end + 4..].trim_start_matches(|c: char| c != '\n').trim_start_matches('\n');
    }
    let has_headings = body.lines().any(|l| heading(l).is_some());
    let mut out = String::with_capacity(body.len());
    // The front matter's title is the document's first headline, as an HTML page's
    // <title> is, unless the body starts with that heading anyway.
    if let Some(title) = &meta.title {
        let first_heading = body.lines().find(|l| !l.trim().is_empty()).and_then(heading);
        if first_heading != Some(title.as_str()) {
            out.push_str(title);
        }
    }
    let mut pending_blank = false;
    for line in body.lines() {
        if line.trim().is_empty() {
            pending_blank = true;
            continue;
        }
        if let Some(text) = heading(line) {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&inline(text));
        } else {
            if !out.is_empty() {
                out.push_str(if pending_blank && !has_headings { "\n\n" } else { "\n" });
            }
            let line = ORDERED.replace(line, "- ");
            let line = line.trim_start().strip_prefix("> ").unwrap_or(line.trim_start());
            match line.strip_prefix("* ").or_else(|| line.strip_prefix("+ ")) {
                Some(item) => {
                    out.push_str("- ");
                    out.push_str(&inline(item));
                }
                None => out.push_str(&inline(line)),
            }
        }
        pending_blank = false;
    }
    out.push('\n');
    (out, meta)
}

fn heading(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let hashes = t.len() - t.trim_start_matches('#').len();
    if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
        Some(t[hashes..].trim().trim_end_matches('#').trim())
    } else {
        None
    }
}

fn inline(text: &str) -> String {
    let linked = LINK.replace_all(text, "$1");
    EMPHASIS.replace_all(&linked, "").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_front_matter_and_headings() {
        let raw = "---\ntitle: \"Border watch\"\ndate: 2025-06-03\n---\n# Border watch\n\n## First story\n\nThe **EU** met [Chad](https://x.test).\n\n1. item one\n* item two\n";
        let (text, meta) = to_text(raw);
        assert_eq!(meta.title.as_deref(), Some("Border watch"));
        assert_eq!(meta.date.map(|d| d.to_string()).as_deref(), Some("2025-06-03"));
        assert_eq!(text, "Border watch\n\nFirst story\nThe EU met Chad.\n- item one\n- item two\n");
    }
}
