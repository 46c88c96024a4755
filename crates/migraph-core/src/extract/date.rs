//! Dates: find date expressions in text and normalise them to [`When`] values,
//! resolving relative ones ("last year", "in June", "on Monday") against the
//! document date; and find a document's own publication date.
//!
//! This module only reads dates; it does not decide which relation a date
//! belongs to. It works on a small token stream (words, digit runs, single
//! punctuation characters) per line, so a date never spans a line break, and it
//! never panics on any input.
//!
//! # Rules
//!
//! Points in time ([`When::At`] unless a keyword below says otherwise):
//!
//! - ISO dates `2025-05-14` and months `2025-05`;
//! - `14 May 2025`, `14th of May 2025`, `May 14, 2025`, `Monday, April 29, 2024`;
//! - `14 May`, `May 14`, `on 10 September`, `10-12 September`: the year is the
//!   document's when that puts the month between ten months before and three
//!   months after the document's month, else the nearest year before or after
//!   (a bulletin of 15 January 2026 saying `10 December` means 2025-12-10); a
//!   year-only document date gives its year; without a document date nothing
//!   is emitted;
//! - `May 2025`, `Sept. 2025`, `December, 2024`;
//! - a month name alone only in context: after `in`, `on`, `since`, `until`,
//!   `by`, `from`, `during`, `through`, `of`, `early`, `mid`, `late`; before a
//!   possessive (`November’s summit`) or `this/last/next year`; or after
//!   `this/last/next` (`this January`, `last March`). `May` is a modal verb as
//!   well as a month, so alone it needs `in`, `since`, `until`, `till`,
//!   `during`, `of`, `early`, `mid`, `late`, `this`, `last`, `next` or a
//!   possessive. The year is
//!   the document's (`last`/`next` pick the nearest such month before/after it);
//! - a year `1950`–`2100` on its own, unless it is part of a larger number
//!   (`40,000`), a percentage, a decade (`2000s`), follows a currency symbol, or
//!   follows a quantity word (`some 2000`, `about 2000`, `over 2000`);
//! - qualifiers keep the date they qualify: `mid-2025`, `late 2023`,
//!   `early 2024`, `end of 2024`, `the beginning of May 2025`, `summer 2015`;
//! - relative to the document date: `this/last/next year`, `this/last/next
//!   month`, `this summer`, `this week` (the document's day), `today`,
//!   `yesterday`, `tomorrow`, and weekdays after `on`/`last`/`this`/`next`
//!   (`on Monday` is the latest Monday on or before the document date, as news
//!   reports the past).
//!
//! Keywords and periods:
//!
//! - `since X`, `from X` (without an end) → [`When::Since`];
//! - `until X`, `till X`, `through X`, `by X` → [`When::Until`];
//! - `2024-2027`, `2024–2027`, `2021-27`, `2024/2027`, `from X to Y`,
//!   `between X and Y`, `May 2024–June 2025`, `May-June 2025`,
//!   `10-12 September 2025`, `Q1 2025` → [`When::Between`] (the end must come
//!   after the start).
//!
//! Ambiguous forms are skipped rather than guessed: numeric dates other than ISO
//! (`03/12/2025`), ordinals alone (`the 10th`), lower-case month names.
//!
//! Matches are returned in text order, non-overlapping, the longest expression
//! starting at the leftmost position winning.

use crate::ingest::Span;
use crate::model::{IsoDate, When};
use std::cell::Cell;

/// One date expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMatch {
    /// Byte offsets of the expression (including `since`/`until`/`from`/`by`
    /// keywords, excluding plain prepositions such as `in`), relative to the text
    /// passed to [`find_dates`].
    pub span: Span,
    /// The normalised date or period.
    pub when: When,
}

/// Finds every date expression in `text`, in text order, without overlaps.
///
/// # Arguments
/// * `text` - any text.
/// * `doc_date` - the document's publication date, used for relative forms
///   ("last year", "14 May", "on Monday"); without it those forms are skipped.
///
/// # Returns
/// The dates with their byte spans; see the module documentation for the forms.
///
/// # Complexity
/// Linear in the length of `text`: each token starts a bounded number of short
/// pattern attempts.
///
/// # Example
/// ```
/// use migraph_core::extract::date::find_dates;
/// use migraph_core::model::IsoDate;
/// let doc = IsoDate::day(2025, 9, 1);
/// let found = find_dates("Talks held since October 2023 resume on 10 September.", doc);
/// let golds: Vec<String> = found.iter().map(|m| m.when.to_gold()).collect();
/// assert_eq!(golds, ["2023-10", "2025-09-10"]);
/// ```
pub fn find_dates(text: &str, doc_date: Option<IsoDate>) -> Vec<DateMatch> {
    let mut found = Vec::new();
    let mut line_start = 0;
    // One token buffer for the whole text: lines are scanned one at a time.
    let mut scan = Scan { toks: Vec::new(), doc: doc_date, month_memo: Cell::new(NO_MONTH_MEMO) };
    for line in text.split_inclusive('\n') {
        tokenize_into(&mut scan.toks, line, line_start);
        // The memo speaks of the previous line's tokens.
        scan.month_memo.set(NO_MONTH_MEMO);
        let mut idx = 0;
        while idx < scan.toks.len() {
            // Most tokens cannot start any date form; rejecting them here keeps
            // the scan from trying every pattern at every word.
            if !may_start(&scan.toks[idx]) {
                idx += 1;
                continue;
            }
            match scan.expr(idx) {
                Some((next, when)) if next > idx => {
                    let span = Span { start: scan.toks[idx].start, end: scan.toks[next - 1].end };
                    tracing::trace!(start = span.start, end = span.end, when = %when.to_gold(), "date");
                    found.push(DateMatch { span, when });
                    idx = next;
                }
                Some(_) | None => idx += 1,
            }
        }
        line_start += line.len();
    }
    found
}

/// Finds an explicit publication date in the first lines of a document.
///
/// Looked for, in this order, within the first 20 lines:
/// 1. a `date:` (or `published:`) line in a leading `---` front-matter block;
/// 2. a line that starts with a label (`Published`, `Publication date`, `Date`,
///    `Posted`, `Dated`, `Issued`, `Released`) and holds a date with a year;
/// 3. a line that is only a date with a month and a year (`12 March 2025`,
///    `2025-03-12`, `Monday, 12 March 2025 10:00`), weekday names, times and
///    punctuation allowed around it.
///
/// Returns `None` when no such line exists; the date is never guessed from dates
/// mentioned in running text.
///
/// # Example
/// ```
/// use migraph_core::extract::date::find_document_date;
/// let text = "Bulletin title\nPublished: 12 March 2025\n\nBody text from 2019.";
/// assert_eq!(find_document_date(text).map(|d| d.to_string()), Some("2025-03-12".into()));
/// ```
pub fn find_document_date(text: &str) -> Option<IsoDate> {
    let lines: Vec<&str> = text.lines().take(MAX_HEADER_LINES).collect();
    if lines.first().is_some_and(|l| l.trim() == "---") {
        for line in lines.iter().skip(1).take_while(|l| l.trim() != "---") {
            let Some((key, value)) = line.split_once(':') else { continue };
            let key = key.trim().to_ascii_lowercase();
            if matches!(key.as_str(), "date" | "published" | "pubdate" | "publication_date")
                && let Some(date) = first_point(value)
            {
                return Some(date);
            }
        }
    }
    let labelled = lines.iter().find_map(|line| {
        let rest = strip_label(line.trim())?;
        first_point(rest)
    });
    labelled.or_else(|| lines.iter().find_map(|line| date_only_line(line)))
}

