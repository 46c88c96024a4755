//! Loading the extractor's data files: the gazetteer (`ontology/gazetteer/*.tsv`)
//! and the trigger patterns (`ontology/patterns.toml`, `ontology/patterns/*.toml`).
//!
//! Everything the extractor knows about names and ways of writing lives in those
//! files, so users extend it without recompiling. This module parses them, reports
//! bad lines as [`Diagnostic`]s (file + line) while keeping the good ones, and
//! compiles the Aho-Corasick automata once. It must not look at documents.

use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::path::{Path, PathBuf};

use aho_corasick::automaton::Automaton as _;
use aho_corasick::automaton::StateID;
use aho_corasick::{
    AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, MatchKind, StartKind,
};
use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::model::{Entity, EntityId, EntityKind, RelationKind};

/// Error for a resource directory that cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum ResourceError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file is malformed beyond line-level recovery (e.g. invalid TOML).
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The directory holds no gazetteer file or no pattern file.
    #[error("{path}: {message}")]
    Missing {
        /// The directory.
        path: PathBuf,
        /// What is missing.
        message: String,
    },
}

/// How the case of a surface form must match the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseRule {
    /// Byte-exact (acronyms: `EU`, `IOM`).
    Exact,
    /// Any case, but the first letter must be upper case in the text (`Egypt`, `Libyan coast guard`).
    InitialUpper,
    /// Any case (aliases written lower-case in the gazetteer: `member states`).
    Any,
}

/// What a surface form denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SurfaceKind {
    /// A name or alias of the entry.
    Name,
    /// A demonym of a country ("Nigerien"); a mention only in certain contexts.
    Demonym,
    /// A city, island or site that stands for its country.
    Place,
}

/// One string the gazetteer automaton looks for.
#[derive(Debug, Clone)]
pub(crate) struct Surface {
    /// Index into [`Resources::entries`].
    pub(crate) entry: usize,
    /// What the string denotes.
    pub(crate) kind: SurfaceKind,
    /// How case must match.
    pub(crate) case: CaseRule,
    /// The string as written in the gazetteer.
    pub(crate) text: String,
}

/// A gazetteer entry: an entity and, for missions, the place it works in.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The entity.
    pub(crate) entity: Entity,
    /// Canonical name of the place a mission or office operates in.
    pub(crate) place: Option<String>,
    /// For office holders: canonical name of the body they belong to and act for.
    pub(crate) member_of: Option<String>,
}

/// A role title that introduces a person ("Commissioner", "MEP", "spokeswoman").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoleSpec {
    /// Title phrases, matched case-insensitively at word boundaries.
    pub(crate) titles: Vec<String>,
    /// Canonical name of the body the title denotes (`European Commission`), or
    /// `"country"` (the demonym before the title names it) or `"org"` (the
    /// organisation named next to the title).
    pub(crate) body: String,
    /// Whether the person gets `memberOf` the body.
    #[serde(default)]
    pub(crate) member: bool,
    /// Whether the person acts for the body in relations (an office holder).
    #[serde(default)]
    pub(crate) acts_for_body: bool,
}

/// Cue words that type a capitalised name ("Consulting" → Company).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CueSpec {
    /// Capitalised cue words or phrases (`Working Party`, `Institute`).
    pub(crate) words: Vec<String>,
    /// Entity type name from the guide.
    #[serde(rename = "type")]
    pub(crate) kind: String,
}

/// Word lists that drive mention finding and filtering.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Lexicon {
    /// Words after a demonym that make it the state ("government", "junta").
    #[serde(default)]
    pub(crate) government_words: Vec<String>,
    /// Words after a demonym that make it a nationality ("migrants", "nationals").
    #[serde(default)]
    pub(crate) nationality_nouns: Vec<String>,
    /// Words after a demonym that make it a place of the country ("islands", "coast").
    #[serde(default)]
    pub(crate) place_nouns: Vec<String>,
    /// Capitalised nouns after a demonym that name a state body ("Coast Guard", "Navy").
    #[serde(default)]
    pub(crate) authority_nouns: Vec<String>,
    /// Verbs that make the mention before them a source, not an argument ("reports").
    #[serde(default)]
    pub(crate) reporting_verbs: Vec<String>,
    /// Cues before a trigger that make the statement hypothetical or negated.
    #[serde(default)]
    pub(crate) hypothetical: Vec<String>,
    /// Cues after a trigger (same clause) that cancel it ("ended", "halted").
    #[serde(default)]
    pub(crate) cancel_after: Vec<String>,
    /// How many words before a trigger the hypothetical cues are looked for.
    #[serde(default = "default_window")]
    pub(crate) hypothetical_window: usize,
    /// Words that make a sentence about money (`funds` needs one).
    #[serde(default)]
    pub(crate) money_words: Vec<String>,
    /// Words that make an amount a price, not funding ("price", "fee").
    #[serde(default)]
    pub(crate) money_exclude: Vec<String>,
    /// Words that name a meeting ("meeting", "hearing").
    #[serde(default)]
    pub(crate) meeting_words: Vec<String>,
    /// Nouns that follow a project name ("project", "initiative").
    #[serde(default)]
    pub(crate) project_nouns: Vec<String>,
    /// Lower-case nouns after or before a name that make it an NGO ("group", "charity").
    #[serde(default)]
    pub(crate) group_nouns: Vec<String>,
    /// Lower-case nouns naming an organisation's own body after a possessive
    /// ("Frontex's management board" → Frontex Management Board).
    #[serde(default)]
    pub(crate) body_nouns: Vec<String>,
    /// Capitalised words that belong to a title, not to a name ("Home", "Affairs").
    #[serde(default)]
    pub(crate) title_words: Vec<String>,
    /// Honorifics and ranks dropped from person names ("Brigadier", "Dr").
    #[serde(default)]
    pub(crate) honorifics: Vec<String>,
    /// Role titles.
    #[serde(default)]
    pub(crate) role: Vec<RoleSpec>,
    /// Cue words.
    #[serde(default)]
    pub(crate) cue: Vec<CueSpec>,
}

fn default_window() -> usize {
    6
}

