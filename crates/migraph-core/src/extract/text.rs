//! Small text helpers shared by mention finding and relation rules: word tokens
//! with byte offsets, word-boundary tests and clause boundaries.
//!
//! Everything works on byte offsets into the document text and never allocates
//! per character; nothing here knows about entities or rules.

/// A word: a run of letters or digits, with inner hyphens ("Grande-Marlaska", "EU-funded").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Tok {
    #[inline]
    pub(crate) fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// Whether the word is capitalised as a name word: it starts with an
    /// upper-case letter and no hyphenated part is lower-case
    /// ("Grande-Marlaska" is, "Paris-headquartered" and "EU-funded" are not).
    #[inline]
    pub(crate) fn is_cap(&self, text: &str) -> bool {
        let w = self.text(text);
        // ASCII words (most of them) are settled on bytes: the initial's case,
        // and with no hyphen there is no other part to test.
        if let Some(&b) = w.as_bytes().first()
            && b.is_ascii()
        {
            if !b.is_ascii_uppercase() {
                return false;
            }
            if !w.as_bytes().contains(&b'-') {
                return true;
            }
        }
        w.chars().next().is_some_and(char::is_uppercase)
            && w.split('-').all(|p| p.chars().next().is_none_or(|c| !c.is_lowercase()))
    }
}

/// Splits `text` into word tokens.
///
/// ASCII bytes (nearly all of a bulletin) are classified with a byte test;
/// only non-ASCII characters are decoded and asked `char::is_alphanumeric`,
/// which gives the same tokens as a plain `char_indices` walk at a fraction
/// of the cost.
pub(crate) fn tokens(text: &str) -> Vec<Tok> {
    // About one token per six bytes of English prose; one allocation up front.
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let bytes = text.as_bytes();
    // Whether the character at `i` is a letter or digit, and its width.
    let alnum_at = |i: usize| -> Option<(bool, usize)> {
        let b = *bytes.get(i)?;
        if b.is_ascii() {
            return Some((b.is_ascii_alphanumeric(), 1));
        }
        // `i` is on a character boundary: every step advances by a whole
        // character, so this decode always succeeds.
        let c = text.get(i..)?.chars().next()?;
        Some((c.is_alphanumeric(), c.len_utf8()))
    };
    let mut i = 0;
    while let Some((alnum, width)) = alnum_at(i) {
        if !alnum {
            i += width;
            continue;
        }
        // A word: letters and digits, and a hyphen where a letter or digit
        // follows it.
        let start = i;
        i += width;
        loop {
            match alnum_at(i) {
                Some((true, w)) => i += w,
                Some((false, 1)) if bytes[i] == b'-' => match alnum_at(i + 1) {
                    Some((true, w)) => i += 1 + w,
                    Some((false, _)) | None => break,
                },
                Some((false, _)) | None => break,
            }
        }
        out.push(Tok { start, end: i });
    }
    out
}

/// Whether `s.to_lowercase()` is one of `options`, which must be ASCII lower
/// case without a "k", without lower-casing `s`.
///
/// Exact: an ASCII `s` lower-cases byte by byte, and the one non-ASCII
/// character that lower-cases to ASCII is the Kelvin sign (to "k").
pub(crate) fn lower_is_one_of(s: &str, options: &[&str]) -> bool {
    debug_assert!(options.iter().all(|o| o.bytes().all(|b| b.is_ascii() && b != b'k')
        && !o.bytes().any(|b| b.is_ascii_uppercase())));
    options.iter().any(|o| s.eq_ignore_ascii_case(o))
}

