//! The document date: a dateline near the top, or the year the text is about.
//!
//! Ingest only needs the publication date (to resolve "this January" later);
//! finding dates of events inside sentences is `extract::date`'s job.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::extract::date::find_document_date;
use crate::model::IsoDate;

static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+(?:\d{1,2},?\s+)?((?:19|20)\d{2})\b")
        .expect("the month-year pattern is valid")
});

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b((?:19[5-9]|20\d)\d)\b").expect("the year pattern is valid"));

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
    for caps in MONTH_YEAR.captures_iter(text) {
        if let Some(year) = caps.get(2).and_then(|y| y.as_str().parse().ok()) {
            *with_month.entry(year).or_default() += 1;
        }
    }
    if let Some((year, _)) = with_month.iter().max_by_key(|(year, n)| (**n, **year)) {
        return Some(IsoDate::year(*year));
    }
    let mut bare: BTreeMap<i32, usize> = BTreeMap::new();
    for caps in YEAR.captures_iter(text) {
        if let Some(year) = caps.get(1).and_then(|y| y.as_str().parse().ok()) {
            *bare.entry(year).or_default() += 1;
        }
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
}
