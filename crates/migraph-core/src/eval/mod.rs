//! Eval: score extracted relations against gold TSV files, with the same
//! matching rules and the same printed report as `shared/tools/score.py`.
//!
//! A relation is the key (document, subject, relation, object): the document is
//! the last path component of `doc`; names are normalised by [`norm`] and then
//! resolved through the [`Aliases`]; `cooperatesWith` and `meetsWith` are
//! ordered so that either direction matches. Per file, a repeated key keeps its
//! first row unless a later one brings an amount the first lacked. Precision,
//! recall and F1 are counted per relation name and micro-averaged over all;
//! amounts (their first space-separated token) and dates (exact text) are
//! checked on the matched relations whose gold row has one.
//!
//! Prediction rows are limited to the documents of the gold (or to an explicit
//! document set), so scoring one gold file against predictions for a whole
//! corpus works. This module reads and writes TSV and computes numbers; it never
//! runs extraction and never prints (callers print [`Report::render`]).
//!
//! Where score.py would stop with a Python traceback or silently misread, this
//! module deliberately differs: a UTF-8 byte-order mark before the header is
//! ignored (Python would not find the `doc` column), an alias row without an
//! `alias` field adds its canonical name only, and missing columns, short rows,
//! unreadable and non-UTF-8 files are [`EvalError`]s. Name folding differs from
//! NFKD only outside the scripts listed in `norm.rs`. A cross-check test renders
//! the report for perturbed copies of the shared gold and compares it byte for
//! byte with score.py's output.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

mod fold_table;
mod norm;
mod records;
mod rows;

#[cfg(test)]
mod tests;

pub use norm::{Aliases, norm, read_aliases};
pub use rows::{
    GoldRow, HEADER, parse_rows, read_rows, relations_to_rows, write_header, write_rows,
};

/// Error reading a gold, prediction or alias file.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("cannot read {}: {cause}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why (kept in the message: callers often show only `to_string()`).
        cause: std::io::Error,
    },
    /// The file is not UTF-8.
    #[error("{} is not valid UTF-8: save it as UTF-8", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// The header lacks a required column.
    #[error("{origin}: missing column {column:?} in the header")]
    MissingColumn {
        /// The file (or other origin) of the text.
        origin: String,
        /// The missing column name.
        column: &'static str,
    },
    /// A row ends before a required field.
    #[error("{origin}:{line}: the row has no {column:?} field")]
    ShortRow {
        /// The file (or other origin) of the text.
        origin: String,
        /// 1-based line of the row.
        line: usize,
        /// The missing field's column name.
        column: &'static str,
    },
}

/// The identity of a relation for scoring, every part normalised.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// Document file name (last path component).
    pub doc: String,
    /// Normalised, alias-resolved subject.
    pub subject: String,
    /// Relation name, trimmed.
    pub relation: String,
    /// Normalised, alias-resolved object.
    pub object: String,
}

/// True positives, predicted and gold relation counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted relations that are in the gold.
    pub tp: usize,
    /// Predicted relations.
    pub pred: usize,
    /// Gold relations.
    pub gold: usize,
}

impl Counts {
    /// `tp / pred`, 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.pred)
    }

    /// `tp / gold`, 0 when the gold is empty.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold)
    }

    /// Harmonic mean of precision and recall, 0 when both are 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        // The same operations in the same order as score.py, for identical rounding.
        if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 }
    }
}

/// `a / b` as a float, 0 when `b` is 0.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The outcome of [`score`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Counts per relation name (every name seen in gold or predictions).
    pub per_relation: BTreeMap<String, Counts>,
    /// Micro counts over all relations.
    pub all: Counts,
    /// Matched relations whose amount is right, and matched relations whose gold
    /// row has an amount.
    pub amounts_right: (usize, usize),
    /// Matched relations whose date is right, and matched relations whose gold
    /// row has a date.
    pub dates_right: (usize, usize),
    /// Gold relations not predicted, sorted.
    pub missed: Vec<Key>,
    /// Predicted relations not in the gold, sorted.
    pub spurious: Vec<Key>,
}

impl Report {
    /// Micro-averaged F1 over all relations.
    pub fn micro_f1(&self) -> f64 {
        self.all.f1()
    }

    /// The report as score.py prints it: a table per relation, the `ALL` line,
    /// amounts and dates, with `verbose` the `MISSED`/`SPURIOUS` keys, and last
    /// `micro-F1 0.xxx`. Every line ends with a line break.
    pub fn render(&self, verbose: bool) -> String {
        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        line(format!(
            "{:26} {:>4} {:>5} {:>5} {:>6} {:>6} {:>6}",
            "relation", "tp", "pred", "gold", "P", "R", "F1"
        ));
        for (relation, counts) in &self.per_relation {
            line(counts_line(relation, counts));
        }
        line(counts_line("ALL", &self.all));
        line(format!(
            "amounts right on matched relations: {}/{}; dates: {}/{}",
            self.amounts_right.0, self.amounts_right.1, self.dates_right.0, self.dates_right.1
        ));
        if verbose {
            for (label, keys) in [("MISSED  ", &self.missed), ("SPURIOUS", &self.spurious)] {
                for k in keys {
                    line(format!(
                        "{label}\t{}\t{}\t{}\t{}",
                        k.doc, k.subject, k.relation, k.object
                    ));
                }
            }
        }
        line(format!("micro-F1 {:.3}", self.micro_f1()));
        out
    }
}

