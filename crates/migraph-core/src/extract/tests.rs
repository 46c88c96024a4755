//! Tests for the extractor: small texts of our own wording, run through the
//! built-in resources, with relations rendered as stable text lines.

use super::*;
use crate::ingest::{Article, Sentence};

/// A document from raw text: one article per blank-line block, the first line
/// of a block its headline, sentences split at line ends and ". ".
pub(crate) fn doc_from(id: &str, text: &str, date: Option<crate::model::IsoDate>) -> Document {
    let mut articles = Vec::new();
    let mut sentences = Vec::new();
    let mut pos = 0;
    for block in text.split("\n\n") {
        let bstart = text[pos..].find(block).map(|o| pos + o).unwrap_or(pos);
        let bend = bstart + block.len();
        let art = articles.len();
        let mut headline = None;
        let mut lpos = bstart;
        for line in block.split('\n') {
            let lstart = lpos;
            let lend = lstart + line.len();
            lpos = lend + 1;
            if line.trim().is_empty() {
                continue;
            }
            if headline.is_none() {
                headline = Some(Span { start: lstart, end: lend });
            }
            let mut s = lstart;
            for (k, _) in line.match_indices(". ") {
                let e = lstart + k + 1;
                sentences.push(Sentence { span: Span { start: s, end: e }, article: art });
                s = e + 1;
            }
            if s < lend {
                sentences.push(Sentence { span: Span { start: s, end: lend }, article: art });
            }
        }
        articles.push(Article { headline, span: Span { start: bstart, end: bend } });
        pos = bend;
    }
    Document {
        id: id.to_owned(),
        source: id.to_owned(),
        text: text.to_owned(),
        title: None,
        date,
        content_hash: String::new(),
        articles,
        sentences,
    }
}

fn res() -> &'static Resources {
    use std::sync::OnceLock;
    static RES: OnceLock<Resources> = OnceLock::new();
    RES.get_or_init(|| Resources::builtin().0)
}

/// Relations of `text` as `subject relation object [amount] [date]` lines, sorted.
fn lines(text: &str) -> Vec<String> {
    let d = doc_from("t.txt", text, "2025-09-01".parse().ok());
    let x = extract(&d, res());
    let name = |id: &EntityId| {
        x.entities.iter().find(|e| &e.id == id).map(|e| e.name.clone()).unwrap_or_default()
    };
    let mut out: Vec<String> = x
        .relations
        .iter()
        .map(|r| {
            let mut s = format!("{} {} {}", name(&r.subject), r.kind, name(&r.object));
            if let Some(m) = &r.money {
                s.push_str(&format!(" {}", m.to_gold()));
            }
            if let Some(w) = &r.when {
                s.push_str(&format!(" @{}", w.to_gold()));
            }
            s
        })
        .collect();
    out.sort();
    out
}

/// Asserts that every expected line is produced and no line matching a
/// forbidden one is.
fn check(text: &str, expect: &[&str], forbid: &[&str]) {
    let got = lines(text);
    for e in expect {
        assert!(got.iter().any(|g| g == e), "missing {e:?} in {got:#?}\ntext: {text}");
    }
    for f in forbid {
        assert!(
            !got.iter().any(|g| g.starts_with(f)),
            "unexpected {f:?} in {got:#?}\ntext: {text}"
        );
    }
}

#[test]
fn builtin_resources_load_without_diagnostics() {
    let (r, diags) = Resources::builtin();
    assert!(diags.is_empty(), "{diags:#?}");
    assert!(r.entity_count() > 400);
    assert!(r.rule_count() > 20);
}

#[test]
fn operates_in_lists_every_programme() {
    check(
        "The Union backs several EU-funded projects in the Sahel, among them the €20m AlphaNet initiative and the “BetaRoute” project.",
        &[
            "AlphaNet operatesIn Sahel",
            "BetaRoute operatesIn Sahel",
            "European Union funds BetaRoute",
        ],
        &[],
    );
}