/// How many lines [`find_document_date`] looks at.
const MAX_HEADER_LINES: usize = 20;

/// Labels that introduce a publication date, lower case.
const DATE_LABELS: &[&str] = &[
    "publication date",
    "date of publication",
    "first published",
    "published",
    "released",
    "posted",
    "issued",
    "dated",
    "date",
];

/// The rest of `line` after a date label and an optional `:`/`on`.
fn strip_label(line: &str) -> Option<&str> {
    let label = DATE_LABELS.iter().find(|label| {
        line.get(..label.len()).is_some_and(|head| head.eq_ignore_ascii_case(label))
            && !line[label.len()..].starts_with(char::is_alphanumeric)
    })?;
    let rest = line[label.len()..].trim_start_matches([':', ' ', '\t']);
    Some(rest.strip_prefix("on ").unwrap_or(rest))
}

/// The first explicitly dated point (a year stated in the text) in `text`.
fn first_point(text: &str) -> Option<IsoDate> {
    find_dates(text, None).into_iter().find_map(|m| match m.when {
        When::At { date } => Some(date),
        When::Since { .. } | When::Until { .. } | When::Between { .. } => None,
    })
}

/// The date of a line that holds nothing but a date (with a month), a weekday,
/// a time of day and punctuation.
fn date_only_line(line: &str) -> Option<IsoDate> {
    let time_word = |w: &str| {
        weekday(w).is_some()
            || ["am", "pm", "utc", "gmt", "cet", "cest"].iter().any(|t| w.eq_ignore_ascii_case(t))
    };
    // A date spans a few words at most; a line with more words than that
    // besides weekdays and times (a paragraph, in texts without a dateline)
    // fails the test below whatever its dates: the date scan is spared.
    if lots_of_words(line, &time_word) {
        return None;
    }
    let found = find_dates(line, None);
    let [only] = found.as_slice() else { return None };
    let When::At { date } = only.when else { return None };
    date.month?;
    let rest_ok = tokenize(line, 0)
        .iter()
        .filter(|t| t.end <= only.span.start || t.start >= only.span.end)
        .all(|t| match t.kind {
            Kind::Num | Kind::Punct => true,
            Kind::Word => time_word(t.text),
        });
    rest_ok.then_some(date)
}

/// Whether `line` has more than [`MAX_DATE_WORDS`] words for which `skip`
/// is false, counting only runs of ASCII letters between ASCII non-letters
/// (each of them a word token of its own), and stopping as soon as it knows:
/// a lower bound, cheaper than tokenising the line.
fn lots_of_words(line: &str, skip: &dyn Fn(&str) -> bool) -> bool {
    let b = line.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let whole = (start == 0 || b[start - 1].is_ascii()) && b.get(i).is_none_or(u8::is_ascii);
        // ASCII letters only, so `start..i` falls on character boundaries.
        if whole && !skip(&line[start..i]) {
            count += 1;
            if count > MAX_DATE_WORDS {
                return true;
            }
        }
    }
    false
}

/// More words than any one date expression holds ("Monday, the 29th of
/// April", "the end of May 2025" hold four or five; a test checks the forms).
const MAX_DATE_WORDS: usize = 16;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A run of alphabetic characters.
    Word,
    /// A run of ASCII digits.
    Num,
    /// One other non-space character.
    Punct,
}

/// A token with its byte offsets in the whole text.
#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    kind: Kind,
    text: &'a str,
    start: usize,
    end: usize,
}

/// Whether a lower-cased word can start a date expression: month and weekday
/// names, the keywords of [`Scan::expr`], the relative and qualifier words of
/// [`Scan::relative`] and [`Scan::qualified`], and `q` of `Q1 2025`.
fn is_starter(lower: &[u8]) -> bool {
    // A `match` on byte strings compiles to a length and first-byte dispatch,
    // far cheaper than comparing against every starter in turn.
    matches!(
        lower,
        b"january"
            | b"jan"
            | b"february"
            | b"feb"
            | b"march"
            | b"mar"
            | b"april"
            | b"apr"
            | b"may"
            | b"june"
            | b"jun"
            | b"july"
            | b"jul"
            | b"august"
            | b"aug"
            | b"september"
            | b"sep"
            | b"sept"
            | b"october"
            | b"oct"
            | b"november"
            | b"nov"
            | b"december"
            | b"dec"
            | b"monday"
            | b"tuesday"
            | b"wednesday"
            | b"thursday"
            | b"friday"
            | b"saturday"
            | b"sunday"
            | b"since"
            | b"until"
            | b"till"
            | b"through"
            | b"by"
            | b"from"
            | b"between"
            | b"this"
            | b"current"
            | b"last"
            | b"next"
            | b"coming"
            | b"today"
            | b"yesterday"
            | b"tomorrow"
            | b"the"
            | b"mid"
            | b"end"
            | b"early"
            | b"late"
            | b"earlier"
            | b"later"
            | b"beginning"
            | b"start"
            | b"middle"
            | b"turn"
            | b"spring"
            | b"summer"
            | b"autumn"
            | b"fall"
            | b"winter"
            | b"q"
    )
}

/// Room for the longest word [`lower_word`] is asked to compare.
const WORD_BUF: usize = 16;

/// `word` in ASCII lower case, copied into `buf` so that comparing it with
/// the date vocabulary allocates nothing; `""` (which no vocabulary word is)
/// when it does not fit.
fn lower_word<'b>(word: &str, buf: &'b mut [u8; WORD_BUF]) -> &'b str {
    let Some(lower) = buf.get_mut(..word.len()) else { return "" };
    // A byte loop, not `copy_from_slice`: the words are a few bytes long,
    // shorter than a call to `memcpy`.
    for (d, s) in lower.iter_mut().zip(word.as_bytes()) {
        *d = s.to_ascii_lowercase();
    }
    // ASCII case changes keep UTF-8 valid.
    std::str::from_utf8(lower).unwrap_or("")
}

/// Whether a date expression may start at `tok`: a number, or a word of
/// [`is_starter`] in any ASCII case. Every rule of [`Scan::expr`] looks at its
/// first token this way, so skipping other tokens changes no result.
fn may_start(tok: &Tok<'_>) -> bool {
    match tok.kind {
        Kind::Num => true,
        Kind::Punct => false,
        Kind::Word => {
            // The longest starter has nine letters; compare a lower-cased copy
            // on the stack, first letter first, so most words cost one test.
            let bytes = tok.text.as_bytes();
            if bytes.len() > 9 {
                return false;
            }
            let mut buf = [0u8; 9];
            let lower = &mut buf[..bytes.len()];
            for (d, s) in lower.iter_mut().zip(bytes) {
                *d = s.to_ascii_lowercase();
            }
            is_starter(lower)
        }
    }
}

