//! Dates as precise as the text states them, and periods built from them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A calendar date with optional month and day: `2025`, `2025-05`, `2025-05-14`.
///
/// Ordering is chronological, a less precise date sorting before the more precise
/// dates it contains (`2025` < `2025-01` < `2025-01-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IsoDate {
    /// Year, e.g. 2025.
    pub year: i32,
    /// Month 1–12, when known.
    pub month: Option<u8>,
    /// Day 1–31, when known (only with a month).
    pub day: Option<u8>,
}

/// Error for text that is not an ISO 8601 date of the forms above.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {0:?}: expected YYYY, YYYY-MM or YYYY-MM-DD")]
pub struct InvalidDate(pub String);

impl IsoDate {
    /// A year alone.
    pub const fn year(year: i32) -> IsoDate {
        IsoDate { year, month: None, day: None }
    }

    /// A year and month (1–12).
    pub const fn month(year: i32, month: u8) -> IsoDate {
        IsoDate { year, month: Some(month), day: None }
    }

    /// A full date; `None` when the day does not exist in that month.
    pub fn day(year: i32, month: u8, day: u8) -> Option<IsoDate> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(IsoDate { year, month: Some(month), day: Some(day) })
    }

    /// The XML Schema datatype that fits the precision: `gYear`, `gYearMonth` or `date`.
    pub fn xsd_type(&self) -> &'static str {
        match (self.month, self.day) {
            (Some(_), Some(_)) => "date",
            (Some(_), None) => "gYearMonth",
            (None, _) => "gYear",
        }
    }

    /// The first day this date covers, as a full `YYYY-MM-DD` (for timelines).
    pub fn first_day(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day this date covers, as a full `YYYY-MM-DD` (for timelines).
    pub fn last_day(&self) -> String {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        format!("{:04}-{:02}-{:02}", self.year, month, day)
    }
}

/// Number of days in a month of the proleptic Gregorian calendar.
pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for IsoDate {
    type Err = InvalidDate;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || InvalidDate(s.to_owned());
        let mut parts = s.trim().split('-');
        let year: i32 = parts.next().ok_or_else(err)?.parse().map_err(|_| err())?;
        let month: Option<u8> = match parts.next() {
            Some(m) => Some(m.parse().map_err(|_| err())?),
            None => None,
        };
        let day: Option<u8> = match parts.next() {
            Some(d) => Some(d.parse().map_err(|_| err())?),
            None => None,
        };
        if parts.next().is_some() || !(1000..=9999).contains(&year) {
            return Err(err());
        }
        match (month, day) {
            (None, _) => Ok(IsoDate::year(year)),
            (Some(m), None) if (1..=12).contains(&m) => Ok(IsoDate::month(year, m)),
            (Some(m), Some(d)) => IsoDate::day(year, m, d).ok_or_else(err),
            (Some(_), None) => Err(err()),
        }
    }
}

/// When a relation holds, as the text puts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum When {
    /// At or during a date ("in May 2025", "on 14 May").
    At {
        /// The date.
        date: IsoDate,
    },
    /// From a date on ("since October 2023").
    Since {
        /// The start.
        date: IsoDate,
    },
    /// Up to a date ("until 2027").
    Until {
        /// The end.
        date: IsoDate,
    },
    /// A period with both ends ("2024-2027").
    Between {
        /// The start.
        start: IsoDate,
        /// The end.
        end: IsoDate,
    },
}

impl When {
    /// The `date` column of the gold format: one date, or `start/end` for a period.
    pub fn to_gold(&self) -> String {
        match self {
            When::At { date } | When::Since { date } | When::Until { date } => date.to_string(),
            When::Between { start, end } => format!("{start}/{end}"),
        }
    }

    /// Parses the gold format back: `2025`, `2025-05-14` (as [`When::At`]) or `2024/2027`.
    pub fn parse_gold(s: &str) -> Result<When, InvalidDate> {
        match s.split_once('/') {
            Some((a, b)) => Ok(When::Between { start: a.parse()?, end: b.parse()? }),
            None => Ok(When::At { date: s.parse()? }),
        }
    }

    /// The earliest date the relation is stated for, if bounded below.
    pub fn start(&self) -> Option<IsoDate> {
        match self {
            When::At { date } | When::Since { date } => Some(*date),
            When::Between { start, .. } => Some(*start),
            When::Until { .. } => None,
        }
    }

    /// The latest date the relation is stated for, if bounded above.
    pub fn end(&self) -> Option<IsoDate> {
        match self {
            When::At { date } | When::Until { date } => Some(*date),
            When::Between { end, .. } => Some(*end),
            When::Since { .. } => None,
        }
    }

    /// The name of the variant: `at`, `since`, `until`, `between`.
    pub fn role(&self) -> &'static str {
        match self {
            When::At { .. } => "at",
            When::Since { .. } => "since",
            When::Until { .. } => "until",
            When::Between { .. } => "between",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_date_parses_and_prints_each_precision() {
        for s in ["2025", "2025-05", "2025-05-14", "2024-02-29"] {
            assert_eq!(s.parse::<IsoDate>().map(|d| d.to_string()), Ok(s.to_owned()));
        }
        for bad in ["", "25", "2025-13", "2023-02-29", "2025-05-14-1", "May"] {
            assert!(bad.parse::<IsoDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn iso_date_orders_less_precise_first() {
        let y: IsoDate = "2025".parse().unwrap();
        let m: IsoDate = "2025-01".parse().unwrap();
        let d: IsoDate = "2025-01-01".parse().unwrap();
        assert!(y < m && m < d);
        assert_eq!(m.last_day(), "2025-01-31");
        assert_eq!(y.first_day(), "2025-01-01");
    }

    #[test]
    fn when_gold_round_trip() {
        let w = When::parse_gold("2024/2027").unwrap();
        assert_eq!(w.to_gold(), "2024/2027");
        assert_eq!(When::Since { date: IsoDate::month(2023, 10) }.to_gold(), "2023-10");
    }
}