/// Whether `hay.to_lowercase()` contains `needle` (lower case), without
/// lower-casing an ASCII `hay`.
pub(crate) fn lower_contains(hay: &str, needle: &str) -> bool {
    if !hay.is_ascii() {
        return hay.to_lowercase().contains(needle);
    }
    // An ASCII text lower-cases byte by byte, to ASCII: a non-ASCII needle
    // is never in it.
    let n = needle.as_bytes();
    n.is_empty() || hay.as_bytes().windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// Whether the character before `pos` (if any) is not a letter or digit.
#[inline]
pub(crate) fn boundary_before(text: &str, pos: usize) -> bool {
    text[..pos].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
}

/// Whether the character at `pos` (if any) is not a letter or digit.
#[inline]
pub(crate) fn boundary_after(text: &str, pos: usize) -> bool {
    text[pos..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// Whether the text between two offsets holds only spaces and hyphens/dashes
/// (the gap between a modifier and its head: "EU-funded", "EU visa").
pub(crate) fn tight_gap(text: &str, a: usize, b: usize) -> bool {
    a <= b && text[a..b].chars().all(|c| c == ' ' || c == '-' || c == '–')
}

/// Whether the gap holds only spaces, an optional possessive and quote marks.
pub(crate) fn possessive_gap(text: &str, a: usize, b: usize) -> bool {
    if a > b {
        return false;
    }
    let gap = text[a..b].trim();
    matches!(gap, "’s" | "'s" | "’" | "'")
}

/// Clause-level boundaries inside a sentence, as byte offsets of where a new
/// clause starts, with whether that clause is an aside the main clause's
/// arguments and dates should not come from (a relative or contrast clause).
#[derive(Debug, Clone)]
pub(crate) struct Clauses {
    /// Start offsets of the clauses (the sentence start first).
    pub(crate) starts: Vec<usize>,
    /// For each clause: what its first word is (a relative or contrast word,
    /// a past participle), read once here so that the rules ask cheaply.
    lead: Vec<u8>,
    /// For each clause: whether a hard break (`;`, `:`, dash, parenthesis) opens it.
    pub(crate) hard: Vec<bool>,
    /// End of the sentence.
    pub(crate) end: usize,
}

/// Words that open a clause the rules treat as a barrier for left/right search.
pub(crate) const RELATIVE: &[&str] = &["which", "who", "whose", "whom", "where", "when"];
/// Words that open a contrasting clause.
pub(crate) const CONTRAST: &[&str] = &["though", "although", "but", "while", "whereas", "however"];

/// Clause lead classes, as bits of [`Clauses::lead`].
const LEAD_RELATIVE: u8 = 1;
const LEAD_ANTECEDENT: u8 = 2;
const LEAD_CONTRAST: u8 = 4;
const LEAD_ED: u8 = 8;

/// The classes of a clause's first word, compared ignoring case. The word
/// lists are ASCII, and the only non-ASCII letter that lower-cases to an
/// ASCII one is the Kelvin sign (to "k", in none of them), so an ASCII
/// case-insensitive comparison answers as lower-casing the word would.
fn lead_class(word: &str) -> u8 {
    let is = |w: &&str| w.eq_ignore_ascii_case(word);
    let mut class = 0;
    if RELATIVE.iter().any(is) {
        class |= LEAD_RELATIVE;
    }
    if ["which", "who", "that"].iter().any(is) {
        class |= LEAD_ANTECEDENT;
    }
    if CONTRAST.iter().any(is) {
        class |= LEAD_CONTRAST;
    }
    let b = word.as_bytes();
    if b.len() >= 2 && b[b.len() - 2..].eq_ignore_ascii_case(b"ed") {
        class |= LEAD_ED;
    }
    class
}

/// The bytes that may open a clause break in [`Clauses::new`].
const MAY_BREAK: [bool; 256] = {
    let mut t = [false; 256];
    let breaks = b",();:-/";
    let mut k = 0;
    while k < breaks.len() {
        t[breaks[k] as usize] = true;
        k += 1;
    }
    t[0xE2] = true;
    t
};

/// The first run of letters and digits in `s` (`""` when there is none).
fn first_word(s: &str) -> &str {
    let b = s.as_bytes();
    // ASCII punctuation and spaces before it, a byte at a time.
    let i = b.iter().position(|c| !c.is_ascii() || c.is_ascii_alphanumeric()).unwrap_or(b.len());
    let j = i + b[i..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    // An ASCII word that ends the text or an ASCII non-letter ends it; else
    // (a non-ASCII character next) the general split decides. `i` is on a
    // character boundary, as only ASCII bytes precede it.
    if j > i && b.get(j).is_none_or(|c| c.is_ascii()) {
        return &s[i..j];
    }
    s[i..].split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("")
}

impl Clauses {
    /// Splits a sentence `[start, end)` of `text` at commas, semicolons, colons,
    /// dashes and parentheses.
    pub(crate) fn new(text: &str, start: usize, end: usize) -> Clauses {
        let mut starts = vec![start];
        let mut hard = vec![true];
        let s = &text[start..end];
        let bytes = s.as_bytes();
        // Every break is an ASCII character or a dash (U+2013, U+2014, whose
        // UTF-8 forms are E2 80 93 and E2 80 94): a byte scan finds them
        // without decoding the other characters.
        for (i, &b) in bytes.iter().enumerate() {
            // Most bytes are none of them: one table read settles those.
            if !MAY_BREAK[usize::from(b)] {
                continue;
            }
            let (is_break, width, comma_like) = match b {
                b',' | b'(' | b')' => (true, 1, true),
                b';' | b':' => (true, 1, false),
                // A spaced hyphen works as a dash (" - "); inner hyphens do not.
                b'-' => {
                    (i > 0 && bytes[i - 1] == b' ' && bytes.get(i + 1) == Some(&b' '), 1, false)
                }
                b'/' => (bytes[i..].starts_with(b"///"), 1, false),
                0xE2 => (matches!(bytes.get(i + 1..i + 3), Some([0x80, 0x93 | 0x94])), 3, false),
                _ => (false, 1, false),
            };
            if is_break {
                let next = start + i + width;
                if next < end {
                    starts.push(next);
                    // Commas and parentheses separate list items and asides that
                    // an object may still follow; the rest end the clause.
                    hard.push(!comma_like);
                }
            }
        }
        let lead = starts
            .iter()
            .enumerate()
            .map(|(k, &st)| {
                let stop = starts.get(k + 1).copied().unwrap_or(end);
                lead_class(first_word(&text[st..stop]))
            })
            .collect();
        Clauses { starts, lead, hard, end }
    }

    /// Index of the clause holding `pos`.
    #[inline]
    pub(crate) fn index(&self, pos: usize) -> usize {
        match self.starts.binary_search(&pos) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// `[start, end)` of clause `i`.
    #[inline]
    pub(crate) fn span(&self, i: usize) -> (usize, usize) {
        let s = self.starts[i];
        let e = self.starts.get(i + 1).copied().unwrap_or(self.end);
        (s, e)
    }

    fn lead_is(&self, i: usize, class: u8) -> bool {
        self.lead.get(i).is_some_and(|&l| l & class != 0)
    }

    /// Whether clause `i` is a relative clause ("which …", "who …").
    pub(crate) fn is_relative(&self, i: usize) -> bool {
        self.lead_is(i, LEAD_RELATIVE)
    }

    /// Whether clause `i` is a relative clause about a thing or person named just
    /// before it ("…, which provides …"), whose antecedent is its subject.
    pub(crate) fn has_antecedent(&self, i: usize) -> bool {
        self.lead_is(i, LEAD_ANTECEDENT)
    }

    /// Whether clause `i` opens a contrast ("though …", "but …").
    pub(crate) fn is_contrast(&self, i: usize) -> bool {
        self.lead_is(i, LEAD_CONTRAST)
    }

    /// Whether clause `i` opens with a word ending in "ed" (", resumed in …").
    pub(crate) fn leads_with_participle(&self, i: usize) -> bool {
        self.lead_is(i, LEAD_ED)
    }

    /// The end of clause `i` together with the list continuations that follow it
    /// ("countries, including X"), stopping before a relative or contrasting clause
    /// or a hard break.
    pub(crate) fn list_end(&self, i: usize) -> usize {
        let mut limit = self.span(i).1;
        let mut k = i + 1;
        while k < self.starts.len() && !self.hard[k] && !self.is_relative(k) && !self.is_contrast(k)
        {
            limit = self.span(k).1;
            k += 1;
        }
        limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_inner_hyphens_only() {
        let t = "EU-funded work - done, Egypt’s";
        let words: Vec<&str> = tokens(t).iter().map(|k| k.text(t)).collect();
        assert_eq!(words, ["EU-funded", "work", "done", "Egypt", "s"]);
    }

    /// Tokens by the definition, one character at a time.
    fn tokens_by_chars(t: &str) -> Vec<Tok> {
        let chars: Vec<(usize, char)> = t.char_indices().collect();
        let end_of = |k: usize| chars.get(k).map_or(t.len(), |&(i, _)| i);
        let mut out = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            if !chars[k].1.is_alphanumeric() {
                k += 1;
                continue;
            }
            let start = chars[k].0;
            k += 1;
            loop {
                match chars.get(k) {
                    Some(&(_, c)) if c.is_alphanumeric() => k += 1,
                    Some(&(_, '-')) if chars.get(k + 1).is_some_and(|c| c.1.is_alphanumeric()) => {
                        k += 2
                    }
                    _ => break,
                }
            }
            out.push(Tok { start, end: end_of(k) });
        }
        out
    }

    #[test]
    fn tokens_match_the_definition_on_mixed_text() {
        let pieces = ["EU", "-", " ", "–", "é", "ß", "9", "x", "--", "’s", "Ω", "\n", ",", "½"];
        let mut k = 7u64;
        for _ in 0..300 {
            let mut t = String::new();
            for _ in 0..40 {
                k = k
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                t.push_str(pieces[(k >> 33) as usize % pieces.len()]);
            }
            assert_eq!(tokens(&t), tokens_by_chars(&t), "{t:?}");
        }
    }

    #[test]
    fn tokens_match_a_char_walk_on_mixed_scripts() {
        // Non-ASCII letters join words, non-ASCII punctuation splits them, and
        // a trailing hyphen before a non-ASCII letter still continues the word.
        let t = "Ankara–Brüssel talks: Ελλάδα-Türkiye, 5 000 € — ok- ½";
        let words: Vec<&str> = tokens(t).iter().map(|k| k.text(t)).collect();
        assert_eq!(words, ["Ankara", "Brüssel", "talks", "Ελλάδα-Türkiye", "5", "000", "ok", "½"]);
    }

    #[test]
    fn lower_tests_answer_as_lower_casing_does() {
        let options = ["and", "and the", ", along with"];
        let needles = ["council", "working party", "k", "é"];
        for s in [
            "AND",
            "And The",
            "and",
            ", Along With",
            "ANDS",
            "\u{212A}",
            "wor\u{212A}ing PARTY",
            "The Council",
            "CAFÉ",
            "Café",
            "",
            "İand",
        ] {
            let lower = s.to_lowercase();
            assert_eq!(lower_is_one_of(s, &options), options.contains(&lower.as_str()), "{s:?}");
            for n in needles {
                assert_eq!(lower_contains(s, n), lower.contains(n), "{s:?} {n:?}");
            }
        }
    }

    #[test]
    fn first_word_answers_as_the_plain_split_does() {
        for s in [
            " which",
            ", WHO said",
            " Although",
            "; however,",
            " but",
            "(While",
            " signed",
            " whereas",
            " That",
            " éd",
            " caféed it",
            " ß",
            "",
            " ,",
            " –x",
            " Sobre\u{301}",
            "2025ed",
            " hOwEvEr",
            " whom",
            " thoughts",
        ] {
            let plain =
                s.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("");
            assert_eq!(first_word(s), plain, "{s:?}");
        }
    }

    #[test]
    fn clauses_mark_relative_and_contrast() {
        let t = "The deal, which stalled, resumed; though late";
        let c = Clauses::new(t, 0, t.len());
        assert_eq!(c.starts.len(), 4);
        assert!(c.is_relative(1));
        assert!(c.is_contrast(3));
        assert!(c.has_antecedent(1) && !c.has_antecedent(2));
        assert!(c.leads_with_participle(2) && !c.leads_with_participle(1));
        assert_eq!(c.index(t.find("resumed").unwrap()), 2);
    }

    #[test]
    fn is_cap_reads_hyphenated_and_non_ascii_words() {
        let t = "Grande-Marlaska EU-funded Paris-headquartered Ümit ümit egypt Egypt";
        let caps: Vec<bool> = tokens(t).iter().map(|k| k.is_cap(t)).collect();
        assert_eq!(caps, [true, false, false, true, false, false, true]);
    }

    #[test]
    fn clauses_split_at_dashes_but_not_inner_hyphens() {
        let t = "Aid—cut – EU-funded - done /// (later), x→y";
        let c = Clauses::new(t, 0, t.len());
        // The leads are "aid", "cut", "eu", "done", "", "later", "", "x":
        // none a relative, contrast or participle.
        assert_eq!(c.lead, [0; 8]);
        assert_eq!(c.hard, [true, true, true, true, true, false, false, false]);
    }
}
