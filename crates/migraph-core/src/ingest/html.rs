//! HTML → plain text: the page's articles (or main content) without scripts,
//! styles, navigation, headers and footers; headings become headlines.

use scraper::{ElementRef, Html, Node, Selector};

use super::Metadata;
use crate::extract::date::find_document_date;

/// Elements whose content is page furniture, never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "noscript", "form", "template", "svg",
    "button", "iframe", "select", "head", "menu",
];

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "br",
    "tr",
    "dd",
    "dt",
    "figcaption",
    "table",
    "ul",
    "ol",
    "pre",
    "address",
    "body",
];

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

pub(super) fn to_text(raw: &str) -> (String, Metadata) {
    let page = Html::parse_document(raw);
    let mut meta = Metadata::default();
    if let Some(sel) = selector("title") {
        meta.title = page
            .select(&sel)
            .next()
            .map(|t| collapse(&t.text().collect::<String>()))
            .filter(|t| !t.is_empty());
    }
    let date_selectors = [
        ("meta[property='article:published_time']", "content"),
        ("meta[name='date']", "content"),
        ("meta[name='dcterms.date']", "content"),
        ("meta[itemprop='datePublished']", "content"),
        ("time[datetime]", "datetime"),
    ];
    for (css, attr) in date_selectors {
        let Some(sel) = selector(css) else { continue };
        if let Some(value) = page.select(&sel).next().and_then(|e| e.value().attr(attr)) {
            let day = value.get(..10).unwrap_or(value);
            meta.date = day.parse().ok().or_else(|| find_document_date(value));
            if meta.date.is_some() {
                break;
            }
        }
    }
    let roots: Vec<ElementRef<'_>> = ["article", "main", "body"]
        .iter()
        .filter_map(|css| selector(css))
        .map(|sel| page.select(&sel).collect::<Vec<_>>())
        .find(|found| !found.is_empty())
        .unwrap_or_else(|| vec![page.root_element()]);
    let mut out = Out { text: String::new() };
    if let Some(title) = &meta.title {
        out.text.push_str(title);
        out.text.push('\n');
    }
    for root in roots {
        walk(root, &mut out);
        out.heading_break();
    }
    let text: String = out.text.trim().lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    (text + "\n", meta)
}

struct Out {
    text: String,
}

impl Out {
    fn line_break(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    fn heading_break(&mut self) {
        self.line_break();
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }

    fn push_words(&mut self, words: &str) {
        let collapsed = collapse(words);
        if collapsed.is_empty() {
            if words.chars().any(char::is_whitespace)
                && !self.text.ends_with([' ', '\n'])
                && !self.text.is_empty()
            {
                self.text.push(' ');
            }
            return;
        }
        let needs_space =
            words.starts_with(char::is_whitespace) && !self.text.ends_with([' ', '\n']);
        if needs_space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(&collapsed);
        if words.ends_with(char::is_whitespace) {
            self.text.push(' ');
        }
    }
}

fn walk(element: ElementRef<'_>, out: &mut Out) {
    let name = element.value().name();
    if SKIPPED.contains(&name) {
        return;
    }
    let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
    if heading {
        let text = collapse(&element.text().collect::<String>());
        if !text.is_empty() {
            out.heading_break();
            out.text.push_str(&text);
            out.text.push('\n');
        }
        return;
    }
    if name == "li" {
        out.line_break();
        out.text.push_str("- ");
    } else if BLOCKS.contains(&name) {
        out.line_break();
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_words(text),
            Node::Element(_) => {
                if let Some(el) = ElementRef::wrap(child) {
                    walk(el, out);
                }
            }
            _ => {}
        }
    }
    if name == "li" || BLOCKS.contains(&name) {
        out.line_break();
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_articles_drops_furniture() {
        let raw = r#"<html><head><title>Border watch</title>
            <meta property="article:published_time" content="2025-06-03T08:00:00Z">
            <script>var x = "EU funds Chad";</script></head>
            <body><nav>Home | About</nav>
            <article><h2>First story</h2><p>The <b>EU</b> met
            Chad.</p><ul><li>One item</li><li>Two</li></ul></article>
            <footer>Copyright</footer></body></html>"#;
        let (text, meta) = to_text(raw);
        assert_eq!(meta.date.map(|d| d.to_string()).as_deref(), Some("2025-06-03"));
        assert_eq!(text, "Border watch\n\nFirst story\nThe EU met Chad.\n- One item\n- Two\n");
        assert!(!text.contains("funds") && !text.contains("Home") && !text.contains("Copyright"));
    }
}
