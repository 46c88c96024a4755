//! Name normalisation and alias tables, exactly as `shared/tools/score.py`'s
//! `norm()` and `load_aliases()` define them.
//!
//! This module decides when two entity names are "the same" for scoring; it
//! must not be used to build entity ids (that is [`crate::model::EntityId`]'s
//! job, with its own, ASCII-only folding).
//!
//! # Differences from Python
//!
//! `norm` applies NFKD through the generated table in `fold_table.rs`, which
//! covers the Latin, Greek and Cyrillic blocks, punctuation, letterlike symbols,
//! ligatures, fullwidth ASCII and Hangul syllables. Characters outside those
//! blocks that NFKD would decompose (CJK compatibility ideographs, enclosed
//! alphanumerics, Arabic presentation forms, halfwidth katakana) are kept as
//! they are. Rust's
//! `char::is_alphanumeric` also counts as letters a few spacing vowel signs of
//! Indic and other scripts that Python's `str.isalnum` does not. Neither
//! difference can affect Latin-script names.

use std::collections::HashMap;
use std::path::Path;

use super::EvalError;
use super::fold_table::{COMBINING, FOLD};
use super::records::{Quoting, column_index, read_records};

/// Normalises a name for comparison, as score.py's `norm()`.
///
/// Folds compatibility forms and accents (NFKD without combining marks),
/// lowercases, maps `’`/`‘` to `'`, turns every character that is neither a
/// letter, a digit nor whitespace into a space, collapses whitespace and drops a
/// leading word "the".
///
/// # Example
/// ```
/// use migraph_core::eval::norm;
/// assert_eq!(norm("The  Altaï-Consulting"), "altai consulting");
/// assert_eq!(norm("Türkiye’s"), "turkiye s");
/// ```
pub fn norm(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut folded);
    }
    let spaced: String = folded
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '’' | '‘' => '\'',
            c => c,
        })
        .map(|c| if c.is_alphanumeric() || c.is_whitespace() { c } else { ' ' })
        .collect();
    let mut words = spaced.split_whitespace().peekable();
    if words.peek() == Some(&"the") {
        words.next();
    }
    words.collect::<Vec<_>>().join(" ")
}

/// Appends the NFKD decomposition of `c` without combining marks.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    let cp = u32::from(c);
    if is_combining(cp) {
        return;
    }
    // Fullwidth ASCII (U+FF01–U+FF5E) decomposes to ASCII at a fixed distance.
    if (0xFF01..=0xFF5E).contains(&cp)
        && let Some(ascii) = char::from_u32(cp - 0xFEE0)
    {
        out.push(ascii);
        return;
    }
    if let Some(jamo) = hangul_jamo(cp) {
        out.extend(jamo.into_iter().flatten());
        return;
    }
    match FOLD.binary_search_by(|(k, _)| k.cmp(&c)) {
        Ok(idx) => out.push_str(FOLD[idx].1),
        Err(_) => out.push(c),
    }
}

/// The conjoining jamo of a precomposed Hangul syllable (Unicode §3.12), the
/// trailing consonant absent for open syllables.
fn hangul_jamo(cp: u32) -> Option<[Option<char>; 3]> {
    const S_BASE: u32 = 0xAC00;
    const L_BASE: u32 = 0x1100;
    const V_BASE: u32 = 0x1161;
    const T_BASE: u32 = 0x11A7;
    const V_COUNT: u32 = 21;
    const T_COUNT: u32 = 28;
    const S_COUNT: u32 = 11_172;
    let index = cp.checked_sub(S_BASE).filter(|i| *i < S_COUNT)?;
    let lead = char::from_u32(L_BASE + index / (V_COUNT * T_COUNT));
    let vowel = char::from_u32(V_BASE + (index % (V_COUNT * T_COUNT)) / T_COUNT);
    let tail = index % T_COUNT;
    let trail = if tail == 0 { None } else { char::from_u32(T_BASE + tail) };
    Some([lead, vowel, trail])
}

/// Whether a code point has a non-zero canonical combining class.
fn is_combining(cp: u32) -> bool {
    COMBINING
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Normalised alias → normalised canonical name, as score.py's `load_aliases()`.
///
/// Files are added in order. Within and across files a canonical name always
/// maps to itself (a later canonical row overrides an earlier alias of the same
/// form), while an alias keeps the first canonical name it was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases {
    table: HashMap<String, String>,
}

impl Aliases {
    /// An empty table: every name resolves to its normalised self.
    pub fn new() -> Aliases {
        Aliases::default()
    }

