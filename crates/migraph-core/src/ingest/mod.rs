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

mod date;
mod html;
mod markdown;
mod split;

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;

pub use split::{split_articles, split_sentences};

/// The kinds of file ingest reads, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `.txt` and any other plain text.
    Text,
    /// `.md`, `.markdown`.
    Markdown,
    /// `.html`, `.htm`, `.xhtml`.
    Html,
}

impl InputKind {
    /// The kind for a path's extension, `None` for files ingest does not read.
    pub fn from_path(path: &Path) -> Option<InputKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(InputKind::Text),
            "md" | "markdown" => Some(InputKind::Markdown),
            "html" | "htm" | "xhtml" => Some(InputKind::Html),
            _ => None,
        }
    }
}

/// How to read documents.
#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// Publication date for every document, overriding metadata and the text
    /// (`--date`). `None` by default.
    pub date: Option<IsoDate>,
}

/// Errors that stop one input from being read at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// The files to read and the diagnostics for what was passed over.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Files to read, sorted within each folder, in the order the user gave them.
    pub files: Vec<PathBuf>,
    /// Named paths that do not exist, files of other types, unreadable folders.
    pub diagnostics: Vec<Diagnostic>,
    /// Files inside folders skipped for their extension (not errors, but counted).
    pub n_other_files: usize,
}

/// Walks `paths` (files or folders, recursively) and lists the `.txt`/`.md`/`.html`
/// files to read.
///
/// A path named explicitly with an unsupported extension, a missing path and an
/// unreadable folder each give a diagnostic; files of other types found inside a
/// folder are only counted. Hidden files and folders (`.git`) are skipped.
pub fn collect_inputs(paths: &[PathBuf]) -> Inputs {
    let mut inputs = Inputs::default();
    for path in paths {
        let shown = path.display().to_string();
        match fs::metadata(path) {
            Err(err) => inputs.diagnostics.push(Diagnostic::error(
                shown,
                format!("cannot read: {err}; check the path or pass a file or folder that exists"),
            )),
            Ok(meta) if meta.is_dir() => walk_dir(path, &mut inputs),
            Ok(_) => match InputKind::from_path(path) {
                Some(_) => inputs.files.push(path.clone()),
                None => inputs.diagnostics.push(Diagnostic::error(
                    shown,
                    "unsupported file type, skipped; migraph reads .txt, .md and .html files",
                )),
            },
        }
    }
    inputs
}

fn walk_dir(dir: &Path, inputs: &mut Inputs) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            inputs.diagnostics.push(Diagnostic::error(
                dir.display().to_string(),
                format!("cannot list folder: {err}"),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk_dir(&path, inputs);
        } else if InputKind::from_path(&path).is_some() {
            inputs.files.push(path);
        } else {
            tracing::debug!(path = %path.display(), "skipping file of another type");
            inputs.n_other_files += 1;
        }
    }
}

/// Reads one file into a [`Document`].
///
/// Returns `Ok((None, diagnostics))` for a file that is skipped on purpose (empty,
/// binary): the diagnostics say why. Invalid UTF-8 is decoded lossily, with a
/// warning that counts the replaced bytes.
pub fn read_document(
    path: &Path,
    config: &IngestConfig,
) -> Result<(Option<Document>, Vec<Diagnostic>), IngestError> {
    let bytes =
        fs::read(path).map_err(|source| IngestError::Io { path: path.to_owned(), source })?;
    let kind = InputKind::from_path(path).unwrap_or(InputKind::Text);
    let id = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".to_owned());
    Ok(parse_document(&id, &path.display().to_string(), &bytes, kind, config))
}