/// One relation rule as written in the pattern file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSpec {
    /// Stable rule id (`funds.money-for`), reported in evidence.
    pub(crate) id: String,
    /// Relation name from the guide.
    pub(crate) relation: String,
    /// Trigger words or phrases; a trailing `*` matches any word ending.
    pub(crate) triggers: Vec<String>,
    /// How the subject is found, tried in order.
    #[serde(default)]
    pub(crate) subject: Vec<String>,
    /// How the object is found, tried in order.
    #[serde(default)]
    pub(crate) object: Vec<String>,
    /// Allowed subject types (empty: any).
    #[serde(default)]
    pub(crate) subject_types: Vec<String>,
    /// Allowed object types (empty: any).
    #[serde(default)]
    pub(crate) object_types: Vec<String>,
    /// Prepositions one of which must stand just before a right-hand object.
    #[serde(default)]
    pub(crate) object_preps: Vec<String>,
    /// Whether coordinated objects ("X, Y and Z") all count.
    #[serde(default)]
    pub(crate) multi_object: bool,
    /// Whether every allowed mention to the right in the sentence is an object
    /// ("EU-funded programmes …, including A, a €8m B and the C project").
    #[serde(default)]
    pub(crate) all_objects: bool,
    /// Whether every allowed mention to the right in the sentence is a subject
    /// ("programmes in Africa, including A and B" → A, B operate in Africa).
    #[serde(default)]
    pub(crate) all_subjects: bool,
    /// Whether coordinated subjects found to the right ("presentations from X and Y") all count.
    #[serde(default)]
    pub(crate) multi_subject: bool,
    /// Whether the object must be a meeting body (a working party, committee,
    /// presidency, council: what presentations are given to).
    #[serde(default)]
    pub(crate) object_body: bool,
    /// Whether the subject must be a meeting body (what discusses things).
    #[serde(default)]
    pub(crate) subject_body: bool,
    /// Whether the sentence must contain a money word or amount.
    #[serde(default)]
    pub(crate) needs_money: bool,
    /// For `pair`: only a pair after the trigger counts ("a meeting between A
    /// and B", not "A and B at its meeting").
    #[serde(default)]
    pub(crate) pair_after: bool,
    /// Whether the rule only fires when the sentence has an agreement word.
    #[serde(default)]
    pub(crate) needs_words: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternFile {
    #[serde(default)]
    lexicon: Option<Lexicon>,
    #[serde(default)]
    rule: Vec<RuleSpec>,
}

/// How an argument of a rule is found in the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArgFinder {
    /// The mention written right before the trigger ("EU-funded", "EU visa restrictions").
    Modifier,
    /// The nearest allowed mention to the left, in the same clause.
    Left,
    /// The first allowed mention of the sentence (its grammatical subject, mostly).
    First,
    /// The nearest allowed mention to the right, in the same clause.
    Right,
    /// The first mention after "by" to the right (passive agent).
    By,
    /// The first mention after "from" to the right (origin of a return).
    From,
    /// "A and B" / "between A and B" before or around the trigger: A (subject) or B (object).
    Pair,
    /// Any mention left of the trigger other than the other argument.
    LeftOther,
    /// The body holding the current meeting (from an earlier sentence).
    Context,
    /// The European Union (unnamed EU side).
    Eu,
    /// The place a mission to the right works in.
    MissionPlace,
    /// The subject of the previous sentence ("The programme …", "It …").
    Previous,
    /// The two halves of a hyphenated pair before the trigger ("EU-Turkey deal"):
    /// the first half as subject, the second as object.
    Compound,
    /// The mention right after the trigger ("’s Working Party", "of the Council").
    Next,
    /// A name apposed to a short lower-case noun phrase after the trigger
    /// ("’s humanitarian arm, DG ECHO").
    Apposed,
}

impl ArgFinder {
    fn parse(s: &str) -> Option<ArgFinder> {
        Some(match s {
            "modifier" => ArgFinder::Modifier,
            "left" => ArgFinder::Left,
            "first" => ArgFinder::First,
            "right" => ArgFinder::Right,
            "by" => ArgFinder::By,
            "from" => ArgFinder::From,
            "pair" => ArgFinder::Pair,
            "left-other" => ArgFinder::LeftOther,
            "context" => ArgFinder::Context,
            "eu" => ArgFinder::Eu,
            "mission-place" => ArgFinder::MissionPlace,
            "previous" => ArgFinder::Previous,
            "compound" => ArgFinder::Compound,
            "next" => ArgFinder::Next,
            "apposed" => ArgFinder::Apposed,
            _ => return None,
        })
    }
}

/// A compiled relation rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) id: String,
    pub(crate) relation: RelationKind,
    pub(crate) subject: Vec<ArgFinder>,
    pub(crate) object: Vec<ArgFinder>,
    pub(crate) subject_types: Vec<EntityKind>,
    pub(crate) object_types: Vec<EntityKind>,
    pub(crate) object_preps: Vec<String>,
    pub(crate) multi_object: bool,
    pub(crate) multi_subject: bool,
    pub(crate) all_objects: bool,
    pub(crate) all_subjects: bool,
    pub(crate) object_body: bool,
    pub(crate) subject_body: bool,
    pub(crate) needs_money: bool,
    pub(crate) pair_after: bool,
    pub(crate) needs_words: Vec<String>,
}

/// A word list for "does this text hold one of these words" tests at word
/// boundaries. Its words are searched by the document [`Scanner`].
#[derive(Debug, Clone)]
pub(crate) struct CueSet {
    /// The searched forms, in pattern order.
    pats: Vec<String>,
    /// Whether a form counts only as written (the scanner ignores ASCII case,
    /// so these are checked on each occurrence).
    case_sensitive: bool,
    /// Per pattern: whether it is a prefix (`fund*`: any word ending).
    prefix: Vec<bool>,
    /// Per pattern: whether it is the capitalised form of a lower-case cue,
    /// which only counts at the start of the searched text ("Could …").
    capital: Vec<bool>,
}

impl CueSet {
    /// Reads `list`. Case-sensitive sets match the cue as written (so "may"
    /// does not match the month "May") plus its capitalised form at the start.
    fn new(list: &[String], case_sensitive: bool) -> CueSet {
        let mut pats = Vec::new();
        let mut prefix = Vec::new();
        let mut capital = Vec::new();
        for cue in list {
            let (text, pre) = match cue.strip_suffix('*') {
                Some(p) => (p.to_owned(), true),
                None => (cue.clone(), false),
            };
            if text.is_empty() {
                continue;
            }
            pats.push(text.clone());
            prefix.push(pre);
            capital.push(false);
            if case_sensitive && text.starts_with(|c: char| c.is_lowercase()) {
                let mut cap = text.clone();
                if let Some(f) = cap.get_mut(0..1) {
                    f.make_ascii_uppercase();
                }
                pats.push(cap);
                prefix.push(pre);
                capital.push(true);
            }
        }
        CueSet { pats, case_sensitive, prefix, capital }
    }

    /// Whether `slice`, found case-insensitively for pattern `i`, counts.
    fn case_ok(&self, slice: &str, i: usize) -> bool {
        !self.case_sensitive || self.pats.get(i).is_some_and(|p| p == slice)
    }

    /// The occurrences of this set among a document's scan hits.
    pub(crate) fn hits(&self, hits: Hits) -> CueHits<'_> {
        CueHits { set: self, hits }
    }
}

