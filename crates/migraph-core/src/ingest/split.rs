//! Splitting normalised text into articles (headline + body) and sentences.
//!
//! A bulletin holds several stories. A line is a headline when it follows a blank
//! line (or starts the text), is short, carries no closing punctuation and is
//! followed by text. Inside an article every line is a paragraph or list item;
//! sentences never cross lines, and a line is split at `.`, `!` or `?` followed by
//! a capitalised word, except after known abbreviations and initials. A ` /// `
//! separator (tables of contents) also ends a unit.

use super::{Article, Sentence, Span};

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "etc", "e.g", "i.e", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gen", "col", "lt",
    "sen", "rep", "gov", "inc", "ltd", "co", "art", "para", "approx", "u.s", "u.k", "e.u", "u.n",
    "cf", "fig", "ca", "jr", "sr", "hon", "rt", "ed", "eds", "vol", "pp", "ref",
];

struct Line {
    start: usize,
    end: usize,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push(Line { start, end: i });
        start = i + 1;
    }
    if start < text.len() {
        out.push(Line { start, end: text.len() });
    }
    out
}

fn trimmed(text: &str, start: usize, end: usize) -> Span {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead == s.len() {
        return Span { start, end: start };
    }
    Span { start: start + lead, end: end - trail }
}

fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ") || t.starts_with("* ") || t.starts_with('•') || t.starts_with("– ")
}

/// Whether a line reads like a headline: short, capitalised, no closing punctuation.
fn is_headline_like(line: &str) -> bool {
    let t = line.trim();
    let n_chars = t.chars().count();
    if !(3..=200).contains(&n_chars) || is_list_item(t) || t.split_whitespace().count() > 25 {
        return false;
    }
    let first = t.chars().next().unwrap_or(' ');
    let opens = first.is_uppercase() || first.is_ascii_digit() || "“\"‘'€$£".contains(first);
    let last = t.chars().last().unwrap_or('.');
    opens && !".,;:".contains(last)
}

/// Finds the articles of a text. Every non-blank line belongs to exactly one article.
///
/// # Complexity
/// O(n) in the text length.
pub fn split_articles(text: &str) -> Vec<Article> {
    let lines = lines(text);
    let mut starts: Vec<(usize, Option<Span>)> = Vec::new();
    let mut prev_blank = true;
    for (i, line) in lines.iter().enumerate() {
        let content = &text[line.start..line.end];
        let blank = content.trim().is_empty();
        if !blank && prev_blank {
            let next_has_text = lines[i + 1..]
                .iter()
                .map(|l| &text[l.start..l.end])
                .next()
                .is_some_and(|next| !next.trim().is_empty());
            let first = starts.is_empty();
            if is_headline_like(content) && (next_has_text || first) {
                starts.push((line.start, Some(trimmed(text, line.start, line.end))));
            } else if first {
                starts.push((line.start, None));
            }
        }
        prev_blank = blank;
    }
    let mut articles = Vec::with_capacity(starts.len());
    for (k, (start, headline)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(text.len(), |(next, _)| *next);
        articles.push(Article { headline: *headline, span: trimmed(text, *start, end) });
    }
    articles
}

/// Splits every article into sentences (headlines are sentences of their own).
///
/// # Complexity
/// O(n) in the text length.
pub fn split_sentences(text: &str, articles: &[Article]) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (idx, article) in articles.iter().enumerate() {
        let mut pos = article.span.start;
        while pos < article.span.end {
            let line_end = memchr::memchr(b'\n', &text.as_bytes()[pos..article.span.end])
                .map_or(article.span.end, |i| pos + i);
            let mut start = pos;
            let line = &text[pos..line_end];
            let marker = line.len() - line.trim_start().len();
            let rest = &line[marker..];
            for prefix in ["- ", "* ", "• ", "•", "– "] {
                if let Some(stripped) = rest.strip_prefix(prefix) {
                    start = pos + marker + (rest.len() - stripped.len());
                    break;
                }
            }
            // Most lines hold no separator: a SIMD search settles that.
            if memchr::memmem::find(&text.as_bytes()[start..line_end], b" /// ").is_none() {
                split_line(text, start, line_end, idx, &mut out);
            } else {
                for unit in text[start..line_end].split(" /// ") {
                    let unit_start = unit.as_ptr() as usize - text.as_ptr() as usize;
                    split_line(text, unit_start, unit_start + unit.len(), idx, &mut out);
                }
            }
            pos = line_end + 1;
        }
    }
    out
}