/// Turns raw bytes into a [`Document`]; the pure core of [`read_document`].
///
/// # Arguments
/// * `id` – document id (the file name); `source` – the path as shown to the user.
///
/// # Returns
/// The document, or `None` when the input is empty or binary, and the diagnostics.
pub fn parse_document(
    id: &str,
    source: &str,
    bytes: &[u8],
    kind: InputKind,
    config: &IngestConfig,
) -> (Option<Document>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let content_hash = hex(&Sha256::digest(bytes));
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        diagnostics.push(Diagnostic::error(source, "empty file, skipped"));
        return (None, diagnostics);
    }
    if looks_binary(bytes) {
        diagnostics.push(Diagnostic::error(
            source,
            "binary content (NUL or control bytes), skipped; pass text, Markdown or HTML files",
        ));
        return (None, diagnostics);
    }
    // Valid UTF-8 (the usual case) is checked by the fast validator first;
    // only invalid input pays for the lossy decode.
    let decoded = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    if let std::borrow::Cow::Owned(_) = decoded {
        let n_bad = decoded.matches('\u{FFFD}').count();
        diagnostics.push(Diagnostic::warning(
            source,
            format!(
                "not valid UTF-8: {n_bad} invalid byte sequence(s) replaced by U+FFFD; re-save the file as UTF-8"
            ),
        ));
    }
    let raw = normalise_newlines(decoded.trim_start_matches('\u{FEFF}'));
    let (text, meta) = match kind {
        InputKind::Text => (raw, Metadata::default()),
        InputKind::Markdown => markdown::to_text(&raw),
        InputKind::Html => html::to_text(&raw),
    };
    let articles = split_articles(&text);
    let sentences = split_sentences(&text, &articles);
    let title = meta.title.or_else(|| {
        articles.first().and_then(|a| a.headline).map(|h| text[h.start..h.end].trim().to_owned())
    });
    let date = config.date.or(meta.date).or_else(|| infer_document_date(&text));
    if date.is_none() {
        diagnostics.push(Diagnostic::warning(
            source,
            "no publication date found; relative dates (\"this January\") stay unresolved, pass --date YYYY-MM-DD",
        ));
    }
    let doc = Document {
        id: id.to_owned(),
        source: source.to_owned(),
        text,
        title,
        date,
        content_hash,
        articles,
        sentences,
    };
    (Some(doc), diagnostics)
}

/// Title and date found in a file's own metadata (HTML `<meta>`, Markdown front matter).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Metadata {
    title: Option<String>,
    date: Option<IsoDate>,
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control =
        head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    control * 20 > head.len()
}

