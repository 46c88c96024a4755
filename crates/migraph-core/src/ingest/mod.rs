//! Ingest: files → [`Document`]s with articles and sentences.
//!
//! The only module that reads input files. It decodes bytes (UTF-8, with a
//! diagnostic and lossy decoding otherwise), strips HTML to text, normalises line
//! endings, splits the text into articles (headline + body) and sentences, and
//! finds the document date. All offsets are byte offsets into [`Document::text`].

use serde::{Deserialize, Serialize};

use crate::model::IsoDate;

/// A half-open byte range `[start, end)` into [`Document::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// One story of a bulletin: a headline and the body that follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The headline line, when the story has one.
    pub headline: Option<Span>,
    /// The whole article, headline included.
    pub span: Span,
}

/// A sentence (or a headline, list item or other line-level unit of text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Where it is.
    pub span: Span,
    /// Index into [`Document::articles`].
    pub article: usize,
}

/// A decoded input document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Document id: the file name (`000_4c29bab22beb8e5e.txt`).
    pub id: String,
    /// Path as the user named it.
    pub source: String,
    /// Normalised text (LF line endings, HTML reduced to text).
    pub text: String,
    /// The document's title (its first non-empty line).
    pub title: Option<String>,
    /// Publication date, from `--date`, metadata or the text.
    pub date: Option<IsoDate>,
    /// Hex SHA-256 of the raw bytes.
    pub content_hash: String,
    /// Stories, in order; every sentence belongs to one.
    pub articles: Vec<Article>,
    /// Sentences, in order, non-overlapping.
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    /// The headline text of an article.
    pub fn headline(&self, article: usize) -> Option<&str> {
        self.articles.get(article).and_then(|a| a.headline).map(|h| self.slice(h))
    }
}