fn split_line(text: &str, start: usize, end: usize, article: usize, out: &mut Vec<Sentence>) {
    let bytes = text.as_bytes();
    let mut sent_start = start;
    let mut i = start;
    // Jump from one sentence-ending mark to the next (SIMD search).
    while let Some(off) = memchr::memchr3(b'.', b'!', b'?', &bytes[i..end]) {
        i += off;
        let b = bytes[i];
        // Take closing quotes and brackets with the sentence.
        let mut j = i + 1;
        loop {
            let rest = &text[j..end];
            let close = ['"', '\'', ')', ']', '”', '’', '»'].iter().find(|c| rest.starts_with(**c));
            match close {
                Some(c) => j += c.len_utf8(),
                None => break,
            }
        }
        let after = &text[j..end];
        let gap = after.len() - after.trim_start().len();
        let next = after.trim_start().chars().next();
        let boundary = gap > 0
            && next.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "“\"‘(".contains(c))
            && !(b == b'.' && ends_with_abbreviation(&text[sent_start..i]));
        if boundary {
            push(text, sent_start, j, article, out);
            sent_start = j + gap;
            i = sent_start;
            continue;
        }
        i = j.max(i + 1);
    }
    push(text, sent_start, end, article, out);
}

fn ends_with_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    // An ASCII word lower-cases byte by byte: compared in place.
    if word.is_ascii() {
        return ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word));
    }
    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

fn push(text: &str, start: usize, end: usize, article: usize, out: &mut Vec<Sentence>) {
    let span = trimmed(text, start, end);
    if span.end > span.start {
        out.push(Sentence { span, article });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> String {
        let articles = split_articles(text);
        let sentences = split_sentences(text, &articles);
        let mut out = String::new();
        for (i, a) in articles.iter().enumerate() {
            let head = a.headline.map(|h| &text[h.start..h.end]).unwrap_or("-");
            out.push_str(&format!("# {head}\n"));
            for s in sentences.iter().filter(|s| s.article == i) {
                out.push_str(&format!("  [{}]\n", &text[s.span.start..s.span.end]));
            }
        }
        out
    }

    #[test]
    fn split_finds_headlines_after_blank_lines() {
        let text = "Weekly bulletin\nFirst story /// Second story\n\nFirst story\nThe EU paid €1.5m to Chad. Mr. Smith said so.\n- A list item. Another one\n\nSecond story\nNothing else happened.\n";
        let got = render(text);
        let want = "# Weekly bulletin\n  [Weekly bulletin]\n  [First story]\n  [Second story]\n# First story\n  [First story]\n  [The EU paid €1.5m to Chad.]\n  [Mr. Smith said so.]\n  [A list item.]\n  [Another one]\n# Second story\n  [Second story]\n  [Nothing else happened.]\n";
        assert_eq!(got, want);
    }

    #[test]
    fn split_keeps_closing_quotes_and_initials() {
        let text = "Title\n\nHe called it “timely.” Then J. Doe left! Why? Because.";
        let got = render(text);
        assert!(got.contains("[He called it “timely.”]"), "{got}");
        assert!(got.contains("[Then J. Doe left!]"), "{got}");
        assert!(got.contains("[Why?]"), "{got}");
    }

    #[test]
    fn split_paragraph_starting_a_text_without_headline() {
        let text = "This text has no headline at all. It just starts.";
        let articles = split_articles(text);
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].headline, None);
        assert_eq!(split_sentences(text, &articles).len(), 2);
    }

    #[test]
    fn split_offsets_are_char_boundaries_on_odd_input() {
        for text in ["", "\n\n\n", "é.É.", "“.”", "a /// b /// ", "- ", "•", "?!.", "A.\u{FFFD}B"]
        {
            let articles = split_articles(text);
            for s in split_sentences(text, &articles) {
                assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
            }
        }
    }
}