/// The occurrences of one [`CueSet`] in a document, found by the one
/// [`Scanner`] pass over the whole text, so that the many per-clause
/// questions the relation rules ask ("is there a hypothetical cue in these
/// words?") cost a binary search instead of a new search each.
///
/// Answers are the same as a search of the span's own text: an overlapping
/// search reports every occurrence of every cue, so the occurrences inside a
/// span are exactly those a search of the span alone would report, in the
/// same order (by end, then longest first), and the word-boundary tests
/// treat the span's edges as word boundaries.
#[derive(Debug)]
pub(crate) struct CueHits<'s> {
    set: &'s CueSet,
    /// `(start, end, cue)` in the automaton's report order: ends never decrease.
    hits: Hits,
}

impl CueHits<'_> {
    /// Word-bounded cue occurrences inside `text[lo..hi]` as absolute byte
    /// ranges; capitalised forms of case-sensitive cues only at `lo` when
    /// `start_ok`. `text` must be the text the hits were scanned from.
    pub(crate) fn matches<'a>(
        &'a self,
        text: &'a str,
        lo: usize,
        hi: usize,
        start_ok: bool,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        // Occurrences end after `lo` (cues are never empty) and by `hi`.
        let from = self.hits.partition_point(|h| h.1 <= lo);
        let to = self.hits.partition_point(|h| h.1 <= hi).max(from);
        self.hits[from..to].iter().filter_map(move |&(a, b, i)| {
            if a < lo {
                return None;
            }
            let before =
                a == lo || text[..a].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after = self.set.prefix.get(i).copied().unwrap_or(false)
                || b == hi
                || text[b..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            let cap_ok =
                !self.set.capital.get(i).copied().unwrap_or(false) || (start_ok && a == lo);
            (before && after && cap_ok).then_some((a, b))
        })
    }

    /// Whether `text[lo..hi]` holds one of the cues.
    pub(crate) fn any(&self, text: &str, lo: usize, hi: usize, start_ok: bool) -> bool {
        self.matches(text, lo, hi, start_ok).next().is_some()
    }
}

/// Raw pattern occurrences `(start, end, index in its list)` in a document, in
/// the automaton's report order (ends never decrease), word boundaries not
/// yet checked.
pub(crate) type Hits = Vec<(usize, usize, usize)>;

/// The lists the document scanner searches for at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScanList {
    Gazetteer,
    Role,
    Trigger,
    Hypothetical,
    CancelAfter,
    Money,
    MoneyExclude,
    Meeting,
}

/// One automaton over every phrase list that is searched for in the whole
/// text of each document: gazetteer surfaces, role titles, rule triggers and
/// the cue-word lists. One pass over a document finds them all, where one
/// automaton per list would walk the text once per list.
///
/// Matching ignores ASCII case (the folded alphabet, [`FOLD`], has none), as
/// every list but the hypothetical cues does; those are checked against their
/// written form.
/// An overlapping search reports every occurrence of every pattern, and the
/// occurrences of one list come out in the order a search for that list
/// alone would report them (by end, then longest first), so splitting the
/// hits by list changes nothing downstream.
#[derive(Debug, Clone)]
pub(crate) struct Scanner {
    /// The automaton over the folded phrases ([`fold_code`]).
    dfa: aho_corasick::dfa::DFA,
    /// Per automaton pattern: its list and its index there.
    origin: Vec<(ScanList, usize)>,
    /// Per automaton pattern: its written bytes when folding loses more than
    /// ASCII case (it holds a byte other than a letter or a space), so that
    /// an occurrence of the folded phrase is checked against the text.
    verify: Vec<Option<Box<[u8]>>>,
}

/// The folded code of each byte: the automaton reads text through it.
///
/// The phrase lists hold about a hundred distinct bytes (upper and lower
/// case letters, digits, punctuation, the bytes of accented letters), so an
/// automaton over raw bytes has rows of 128 entries or more and a table far
/// larger than the core's caches; its walk waits on memory. Folded to 31
/// codes (letters without case, the space, other ASCII, UTF-8 lead bytes,
/// UTF-8 continuation bytes, the rest), the rows hold 32 entries. Folding is
/// exact for phrases of letters and spaces, which the automaton matched
/// ignoring ASCII case anyway; a phrase with any other byte is checked
/// against the text where the folded automaton finds it.
const FOLD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = fold_code(b as u8);
        b += 1;
    }
    t
};

const fn fold_code(b: u8) -> u8 {
    match b {
        b'a'..=b'z' => b - b'a' + 1,
        b'A'..=b'Z' => b - b'A' + 1,
        b' ' => 27,
        0x21..=0x7E => 28,
        0xC0..=0xFF => 29,
        0x80..=0xBF => 30,
        // Control bytes: no phrase writes one, and none of the codes above.
        _ => 0,
    }
}

/// Whether folding keeps all of a phrase but its ASCII case.
fn folds_exactly(pattern: &[u8]) -> bool {
    pattern.iter().all(|b| b.is_ascii_alphabetic() || *b == b' ')
}

/// What one pass of the [`Scanner`] found in a document, split by list.
#[derive(Debug, Default)]
pub(crate) struct DocScan {
    pub(crate) gazetteer: Hits,
    pub(crate) role: Hits,
    pub(crate) trigger: Hits,
    pub(crate) hypothetical: Hits,
    pub(crate) cancel_after: Hits,
    pub(crate) money: Hits,
    pub(crate) money_exclude: Hits,
    pub(crate) meeting: Hits,
}

impl Resources {
    /// Finds every phrase of every scanned list in `text`, in one pass.
    ///
    /// The occurrences come out in the order of the crate's overlapping
    /// search: by end, and at one end in the order of the state's match list.
    pub(crate) fn scan(&self, text: &str) -> DocScan {
        let mut out = DocScan::default();
        let lanes = if text.len() < LANE_MIN { 1 } else { LANES };
        self.scanner.each_occurrence(text, lanes, |start, end, pid| {
            let Some(&(list, i)) = self.scanner.origin.get(pid) else {
                return;
            };
            let hit = (start, end, i);
            let dest = match list {
                ScanList::Gazetteer => &mut out.gazetteer,
                ScanList::Role => &mut out.role,
                ScanList::Trigger => &mut out.trigger,
                ScanList::Hypothetical => {
                    if !self.cues.hypothetical.case_ok(&text[start..end], i) {
                        return;
                    }
                    &mut out.hypothetical
                }
                ScanList::CancelAfter => &mut out.cancel_after,
                ScanList::Money => &mut out.money,
                ScanList::MoneyExclude => &mut out.money_exclude,
                ScanList::Meeting => &mut out.meeting,
            };
            dest.push(hit);
        });
        out
    }
}