/// Splits `line` (starting at byte `base` of the text) into tokens.
fn tokenize(line: &str, base: usize) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    tokenize_into(&mut toks, line, base);
    toks
}

/// Splits `line` (starting at byte `base` of the text) into tokens, replacing
/// the contents of `toks` (whose allocation is reused).
fn tokenize_into<'a>(toks: &mut Vec<Tok<'a>>, line: &'a str, base: usize) {
    toks.clear();
    let bytes = line.as_bytes();
    // The class of the character at `i` and its width. ASCII bytes (nearly all
    // of a bulletin) are classified without decoding, with the same answers
    // as the `char` tests used for the rest.
    let class = |i: usize| -> Option<(Option<Kind>, usize)> {
        let b = *bytes.get(i)?;
        if let Some(&kind) = ASCII_KIND.get(usize::from(b)) {
            return Some((kind, 1));
        }
        let c = line.get(i..)?.chars().next()?;
        let kind = if c.is_alphabetic() {
            Some(Kind::Word)
        } else if c.is_whitespace() {
            None
        } else {
            Some(Kind::Punct)
        };
        Some((kind, c.len_utf8()))
    };
    let mut i = 0;
    while let Some((kind, width)) = class(i) {
        let start = i;
        i += width;
        let Some(kind) = kind else { continue };
        if kind != Kind::Punct {
            while let Some((next, w)) = class(i) {
                if next != Some(kind) {
                    break;
                }
                i += w;
            }
        }
        toks.push(Tok { kind, text: &line[start..i], start: base + start, end: base + i });
    }
}

/// The token kind of each ASCII byte: letters are words, digits numbers,
/// whitespace (as `char::is_whitespace` says) nothing, the rest punctuation.
const ASCII_KIND: [Option<Kind>; 128] = {
    let mut t = [Some(Kind::Punct); 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphabetic() {
            Some(Kind::Word)
        } else if c.is_ascii_digit() {
            Some(Kind::Num)
        } else if matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
            None
        } else {
            Some(Kind::Punct)
        };
        b += 1;
    }
    t
};

/// How many months before the document's month a day written without a year
/// keeps the document year (`On 29 January … signed` in a November bulletin).
const MONTHS_BACK: i32 = 10;

/// How many months after the document's month a day written without a year
/// keeps the document year (`they meet on 10 September` in a July bulletin);
/// a later month is read as last year's (`10 December` in a January bulletin).
const MONTHS_AHEAD: i32 = 3;

/// Month names, full and abbreviated, in calendar order.
const MONTHS: [(&str, &[&str]); 12] = [
    ("January", &["Jan"]),
    ("February", &["Feb"]),
    ("March", &["Mar"]),
    ("April", &["Apr"]),
    ("May", &[]),
    ("June", &["Jun"]),
    ("July", &["Jul"]),
    ("August", &["Aug"]),
    ("September", &["Sep", "Sept"]),
    ("October", &["Oct"]),
    ("November", &["Nov"]),
    ("December", &["Dec"]),
];

/// Weekday names, Monday first.
const WEEKDAYS: [&str; 7] =
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// The weekday (0 = Monday) a capitalised word names.
fn weekday(word: &str) -> Option<u8> {
    // Every accepted form starts with a capital; most words are rejected here.
    if !word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let caps = is_caps(word);
    let idx = WEEKDAYS.iter().position(|w| *w == word || (caps && w.eq_ignore_ascii_case(word)))?;
    u8::try_from(idx).ok()
}

/// Whether a word is written in capitals only (`MAY`).
fn is_caps(word: &str) -> bool {
    word.chars().all(|c| c.is_uppercase())
}

/// Words before a bare month name that make it a date (`in June`).
const MONTH_CONTEXT: &[&str] = &[
    "in", "on", "since", "until", "till", "by", "from", "during", "through", "of", "early", "mid",
    "late",
];

/// The subset of [`MONTH_CONTEXT`] that also makes `May` a date.
const MAY_CONTEXT: &[&str] =
    &["in", "since", "until", "till", "during", "of", "early", "mid", "late"];

/// Words before a number that make it a quantity rather than a year.
const QUANTITY_WORDS: &[&str] = &[
    "some",
    "about",
    "around",
    "approximately",
    "nearly",
    "almost",
    "over",
    "than",
    "least",
    "roughly",
    "another",
    "estimated",
    "additional",
    "extra",
    "only",
    "just",
];

/// A date expression parser over the tokens of one line.
struct Scan<'a> {
    toks: Vec<Tok<'a>>,
    doc: Option<IsoDate>,
    /// The last [`Scan::month`] answer, by token index: the date forms
    /// tried at one token each ask for the month there.
    month_memo: Cell<MonthMemo>,
}

/// A token index and what [`Scan::month`] said there.
type MonthMemo = (usize, Option<(usize, u8, bool)>);

/// An empty [`Scan::month_memo`].
const NO_MONTH_MEMO: MonthMemo = (usize::MAX, None);

