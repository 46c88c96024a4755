//! Stand-in for `amount.rs` and `date.rs` until their owner's branch is merged:
//! the same signatures with a deliberately small grammar, so the relation rules
//! can be built and measured. It must not grow; it is deleted at the merge.

use crate::ingest::Span;
use crate::model::{IsoDate, Money, When};

/// An amount found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountMatch {
    /// Where, relative to the searched text.
    pub span: Span,
    /// The amount.
    pub money: Money,
}

/// A date expression found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMatch {
    /// Where, relative to the searched text.
    pub span: Span,
    /// The date or period.
    pub when: When,
}

const MONTHS: [&str; 12] = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
];

fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let w = c.is_alphanumeric() || c == '€' || c == '$' || c == '£' || c == '.' || c == ',';
        match (w, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

fn clean(w: &str) -> &str {
    w.trim_end_matches([',', '.'])
}

/// Finds money amounts: `€200m`, `€46 million`, `EUR 210 million`, `9 billion euros`.
pub fn find_amounts(text: &str) -> Vec<AmountMatch> {
    let ws = words(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let (s, e) = ws[i];
        let w = clean(&text[s..e]);
        let (cur, num) = if let Some(r) = w.strip_prefix('€') {
            (Some("EUR"), r)
        } else if let Some(r) = w.strip_prefix('$') {
            (Some("USD"), r)
        } else if w == "EUR" && i + 1 < ws.len() {
            i += 1;
            (Some("EUR"), clean(&text[ws[i].0..ws[i].1]))
        } else {
            (None, w)
        };
        let (digits, suffix) = num.split_at(num.find(|c: char| c.is_alphabetic()).unwrap_or(num.len()));
        let digits = digits.replace(',', "");
        let Ok(value) = digits.parse::<f64>() else {
            i += 1;
            continue;
        };
        let mut end = s + w.len();
        let mut mult = match suffix {
            "m" | "mn" => 1e6,
            "bn" | "b" => 1e9,
            "" => 1.0,
            _ => {
                i += 1;
                continue;
            }
        };
        let mut j = i + 1;
        if suffix.is_empty() {
            if let Some(&(ns, ne)) = ws.get(j) {
                match clean(&text[ns..ne]) {
                    "million" => {
                        mult = 1e6;
                        end = ns + clean(&text[ns..ne]).len();
                        j += 1;
                    }
                    "billion" => {
                        mult = 1e9;
                        end = ns + clean(&text[ns..ne]).len();
                        j += 1;
                    }
                    _ => {}
                }
            }
        }
        let mut currency = cur;
        if currency.is_none() {
            if let Some(&(ns, ne)) = ws.get(j) {
                if matches!(clean(&text[ns..ne]), "euros" | "euro" | "EUR") {
                    currency = Some("EUR");
                    end = ns + clean(&text[ns..ne]).len();
                    j += 1;
                }
            }
        }
        if let Some(c) = currency {
            let amount = (value * mult).round() as u64;
            out.push(AmountMatch { span: Span { start: s, end }, money: Money { amount, currency: c.into() } });
        }
        i = j.max(i + 1);
    }
    out
}

/// Finds date expressions, resolving year-less ones against `doc_date`.
pub fn find_dates(text: &str, doc_date: Option<IsoDate>) -> Vec<DateMatch> {
    let ws = words(text);
    let lw: Vec<String> = ws.iter().map(|&(s, e)| clean(&text[s..e]).to_lowercase()).collect();
    let year_of = |w: &str| -> Option<i32> {
        let y: i32 = w.parse().ok()?;
        (1990..=2060).contains(&y).then_some(y)
    };
    let month_of = |w: &str| -> Option<u8> {
        let w = w.trim_end_matches("’s").trim_end_matches("'s");
        MONTHS.iter().position(|m| *m == w).map(|p| p as u8 + 1)
    };
    let doc_year = doc_date.map(|d| d.year);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let (s, _) = ws[i];
        let mut prefix = lw.get(i.wrapping_sub(1)).cloned().unwrap_or_default();
        if i == 0 {
            prefix.clear();
        }
        let mut hit: Option<(IsoDate, usize)> = None;
        let w = lw[i].as_str();
        // "14 May 2025", "14 May"
        if let (Ok(d), Some(m)) = (w.trim_end_matches(|c: char| c.is_alphabetic()).parse::<u8>(), lw.get(i + 1).and_then(|x| month_of(x))) {
            if let Some(y) = lw.get(i + 2).and_then(|x| year_of(x)) {
                hit = IsoDate::day(y, m, d).map(|x| (x, i + 2));
            } else if let Some(y) = doc_year {
                hit = IsoDate::day(y, m, d).map(|x| (x, i + 1));
            }
        } else if let Some(m) = month_of(w) {
            if w == "may" && !text[s..].starts_with('M') {
                i += 1;
                continue;
            }
            if let Some(y) = lw.get(i + 1).and_then(|x| year_of(x)) {
                hit = Some((IsoDate::month(y, m), i + 1));
            } else if lw.get(i + 1).is_some_and(|x| x == "this") && lw.get(i + 2).is_some_and(|x| x == "year") {
                hit = doc_year.map(|y| (IsoDate::month(y, m), i + 2));
            } else if let Some(y) = doc_year {
                hit = Some((IsoDate::month(y, m), i));
            }
        } else if let Some(y) = year_of(w) {
            hit = Some((IsoDate::year(y), i));
        } else if let Some(rest) = w.strip_prefix("mid-").or_else(|| w.strip_prefix("late-")) {
            hit = year_of(rest).map(|y| (IsoDate::year(y), i));
        }
        let Some((date, last)) = hit else {
            i += 1;
            continue;
        };
        let end = ws[last].0 + clean(&text[ws[last].0..ws[last].1]).len();
        let when = match prefix.as_str() {
            "since" => When::Since { date },
            "until" => When::Until { date },
            _ => When::At { date },
        };
        out.push(DateMatch { span: Span { start: s, end }, when });
        i = last + 1;
    }
    out
}