/// Texts shorter than this are walked in one lane.
const LANE_MIN: usize = 4096;

impl Scanner {
    /// Calls `f(start, end, pattern)` for every occurrence of every phrase
    /// in `text`, walking it in `lanes` lanes (1 to [`LANES`]), in the order
    /// of an overlapping search: by end, and at one end in the order of the
    /// state's match list (longest first, then pattern order).
    fn each_occurrence(&self, text: &str, lanes: usize, mut f: impl FnMut(usize, usize, usize)) {
        let dfa = &self.dfa;
        for (end, sid) in self.walk(text.as_bytes(), lanes) {
            for k in 0..dfa.match_len(sid) {
                let pid = dfa.match_pattern(sid, k).as_usize();
                let start = end - dfa.pattern_len(dfa.match_pattern(sid, k));
                // The folded phrase is here; the written one, if it differs.
                if let Some(Some(written)) = self.verify.get(pid)
                    && !text.as_bytes()[start..end].eq_ignore_ascii_case(written)
                {
                    continue;
                }
                f(start, end, pid);
            }
        }
    }

    /// The automaton's match states along `bytes` (folded byte by byte), as
    /// `(end, state)` in text order, walked in `lanes` lanes (1 to [`LANES`]).
    ///
    /// The walk is a chain of dependent table reads, one per byte, and the
    /// table is larger than the core's caches, so one walk waits on memory
    /// most of the time. The text is therefore cut into [`LANES`] segments
    /// walked in lock step, whose reads the CPU overlaps. The state after a
    /// byte depends only on the last `max_pattern_len` bytes (it stands for
    /// the longest suffix of the text read so far that begins a pattern), so
    /// a lane starts that many bytes before its segment, and what it finds
    /// there (the previous lane's) is dropped: the result is exactly that of
    /// one walk over the whole text.
    fn walk(&self, bytes: &[u8], lanes: usize) -> Vec<(usize, StateID)> {
        match lanes {
            0 | 1 => self.walk_lanes::<1>(bytes),
            2 => self.walk_lanes::<2>(bytes),
            3 => self.walk_lanes::<3>(bytes),
            _ => self.walk_lanes::<LANES>(bytes),
        }
    }

    /// [`Scanner::walk`] in `L` lanes.
    fn walk_lanes<const L: usize>(&self, bytes: &[u8]) -> Vec<(usize, StateID)> {
        let dfa = &self.dfa;
        let n = bytes.len();
        // About one match state every eight bytes of prose: room up front.
        let mut found = Vec::with_capacity(n / 8);
        let Ok(start) = dfa.start_state(Anchored::No) else {
            return found;
        };
        let warm = dfa.max_pattern_len();
        // Lane `l` reads `bytes[from[l]..cut[l + 1]]` and keeps what ends
        // after `cut[l]`.
        let cut: Vec<usize> = (0..=L).map(|l| n * l / L).collect();
        let from: [usize; L] = std::array::from_fn(|l| cut[l].saturating_sub(warm));
        let lane: [&[u8]; L] = std::array::from_fn(|l| &bytes[from[l]..cut[l + 1]]);
        let mut sid = [start; L];
        let mut hits: [Vec<(usize, StateID)>; L] =
            std::array::from_fn(|l| Vec::with_capacity(lane[l].len() / 8));
        // Lock step over the shortest lane, then each lane on its own.
        let common = lane.iter().map(|b| b.len()).min().unwrap_or(0);
        #[expect(
            clippy::needless_range_loop,
            reason = "one step reads one byte of every lane, so the step indexes them all"
        )]
        for step in 0..common {
            for l in 0..L {
                let byte = lane[l][step];
                let s = dfa.next_state(Anchored::No, sid[l], FOLD[usize::from(byte)]);
                sid[l] = s;
                // Without a prefilter the special states are the dead state,
                // which an unanchored search never enters, and match states.
                if dfa.is_special(s) {
                    hits[l].push((from[l] + step + 1, s));
                }
            }
        }
        for l in 0..L {
            let mut s = sid[l];
            for (k, &byte) in lane[l].iter().enumerate().skip(common) {
                s = dfa.next_state(Anchored::No, s, FOLD[usize::from(byte)]);
                if dfa.is_special(s) {
                    hits[l].push((from[l] + k + 1, s));
                }
            }
        }
        for (l, lane_hits) in hits.iter().enumerate() {
            found.extend(lane_hits.iter().filter(|&&(end, s)| end > cut[l] && dfa.is_match(s)));
        }
        found
    }
}

/// Lanes of the document walk ([`Scanner::walk`]).
const LANES: usize = 4;

/// Builds the document scanner over the lists, in this order.
fn scanner(
    surfaces: &[String],
    roles: &[String],
    triggers: &[String],
    cues: &Cues,
) -> Result<Scanner, aho_corasick::BuildError> {
    let mut texts: Vec<Vec<u8>> = Vec::new();
    let mut origin = Vec::new();
    let mut verify = Vec::new();
    let lists: [(ScanList, Vec<&str>); 8] = [
        (ScanList::Gazetteer, surfaces.iter().map(String::as_str).collect()),
        (ScanList::Role, roles.iter().map(String::as_str).collect()),
        (ScanList::Trigger, triggers.iter().map(String::as_str).collect()),
        (ScanList::Hypothetical, cues.hypothetical.pats.iter().map(String::as_str).collect()),
        (ScanList::CancelAfter, cues.cancel_after.pats.iter().map(String::as_str).collect()),
        (ScanList::Money, cues.money.pats.iter().map(String::as_str).collect()),
        (ScanList::MoneyExclude, cues.money_exclude.pats.iter().map(String::as_str).collect()),
        (ScanList::Meeting, cues.meeting.pats.iter().map(String::as_str).collect()),
    ];
    for (list, pats) in lists {
        for (i, p) in pats.into_iter().enumerate() {
            // An empty phrase would match everywhere and makes the start
            // state a match state, which the walk does not expect.
            if p.is_empty() {
                continue;
            }
            texts.push(p.bytes().map(|b| FOLD[usize::from(b)]).collect());
            verify.push((!folds_exactly(p.as_bytes())).then(|| p.as_bytes().into()));
            origin.push((list, i));
        }
    }
    // No prefilter: the walk in [`Scanner::walk`] counts on start
    // states not being special.
    let dfa = aho_corasick::dfa::DFA::builder()
        .match_kind(MatchKind::Standard)
        .start_kind(StartKind::Unanchored)
        .prefilter(false)
        .build(&texts)?;
    Ok(Scanner { dfa, origin, verify })
}