fn normalise_newlines(text: &str) -> String {
    // Most files have Unix line ends: one copy, no replacing.
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

pub use date::infer_document_date;

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> IngestConfig {
        IngestConfig { date: None }
    }

    #[test]
    fn parse_document_skips_empty_and_binary_with_diagnostics() {
        let (doc, diags) = parse_document("e.txt", "in/e.txt", b"  \n", InputKind::Text, &config());
        assert!(doc.is_none());
        assert!(diags[0].to_string().contains("in/e.txt: empty file"), "{}", diags[0]);
        let binary = [0x89, b'P', b'N', b'G', 0, 0, 1, 2, 3];
        let (doc, diags) = parse_document("b.txt", "b.txt", &binary, InputKind::Text, &config());
        assert!(doc.is_none());
        assert!(diags[0].message.contains("binary"));
    }

    #[test]
    fn parse_document_decodes_bad_utf8_lossily_with_warning() {
        let bytes = b"Title\n\nStory\nThe EU met Chad in May 2025 \xff\xfe here.\n";
        let (doc, diags) = parse_document("u.txt", "u.txt", bytes, InputKind::Text, &config());
        let doc = doc.expect("the document is kept");
        assert!(doc.text.contains('\u{FFFD}'));
        assert!(diags.iter().any(|d| d.message.contains("not valid UTF-8")), "{diags:?}");
        assert_eq!(doc.date.map(|d| d.to_string()).as_deref(), Some("2025"));
        assert_eq!(doc.articles.len(), 2);
    }

    #[test]
    fn parse_document_uses_date_override_and_crlf() {
        let cfg = IngestConfig { date: Some(IsoDate::month(2024, 3)) };
        let (doc, diags) = parse_document(
            "c.txt",
            "c.txt",
            b"Title\r\n\r\nHead\r\nBody.\r\n",
            InputKind::Text,
            &cfg,
        );
        let doc = doc.expect("kept");
        assert!(diags.is_empty(), "{diags:?}");
        assert!(!doc.text.contains('\r'));
        assert_eq!(doc.date, Some(IsoDate::month(2024, 3)));
        assert_eq!(doc.title.as_deref(), Some("Title"));
    }

    #[test]
    fn read_document_on_the_seed_finds_its_stories() {
        let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/seeds/000_4c29bab22beb8e5e.txt");
        if !seed.exists() {
            eprintln!(
                "skipping: {} not found (the shared folder sits beside the repository)",
                seed.display()
            );
            return;
        }
        let (doc, diags) = read_document(&seed, &config()).expect("the seed is readable");
        let doc = doc.expect("the seed is a document");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(doc.articles.len(), 6, "title block and five stories");
        assert_eq!(doc.date, Some(IsoDate::year(2025)));
        for s in &doc.sentences {
            let text = doc.slice(s.span);
            assert!(!text.is_empty() && !text.contains('\n'), "{text:?}");
        }
        assert!(doc.sentences.len() > 50, "{}", doc.sentences.len());
    }

    #[test]
    fn read_document_on_the_sample_corpus_finds_dates_and_stories() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
        let inputs = collect_inputs(&[dir]);
        assert!(inputs.diagnostics.is_empty(), "{:?}", inputs.diagnostics);
        assert!(inputs.files.len() >= 5);
        for path in &inputs.files {
            let (doc, diags) = read_document(path, &config()).expect("readable");
            let doc = doc.expect("a document");
            assert!(diags.is_empty(), "{}: {diags:?}", path.display());
            assert!(
                doc.date.is_some_and(|d| d.day.is_some()),
                "{}: {:?}",
                path.display(),
                doc.date
            );
            assert!(doc.articles.len() >= 3, "{}: {} articles", path.display(), doc.articles.len());
            assert!(doc.title.is_some(), "{}", path.display());
        }
    }

    /// Property test over random input (issue 3, "bad input"): random bytes, random
    /// UTF-8 made of the characters bulletins use, and random mixes of both never
    /// panic in ingest or extraction, and every span stays on char boundaries.
    #[test]
    fn parse_and_extract_never_panic_on_random_input() {
        let (resources, _) = crate::extract::Resources::builtin();
        let pieces = [
            "EU",
            " funds ",
            "€",
            "200m",
            " Egypt",
            ".",
            "\n",
            "\n\n",
            "- ",
            "“",
            "”",
            "’s",
            " in May 2025",
            " (ICMPD)",
            " Frontex",
            " deployed to ",
            "Libyan Coast Guard",
            " since October",
            "é",
            "\u{FFFD}",
            "<p>",
            "</p>",
            "<script>",
            "# ",
            "---\n",
            " /// ",
            "Mr.",
            " 14 May",
            "-",
            " and ",
            "Commission",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % n.max(1)
        };
        for round in 0..600 {
            let mut bytes = Vec::new();
            for _ in 0..next(60) {
                match round % 3 {
                    0 => bytes.push(next(256) as u8),
                    1 => bytes.extend_from_slice(pieces[next(pieces.len())].as_bytes()),
                    _ if next(4) == 0 => bytes.push(next(256) as u8),
                    _ => bytes.extend_from_slice(pieces[next(pieces.len())].as_bytes()),
                }
            }
            for kind in [InputKind::Text, InputKind::Markdown, InputKind::Html] {
                let (doc, _) = parse_document("r.txt", "r.txt", &bytes, kind, &config());
                let Some(doc) = doc else { continue };
                for s in &doc.sentences {
                    assert!(
                        doc.text.is_char_boundary(s.span.start)
                            && doc.text.is_char_boundary(s.span.end)
                    );
                }
                let found = crate::extract::extract(&doc, &resources);
                for r in &found.relations {
                    let e = &r.evidence;
                    assert!(
                        e.quote_start <= e.quote_end && e.quote_end <= doc.text.len(),
                        "{bytes:?}"
                    );
                    assert!(
                        doc.text.is_char_boundary(e.quote_start)
                            && doc.text.is_char_boundary(e.quote_end)
                    );
                }
            }
        }
    }
}
