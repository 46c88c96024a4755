//! The document date: a dateline near the top, or the year the text is about.
//!
//! Ingest only needs the publication date (to resolve "this January" later);
//! finding dates of events inside sentences is `extract::date`'s job.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::IsoDate;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^\s*(?:(?:published|posted|updated|date|dated)\s*(?:on)?\s*:?\s*)?
        (?:
            (?P<iso>\d{4}-\d{2}-\d{2})
          | (?P<d1>\d{1,2})\s+(?P<m1>[a-z]+)\s+(?P<y1>\d{4})
          | (?P<m2>[a-z]+)\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4})
        )\s*$",
    )
    .expect("the dateline pattern is valid")
});

static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+(?:\d{1,2},?\s+)?((?:19|20)\d{2})\b")
        .expect("the month-year pattern is valid")
});

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b((?:19[5-9]|20\d)\d)\b").expect("the year pattern is valid"));

fn month_number(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() >= 3 && m.starts_with(&lower)))
        .map(|i| i as u8 + 1)
}

/// Parses a dateline: a line that is only a date, optionally after "Published".
///
/// # Example
/// ```
/// use migraph_core::ingest::parse_dateline;
/// assert_eq!(parse_dateline("Published 3 June 2025").map(|d| d.to_string()), Some("2025-06-03".into()));
/// assert_eq!(parse_dateline("The EU and Egypt met on 3 June 2025"), None);
/// ```
pub fn parse_dateline(line: &str) -> Option<IsoDate> {
    let caps = DATELINE.captures(line)?;
    if let Some(iso) = caps.name("iso") {
        return iso.as_str().parse().ok();
    }
    let (d, m, y) = match (caps.name("d1"), caps.name("m1"), caps.name("y1")) {
        (Some(d), Some(m), Some(y)) => (d, m, y),
        _ => (caps.name("d2")?, caps.name("m2")?, caps.name("y2")?),
    };
    IsoDate::day(y.as_str().parse().ok()?, month_number(m.as_str())?, d.as_str().parse().ok()?)
}

/// The publication date a reader would see, or the year the text is about.
///
/// First a dateline among the first eight lines ("Published 3 June 2025",
/// "2025-06-03"). Failing that, the year the text names most often with a month
/// ("May 2025"), then the year named most often at all (ties go to the later
/// year), as a year-only date: bulletins without a dateline still say "in May
/// 2025" when they mean "this January".
pub fn infer_document_date(text: &str) -> Option<IsoDate> {
    if let Some(date) = text.lines().take(8).find_map(parse_dateline) {
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
    fn parse_dateline_accepts_the_usual_forms() {
        for (line, want) in [
            ("2025-06-03", "2025-06-03"),
            ("Published: 3 June 2025", "2025-06-03"),
            ("June 3, 2025", "2025-06-03"),
            ("  Posted on 14 Sept 2024 ", "2024-09-14"),
        ] {
            assert_eq!(
                parse_dateline(line).map(|d| d.to_string()).as_deref(),
                Some(want),
                "{line}"
            );
        }
        assert_eq!(parse_dateline("31 February 2025"), None);
        assert_eq!(parse_dateline("Frontex in June 2025"), None);
    }

    #[test]
    fn infer_document_date_prefers_dateline_then_month_years() {
        let text = "Title\nPublished 2 March 2024\n\nBody about 2019 and 2019.";
        assert_eq!(infer_document_date(text).map(|d| d.to_string()).as_deref(), Some("2024-03-02"));
        let text = "Title\n\nTalks began in 2016, resumed in May 2025 and in June 2025; a plan for 2026-2031.";
        assert_eq!(infer_document_date(text).map(|d| d.to_string()).as_deref(), Some("2025"));
        assert_eq!(infer_document_date("no dates at all"), None);
    }
}