/// The lexicon's word lists, compiled once.
#[derive(Debug, Clone)]
pub(crate) struct Cues {
    pub(crate) hypothetical: CueSet,
    pub(crate) cancel_after: CueSet,
    pub(crate) money: CueSet,
    pub(crate) money_exclude: CueSet,
    pub(crate) meeting: CueSet,
}

impl Cues {
    fn new(lx: &Lexicon) -> Cues {
        Cues {
            hypothetical: CueSet::new(&lx.hypothetical, true),
            cancel_after: CueSet::new(&lx.cancel_after, false),
            money: CueSet::new(&lx.money_words, false),
            money_exclude: CueSet::new(&lx.money_exclude, false),
            meeting: CueSet::new(&lx.meeting_words, false),
        }
    }
}

/// One trigger phrase of the trigger automaton.
#[derive(Debug, Clone)]
pub(crate) struct Trigger {
    /// Index into [`Resources::rules`].
    pub(crate) rule: usize,
    /// Whether the phrase is a prefix (`cooperat*`).
    pub(crate) prefix: bool,
}

/// The gazetteer and patterns, loaded once and shared by every extraction.
///
/// `Resources` is immutable after loading, so it is `Send + Sync` and can be
/// shared across threads behind a reference.
#[derive(Debug, Clone)]
pub struct Resources {
    pub(crate) entries: Vec<Entry>,
    pub(crate) by_id: HashMap<EntityId, usize>,
    pub(crate) surfaces: Vec<Surface>,
    pub(crate) lexicon: Lexicon,
    pub(crate) rules: Vec<Rule>,
    pub(crate) triggers: Vec<Trigger>,
    /// Role titles: scanned title index → role index.
    pub(crate) role_of_pattern: Vec<usize>,
    /// Cue words: automaton, pattern index → entity type.
    pub(crate) cue_ac: AhoCorasick,
    pub(crate) cue_kinds: Vec<EntityKind>,
    /// Index of the European Union entry.
    pub(crate) eu: Option<usize>,
    /// Compiled word lists.
    pub(crate) cues: Cues,
    /// The automaton over every list searched in whole documents.
    pub(crate) scanner: Scanner,
    /// Demonym → entry, for exact lookups of single words.
    pub(crate) demonyms: HashMap<String, usize>,
    /// Every gazetteer surface string, for "is this a known name" tests.
    pub(crate) surface_set: FxHashSet<String>,
    /// The lexicon's group nouns, asked of every word of a document.
    pub(crate) group_noun_set: WordSet,
    /// The lexicon's project nouns, asked of every word of a document.
    pub(crate) project_noun_set: WordSet,
}

/// Words compared ignoring ASCII case, as `eq_ignore_ascii_case` against each
/// word of a list: for short lists asked of every word of a document, where
/// a word's length and first byte rule out nearly every word before any
/// comparison.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordSet {
    words: Vec<String>,
    /// Bit `n` is set when a word of `n` bytes is listed (bit 63: 63 or more).
    lens: u64,
    /// Bit `b % 64` of word `b / 64` is set when a listed word starts with
    /// byte `b` in ASCII lower case.
    firsts: [u64; 4],
}

impl WordSet {
    pub(crate) fn new(list: &[String]) -> WordSet {
        let mut set = WordSet { words: list.to_vec(), ..WordSet::default() };
        for w in list {
            set.lens |= 1 << w.len().min(63);
            if let Some(&b) = w.as_bytes().first() {
                let b = usize::from(b.to_ascii_lowercase());
                set.firsts[b / 64] |= 1 << (b % 64);
            }
        }
        set
    }

    #[inline]
    pub(crate) fn contains(&self, w: &str) -> bool {
        let Some(&first) = w.as_bytes().first() else {
            return self.words.iter().any(String::is_empty);
        };
        let b = usize::from(first.to_ascii_lowercase());
        if self.lens >> w.len().min(63) & 1 == 0 || self.firsts[b / 64] >> (b % 64) & 1 == 0 {
            return false;
        }
        self.words.iter().any(|x| x.len() == w.len() && x.eq_ignore_ascii_case(w))
    }
}

/// A file handed to the loader: its name (for diagnostics) and its text.
struct SourceFile {
    name: String,
    text: String,
}

impl Resources {
    /// Loads every file under `dir` (the `ontology/` directory): `gazetteer/*.tsv`,
    /// `patterns.toml` and `patterns/*.toml`.
    ///
    /// Bad dictionary lines become diagnostics (with file and line) and the rest
    /// still loads; unreadable files and invalid TOML are errors.
    pub fn load(dir: &Path) -> Result<(Resources, Vec<Diagnostic>), ResourceError> {
        let gaz_dir = dir.join("gazetteer");
        let gazetteer = read_dir_files(&gaz_dir, "tsv")?;
        if gazetteer.is_empty() {
            return Err(ResourceError::Missing {
                path: gaz_dir,
                message: "no gazetteer .tsv file found".into(),
            });
        }
        let mut patterns = Vec::new();
        let main = dir.join("patterns.toml");
        if main.is_file() {
            patterns.push(read_file(&main)?);
        }
        let extra = dir.join("patterns");
        if extra.is_dir() {
            patterns.extend(read_dir_files(&extra, "toml")?);
        }
        if patterns.is_empty() {
            return Err(ResourceError::Missing {
                path: dir.to_path_buf(),
                message: "no patterns.toml or patterns/*.toml found".into(),
            });
        }
        build(&gazetteer, &patterns)
    }

    /// The resources compiled into the binary: the repository's `ontology/` files,
    /// included at build time. Used when no ontology directory is given or found.
    pub fn builtin() -> (Resources, Vec<Diagnostic>) {
        let gazetteer = [
            SourceFile {
                name: "ontology/gazetteer/countries.tsv".into(),
                text: include_str!("../../../../ontology/gazetteer/countries.tsv").into(),
            },
            SourceFile {
                name: "ontology/gazetteer/entities.tsv".into(),
                text: include_str!("../../../../ontology/gazetteer/entities.tsv").into(),
            },
            SourceFile {
                name: "ontology/gazetteer/places.tsv".into(),
                text: include_str!("../../../../ontology/gazetteer/places.tsv").into(),
            },
        ];
        let patterns = [SourceFile {
            name: "ontology/patterns.toml".into(),
            text: include_str!("../../../../ontology/patterns.toml").into(),
        }];
        match build(&gazetteer, &patterns) {
            Ok(r) => r,
            Err(e) => {
                // The built-in files are tested; should they ever fail, extraction
                // still runs with an empty resource set and says why.
                let diag =
                    Diagnostic::error("ontology", format!("built-in resources unusable: {e}"));
                (Resources::empty(), vec![diag])
            }
        }
    }