    /// Parses one alias file (TSV with `canonical` and `alias` columns, aliases
    /// separated by `|`); `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Aliases, EvalError> {
        let mut aliases = Aliases::new();
        aliases.add(text, origin)?;
        Ok(aliases)
    }

    /// Adds one more alias file on top of the table, as a further `--aliases`.
    ///
    /// Fields may be quoted (`"…"`, with `""` for a quote), as Python's `csv`
    /// module reads them. A row without an `alias` field adds its canonical
    /// name only (score.py would stop with a Python error there).
    pub fn add(&mut self, text: &str, origin: &str) -> Result<(), EvalError> {
        let mut records = read_records(text, Quoting::Minimal).into_iter();
        let Some((_, header)) = records.next() else { return Ok(()) };
        let canonical_col = column_index(&header, "canonical").ok_or_else(|| {
            EvalError::MissingColumn { origin: origin.to_owned(), column: "canonical" }
        })?;
        let alias_col = column_index(&header, "alias").ok_or_else(|| EvalError::MissingColumn {
            origin: origin.to_owned(),
            column: "alias",
        })?;
        for (line, fields) in records {
            let canonical = fields.get(canonical_col).ok_or_else(|| EvalError::ShortRow {
                origin: origin.to_owned(),
                line,
                column: "canonical",
            })?;
            let canonical = norm(canonical.trim());
            self.table.insert(canonical.clone(), canonical.clone());
            let alias_field = fields.get(alias_col).map_or("", String::as_str);
            for alias in alias_field.split('|').filter(|a| !a.trim().is_empty()) {
                self.table.entry(norm(alias)).or_insert_with(|| canonical.clone());
            }
        }
        Ok(())
    }

    /// The normalised canonical name for `name` (its normalised self when the
    /// table does not know it).
    pub fn resolve(&self, name: &str) -> String {
        let key = norm(name);
        match self.table.get(&key) {
            Some(canonical) => canonical.clone(),
            None => key,
        }
    }

    /// Number of normalised names in the table.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

/// Reads alias files in order (see [`Aliases::add`]).
pub fn read_aliases<P: AsRef<Path>>(paths: &[P]) -> Result<Aliases, EvalError> {
    let mut aliases = Aliases::new();
    for path in paths {
        let path = path.as_ref();
        let text = super::records::read_text(path)?;
        aliases.add(&text, &path.display().to_string())?;
    }
    Ok(aliases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_folds_like_nfkd() {
        assert_eq!(norm("Altaï Consulting"), "altai consulting");
        assert_eq!(norm("Mécanisme opérationnel"), "mecanisme operationnel");
        // NFKD leaves these letters alone (no decomposition), unlike the slug fold.
        assert_eq!(norm("Straße Øresund Łódź"), "straße øresund łodz");
        assert_eq!(norm("ﬁnance ＥＵ ²"), "finance eu 2");
        assert_eq!(norm("İstanbul"), "istanbul");
        assert_eq!(norm("e\u{301}te\u{301}"), "ete");
    }

    #[test]
    fn fold_tables_are_sorted_for_binary_search() {
        assert!(FOLD.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(COMBINING.windows(2).all(|w| w[0].0 <= w[0].1 && w[0].1 < w[1].0));
        assert!(is_combining(0x301) && !is_combining(u32::from('e')));
        assert_eq!(hangul_jamo(0xD55C).map(|j| j.iter().flatten().count()), Some(3));
    }

    #[test]
    fn norm_drops_punctuation_and_a_leading_the() {
        assert_eq!(norm("  The EU-Turkey  statement "), "eu turkey statement");
        assert_eq!(norm("Theresa"), "theresa");
        assert_eq!(norm("the"), "");
        assert_eq!(norm("UN’s Office (OHCHR)"), "un s office ohchr");
        assert_eq!(norm("Sea-Watch e.V."), "sea watch e v");
    }

    #[test]
    fn aliases_keep_first_alias_but_canonical_wins() {
        let text = "canonical\talias\nEuropean Union\tEU|Europe\nEurope\t\nEuropean Commission\tEU|Commission\n";
        let aliases = Aliases::parse(text, "a.tsv").expect("valid alias file");
        assert_eq!(aliases.resolve("the EU"), "european union");
        assert_eq!(aliases.resolve("Europe"), "europe");
        assert_eq!(aliases.resolve("commission"), "european commission");
        assert_eq!(aliases.resolve("Frontex"), "frontex");
    }

    #[test]
    fn aliases_add_later_files_on_top() {
        let mut aliases = Aliases::parse("canonical\talias\nA\tX\n", "1.tsv").expect("valid");
        aliases.add("canonical\talias\nB\tX|Y\n", "2.tsv").expect("valid");
        assert_eq!(aliases.resolve("x"), "a");
        assert_eq!(aliases.resolve("y"), "b");
        assert_eq!(aliases.len(), 4);
    }

    #[test]
    fn aliases_read_quoted_fields() {
        let text = "canonical\talias\n\"Council, the\"\t\"The \"\"Council\"\"\"|EU Council\n";
        let aliases = Aliases::parse(text, "q.tsv").expect("valid");
        assert_eq!(aliases.resolve("the \"council\""), "council the");
        assert_eq!(aliases.resolve("EU Council"), "council the");
    }

    #[test]
    fn aliases_report_missing_columns() {
        let err =
            Aliases::parse("name\talias\nA\tB\n", "bad.tsv").expect_err("no canonical column");
        assert_eq!(err.to_string(), "bad.tsv: missing column \"canonical\" in the header");
    }
}