/// One row of the table: name, counts, P, R, F1.
fn counts_line(name: &str, c: &Counts) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        s,
        "{name:26} {:4} {:5} {:5} {:6.3} {:6.3} {:6.3}",
        c.tp,
        c.pred,
        c.gold,
        c.precision(),
        c.recall(),
        c.f1()
    );
    s
}

/// Relation names that match in either direction.
const SYMMETRIC: [&str; 2] = ["cooperatesWith", "meetsWith"];

/// Scores predictions against gold rows.
///
/// # Arguments
/// * `gold`, `pred` - rows as read by [`read_rows`] or made by [`relations_to_rows`].
/// * `aliases` - the alias table names are resolved through.
/// * `docs` - when given and non-empty, only rows of these documents count on
///   both sides; otherwise predictions count only for documents the gold has
///   (all of them when the gold is empty, as in score.py).
///
/// # Returns
/// Counts per relation and overall, amount and date accuracy on matches, and the
/// missed and spurious keys.
///
/// # Complexity
/// O((g + p) log(g + p)) for g gold and p predicted rows, plus name normalisation.
pub fn score(
    gold: &[GoldRow],
    pred: &[GoldRow],
    aliases: &Aliases,
    docs: Option<&BTreeSet<String>>,
) -> Report {
    let docs = docs.filter(|d| !d.is_empty());
    let gold = relation_map(gold, aliases, docs);
    let gold_docs: BTreeSet<String> = gold.keys().map(|k| k.doc.clone()).collect();
    let pred_docs = docs.or(Some(&gold_docs)).filter(|d| !d.is_empty());
    let pred = relation_map(pred, aliases, pred_docs);

    let mut report = Report::default();
    for key in pred.keys() {
        report.per_relation.entry(key.relation.clone()).or_default().pred += 1;
    }
    let mut amounts = (0, 0);
    let mut dates = (0, 0);
    for (key, (gold_amount, gold_date)) in &gold {
        let counts = report.per_relation.entry(key.relation.clone()).or_default();
        counts.gold += 1;
        let Some((pred_amount, pred_date)) = pred.get(key) else {
            report.missed.push(key.clone());
            continue;
        };
        counts.tp += 1;
        if !gold_amount.is_empty() {
            amounts.1 += 1;
            amounts.0 += usize::from(pred_amount == gold_amount);
        }
        if !gold_date.is_empty() {
            dates.1 += 1;
            dates.0 += usize::from(pred_date == gold_date);
        }
    }
    report.spurious = pred.keys().filter(|k| !gold.contains_key(*k)).cloned().collect();
    report.all = Counts {
        tp: report.per_relation.values().map(|c| c.tp).sum(),
        pred: pred.len(),
        gold: gold.len(),
    };
    report.amounts_right = amounts;
    report.dates_right = dates;
    tracing::debug!(tp = report.all.tp, pred = report.all.pred, gold = report.all.gold, "scored");
    report
}

/// Rows → key → (amount token, date), as score.py's `read_rel`.
fn relation_map(
    rows: &[GoldRow],
    aliases: &Aliases,
    docs: Option<&BTreeSet<String>>,
) -> BTreeMap<Key, (String, String)> {
    let mut rels: BTreeMap<Key, (String, String)> = BTreeMap::new();
    for row in rows {
        let doc = py_strip(&row.doc).rsplit('/').next().unwrap_or("").to_owned();
        if docs.is_some_and(|d| !d.contains(&doc)) {
            continue;
        }
        let mut subject = aliases.resolve(&row.subject);
        let mut object = aliases.resolve(&row.object);
        let relation = py_strip(&row.relation).to_owned();
        if SYMMETRIC.contains(&relation.as_str()) && object < subject {
            std::mem::swap(&mut subject, &mut object);
        }
        let key = Key { doc, subject, relation, object };
        let amount = py_strip(&row.amount).split(' ').next().unwrap_or("").to_owned();
        let date = py_strip(&row.date).to_owned();
        match rels.get_mut(&key) {
            Some(known) => {
                if known.0.is_empty() && !amount.is_empty() {
                    *known = (amount, date);
                }
            }
            None => {
                rels.insert(key, (amount, date));
            }
        }
    }
    rels
}

/// `s.strip()` as Python does it: Unicode whitespace plus the ASCII
/// information separators U+001C–U+001F, which Python also counts as space.
fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}