    fn empty() -> Resources {
        // An automaton over no patterns has nothing that could fail to build.
        let empty_ac = || AhoCorasick::new(Vec::<&str>::new()).expect("empty automaton builds");
        Resources {
            entries: Vec::new(),
            by_id: HashMap::default(),
            surfaces: Vec::new(),
            lexicon: Lexicon::default(),
            rules: Vec::new(),
            triggers: Vec::new(),
            role_of_pattern: Vec::new(),
            cue_ac: empty_ac(),
            cue_kinds: Vec::new(),
            eu: None,
            cues: Cues::new(&Lexicon::default()),
            scanner: scanner(&[], &[], &[], &Cues::new(&Lexicon::default()))
                .expect("empty automaton builds"),
            demonyms: HashMap::default(),
            surface_set: FxHashSet::default(),
            group_noun_set: WordSet::default(),
            project_noun_set: WordSet::default(),
        }
    }

    /// Number of gazetteer entities.
    pub fn entity_count(&self) -> usize {
        self.entries.len()
    }

    /// Number of relation rules.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The gazetteer entity with this id, if any.
    pub fn entity(&self, id: &EntityId) -> Option<&Entity> {
        self.by_id.get(id).map(|&i| &self.entries[i].entity)
    }

    /// The body a gazetteer office holder belongs to and acts for.
    pub(crate) fn member_of(&self, id: &EntityId) -> Option<EntityId> {
        let i = *self.by_id.get(id)?;
        self.entries[i].member_of.as_deref().map(EntityId::from_name)
    }

    /// The place (country or region) a gazetteer mission or office works in.
    pub(crate) fn place_of(&self, id: &EntityId) -> Option<EntityId> {
        let i = *self.by_id.get(id)?;
        self.entries[i].place.as_deref().map(EntityId::from_name)
    }
}

fn read_file(path: &Path) -> Result<SourceFile, ResourceError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ResourceError::Io { path: path.to_path_buf(), source })?;
    Ok(SourceFile { name: path.display().to_string(), text })
}

fn read_dir_files(dir: &Path, ext: &str) -> Result<Vec<SourceFile>, ResourceError> {
    let rd = std::fs::read_dir(dir)
        .map_err(|source| ResourceError::Io { path: dir.to_path_buf(), source })?;
    let mut paths = Vec::new();
    for e in rd {
        let e = e.map_err(|source| ResourceError::Io { path: dir.to_path_buf(), source })?;
        let p = e.path();
        if p.extension().and_then(|x| x.to_str()) == Some(ext) {
            paths.push(p);
        }
    }
    // Sorted so that the load order, and therefore which duplicate wins, is stable.
    paths.sort();
    paths.iter().map(|p| read_file(p)).collect()
}

/// Builder state shared by the gazetteer file readers.
#[derive(Default)]
struct GazBuilder {
    entries: Vec<Entry>,
    by_id: HashMap<EntityId, usize>,
    surfaces: Vec<Surface>,
    /// Place surfaces waiting for their country to be known (file, line, place, country).
    pending_places: Vec<(String, usize, String, String)>,
}

impl GazBuilder {
    fn add_entry(
        &mut self,
        entity: Entity,
        place: Option<String>,
        member_of: Option<String>,
    ) -> usize {
        if let Some(&i) = self.by_id.get(&entity.id) {
            // A later file extends an entry instead of duplicating it.
            let e = &mut self.entries[i];
            for a in entity.aliases {
                if !e.entity.aliases.contains(&a) {
                    e.entity.aliases.push(a);
                }
            }
            if e.place.is_none() {
                e.place = place;
            }
            if e.member_of.is_none() {
                e.member_of = member_of;
            }
            return i;
        }
        let i = self.entries.len();
        self.by_id.insert(entity.id.clone(), i);
        self.entries.push(Entry { entity, place, member_of });
        i
    }

    fn add_surface(&mut self, entry: usize, text: &str, kind: SurfaceKind) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let case = case_rule(text);
        self.surfaces.push(Surface { entry, kind, case, text: text.to_owned() });
        // Names with a straight apostrophe also match the typographic one.
        if text.contains('\'') {
            let curly = text.replace('\'', "’");
            self.surfaces.push(Surface { entry, kind, case, text: curly });
        }
    }
}

/// Acronyms and other all-capital forms match exactly; names written with a
/// capital must start with one in the text; lower-case aliases match any case.
fn case_rule(text: &str) -> CaseRule {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let first_word = text.split_whitespace().next().unwrap_or("");
    let short_caps = first_word.chars().filter(|c| c.is_uppercase()).count() >= 2;
    if upper == letters.len() || (short_caps && !text.contains(' ')) {
        CaseRule::Exact
    } else if text.chars().next().is_some_and(|c| c.is_uppercase()) {
        CaseRule::InitialUpper
    } else {
        CaseRule::Any
    }
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|x| !x.is_empty())
}