impl Scan<'_> {
    /// The token at `idx`, if any.
    fn tok(&self, idx: usize) -> Option<&Tok<'_>> {
        self.toks.get(idx)
    }

    /// Whether token `idx` is the word `w`, ignoring ASCII case.
    fn is_word(&self, idx: usize, w: &str) -> bool {
        self.tok(idx).is_some_and(|t| t.kind == Kind::Word && t.text.eq_ignore_ascii_case(w))
    }

    /// Whether token `idx` is one of the punctuation characters `set`.
    fn is_punct(&self, idx: usize, set: &[char]) -> bool {
        self.tok(idx).is_some_and(|t| t.kind == Kind::Punct && t.text.starts_with(set))
    }

    /// Whether token `idx` touches the token before it.
    fn glued(&self, idx: usize) -> bool {
        match (idx.checked_sub(1).and_then(|p| self.tok(p)), self.tok(idx)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    /// Whether the word before token `idx` is one of `list` (lower-case
    /// words), ignoring ASCII case; compared in place, without a lower-cased copy.
    fn prev_word_in(&self, idx: usize, list: &[&str]) -> bool {
        idx.checked_sub(1).and_then(|i| self.tok(i)).is_some_and(|t| {
            t.kind == Kind::Word && list.iter().any(|w| t.text.eq_ignore_ascii_case(w))
        })
    }

    /// Whether the number at `idx` stands alone: not part of `40,000` or `1.5`,
    /// not a percentage or a decade, not after a currency symbol.
    fn standalone_num(&self, idx: usize) -> bool {
        let glued_num_before = idx >= 2
            && self.glued(idx)
            && self.is_punct(idx - 1, &[',', '.'])
            && self.glued(idx - 1)
            && self.tok(idx - 2).is_some_and(|t| t.kind == Kind::Num);
        let glued_num_after = self.glued(idx + 1)
            && self.is_punct(idx + 1, &[',', '.'])
            && self.glued(idx + 2)
            && self.tok(idx + 2).is_some_and(|t| t.kind == Kind::Num);
        let glued_after = self.glued(idx + 1)
            && self
                .tok(idx + 1)
                .is_some_and(|t| t.kind == Kind::Word || t.text == "%" || t.kind == Kind::Num);
        let currency_before =
            self.glued(idx) && self.is_punct(idx.wrapping_sub(1), &['€', '$', '£', '¥']);
        !(glued_num_before || glued_num_after || glued_after || currency_before)
    }

    /// A year 1950–2100 at `idx`.
    fn year(&self, idx: usize) -> Option<(usize, i32)> {
        let t = self.tok(idx)?;
        if t.kind != Kind::Num || t.text.len() != 4 || !self.standalone_num(idx) {
            return None;
        }
        let year: i32 = t.text.parse().ok()?;
        (1950..=2100).contains(&year).then_some((idx + 1, year))
    }

    /// A day of month at `idx`, with an optional glued ordinal suffix.
    fn day(&self, idx: usize) -> Option<(usize, u8)> {
        let t = self.tok(idx)?;
        if t.kind != Kind::Num || t.text.len() > 2 {
            return None;
        }
        let day: u8 = t.text.parse().ok()?;
        if !(1..=31).contains(&day) {
            return None;
        }
        let ordinal = self.glued(idx + 1)
            && ["st", "nd", "rd", "th"].iter().any(|s| self.is_word(idx + 1, s));
        if ordinal {
            return Some((idx + 2, day));
        }
        self.standalone_num(idx).then_some((idx + 1, day))
    }

    /// A capitalised month name at `idx`; the flag tells whether it was written
    /// in full (abbreviations need a day or year next to them).
    fn month(&self, idx: usize) -> Option<(usize, u8, bool)> {
        let (at, memo) = self.month_memo.get();
        if at == idx {
            return memo;
        }
        let found = self.month_uncached(idx);
        self.month_memo.set((idx, found));
        found
    }

    fn month_uncached(&self, idx: usize) -> Option<(usize, u8, bool)> {
        let t = self.tok(idx)?;
        if t.kind != Kind::Word || !t.text.starts_with(|c: char| c.is_uppercase()) {
            return None;
        }
        // No month name is longer than "September".
        if t.text.len() > 9 {
            return None;
        }
        // Initials of the twelve month names: other words need no further test.
        if !t.text.starts_with(['J', 'F', 'M', 'A', 'S', 'O', 'N', 'D']) {
            return None;
        }
        let caps = is_caps(t.text);
        // Every spelling of a month (full, capitals, abbreviation) starts with
        // the full name's capital letter, so only those months are compared.
        let first = t.text.as_bytes().first().copied();
        for (number, (full, abbrevs)) in (1u8..).zip(MONTHS.iter()) {
            if full.as_bytes().first().copied() != first {
                continue;
            }
            if t.text == *full || (caps && t.text.eq_ignore_ascii_case(full)) {
                return Some((idx + 1, number, true));
            }
            if abbrevs.contains(&t.text) {
                let next = if self.glued(idx + 1) && self.is_punct(idx + 1, &['.']) {
                    idx + 2
                } else {
                    idx + 1
                };
                return Some((next, number, false));
            }
        }
        None
    }

    /// The document year, for dates that state no year.
    fn doc_year(&self) -> Option<i32> {
        self.doc.map(|d| d.year)
    }

    /// The year of a day in `month` written without a year (`10 December`):
    /// the document year when that puts the month between [`MONTHS_BACK`]
    /// months before and [`MONTHS_AHEAD`] months after the document's month,
    /// else the year before or after, whichever is nearer (a bulletin of
    /// January 2026 saying `10 December` means December 2025; one of
    /// September 2025 saying `9 October` means October 2025). With a
    /// year-only document date, the document year.
    fn year_for_day(&self, month: u8) -> Option<i32> {
        let doc = self.doc?;
        let Some(doc_month) = doc.month else { return Some(doc.year) };
        // Months from the document's month to `month` in the document year;
        // only a month outside the window moves to the year before or after.
        let ahead = i32::from(month) - i32::from(doc_month);
        Some(if ahead > MONTHS_AHEAD {
            doc.year - 1
        } else if ahead < -MONTHS_BACK {
            doc.year + 1
        } else {
            doc.year
        })
    }

    /// Skips a comma at `idx`.
    fn skip_comma(&self, idx: usize) -> usize {
        if self.is_punct(idx, &[',']) { idx + 1 } else { idx }
    }

    /// The longest date expression starting at `idx`.
    fn expr(&self, idx: usize) -> Option<(usize, When)> {
        let mut best: Option<(usize, When)> = None;
        let mut offer = |cand: Option<(usize, When)>| {
            if let Some((next, when)) = cand
                && best.as_ref().is_none_or(|(b, _)| next > *b)
            {
                best = Some((next, when));
            }
        };
        // The point here is also the first end of a range: read it once.
        let here = self.point(idx);
        offer(here.map(|(n, date)| (n, When::At { date })));
        offer(self.range(idx, here));
        if self.is_word(idx, "since") {
            offer(self.point(idx + 1).map(|(n, date)| (n, When::Since { date })));
        }
        if ["until", "till", "through", "by"].iter().any(|w| self.is_word(idx, w)) {
            offer(self.point(idx + 1).map(|(n, date)| (n, When::Until { date })));
        }
        if self.is_word(idx, "from")
            && let Some((n, start)) = self.point(idx + 1)
        {
            offer(Some((n, When::Since { date: start })));
            let joiner = ["to", "until", "till", "through"].iter().any(|w| self.is_word(n, w))
                || self.is_punct(n, &['-', '–', '—']);
            if joiner {
                offer(self.point(n + 1).and_then(|(m, end)| between(m, start, end)));
            }
        }
        if self.is_word(idx, "between")
            && let Some((n, start)) = self.point(idx + 1)
            && self.is_word(n, "and")
        {
            offer(self.point(n + 1).and_then(|(m, end)| between(m, start, end)));
        }
        best
    }

    /// A period written with a dash or slash, or a quarter.
    /// `here` is `self.point(idx)`, which the caller has already read.
    fn range(&self, idx: usize, here: Option<(usize, IsoDate)>) -> Option<(usize, When)> {
        let dash = |i: usize| self.is_punct(i, &['-', '–', '—']);
        // `2021-27`: a year and the last two digits of a later year.
        if let Some((n, start)) = self.year(idx)
            && dash(n)
            && self.glued(n)
            && self.glued(n + 1)
            && let Some(t) = self.tok(n + 1)
            && t.kind == Kind::Num
            && t.text.len() == 2
            && !(self.glued(n + 2) && self.tok(n + 2).is_some_and(|t| t.kind != Kind::Punct))
        {
            let end = start - start % 100 + t.text.parse::<i32>().ok()?;
            if end > start {
                return between(n + 2, IsoDate::year(start), IsoDate::year(end));
            }
        }
        // `2024-2027`, `May 2024–June 2025`, `2024/2027`.
        if let Some((n, start)) = here
            && (dash(n) || self.is_punct(n, &['/']))
            && let Some((m, end)) = self.point(n + 1)
            && let Some(found) = between(m, start, end)
        {
            return Some(found);
        }
        // `May-June 2025`.
        if let Some((n, first, _)) = self.month(idx)
            && dash(n)
            && let Some((m, second, _)) = self.month(n + 1)
            && let Some((after, year)) = self.year(self.skip_comma(m))
        {
            return between(after, IsoDate::month(year, first), IsoDate::month(year, second));
        }
        // `10-12 September 2025`.
        if let Some((n, first)) = self.day(idx)
            && dash(n)
            && let Some((m, second)) = self.day(n + 1)
            && let Some((after_month, month, _)) = self.month(m)
        {
            let (after, year) = match self.year(self.skip_comma(after_month)) {
                Some(found) => found,
                None => (after_month, self.year_for_day(month)?),
            };
            let start = IsoDate::day(year, month, first)?;
            return between(after, start, IsoDate::day(year, month, second)?);
        }
        // `Q1 2025`: the three months of the quarter.
        if self.is_word(idx, "Q")
            && self.glued(idx + 1)
            && let Some(t) = self.tok(idx + 1)
            && let Ok(quarter @ 1..=4) = t.text.parse::<u8>()
            && t.text.len() == 1
            && let Some((after, year)) = self.year(idx + 2)
        {
            let first = IsoDate::month(year, quarter * 3 - 2);
            return between(after, first, IsoDate::month(year, quarter * 3));
        }
        None
    }

    /// A date (not a period) starting at `idx`.
    fn point(&self, idx: usize) -> Option<(usize, IsoDate)> {
        let mut best: Option<(usize, IsoDate)> = None;
        let mut offer = |cand: Option<(usize, IsoDate)>| {
            if let Some((next, date)) = cand
                && best.is_none_or(|(b, _)| next > b)
            {
                best = Some((next, date));
            }
        };
        // Each form opens with a number or with a word: only the forms that
        // open with the token's kind are tried, in the same order.
        match self.tok(idx).map(|t| t.kind) {
            Some(Kind::Num) => {
                offer(self.iso(idx));
                offer(self.day_month(idx));
                // The year test is cheap and rarely passes; the context test only then.
                if let Some((n, y)) = self.year(idx)
                    && self.is_bare_year_ok(idx)
                {
                    offer(Some((n, IsoDate::year(y))));
                }
            }
            Some(Kind::Word) => {
                offer(self.month_day(idx));
                offer(self.month_year(idx));
                offer(self.bare_month(idx));
                offer(self.relative(idx));
                offer(self.qualified(idx));
                // `Monday, 29 April 2024`: a weekday before a full date is part of it.
                if self.tok(idx).is_some_and(|t| weekday(t.text).is_some()) {
                    let after = self.skip_comma(idx + 1);
                    offer(self.day_month(after).or_else(|| self.month_day(after)));
                }
            }
            Some(Kind::Punct) | None => {}
        }
        best
    }

    /// Whether the year at `idx` is not preceded by a quantity word.
    fn is_bare_year_ok(&self, idx: usize) -> bool {
        !self.prev_word_in(idx, QUANTITY_WORDS)
    }

    /// `2025-05-14` and `2025-05`.
    fn iso(&self, idx: usize) -> Option<(usize, IsoDate)> {
        let y = self.tok(idx)?;
        if y.kind != Kind::Num || y.text.len() != 4 {
            return None;
        }
        if idx >= 1 && self.glued(idx) && self.tok(idx - 1).is_some_and(|t| t.kind != Kind::Word) {
            return None;
        }
        let year: i32 = y.text.parse().ok()?;
        let part = |i: usize| {
            let t = self.tok(i)?;
            (self.is_punct(i - 1, &['-'])
                && self.glued(i - 1)
                && self.glued(i)
                && t.kind == Kind::Num
                && t.text.len() == 2)
                .then(|| t.text.parse::<u8>().ok())
                .flatten()
        };
        if !(1950..=2100).contains(&year) {
            return None;
        }
        let month = part(idx + 2)?;
        if let Some(day) = part(idx + 4) {
            return IsoDate::day(year, month, day).map(|d| (idx + 5, d));
        }
        // `2021-27` is a period (see `range`); a month must not read as a later year.
        let as_year = year - year % 100 + i32::from(month);
        if (1..=12).contains(&month) && as_year <= year && !self.glued(idx + 3) {
            return Some((idx + 3, IsoDate::month(year, month)));
        }
        None
    }

    /// `14 May 2025`, `14th of May`, `14 May` (document year).
    fn day_month(&self, idx: usize) -> Option<(usize, IsoDate)> {
        let (n, day) = self.day(idx)?;
        let n = if self.is_word(n, "of") { n + 1 } else { n };
        let (after_month, month, _) = self.month(n)?;
        match self.year(self.skip_comma(after_month)) {
            Some((after, year)) => IsoDate::day(year, month, day).map(|d| (after, d)),
            None => IsoDate::day(self.year_for_day(month)?, month, day).map(|d| (after_month, d)),
        }
    }

    /// `May 14, 2025`, `September 10` (document year).
    fn month_day(&self, idx: usize) -> Option<(usize, IsoDate)> {
        let (n, month, _) = self.month(idx)?;
        let (after_day, day) = self.day(n)?;
        match self.year(self.skip_comma(after_day)) {
            Some((after, year)) => IsoDate::day(year, month, day).map(|d| (after, d)),
            None => IsoDate::day(self.year_for_day(month)?, month, day).map(|d| (after_day, d)),
        }
    }

    /// `May 2025`, `December, 2024`, `June of 2025`.
    fn month_year(&self, idx: usize) -> Option<(usize, IsoDate)> {
        let (n, month, _) = self.month(idx)?;
        let n = if self.is_word(n, "of") { n + 1 } else { self.skip_comma(n) };
        let (after, year) = self.year(n)?;
        Some((after, IsoDate::month(year, month)))
    }

    /// A month name without day or year, where the context makes it a date.
    fn bare_month(&self, idx: usize) -> Option<(usize, IsoDate)> {
        // `this January`, `last March`, `next June`: relative to the document date.
        for (word, shift) in [("this", 0i8), ("last", -1), ("next", 1)] {
            if self.is_word(idx, word)
                && let Some((n, month, true)) = self.month(idx + 1)
            {
                return Some((n, self.relative_month(month, shift)?));
            }
        }
        let (n, month, full) = self.month(idx)?;
        if !full {
            return None;
        }
        // `June this year`, `June last year`.
        for (word, shift) in [("this", 0), ("last", -1), ("next", 1)] {
            if self.is_word(n, word) && self.is_word(n + 1, "year") {
                return Some((n + 2, IsoDate::month(self.doc_year()? + shift, month)));
            }
        }
        let possessive = self.glued(n)
            && self.is_punct(n, &['\'', '’'])
            && self.glued(n + 1)
            && self.is_word(n + 1, "s");
        let context = if month == 5 { MAY_CONTEXT } else { MONTH_CONTEXT };
        let in_context = self.prev_word_in(idx, context)
            || (self.is_punct(idx.wrapping_sub(1), &['-'])
                && self.is_word(idx.wrapping_sub(2), "mid"));
        (possessive || in_context).then_some(())?;
        Some((n, IsoDate::month(self.doc_year()?, month)))
    }

    /// The month `month` of the document year (`shift` 0), or the nearest one
    /// before (`-1`) or after (`1`) the document date.
    fn relative_month(&self, month: u8, shift: i8) -> Option<IsoDate> {
        let doc = self.doc?;
        let year = match shift {
            0 => doc.year,
            s if s < 0 => doc.year - i32::from(month >= doc.month?),
            _ => doc.year + i32::from(month <= doc.month?),
        };
        Some(IsoDate::month(year, month))
    }

    /// `this/last/next year|month|<weekday>|<season>`, `this week`, `today`, `yesterday`,
    /// `tomorrow`, `on Monday`.
    fn relative(&self, idx: usize) -> Option<(usize, IsoDate)> {
        let doc = self.doc?;
        let t = self.tok(idx)?;
        if t.kind != Kind::Word {
            return None;
        }
        let mut buf = [0u8; WORD_BUF];
        let shift = match lower_word(t.text, &mut buf) {
            "today" => return Some((idx + 1, full_day(doc)?)),
            "yesterday" => return Some((idx + 1, add_days(full_day(doc)?, -1)?)),
            "tomorrow" => return Some((idx + 1, add_days(full_day(doc)?, 1)?)),
            "this" | "current" => 0i64,
            "last" => -1,
            "next" | "coming" => 1,
            _ => return self.weekday_on(idx),
        };
        let n = idx + 1;
        let unit = self.tok(n)?;
        if unit.kind != Kind::Word {
            return None;
        }
        let mut buf = [0u8; WORD_BUF];
        match lower_word(unit.text, &mut buf) {
            "year" => Some((n + 1, IsoDate::year(doc.year + i32::try_from(shift).ok()?))),
            // A week has no ISO form of the guide; "this week" is news of the
            // week the report is dated in, so it takes the document's day.
            // "Last/next week" would need a guessed day, so they give nothing.
            "week" if shift == 0 => Some((n + 1, full_day(doc)?)),
            "month" => {
                let total = i64::from(doc.year) * 12 + i64::from(doc.month?) - 1 + shift;
                let year = i32::try_from(total.div_euclid(12)).ok()?;
                let month = u8::try_from(total.rem_euclid(12) + 1).ok()?;
                Some((n + 1, IsoDate::month(year, month)))
            }
            "spring" | "summer" | "autumn" | "fall" | "winter" => {
                // "The coming autumn" is the next one to arrive, usually this year's.
                let shift = if t.text.eq_ignore_ascii_case("coming") { 0 } else { shift };
                Some((n + 1, IsoDate::year(doc.year + i32::try_from(shift).ok()?)))
            }
            _ => {
                let day = weekday(unit.text)?;
                let today = full_day(doc)?;
                let back = i64::from((weekday_of(today)? + 7 - day) % 7);
                let date = match shift {
                    0 => add_days(today, -back)?,
                    s if s < 0 => add_days(today, -(if back == 0 { 7 } else { back }))?,
                    _ => add_days(today, 7 - back)?,
                };
                Some((n + 1, date))
            }
        }
    }

    /// `on Monday` (or `Monday’s`): the latest such weekday on or before the
    /// document date.
    fn weekday_on(&self, idx: usize) -> Option<(usize, IsoDate)> {
        let day = weekday(self.tok(idx)?.text)?;
        let possessive = self.glued(idx + 1)
            && self.is_punct(idx + 1, &['\'', '’'])
            && self.is_word(idx + 2, "s");
        if !(self.prev_word_in(idx, &["on"]) || possessive) {
            return None;
        }
        let today = full_day(self.doc?)?;
        let back = i64::from((weekday_of(today)? + 7 - day) % 7);
        Some((idx + 1, add_days(today, -back)?))
    }

    /// `mid-2025`, `late 2023`, `early May 2025`, `the end of 2024`,
    /// `end-2024`, `summer 2015`, `earlier this year`.
    fn qualified(&self, idx: usize) -> Option<(usize, IsoDate)> {
        let start = if self.is_word(idx, "the") { idx + 1 } else { idx };
        let t = self.tok(start)?;
        if t.kind != Kind::Word {
            return None;
        }
        let mut buf = [0u8; WORD_BUF];
        let word = lower_word(t.text, &mut buf);
        let after_word = start + 1;
        let inner = match word {
            "mid" | "end" | "early" | "late" | "earlier" | "later"
                if self.is_punct(after_word, &['-']) =>
            {
                after_word + 1
            }
            "end" | "beginning" | "start" | "middle" | "turn" if self.is_word(after_word, "of") => {
                after_word + 1
            }
            "early" | "mid" | "late" | "earlier" | "later" => after_word,
            "spring" | "summer" | "autumn" | "fall" | "winter" => {
                let n = if self.is_word(after_word, "of") { after_word + 1 } else { after_word };
                let (after, year) = self.year(n)?;
                return Some((after, IsoDate::year(year)));
            }
            _ => return None,
        };
        // Only `the end of …` style phrases may start with `the`.
        if start != idx && !self.is_word(after_word, "of") {
            return None;
        }
        let (n, date) = self
            .month_year(inner)
            .or_else(|| self.bare_month(inner))
            .or_else(|| self.relative(inner))
            .or_else(|| self.year(inner).map(|(n, y)| (n, IsoDate::year(y))))?;
        Some((n, date))
    }
}

/// A [`When::Between`] ending at token `next`, when `end` is after `start`.
fn between(next: usize, start: IsoDate, end: IsoDate) -> Option<(usize, When)> {
    (start.first_day() < end.first_day() && start.last_day() <= end.last_day())
        .then_some((next, When::Between { start, end }))
}

/// The document date when it is a full date.
fn full_day(date: IsoDate) -> Option<IsoDate> {
    date.day.map(|_| date)
}

/// Days since 1970-01-01 of a full date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(date: IsoDate) -> Option<i64> {
    let (m, d) = (i64::from(date.month?), i64::from(date.day?));
    let y = i64::from(date.year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The full date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> Option<IsoDate> {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    IsoDate::day(i32::try_from(y).ok()?, u8::try_from(m).ok()?, u8::try_from(d).ok()?)
}

/// `date` moved by `delta` days.
fn add_days(date: IsoDate, delta: i64) -> Option<IsoDate> {
    civil_from_days(days_from_civil(date)?.checked_add(delta)?)
}

/// The weekday of a full date, 0 = Monday.
fn weekday_of(date: IsoDate) -> Option<u8> {
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    u8::try_from((days_from_civil(date)? + 3).rem_euclid(7)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_kinds_match_the_char_tests() {
        for b in 0u8..128 {
            let c = char::from(b);
            let expected = if c.is_ascii_alphabetic() {
                Some(Kind::Word)
            } else if c.is_ascii_digit() {
                Some(Kind::Num)
            } else if c.is_whitespace() {
                None
            } else {
                Some(Kind::Punct)
            };
            assert_eq!(ASCII_KIND[usize::from(b)], expected, "byte {b}");
        }
    }

    #[test]
    fn month_initials_cover_every_spelling() {
        // `Scan::month` rejects words by initial before comparing names.
        for (full, abbrevs) in MONTHS {
            for name in std::iter::once(full).chain(abbrevs.iter().copied()) {
                assert!(name.starts_with(['J', 'F', 'M', 'A', 'S', 'O', 'N', 'D']), "{name}");
                assert_eq!(name.as_bytes()[0], full.as_bytes()[0], "{name}");
            }
        }
    }

    #[test]
    fn prev_word_lists_are_lower_case() {
        // `prev_word_in` compares ignoring ASCII case, the same as comparing a
        // lower-cased word only while every listed word is lower case.
        for w in QUANTITY_WORDS.iter().chain(MONTH_CONTEXT).chain(MAY_CONTEXT) {
            assert_eq!(*w, w.to_lowercase(), "{w}");
        }
        let doc = IsoDate::day(2025, 7, 16);
        let golds = |t: &str| -> Vec<String> {
            find_dates(t, doc).iter().map(|m| m.when.to_gold()).collect()
        };
        assert!(golds("They counted Over 2024 arrivals.").is_empty());
        assert_eq!(golds("Talks resume IN June."), ["2025-06"]);
    }

    #[test]
    fn tokenize_into_classifies_ascii_and_other_scripts() {
        // Non-ASCII letters join words, non-ASCII digits and dashes are single
        // punctuation tokens, and every kind of white space separates.
        let line = "Ελλάδα 12\u{b}Jüli—2025 ٣x";
        let mut toks = Vec::new();
        tokenize_into(&mut toks, line, 10);
        let got: Vec<(Kind, &str, usize)> =
            toks.iter().map(|t| (t.kind, t.text, t.start)).collect();
        let words = [
            (Kind::Word, "Ελλάδα"),
            (Kind::Num, "12"),
            (Kind::Word, "Jüli"),
            (Kind::Punct, "—"),
            (Kind::Num, "2025"),
            (Kind::Punct, "٣"),
            (Kind::Word, "x"),
        ];
        assert_eq!(got.len(), words.len());
        for ((kind, text, start), (k, w)) in got.iter().zip(words) {
            assert_eq!((*kind, *text), (k, w));
            assert_eq!(&line[start - 10..start - 10 + text.len()], w);
        }
    }

    /// The document date used by most tests: Wednesday 16 July 2025.
    fn doc() -> Option<IsoDate> {
        IsoDate::day(2025, 7, 16)
    }

    /// Renders every match as `text=role:gold`, joined by `; `.
    fn render(text: &str, doc_date: Option<IsoDate>) -> String {
        find_dates(text, doc_date)
            .iter()
            .map(|m| {
                format!(
                    "{}={}:{}",
                    &text[m.span.start..m.span.end],
                    m.when.role(),
                    m.when.to_gold()
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn check(text: &str, expect: &str) {
        assert_eq!(render(text, doc()), expect, "{text:?}");
    }

    #[test]
    fn date_expressions_hold_far_fewer_words_than_the_dateline_bound() {
        let forms = "Monday, the 29th of April 2024; the end of May 2025; the beginning of next \
            month; early this year; mid-May 2025; the turn of last year; June this year; \
            Q1 2025; since the start of this year; between March and June 2025; \
            Tuesday 14 May 2025 10:00 CET; the middle of next year; late last month";
        let found = find_dates(forms, doc());
        assert!(found.len() >= 10, "{found:?}");
        for m in &found {
            let words = tokenize(&forms[m.span.start..m.span.end], 0)
                .iter()
                .filter(|t| t.kind == Kind::Word)
                .count();
            assert!(words * 2 <= MAX_DATE_WORDS, "{:?}", &forms[m.span.start..m.span.end]);
        }
        // The bound spares paragraphs, not datelines.
        assert!(date_only_line("Monday, 29 April 2024, 10:00 am").is_some());
        assert!(date_only_line(&"word ".repeat(17)).is_none());
    }

    #[test]
    fn find_dates_reads_full_dates() {
        check("signed on 14 May 2025 in Rabat", "14 May 2025=at:2025-05-14");
        check("signed May 14, 2025, in Rabat", "May 14, 2025=at:2025-05-14");
        check("the 3rd of March 2024 meeting", "3rd of March 2024=at:2024-03-03");
        check("on Monday, April 29, 2024 the Council", "Monday, April 29, 2024=at:2024-04-29");
        check("dated 2025-05-14.", "2025-05-14=at:2025-05-14");
        // An impossible day falls back to the month, which the text does state.
        check("no such day as 31 June 2025", "June 2025=at:2025-06");
    }

    #[test]
    fn find_dates_takes_the_document_year_for_day_and_month() {
        check("they meet on 10 September", "10 September=at:2025-09-10");
        check("papers of 2 July and 15 July", "2 July=at:2025-07-02; 15 July=at:2025-07-15");
        check("held September 10 in Brussels", "September 10=at:2025-09-10");
        assert_eq!(render("they meet on 10 September", None), "");
    }

    #[test]
    fn find_dates_takes_the_nearest_year_for_day_and_month() {
        let january = IsoDate::day(2026, 1, 15);
        assert_eq!(render("the talks of 10 December", january), "10 December=at:2025-12-10");
        assert_eq!(render("a summit on 14 April", january), "14 April=at:2026-04-14");
        assert_eq!(render("the vote on 2 May", january), "2 May=at:2025-05-02");
        let september = IsoDate::day(2025, 9, 5);
        assert_eq!(render("due on 9 October", september), "9 October=at:2025-10-09");
        assert_eq!(
            render("on 3-5 December", september),
            "3-5 December=between:2025-12-03/2025-12-05"
        );
        let november = IsoDate::day(2025, 11, 20);
        assert_eq!(render("signed on 29 January", november), "29 January=at:2025-01-29");
        let december = IsoDate::day(2025, 12, 20);
        assert_eq!(render("they meet on January 8", december), "January 8=at:2026-01-08");
        assert_eq!(render("they met on 3 March", december), "3 March=at:2025-03-03");
        // A year-only document date keeps its year.
        let year = Some(IsoDate::year(2025));
        assert_eq!(render("they meet on 10 December", year), "10 December=at:2025-12-10");
    }

    #[test]
    fn find_dates_reads_months_and_years() {
        check("deployed in May 2025", "May 2025=at:2025-05");
        check("in December 2024 the talks", "December 2024=at:2024-12");
        check("from Sept. 2025 onwards", "from Sept. 2025=since:2025-09");
        check("approved in 2024", "2024=at:2024");
        check("a 2025-05 entry", "2025-05=at:2025-05");
    }

    #[test]
    fn find_dates_reads_bare_months_only_in_context() {
        check("visited Morocco in May", "May=at:2025-05");
        check("in June this year", "June this year=at:2025-06");
        check("this January", "this January=at:2025-01");
        check("last March and next February", "last March=at:2025-03; next February=at:2026-02");
        check("last September", "last September=at:2024-09");
        check("ahead of November’s summit", "November=at:2025-11");
        check("June was hot", "");
        check("officials may have been told", "");
        check("Officials May agree", "");
        check("a statement by May", "");
        check("launched in mid-June", "mid-June=at:2025-06");
    }

    #[test]
    fn find_dates_reads_qualified_years() {
        check("by mid-2025", "by mid-2025=until:2025");
        check("met in late 2023", "late 2023=at:2023");
        check("early 2024 saw", "early 2024=at:2024");
        check("by the end of 2024", "by the end of 2024=until:2024");
        check("at the end of 2024", "the end of 2024=at:2024");
        check("in the summer of 2015", "the summer of 2015=at:2015");
        check("earlier this year", "earlier this year=at:2025");
    }

    #[test]
    fn find_dates_reads_keywords_and_periods() {
        check("returned since October 2023", "since October 2023=since:2023-10");
        check("Since 2016, arrivals", "Since 2016=since:2016");
        check("extended until 2027", "until 2027=until:2027");
        check("complete by 2027", "by 2027=until:2027");
        check("the 2024-2027 programme", "2024-2027=between:2024/2027");
        check("the 2024–2027 programme", "2024–2027=between:2024/2027");
        check("budget 2021-27", "2021-27=between:2021/2027");
        check("from 2021 to 2027", "from 2021 to 2027=between:2021/2027");
        check("for 2026-2031", "2026-2031=between:2026/2031");
        check("between 2019 and 2022", "between 2019 and 2022=between:2019/2022");
        check("May-June 2025", "May-June 2025=between:2025-05/2025-06");
        check("on 10-12 September 2025", "10-12 September 2025=between:2025-09-10/2025-09-12");
        check("in Q1 2025", "Q1 2025=between:2025-01/2025-03");
        check("from 2021 onwards", "from 2021=since:2021");
        check("2027-2024 is backwards", "2027=at:2027; 2024=at:2024");
    }

    #[test]
    fn find_dates_resolves_relative_forms() {
        check("since last year", "since last year=since:2024");
        check("next year", "next year=at:2026");
        check("last month", "last month=at:2025-06");
        check("Today, the Commission", "Today=at:2025-07-16");
        check("yesterday", "yesterday=at:2025-07-15");
        check("arrived on Monday", "Monday=at:2025-07-14");
        check("on Wednesday", "Wednesday=at:2025-07-16");
        check("next Monday", "next Monday=at:2025-07-21");
        check("last Wednesday", "last Wednesday=at:2025-07-09");
        check("this summer", "this summer=at:2025");
        check("the coming autumn", "coming autumn=at:2025");
        check("the coming year", "coming year=at:2026");
        assert_eq!(render("last month", IsoDate::day(2025, 1, 3)), "last month=at:2024-12");
        assert_eq!(render("since last year", None), "");
        assert_eq!(render("on Monday", Some(IsoDate::year(2025))), "");
    }

    #[test]
    fn find_dates_ignores_numbers_that_are_not_dates() {
        check("some 40,000 migrants and 8,360 people", "");
        check("47% of 2,025 cases", "");
        check("the 10th time", "");
        check("the 2000s", "");
        check("about 2000 people", "");
        check("€2025 was paid", "");
        check("in 1850 and 2150", "");
        check("rate of 2024.5", "");
    }

    #[test]
    fn find_dates_never_crosses_lines() {
        check("held on 14 May\n2024 was busy", "14 May=at:2025-05-14; 2024=at:2024");
    }

    #[test]
    fn add_days_crosses_months_and_leap_years() {
        let d = IsoDate::day(2024, 3, 1).expect("valid date");
        assert_eq!(add_days(d, -1).map(|d| d.to_string()), Some("2024-02-29".to_owned()));
        let d = IsoDate::day(2016, 4, 4).expect("valid date");
        assert_eq!(weekday_of(d), Some(0));
    }

    #[test]
    fn find_document_date_reads_labels_front_matter_and_date_lines() {
        let fm = "---\ntitle: A bulletin\ndate: 2025-03-12\n---\nBody from 2019.";
        assert_eq!(find_document_date(fm), IsoDate::day(2025, 3, 12));
        let label = "Title\nPublished: 12 March 2025\nText of 2019.";
        assert_eq!(find_document_date(label), IsoDate::day(2025, 3, 12));
        let alone = "Title\n\nWednesday, 12 March 2025 10:30\nText.";
        assert_eq!(find_document_date(alone), IsoDate::day(2025, 3, 12));
        let month = "Title\nMarch 2025\nText.";
        assert_eq!(find_document_date(month), Some(IsoDate::month(2025, 3)));
        let labelled_first = "12 March 2024\nPosted on May 2, 2025\n";
        assert_eq!(find_document_date(labelled_first), IsoDate::day(2025, 5, 2));
    }

    #[test]
    fn find_document_date_ignores_dates_in_running_text() {
        assert_eq!(
            find_document_date("Title\nThe deal was signed on 12 March 2025 in Rome."),
            None
        );
        assert_eq!(find_document_date("Title\n2025\nText"), None);
        assert_eq!(find_document_date(""), None);
    }

    /// A small deterministic xorshift generator, so the test needs no crate and
    /// gives the same inputs on every run.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn find_dates_never_panics_and_returns_ordered_spans() {
        const PIECES: &[&str] = &[
            "May", "June", "Sept", ".", "14", "31", "2025", "2024", "1949", "27", "05", "-", "–",
            "/", ",", " ", " ", "\n", "since", "until", "from", "to", "between", "and", "in", "on",
            "Monday", "last", "next", "this", "year", "month", "mid", "the", "end", "of", "Q", "1",
            "th", "’", "s", "é", "🙂", "%", "€", "today",
        ];
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        let docs = [
            None,
            Some(IsoDate::year(2025)),
            IsoDate::day(2024, 2, 29),
            IsoDate::day(2100, 12, 31),
        ];
        let mut n_found = 0;
        for round in 0..20_000 {
            let len = (rng.next() % 10) as usize;
            let text: String =
                (0..len).map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize]).collect();
            let found = find_dates(&text, docs[round % docs.len()]);
            let mut prev_end = 0;
            for m in &found {
                assert!(m.span.start >= prev_end && m.span.start < m.span.end, "{text:?}");
                assert!(text.get(m.span.start..m.span.end).is_some(), "{text:?}");
                prev_end = m.span.end;
            }
            n_found += found.len();
            let _ = find_document_date(&text);
        }
        assert!(n_found > 1_000, "only {n_found} dates found");
    }
}
