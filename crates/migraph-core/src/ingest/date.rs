//! The document date: a dateline near the top, or the year the text is about.
//!
//! Ingest only needs the publication date (to resolve "this January" later);
//! finding dates of events inside sentences is `extract::date`'s job.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::extract::date::find_document_date;
use crate::model::IsoDate;

/// A month name and a year ("May 2025", "March 3, 2024"); group 2 is the year.
/// Written twice: with ASCII word boundaries, which the regex engine's fast
/// automata handle on any text, and with Unicode ones (the reference), which
/// send it to a backtracking engine as soon as a text holds a non-ASCII
/// character (a curly quote, a euro sign) and cost most of ingest's time.
/// [`years`] says when the two may differ.
static MONTH_YEAR: LazyLock<(Regex, Regex)> = LazyLock::new(|| {
    let pattern = |b: &str| {
        format!(
            r"(?i){b}(january|february|march|april|may|june|july|august|september|october|november|december)\s+(?:\d{{1,2}},?\s+)?((?:19|20)\d{{2}}){b}"
        )
    };
    (
        Regex::new(&pattern(r"(?-u:\b)")).expect("the month-year pattern is valid"),
        Regex::new(&pattern(r"\b")).expect("the month-year pattern is valid"),
    )
});

/// A year from 1950 to 2099; group 1 is the year. ASCII and Unicode word
/// boundaries, as for [`MONTH_YEAR`].
static YEAR: LazyLock<(Regex, Regex)> = LazyLock::new(|| {
    let pattern = |b: &str| format!(r"{b}((?:19[5-9]|20\d)\d){b}");
    (
        Regex::new(&pattern(r"(?-u:\b)")).expect("the year pattern is valid"),
        Regex::new(&pattern(r"\b")).expect("the year pattern is valid"),
    )
});

/// The years captured (group `group`) by the Unicode-boundary regex of
/// `pair` in `text`, found with the ASCII-boundary one when that gives the
/// same answer.
///
/// The boundaries sit next to the first letter of a month name or the digits
/// of a year. They differ only where such a character touches a non-ASCII
/// word character ("…éMay 2025"): the ASCII regex then takes a match the
/// other refuses, and any such match is seen here by its non-ASCII neighbour.
/// The other way round needs a match edge that is itself non-ASCII: a long
/// s ("ſeptember", which case folding reads as an "s"), checked for, or a
/// non-ASCII digit, which no year parses from anyway. In those cases the
/// Unicode regex runs.
fn years(text: &str, pair: &(Regex, Regex), group: usize) -> Vec<i32> {
    let (fast, exact) = pair;
    let mut out = Vec::new();
    let mut trusted = !text.contains('\u{17f}');
    for caps in fast.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let before = text[..whole.start()].chars().next_back();
        let after = text[whole.end()..].chars().next();
        if before.is_some_and(|c| !c.is_ascii()) || after.is_some_and(|c| !c.is_ascii()) {
            trusted = false;
            break;
        }
        if let Some(year) = caps.get(group).and_then(|y| y.as_str().parse().ok()) {
            out.push(year);
        }
    }
    if trusted {
        return out;
    }
    exact
        .captures_iter(text)
        .filter_map(|caps| caps.get(group).and_then(|y| y.as_str().parse().ok()))
        .collect()
}

/// The publication date a reader would see, or the year the text is about.
///
/// First a dateline near the top ("Published 3 June 2025", "2025-06-03"; see
/// [`find_document_date`]). Failing that, the year the text names most often with a month
/// ("May 2025"), then the year named most often at all (ties go to the later
/// year), as a year-only date: bulletins without a dateline still say "in May
/// 2025" when they mean "this January".
pub fn infer_document_date(text: &str) -> Option<IsoDate> {
    if let Some(date) = find_document_date(text) {
        return Some(date);
    }
    let mut with_month: BTreeMap<i32, usize> = BTreeMap::new();
    for year in years(text, &MONTH_YEAR, 2) {
        *with_month.entry(year).or_default() += 1;
    }
    if let Some((year, _)) = with_month.iter().max_by_key(|(year, n)| (**n, **year)) {
        return Some(IsoDate::year(*year));
    }
    let mut bare: BTreeMap<i32, usize> = BTreeMap::new();
    for year in years(text, &YEAR, 1) {
        *bare.entry(year).or_default() += 1;
    }
    bare.iter().max_by_key(|(year, n)| (**n, **year)).map(|(year, _)| IsoDate::year(*year))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infer_document_date_prefers_dateline_then_month_years() {
        let text = "Title\nPublished 2 March 2024\n\nBody about 2019 and 2019.";
        assert_eq!(infer_document_date(text).map(|d| d.to_string()).as_deref(), Some("2024-03-02"));
        let text = "Title\n\nTalks began in 2016, resumed in May 2025 and in June 2025; a plan for 2026-2031.";
        assert_eq!(infer_document_date(text).map(|d| d.to_string()).as_deref(), Some("2025"));
        assert_eq!(infer_document_date("no dates at all"), None);
    }

    #[test]
    fn years_match_the_unicode_boundary_regex() {
        // Curly quotes and euro signs keep the fast path; a non-ASCII letter
        // glued to a month or year, or a long s, makes it defer to the
        // Unicode regex, and the counts always agree with that regex's.
        let texts = [
            "In May 2025 the “deal” (€1bn) was signed; June 2024, and July 3, 2023.",
            "éMay 2025 and May 2025é but May 2024 stands",
            "ſeptember 2025 is September 2025 too",
            "Years 1999 and 2025ü, ö2024, 2023.",
        ];
        for text in texts {
            for (pair, group) in [(&*MONTH_YEAR, 2), (&*YEAR, 1)] {
                let exact: Vec<i32> = pair
                    .1
                    .captures_iter(text)
                    .filter_map(|c| c.get(group).and_then(|y| y.as_str().parse().ok()))
                    .collect();
                assert_eq!(years(text, pair, group), exact, "{text}");
            }
        }
        assert_eq!(years(texts[1], &MONTH_YEAR, 2), [2024]);
        assert_eq!(years(texts[2], &MONTH_YEAR, 2), [2025, 2025]);
    }
}