/// Reads one gazetteer TSV, choosing the format by its header.
fn read_gazetteer(file: &SourceFile, b: &mut GazBuilder, diags: &mut Vec<Diagnostic>) {
    let mut lines = file.text.lines().enumerate();
    let Some((_, header)) = lines.next() else {
        diags.push(Diagnostic::warning(&file.name, "empty gazetteer file"));
        return;
    };
    let cols: Vec<&str> = header.split('\t').map(str::trim).collect();
    let col = |name: &str| cols.iter().position(|c| *c == name);
    let (Some(name_col), type_col, iso_col, place_col, country_col) =
        (col("name"), col("type"), col("iso2"), col("place"), col("country"))
    else {
        diags.push(
            Diagnostic::error(&file.name, "header has no `name` column; file skipped").at_line(1),
        );
        return;
    };
    let format_places = country_col.is_some() && type_col.is_none() && iso_col.is_none();
    for (idx, line) in lines {
        let lineno = idx + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let get = |c: Option<usize>| c.and_then(|c| fields.get(c)).map(|s| s.trim()).unwrap_or("");
        let name = get(Some(name_col));
        if name.is_empty() || fields.len() < cols.len().min(2) {
            diags.push(
                Diagnostic::warning(&file.name, "line has no name or too few columns; skipped")
                    .at_line(lineno),
            );
            continue;
        }
        if format_places {
            let country = get(country_col);
            if country.is_empty() {
                diags.push(
                    Diagnostic::warning(
                        &file.name,
                        format!("place {name:?} has no country; skipped"),
                    )
                    .at_line(lineno),
                );
                continue;
            }
            b.pending_places.push((file.name.clone(), lineno, name.to_owned(), country.to_owned()));
            continue;
        }
        let kind = if iso_col.is_some() && type_col.is_none() {
            EntityKind::Country
        } else {
            match get(type_col).parse::<EntityKind>() {
                Ok(k) => k,
                Err(e) => {
                    diags.push(
                        Diagnostic::warning(&file.name, format!("{e}; line skipped"))
                            .at_line(lineno),
                    );
                    continue;
                }
            }
        };
        let origin = format!("gazetteer:{}", file.name.rsplit('/').next().unwrap_or(&file.name));
        let mut entity = Entity::new(name, kind, &origin);
        let wikidata = get(col("wikidata"));
        if !wikidata.is_empty() {
            if wikidata.starts_with('Q') && wikidata[1..].chars().all(|c| c.is_ascii_digit()) {
                entity.wikidata = Some(wikidata.to_owned());
            } else {
                diags.push(
                    Diagnostic::warning(
                        &file.name,
                        format!("bad wikidata id {wikidata:?}; ignored"),
                    )
                    .at_line(lineno),
                );
            }
        }
        let iso2 = get(iso_col);
        if !iso2.is_empty() {
            entity.iso2 = Some(iso2.to_owned());
        }
        let iso3 = get(col("iso3"));
        if !iso3.is_empty() {
            entity.iso3 = Some(iso3.to_owned());
        }
        let mut names: Vec<String> = split_list(get(col("aliases"))).map(str::to_owned).collect();
        let official = get(col("official_name"));
        if !official.is_empty() && !names.iter().any(|n| n == official) {
            names.push(official.to_owned());
        }
        entity.aliases = names.clone();
        let place = Some(get(place_col)).filter(|p| !p.is_empty()).map(str::to_owned);
        let member_of = Some(get(col("member_of"))).filter(|p| !p.is_empty()).map(str::to_owned);
        let entry = b.add_entry(entity, place, member_of);
        b.add_surface(entry, name, SurfaceKind::Name);
        for n in &names {
            b.add_surface(entry, n, SurfaceKind::Name);
        }
        // ISO codes are stored on the entity but not matched: in running text they
        // collide with ordinary words and acronyms ("IT", "CAN", "NER").
        for d in split_list(get(col("demonyms"))) {
            b.add_surface(entry, d, SurfaceKind::Demonym);
        }
    }
}

fn line_of_offset(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|&c| c == b'\n').count() + 1
}

fn line_of_rule(text: &str, id: &str) -> usize {
    let needle = format!("\"{id}\"");
    text.find(&needle).map(|o| line_of_offset(text, o)).unwrap_or(1)
}

fn parse_kinds(
    names: &[String],
    file: &SourceFile,
    id: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<EntityKind> {
    let mut out = Vec::new();
    for n in names {
        match n.parse::<EntityKind>() {
            Ok(k) => out.push(k),
            Err(e) => diags.push(
                Diagnostic::warning(&file.name, format!("rule {id}: {e}; type ignored"))
                    .at_line(line_of_rule(&file.text, id)),
            ),
        }
    }
    out
}

fn build(
    gazetteer: &[SourceFile],
    patterns: &[SourceFile],
) -> Result<(Resources, Vec<Diagnostic>), ResourceError> {
    let mut diags = Vec::new();
    let mut b = GazBuilder::default();
    for f in gazetteer {
        read_gazetteer(f, &mut b, &mut diags);
    }
    for (file, line, place, country) in std::mem::take(&mut b.pending_places) {
        match b.by_id.get(&EntityId::from_name(&country)) {
            Some(&i) => b.add_surface(i, &place, SurfaceKind::Place),
            None => diags.push(
                Diagnostic::warning(
                    &file,
                    format!("place {place:?}: unknown country {country:?}; skipped"),
                )
                .at_line(line),
            ),
        }
    }
    // Check places and bodies against the gazetteer so a typo is reported, not silently lost.
    for e in &b.entries {
        for p in e.place.iter().chain(e.member_of.iter()) {
            if !b.by_id.contains_key(&EntityId::from_name(p)) {
                diags.push(Diagnostic::warning(
                    "gazetteer",
                    format!("{}: {p:?} is not a gazetteer entity", e.entity.name),
                ));
            }
        }
    }

    let mut lexicon = Lexicon { hypothetical_window: default_window(), ..Lexicon::default() };
    let mut rules = Vec::new();
    let mut trigger_texts: Vec<String> = Vec::new();
    let mut triggers = Vec::new();
    for f in patterns {
        let parsed: PatternFile = toml::from_str(&f.text).map_err(|e| ResourceError::Parse {
            path: PathBuf::from(&f.name),
            line: e.span().map(|s| line_of_offset(&f.text, s.start)).unwrap_or(1),
            message: e.message().trim().to_owned(),
        })?;
        if let Some(lx) = parsed.lexicon {
            merge_lexicon(&mut lexicon, lx);
        }
        for spec in parsed.rule {
            let line = line_of_rule(&f.text, &spec.id);
            let relation = match spec.relation.parse::<RelationKind>() {
                Ok(r) => r,
                Err(e) => {
                    diags.push(
                        Diagnostic::warning(
                            &f.name,
                            format!("rule {}: {e}; rule skipped", spec.id),
                        )
                        .at_line(line),
                    );
                    continue;
                }
            };
            let mut finders = |list: &[String], what: &str| -> Option<Vec<ArgFinder>> {
                let mut out = Vec::new();
                for s in list {
                    match ArgFinder::parse(s) {
                        Some(a) => out.push(a),
                        None => {
                            diags.push(
                                Diagnostic::warning(
                                    &f.name,
                                    format!(
                                        "rule {}: unknown {what} finder {s:?}; rule skipped",
                                        spec.id
                                    ),
                                )
                                .at_line(line),
                            );
                            return None;
                        }
                    }
                }
                Some(out)
            };
            let (Some(subject), Some(object)) =
                (finders(&spec.subject, "subject"), finders(&spec.object, "object"))
            else {
                continue;
            };
            if subject.is_empty() || object.is_empty() || spec.triggers.is_empty() {
                diags.push(
                    Diagnostic::warning(
                        &f.name,
                        format!(
                            "rule {}: needs triggers, subject and object; rule skipped",
                            spec.id
                        ),
                    )
                    .at_line(line),
                );
                continue;
            }
            let subject_types = parse_kinds(&spec.subject_types, f, &spec.id, &mut diags);
            let object_types = parse_kinds(&spec.object_types, f, &spec.id, &mut diags);
            let idx = rules.len();
            rules.push(Rule {
                id: spec.id.clone(),
                relation,
                subject,
                object,
                subject_types,
                object_types,
                object_preps: spec.object_preps.iter().map(|p| p.to_lowercase()).collect(),
                multi_object: spec.multi_object,
                multi_subject: spec.multi_subject,
                all_objects: spec.all_objects,
                all_subjects: spec.all_subjects,
                object_body: spec.object_body,
                subject_body: spec.subject_body,
                needs_money: spec.needs_money,
                pair_after: spec.pair_after,
                needs_words: spec.needs_words.iter().map(|p| p.to_lowercase()).collect(),
            });
            for t in &spec.triggers {
                let (text, prefix) = match t.strip_suffix('*') {
                    Some(p) => (p, true),
                    None => (t.as_str(), false),
                };
                let text = text.trim();
                if text.is_empty() {
                    continue;
                }
                trigger_texts.push(text.to_owned());
                triggers.push(Trigger { rule: idx, prefix });
                if text.contains('\'') {
                    trigger_texts.push(text.replace('\'', "’"));
                    triggers.push(Trigger { rule: idx, prefix });
                }
            }
        }
    }

    let ci = |pats: &[String]| -> Result<AhoCorasick, ResourceError> {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // A full DFA costs some memory once per process but searches
            // several times faster than the default NFA, and every document
            // runs these automata over all of its text.
            .kind(Some(AhoCorasickKind::DFA))
            .build(pats)
            .map_err(|e| ResourceError::Parse {
                path: PathBuf::from("ontology"),
                line: 1,
                message: format!("cannot build automaton: {e}"),
            })
    };
    let surface_texts: Vec<String> = b.surfaces.iter().map(|s| s.text.clone()).collect();
    let surface_set = surface_texts.iter().cloned().collect();
    let group_noun_set = WordSet::new(&lexicon.group_nouns);
    let project_noun_set = WordSet::new(&lexicon.project_nouns);
    let demonyms = b
        .surfaces
        .iter()
        .filter(|s| s.kind == SurfaceKind::Demonym)
        .map(|s| (s.text.clone(), s.entry))
        .collect();
    let mut role_texts = Vec::new();
    let mut role_of_pattern = Vec::new();
    for (i, r) in lexicon.role.iter().enumerate() {
        for t in &r.titles {
            role_texts.push(t.clone());
            role_of_pattern.push(i);
        }
    }
    let mut cue_texts = Vec::new();
    let mut cue_kinds = Vec::new();
    for c in &lexicon.cue {
        let kind = match c.kind.parse::<EntityKind>() {
            Ok(k) => k,
            Err(e) => {
                diags.push(Diagnostic::warning(
                    "patterns",
                    format!("cue {:?}: {e}; skipped", c.words),
                ));
                continue;
            }
        };
        for w in &c.words {
            cue_texts.push(w.clone());
            cue_kinds.push(kind);
        }
    }
    let cue_ac = ci(&cue_texts)?;
    let eu = b.by_id.get(&EntityId::from_name("European Union")).copied();
    let cues = Cues::new(&lexicon);
    let scanner = scanner(&surface_texts, &role_texts, &trigger_texts, &cues).map_err(|e| {
        ResourceError::Parse {
            path: PathBuf::from("ontology"),
            line: 1,
            message: format!("cannot build automaton: {e}"),
        }
    })?;
    tracing::debug!(
        entities = b.entries.len(),
        surfaces = b.surfaces.len(),
        rules = rules.len(),
        "resources loaded"
    );
    Ok((
        Resources {
            entries: b.entries,
            by_id: b.by_id,
            surfaces: b.surfaces,
            lexicon,
            rules,
            triggers,
            role_of_pattern,
            cue_ac,
            cue_kinds,
            eu,
            cues,
            scanner,
            demonyms,
            surface_set,
            group_noun_set,
            project_noun_set,
        },
        diags,
    ))
}

fn merge_lexicon(into: &mut Lexicon, from: Lexicon) {
    into.government_words.extend(from.government_words);
    into.nationality_nouns.extend(from.nationality_nouns);
    into.place_nouns.extend(from.place_nouns);
    into.authority_nouns.extend(from.authority_nouns);
    into.reporting_verbs.extend(from.reporting_verbs);
    into.hypothetical.extend(from.hypothetical);
    into.cancel_after.extend(from.cancel_after);
    into.money_words.extend(from.money_words);
    into.money_exclude.extend(from.money_exclude);
    into.meeting_words.extend(from.meeting_words);
    into.project_nouns.extend(from.project_nouns);
    into.group_nouns.extend(from.group_nouns);
    into.body_nouns.extend(from.body_nouns);
    into.title_words.extend(from.title_words);
    into.honorifics.extend(from.honorifics);
    into.role.extend(from.role);
    into.cue.extend(from.cue);
    if from.hypothetical_window != default_window() {
        into.hypothetical_window = from.hypothetical_window;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(start, end, pattern)` of every occurrence the walk with `lanes` lanes finds.
    fn occurrences(sc: &Scanner, text: &str, lanes: usize) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        sc.each_occurrence(text, lanes, |s, e, p| out.push((s, e, p)));
        out
    }

    #[test]
    fn lanes_find_what_one_overlapping_search_finds_in_its_order() {
        // Overlapping and nested phrases, one longer than the shortest lane,
        // so that occurrences straddle every cut between lanes.
        let long = "International Organisation for Cooperation on Mixed Migration Routes";
        // Phrases with digits, punctuation and accented letters fold to
        // codes they share with other text, which the check must reject.
        let pats: Vec<String> = [
            "EU",
            "European Union",
            "Union",
            "union for",
            "on",
            "Mixed",
            long,
            "G5",
            "G7",
            "Malmö",
            "Malmé",
            "u.n.",
            "(EU)",
            "Côte d’Ivoire",
            "d'Ivoire",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect();
        let sc = scanner(&pats, &[], &[], &Cues::new(&Lexicon::default())).unwrap();
        let reference = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&pats)
            .unwrap();
        let mut text = String::new();
        let mut k = 0u64;
        while text.len() < 3 * LANE_MIN {
            // A fixed pseudo-random mix of phrases, cut phrases and filler.
            k = k.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let p = &pats[(k >> 33) as usize % pats.len()];
            let cut = (1..=((k >> 20) as usize % (p.len() + 1)).max(1))
                .rev()
                .find(|&c| p.is_char_boundary(c))
                .unwrap_or(p.len());
            text.push_str(if k.is_multiple_of(3) { &p[..cut] } else { p });
            text.push_str(
                ["", " ", "é ", ", the ", "x", "ä", "3", "’", ".", "\n"][(k >> 40) as usize % 10],
            );
        }
        for len in [0, 1, 5, 97, LANE_MIN - 1, LANE_MIN, 2 * LANE_MIN + 13, text.len()] {
            let t = &text[..(0..=len).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)];
            let want: Vec<(usize, usize, usize)> = reference
                .find_overlapping_iter(t)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            assert!(len < 100 || want.len() > 10, "the text has occurrences");
            for lanes in 1..=LANES {
                assert_eq!(occurrences(&sc, t, lanes), want, "{lanes} lanes over {len} bytes");
            }
        }
    }
}
