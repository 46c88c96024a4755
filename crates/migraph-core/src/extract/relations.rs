//! Relation rules: from mentions and trigger phrases to typed, dated, sourced relations.
//!
//! Data-driven: each rule of the pattern file names its triggers, how to find
//! its subject and object around the trigger, and the types they must have.
//! A few ways of writing are built in because they are not tied to a trigger
//! word: amounts of money (`funds`), role titles (`memberOf`), missions named
//! after a place (`operatesIn`), possessive parts ("the Council’s working
//! party", `partOf`), and meetings whose holder and date carry over to the
//! following sentences and list items (`presentsTo`, `participatesIn`,
//! `discusses`). Negated, ended, hypothetical and questioned statements are
//! dropped. This module reads no files and never panics on any text.

use std::cell::OnceCell;

use super::mentions::{Found, Ment};
use super::resources::{ArgFinder, CueHits, DocScan, Resources, Rule};
use super::text::{
    Clauses, Tok, boundary_after, boundary_before, lower_contains, lower_is_one_of, possessive_gap,
    tight_gap, tokens,
};
use crate::ingest::Document;
use crate::model::{EntityId, EntityKind, Evidence, Money, Relation, RelationKind, When};
use memchr::memmem;
use std::sync::LazyLock;

/// A dated amount or date expression with document offsets.
#[derive(Debug, Clone)]
pub(crate) struct Located<T> {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) value: T,
}

/// The items of `v` (sorted by start) that lie within `[start, end)`, found by
/// binary search so that per-sentence lookups stay linear over a document.
fn within<T>(v: &[Located<T>], start: usize, end: usize) -> &[Located<T>] {
    let lo = v.partition_point(|x| x.start < start);
    let hi = v.partition_point(|x| x.start < end);
    &v[lo..hi.max(lo)]
}

/// What one document offers the rules.
pub(crate) struct DocFacts<'a> {
    pub(crate) doc: &'a Document,
    pub(crate) found: &'a Found,
    pub(crate) dates: Vec<Located<When>>,
    pub(crate) amounts: Vec<Located<Money>>,
    /// The lexicon's cue words in the document, found once.
    cues: DocCues<'a>,
    /// Trigger phrase occurrences `(start, end, trigger)`, found once, ends
    /// never decreasing (the automaton's report order).
    triggers: Vec<(usize, usize, usize)>,
}

impl<'a> DocFacts<'a> {
    /// Gathers the document's facts; the cue words and trigger phrases come
    /// from the document's one scanner pass ([`Resources::scan`]).
    pub(crate) fn new(
        doc: &'a Document,
        found: &'a Found,
        dates: Vec<Located<When>>,
        amounts: Vec<Located<Money>>,
        scan: DocScan,
        res: &'a Resources,
    ) -> DocFacts<'a> {
        let cues = DocCues {
            hypothetical: res.cues.hypothetical.hits(scan.hypothetical),
            cancel_after: res.cues.cancel_after.hits(scan.cancel_after),
            money: res.cues.money.hits(scan.money),
            money_exclude: res.cues.money_exclude.hits(scan.money_exclude),
            meeting: res.cues.meeting.hits(scan.meeting),
        };
        DocFacts { doc, found, dates, amounts, cues, triggers: scan.trigger }
    }
}

/// The lexicon's cue words found in one document (see [`CueHits`]).
struct DocCues<'r> {
    hypothetical: CueHits<'r>,
    cancel_after: CueHits<'r>,
    money: CueHits<'r>,
    money_exclude: CueHits<'r>,
    meeting: CueHits<'r>,
}

/// The meeting the current article is about: who holds it and when.
#[derive(Debug, Clone)]
struct Meeting {
    body: EntityId,
    when: Option<When>,
}

/// Per-article state carried from sentence to sentence.
#[derive(Debug, Default)]
struct Carry<'a> {
    article: usize,
    meeting: Option<Meeting>,
    /// A "will meet to discuss:" list in progress: its holder and date.
    listing: Option<Meeting>,
    /// First mentions of the last few sentences, newest last ("The programme …"
    /// refers to the latest suitable one).
    previous_first: Vec<&'a Ment>,
    /// Every mention of the previous sentence, in text order ("The same
    /// force …" refers to one of them by its type).
    previous_all: Vec<&'a Ment>,
    /// The latest person acting in office (for "I", "we", "he").
    speaker: Option<&'a Ment>,
}

struct Sent<'a> {
    start: usize,
    end: usize,
    article: usize,
    ms: Vec<&'a Ment>,
    clauses: Clauses,
    toks: std::borrow::Cow<'a, [Tok]>,
}

/// Runs every rule over every sentence of the document, in text order.
pub(crate) fn find(facts: &DocFacts<'_>, res: &Resources) -> Vec<Relation> {
    let doc = facts.doc;
    let text = doc.text.as_str();
    // Room for about one relation per sentence: the list then seldom moves.
    let mut out = Vec::with_capacity(doc.sentences.len());
    let mut carry = Carry::default();
    let (mut line_start, mut scanned) = (0, 0);
    let mentions = &facts.found.mentions;
    role_relations(facts, &mut out);
    for s in &doc.sentences {
        let (start, end) = (s.span.start.min(text.len()), s.span.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if s.article != carry.article {
            carry = Carry { article: s.article, ..Carry::default() };
        }
        let lo = mentions.partition_point(|m| m.start < start);
        let hi = mentions.partition_point(|m| m.start < end);
        let ms: Vec<&Ment> = mentions[lo..hi].iter().filter(|m| m.end <= end).collect();
        let sent = Sent {
            start,
            end,
            article: s.article,
            ms,
            clauses: Clauses::new(text, start, end),
            toks: sentence_tokens(text, &facts.found.toks, start, end),
        };
        let body = text[start..end].trim();
        let question = body.ends_with('?');
        // The line's start: the last line break between the previous
        // sentence and this one, if any (sentences come in text order, so
        // each stretch of text is searched once).
        if start < scanned {
            line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
        } else if let Some(p) = text[scanned..start].rfind('\n') {
            line_start = scanned + p + 1;
        }
        scanned = start;
        let item = is_list_item(text, line_start, start);
        if !item {
            carry.listing = None;
        }
        update_meeting(facts, &sent, &mut carry);
        if !question {
            mission_places(facts, res, &sent, &mut out);
            if let Some(l) = carry.listing.clone().filter(|_| item) {
                list_discusses(facts, &sent, &l, &mut out);
            }
            rule_hits(facts, res, &sent, &mut carry, &mut out);
            money_relations(facts, res, &sent, &carry, &mut out);
            co_financing(facts, res, &sent, &mut out);
        }
        carry.previous_all.clone_from(&sent.ms);
        if let Some(m) = sent.ms.first() {
            carry.previous_first.push(m);
            if carry.previous_first.len() > 3 {
                carry.previous_first.remove(0);
            }
        }
        if let Some(p) =
            sent.ms.iter().rev().find(|m| m.person.is_some() && m.kind != EntityKind::Person)
        {
            carry.speaker = Some(p);
        }
    }
    follow_up_dates(facts, &mut out);
    out
}

/// Passive co-financing: the funder follows the trigger.
const CO_FINANCED: &[&str] = &[
    "co-financed by",
    "co-funded by",
    "cofinanced by",
    "jointly financed by",
    "jointly funded by",
];

/// "The EU gave €10m to Niger … . The project is co-financed by Germany":
/// a co-funder joins the latest funding of the article, so it funds the same
/// recipient. Only where the sentence's own rules found no recipient for it.
fn co_financing(facts: &DocFacts<'_>, res: &Resources, sent: &Sent<'_>, out: &mut Vec<Relation>) {
    let doc = facts.doc;
    let text = doc.text.as_str();
    let body = &text[sent.start..sent.end];
    // Every trigger ends in one of these lower-case words: a cheap test first.
    // The searchers are built once: building one costs more than a search.
    static NANCED: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("nanced by"));
    static UNDED: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("unded by"));
    if NANCED.find(body.as_bytes()).is_none() && UNDED.find(body.as_bytes()).is_none() {
        return;
    }
    // ASCII needles: a match starts at an ASCII byte, so at a char boundary.
    let Some((ts, te)) = CO_FINANCED.iter().find_map(|t| {
        let k =
            body.as_bytes().windows(t.len()).position(|w| w.eq_ignore_ascii_case(t.as_bytes()))?;
        Some((sent.start + k, sent.start + k + t.len()))
    }) else {
        return;
    };
    let funder = sent.ms.iter().find(|m| {
        m.start >= te
            && matches!(text[te..m.start].trim(), "" | "the")
            && !m.nationality
            && matches!(
                m.kind,
                EntityKind::Country
                    | EntityKind::EUInstitution
                    | EntityKind::EUAgency
                    | EntityKind::InternationalOrganisation
            )
    });
    let Some(funder) = funder else { return };
    let in_sentence = |r: &Relation| r.evidence.sentence_start == sent.start;
    if negated(facts, res, sent, ts, te)
        || out
            .iter()
            .any(|r| in_sentence(r) && r.kind == RelationKind::Funds && r.subject == funder.entity)
    {
        return;
    }
    let article_start = doc.articles.get(sent.article).map_or(0, |a| a.span.start);
    let Some(object) = out
        .iter()
        .filter(|r| {
            r.kind == RelationKind::Funds
                && r.evidence.quote_start >= article_start
                && r.evidence.quote_start < sent.start
        })
        .max_by_key(|r| r.evidence.quote_start)
        .map(|r| r.object.clone())
        .filter(|o| *o != funder.entity)
    else {
        return;
    };
    out.push(Relation {
        subject: funder.entity.clone(),
        kind: RelationKind::Funds,
        object,
        money: None,
        when: pick_date(facts, sent, ts, RelationKind::Funds),
        evidence: evidence(doc, sent, ts, funder.end, "funds.co-financed"),
    });
}

/// Nouns that name, at the start of a sentence, the event the sentence before
/// reported ("The decision came on Friday", "The assurance was made in May").
const FOLLOW_UP_NOUNS: &[&str] = &[
    "decision",
    "assurance",
    "announcement",
    "pledge",
    "commitment",
    "promise",
    "move",
    "offer",
    "deal",
    "agreement",
    "signing",
];

/// The verbs that date such an event, followed by the date itself.
const FOLLOW_UP_VERBS: &[&str] =
    &[" came ", " was made ", " was taken ", " was announced ", " was reached ", " was given "];

/// "EU states decided to restrict visas … . The decision came on Friday …":
/// a sentence that opens with a noun for the previous sentence's event and
/// dates it right after its verb gives that date to the previous sentence's
/// undated events (not to structure: `partOf`, `memberOf`).
fn follow_up_dates(facts: &DocFacts<'_>, out: &mut [Relation]) {
    let doc = facts.doc;
    let text = doc.text.as_str();
    for pair in doc.sentences.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (bs, be) = (b.span.start, b.span.end);
        let Some(body) = text.get(bs..be) else { continue };
        let Some(rest) = body.strip_prefix("The ") else { continue };
        let noun = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        if a.article != b.article || !FOLLOW_UP_NOUNS.contains(&noun) {
            continue;
        }
        let Some(verb_end) =
            FOLLOW_UP_VERBS.iter().filter_map(|v| body.find(v).map(|k| bs + k + v.len())).min()
        else {
            continue;
        };
        let date = within(&facts.dates, verb_end, be).first().filter(|d| {
            d.end <= be && matches!(text[verb_end..d.start].trim(), "" | "on" | "in" | "at")
        });
        let Some(date) = date.map(|d| d.value) else { continue };
        for r in out.iter_mut() {
            let structural = matches!(r.kind, RelationKind::PartOf | RelationKind::MemberOf);
            let in_a =
                r.evidence.quote_start >= a.span.start && r.evidence.quote_start < a.span.end;
            if in_a && r.when.is_none() && !structural {
                r.when = Some(date);
            }
        }
    }
}

/// The word tokens of the sentence `[start, end)`: the document's own tokens
/// of that range, or, when a document token runs across an edge of the
/// sentence (an inner hyphen at the very end, say), the sentence tokenised on
/// its own, which is what the rules expect.
fn sentence_tokens<'t>(
    text: &str,
    doc_toks: &'t [Tok],
    start: usize,
    end: usize,
) -> std::borrow::Cow<'t, [Tok]> {
    let lo = doc_toks.partition_point(|t| t.end <= start);
    let hi = doc_toks.partition_point(|t| t.start < end).max(lo);
    let inside = &doc_toks[lo..hi];
    if inside.first().is_none_or(|t| t.start >= start) && inside.last().is_none_or(|t| t.end <= end)
    {
        return inside.into();
    }
    tokens(&text[start..end])
        .into_iter()
        .map(|t| Tok { start: t.start + start, end: t.end + start })
        .collect::<Vec<Tok>>()
        .into()
}

/// Whether the sentence at `start`, on the line starting at `line_start`, is
/// a list item: its line starts with a bullet ("- ", "• ", "* ", "1.") before
/// the sentence text (ingest keeps the marker out of the sentence span).
fn is_list_item(text: &str, line_start: usize, start: usize) -> bool {
    let lead = text[line_start..start].trim();
    let rest = text[start..].trim_start();
    matches!(lead, "-" | "•" | "*" | "–" | "·")
        || !lead.is_empty() && lead.trim_end_matches(['.', ')']).chars().all(|c| c.is_ascii_digit())
        || lead.is_empty() && (rest.starts_with("- ") || rest.starts_with("• "))
}

fn evidence(doc: &Document, sent: &Sent<'_>, qs: usize, qe: usize, rule: &str) -> Evidence {
    let text = doc.text.as_str();
    let (mut qs, mut qe) = (qs.clamp(sent.start, sent.end), qe.clamp(sent.start, sent.end));
    if qs > qe {
        std::mem::swap(&mut qs, &mut qe);
    }
    while qs < qe && !text.is_char_boundary(qs) {
        qs += 1;
    }
    while qe > qs && !text.is_char_boundary(qe) {
        qe -= 1;
    }
    let quote = text[qs..qe].trim();
    let lead = text[qs..qe].len() - text[qs..qe].trim_start().len();
    let qs2 = qs + lead;
    Evidence {
        doc: doc.id.clone(),
        article: doc.headline(sent.article).map(str::to_owned),
        sentence: text[sent.start..sent.end].to_owned(),
        sentence_start: sent.start,
        sentence_end: sent.end,
        quote: quote.to_owned(),
        quote_start: qs2,
        quote_end: qs2 + quote.len(),
        rule: rule.to_owned(),
    }
}

fn relation(
    subject: &EntityId,
    kind: RelationKind,
    object: &EntityId,
    money: Option<Money>,
    when: Option<When>,
    evidence: Evidence,
) -> Relation {
    Relation { subject: subject.clone(), kind, object: object.clone(), money, when, evidence }
}

/// `memberOf` read off role titles ("Commissioner Ylva Johansson").
fn role_relations(facts: &DocFacts<'_>, out: &mut Vec<Relation>) {
    let doc = facts.doc;
    for r in &facts.found.roles {
        let Some(s) = doc
            .sentences
            .get(doc.sentences.partition_point(|s| s.span.end <= r.start))
            .filter(|s| s.span.start <= r.start)
        else {
            continue;
        };
        let sent = Sent {
            start: s.span.start,
            end: s.span.end.min(doc.text.len()),
            article: s.article,
            ms: Vec::new(),
            clauses: Clauses::new(&doc.text, s.span.start, s.span.end.min(doc.text.len())),
            toks: Default::default(),
        };
        let ev = evidence(doc, &sent, r.start, r.end, r.rule);
        out.push(relation(&r.person, RelationKind::MemberOf, &r.body, None, None, ev));
    }
}

/// Missions and offices whose gazetteer entry names a place operate there.
fn mission_places(facts: &DocFacts<'_>, res: &Resources, sent: &Sent<'_>, out: &mut Vec<Relation>) {
    for m in &sent.ms {
        let Some(place) = res.place_of(&m.entity) else { continue };
        // A mission the sentence says has closed no longer operates.
        if !negated(facts, res, sent, m.start, m.end) {
            let ev = evidence(facts.doc, sent, m.start, m.end, "operatesIn.named-place");
            out.push(relation(&m.entity, RelationKind::OperatesIn, &place, None, None, ev));
        }
    }
}

/// Names that make an EU institution a meeting body: something that holds
/// meetings, receives presentations and discusses (not the Union or Commission).
const BODY_WORDS: &[&str] = &[
    "board",
    "committee",
    "working party",
    "working group",
    "subcommittee",
    "council",
    "parliament",
    "presidency",
    "mechanism",
    "summit",
];

fn is_body(m: &Ment, facts: &DocFacts<'_>) -> bool {
    matches!(m.kind, EntityKind::EUInstitution | EntityKind::EUAgency)
        && facts
            .found
            .entities
            .get(&m.entity)
            .is_some_and(|e| BODY_WORDS.iter().any(|w| lower_contains(&e.name, w)))
}

/// A sentence that names a meeting body next to a meeting word sets the
/// article's current meeting (and its date) for later presentations and lists.
fn update_meeting(facts: &DocFacts<'_>, sent: &Sent<'_>, carry: &mut Carry<'_>) {
    let text = facts.doc.text.as_str();
    let mut best: Option<(usize, &Ment)> = None;
    {
        for (abs, pe) in facts.cues.meeting.matches(text, sent.start, sent.end, false) {
            let w_len = pe - abs;
            // The most specific body wins (a working party over the Council
            // that holds it), then the nearest.
            for m in sent.ms.iter().filter(|m| is_body(m, facts)) {
                let d =
                    if m.end <= abs { abs - m.end } else { m.start.saturating_sub(abs + w_len) };
                let key = body_rank(m, facts) * 1000 + d;
                if d < 80 && best.is_none_or(|(bd, _)| key < bd) {
                    best = Some((key, m));
                }
            }
            if let Some((_, m)) = best {
                let when = nearest_date(facts, sent, abs);
                // "… at the same meeting" naming only the Council keeps the
                // working party already being reported on.
                let keep = carry.meeting.as_ref().is_some_and(|cur| {
                    body_rank_of(&cur.body, facts) < body_rank(m, facts)
                        && when.is_none_or(|w| Some(w) == cur.when)
                });
                if !keep {
                    // The same body named again without a date is the same meeting.
                    let when = when.or_else(|| {
                        carry
                            .meeting
                            .as_ref()
                            .filter(|cur| cur.body == m.entity)
                            .and_then(|cur| cur.when)
                    });
                    carry.meeting = Some(Meeting { body: m.entity.clone(), when });
                }
            }
        }
    }
}

/// 0 for committees, working parties and boards, 1 for presidencies, 2 for
/// councils and parliaments as a whole.
fn body_rank(m: &Ment, facts: &DocFacts<'_>) -> usize {
    let name =
        facts.found.entities.get(&m.entity).map(|e| e.name.to_lowercase()).unwrap_or_default();
    if ["committee", "working party", "working group", "board", "subcommittee"]
        .iter()
        .any(|w| name.contains(w))
    {
        0
    } else if name.contains("presidency") {
        1
    } else {
        2
    }
}

fn body_rank_of(id: &EntityId, facts: &DocFacts<'_>) -> usize {
    let m = Ment::synthetic(id.clone(), EntityKind::EUInstitution, 0, "context");
    body_rank(&m, facts)
}

fn nearest_date(facts: &DocFacts<'_>, sent: &Sent<'_>, pos: usize) -> Option<When> {
    within(&facts.dates, sent.start, sent.end)
        .iter()
        .filter(|d| d.end <= sent.end)
        .min_by_key(|d| if d.start >= pos { d.start - pos } else { pos - d.end })
        .map(|d| d.value)
}

/// List items after "… will meet to discuss:" are what the meeting discusses.
fn list_discusses(facts: &DocFacts<'_>, sent: &Sent<'_>, l: &Meeting, out: &mut Vec<Relation>) {
    for m in &sent.ms {
        if matches!(m.kind, EntityKind::Country | EntityKind::Region)
            && !m.nationality
            && m.entity != l.body
        {
            let ev = evidence(facts.doc, sent, sent.start, m.end, "discusses.agenda-item");
            out.push(relation(&l.body, RelationKind::Discusses, &m.entity, None, l.when, ev));
        }
    }
}

fn kind_ok(m: &Ment, types: &[EntityKind]) -> bool {
    types.is_empty() || types.contains(&m.kind)
}

/// Mentions followed by a reporting verb ("the Commission reports") are the
/// source of a statement, not a party to it.
fn is_reporter(text: &str, res: &Resources, m: &Ment) -> bool {
    let rest = text[m.end..].trim_start_matches(['’', '\'', 's', ' ']);
    let next = &rest[..rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len())];
    !next.is_empty() && res.lexicon.reporting_verbs.iter().any(|v| v.eq_ignore_ascii_case(next))
}

struct Hit<'a> {
    rule: &'a Rule,
    rule_index: usize,
    start: usize,
    end: usize,
}

/// Runs the pattern rules triggered in one sentence, appending what they
/// find to `out`.
fn rule_hits(
    facts: &DocFacts<'_>,
    res: &Resources,
    sent: &Sent<'_>,
    carry: &mut Carry<'_>,
    out: &mut Vec<Relation>,
) {
    let text = facts.doc.text.as_str();
    let s_text = &text[sent.start..sent.end];
    // The lower-cased sentence is only needed by rules with `needs_words`.
    let lower = OnceCell::new();
    // The document's trigger occurrences that lie inside the sentence, in the
    // order a search of the sentence alone would report them.
    let from = facts.triggers.partition_point(|t| t.1 <= sent.start);
    let to = facts.triggers.partition_point(|t| t.1 <= sent.end).max(from);
    let mut hits: Vec<Hit<'_>> = Vec::with_capacity(to - from);
    for &(a, b, p) in &facts.triggers[from..to] {
        if a < sent.start {
            continue;
        }
        let t = &res.triggers[p];
        // Triggers that start with punctuation ("’s", "-funded") attach to the word before.
        let attached = text[a..].chars().next().is_some_and(|c| !c.is_alphanumeric());
        if !attached && !boundary_before(text, a) || !t.prefix && !boundary_after(text, b) {
            continue;
        }
        // Triggers inside a name ("Border Assistance Mission") are part of the name.
        if sent.ms.iter().any(|x| {
            x.start <= a
                && b <= x.end
                && x.start < a
                && matches!(x.how, "gazetteer" | "role" | "acronym")
        }) {
            continue;
        }
        hits.push(Hit { rule: &res.rules[t.rule], rule_index: t.rule, start: a, end: b });
    }
    let money_sentence = facts.cues.money.any(text, sent.start, sent.end, false)
        || within(&facts.amounts, sent.start, sent.end).iter().any(|x| x.end <= sent.end);
    // Rules are tried in file order; once one has produced a relation of a kind
    // from a trigger, later rules of that kind skip overlapping triggers (the
    // explicit "cooperation between A and B" beats the generic "cooperation").
    let mut claimed: Vec<(RelationKind, usize, usize)> = Vec::new();
    hits.sort_by_key(|h| (h.rule_index, h.start));
    for h in hits {
        let rule = h.rule;
        if claimed.iter().any(|&(k, a, b)| k == rule.relation && a < h.end && h.start < b) {
            continue;
        }
        let before = out.len();
        if rule.needs_money && !money_sentence {
            continue;
        }
        if !rule.needs_words.is_empty()
            && !rule
                .needs_words
                .iter()
                .any(|w| lower.get_or_init(|| s_text.to_lowercase()).contains(w.as_str()))
        {
            continue;
        }
        if negated(facts, res, sent, h.start, h.end) {
            continue;
        }
        let mut subjects = find_args(facts, res, sent, carry, &h, &rule.subject, true, None);
        // "ICMPD and the European Training Foundation joined …": with
        // `multi_subject`, names coordinated before the subject count too.
        if rule.multi_subject && subjects.len() == 1 && subjects[0].start < h.start {
            let mut first = subjects[0].clone();
            while let Some(prev) = sent.ms.iter().rev().find(|m| m.end <= first.start) {
                let g = text[prev.end..first.start].trim();
                let joined = lower_is_one_of(g, &["and", "and the", ",", ", and", ", and the"]);
                if !joined || !kind_ok(prev, &rule.subject_types) || prev.nationality {
                    break;
                }
                subjects.insert(0, (*prev).clone());
                first = (*prev).clone();
            }
        }
        for subj in
            subjects.iter().take(if rule.multi_subject || rule.all_subjects { 8 } else { 1 })
        {
            let objects = find_args(facts, res, sent, carry, &h, &rule.object, false, Some(subj));
            for obj in
                objects.iter().take(if rule.multi_object || rule.all_objects { 8 } else { 1 })
            {
                if subj.entity == obj.entity {
                    continue;
                }
                let eu_default = subj.how == "default-eu" || obj.how == "default-eu";
                if eu_default && (is_eu_side(subj) && is_eu_side(obj)) {
                    continue;
                }
                let qs = [h.start, subj.start, obj.start]
                    .into_iter()
                    .filter(|&p| p >= sent.start && p < sent.end)
                    .min()
                    .unwrap_or(h.start);
                let qe = [h.end, subj.end, obj.end]
                    .into_iter()
                    .filter(|&p| p > sent.start && p <= sent.end)
                    .max()
                    .unwrap_or(h.end);
                let from_context = subj.how == "context" || obj.how == "context";
                // Structure (who belongs to what) is not an event: no date.
                let structural =
                    matches!(rule.relation, RelationKind::PartOf | RelationKind::MemberOf);
                // A presentation or participation at the current meeting takes the
                // meeting's date before any other date of the sentence.
                let meeting_kind = matches!(
                    rule.relation,
                    RelationKind::PresentsTo
                        | RelationKind::ParticipatesIn
                        | RelationKind::Discusses
                );
                let at_meeting = carry.meeting.as_ref().is_some_and(|mt| {
                    obj.how == "context"
                        || subj.how == "context"
                        || meeting_kind && (mt.body == obj.entity || mt.body == subj.entity)
                });
                let context_date =
                    if at_meeting { carry.meeting.as_ref().and_then(|m| m.when) } else { None };
                let mut when = if structural {
                    None
                } else {
                    context_date.or_else(|| {
                        pick_date(
                            facts,
                            sent,
                            h.start.min(obj.start.max(sent.start)),
                            rule.relation,
                        )
                    })
                };
                if when.is_none() && from_context && !structural {
                    when = carry.meeting.as_ref().and_then(|m| m.when);
                }
                if when.is_none()
                    && matches!(
                        rule.relation,
                        RelationKind::PresentsTo
                            | RelationKind::ParticipatesIn
                            | RelationKind::Discusses
                    )
                {
                    when = carry
                        .listing
                        .as_ref()
                        .and_then(|m| m.when)
                        .or_else(|| carry.meeting.as_ref().and_then(|m| m.when));
                }
                let money = if rule.relation == RelationKind::Funds {
                    amount_near(facts, sent, obj)
                } else {
                    None
                };
                // A city named as where a meeting happens is not a party to it.
                if rule.relation == RelationKind::MeetsWith
                    && obj.how == "place"
                    && text[..obj.start].trim_end().ends_with(" in")
                {
                    continue;
                }
                // A presentation to a named body makes that body's meeting the
                // current one for later sentences ("Members discussed …").
                if rule.relation == RelationKind::PresentsTo && obj.how != "context" {
                    carry.meeting = Some(Meeting { body: obj.entity.clone(), when });
                }
                let ev = evidence(facts.doc, sent, qs, qe, &rule.id);
                // Agreements between a state and the EU side are written EU first.
                let swap = rule.relation == RelationKind::NegotiatesAgreementWith
                    && subj.kind == EntityKind::Country
                    && matches!(
                        obj.kind,
                        EntityKind::EUInstitution | EntityKind::EUAgency | EntityKind::Mission
                    );
                let (s_id, o_id) =
                    if swap { (&obj.entity, &subj.entity) } else { (&subj.entity, &obj.entity) };
                out.push(relation(s_id, rule.relation, o_id, money, when, ev));
            }
        }
        if out.len() > before {
            claimed.push((rule.relation, h.start, h.end));
        }
        // "… will meet to discuss:" opens an agenda list held by the subject.
        if rule.relation == RelationKind::Discusses
            && s_text.trim_end().ends_with(':')
            && let Some(subj) = subjects.first()
        {
            let when = pick_date(facts, sent, h.start, rule.relation)
                .or_else(|| carry.meeting.as_ref().and_then(|m| m.when));
            carry.listing = Some(Meeting { body: subj.entity.clone(), when });
        }
    }
}

fn is_eu_side(m: &Ment) -> bool {
    matches!(m.kind, EntityKind::EUInstitution)
}

/// Hypothetical, negated or cancelled statements: cues in the few words
/// before the trigger (same clause) or after it (same clause, or a following
/// "but …" clause).
fn negated(facts: &DocFacts<'_>, res: &Resources, sent: &Sent<'_>, a: usize, b: usize) -> bool {
    let text = facts.doc.text.as_str();
    let ci = sent.clauses.index(a);
    let (cs, ce) = sent.clauses.span(ci);
    let window = res.lexicon.hypothetical_window;
    // The clause's tokens before the trigger: a run of the sorted token list.
    let lo = sent.toks.partition_point(|t| t.start < cs);
    let hi = sent.toks.partition_point(|t| t.end <= a).max(lo);
    let before_toks = &sent.toks[lo..hi];
    let from = before_toks.len().saturating_sub(window);
    if let Some(first) = before_toks.get(from) {
        // Case matters: "in May 2025" is a month, "may" a modal.
        let at_start = first.start == sent.start;
        if facts.cues.hypothetical.any(text, first.start, a, at_start) {
            return true;
        }
    }
    // After the trigger: its own clause and the later clauses of the sentence,
    // except relative clauses ("…, which had stalled, resumed …" is not cancelled).
    if facts.cues.cancel_after.any(text, b, ce.max(b), false) {
        return true;
    }
    (ci + 1..sent.clauses.starts.len()).filter(|&k| !sent.clauses.has_antecedent(k)).any(|k| {
        let (ns, ne) = sent.clauses.span(k);
        facts.cues.cancel_after.any(text, ns, ne, false)
    })
}

/// A mention of an earlier name standing in for a pronoun or anaphor at `at`:
/// the same entity, anchored at `at`, recognised as `previous`.
fn previous_at(m: &Ment, at: usize) -> Ment {
    let mut m = m.clone();
    m.start = at;
    m.end = at;
    m.how = "previous";
    m
}

/// The actor a sentence-initial "It …" / "They …" refers to, for a trigger
/// at `at` with no name of its own to the left: `None` when the sentence
/// does not start with such a pronoun (or names an actor before `at`);
/// otherwise the latest first name of the previous sentences that `ok`
/// allows, re-anchored at `at`, or `Some(None)` when none fits, so that the
/// unnamed EU is not guessed for a pronoun that stands for someone else.
fn pronoun_subject(
    text: &str,
    sent: &Sent<'_>,
    carry: &Carry<'_>,
    at: usize,
    ok: &dyn Fn(&Ment) -> bool,
) -> Option<Option<Ment>> {
    let first_word = sent.toks.first().map(|t| t.text(text)).unwrap_or("");
    if matches!(first_word, "It" | "They") {
        if sent.ms.iter().any(|m| m.end <= at && ok(m)) {
            return None;
        }
    } else {
        // "… in Nouadhibou, where they run joint patrols with …": a "they" in
        // the trigger's clause with no name between it and the trigger stands
        // for the nearest fitting name before it in the sentence.
        let ci = sent.clauses.index(at);
        let cs = sent.clauses.span(ci).0;
        let pron = sent
            .toks
            .iter()
            .rev()
            .find(|t| t.start >= cs && t.end <= at && t.text(text) == "they")?;
        if sent.ms.iter().any(|m| m.start >= pron.end && m.end <= at && ok(m)) {
            return None;
        }
        let found =
            sent.ms.iter().rev().find(|m| m.end <= pron.start && ok(m)).map(|m| previous_at(m, at));
        if found.is_some() {
            return Some(found);
        }
    }
    let found = carry.previous_first.iter().rev().find(|m| ok(m)).map(|m| previous_at(m, at));
    Some(found)
}

/// A lower-case "it"/"they" at most three words before the trigger at `at`
/// (no comma, no allowed name in between) is the trigger's subject. Returns
/// `None` when there is no such pronoun; otherwise what it stands for: the
/// first name of the sentence before it that `ok` allows, else the latest
/// fitting first name of the previous sentences, else nothing.
fn pronoun_before(
    text: &str,
    sent: &Sent<'_>,
    carry: &Carry<'_>,
    at: usize,
    ok: &dyn Fn(&Ment) -> bool,
) -> Option<Option<Ment>> {
    let pron = sent.toks.iter().rev().find(|t| {
        t.end <= at && {
            let gap = &text[t.end..at];
            matches!(t.text(text), "it" | "they")
                && !gap.contains(',')
                && gap.split_whitespace().count() <= 3
        }
    })?;
    if sent.ms.iter().any(|m| m.start >= pron.end && m.end <= at && ok(m)) {
        return None;
    }
    let found =
        sent.ms.iter().find(|m| m.end <= pron.start && ok(m)).map(|m| previous_at(m, at)).or_else(
            || carry.previous_first.iter().rev().find(|m| ok(m)).map(|m| previous_at(m, at)),
        );
    Some(found)
}

/// The entity types a head noun of an anaphoric noun phrase can stand for
/// ("the same force" is a security authority, "the agency" an EU agency).
fn anaphor_kinds(noun: &str) -> &'static [EntityKind] {
    match noun {
        "force" | "forces" | "unit" | "units" | "guard" | "coastguard" | "police" | "navy"
        | "gendarmerie" | "service" | "authority" => &[EntityKind::Authority],
        "agency" => &[EntityKind::EUAgency, EntityKind::InternationalOrganisation],
        "organisation" | "organization" => &[EntityKind::InternationalOrganisation],
        "mission" | "operation" => &[EntityKind::Mission],
        "country" | "government" | "state" | "kingdom" | "republic" => &[EntityKind::Country],
        "charity" | "ngo" => &[EntityKind::NGO],
        "company" | "firm" | "contractor" => &[EntityKind::Company],
        _ => &[],
    }
}

/// The actor a sentence-initial "The (same) <noun> …" refers to, for a
/// trigger at `at` with no allowed name before it: the latest mention of the
/// previous sentence whose type the noun allows and `ok` accepts, re-anchored
/// at `at`.
fn anaphor_subject(
    text: &str,
    sent: &Sent<'_>,
    carry: &Carry<'_>,
    at: usize,
    ok: &dyn Fn(&Ment) -> bool,
) -> Option<Ment> {
    let words: Vec<&str> = sent.toks.iter().take(4).map(|t| t.text(text)).collect();
    let noun = match words.as_slice() {
        ["The" | "This", "same", n, ..] | ["The" | "This", n, ..] => n.to_lowercase(),
        _ => return None,
    };
    let kinds = anaphor_kinds(&noun);
    if kinds.is_empty() || sent.ms.iter().any(|m| m.end <= at && ok(m)) {
        return None;
    }
    carry
        .previous_all
        .iter()
        .rev()
        .find(|m| kinds.contains(&m.kind) && ok(m))
        .map(|m| previous_at(m, at))
}

fn default_eu(res: &Resources, at: usize) -> Option<Ment> {
    let i = res.eu?;
    let e = &res.entries[i].entity;
    Some(Ment::synthetic(e.id.clone(), e.kind, at, "default-eu"))
}

#[allow(clippy::too_many_arguments)]
fn find_args(
    facts: &DocFacts<'_>,
    res: &Resources,
    sent: &Sent<'_>,
    carry: &Carry<'_>,
    h: &Hit<'_>,
    finders: &[ArgFinder],
    subject: bool,
    other: Option<&Ment>,
) -> Vec<Ment> {
    let text = facts.doc.text.as_str();
    let rule = h.rule;
    let types: &[EntityKind] = if subject { &rule.subject_types } else { &rule.object_types };
    // A nationality ("Afghan migrants") is only ever the object of a return or a
    // measure; places and nationalities never act.
    let nationality_ok =
        matches!(rule.relation, RelationKind::ReturnsMigrantsTo | RelationKind::ImposesMeasureOn);
    // The tests are pure; they run cheapest first and stop at the first
    // that fails.
    let ok = |m: &Ment| {
        if !kind_ok(m, types) || m.nationality && !nationality_ok {
            return false;
        }
        if other.is_some_and(|o| o.entity == m.entity || o.start == m.start && o.how != "context") {
            return false;
        }
        // A city that opens the sentence as its grammatical subject stands for
        // its state ("Madrid renewed …", "Ankara deported …"); elsewhere a place
        // is where something happens, not who acts.
        if subject
            && (m.nationality
                || m.how == "demonym-place"
                || m.how == "place"
                    && !(sent.toks.first().is_some_and(|t| t.start == m.start)
                        && text[m.end..].starts_with(' ')))
        {
            return false;
        }
        // "the Danish Presidency of the Council": the complement of the other
        // argument's name is not an argument of its own.
        if rule.relation != RelationKind::PartOf
            && other.is_some_and(|o| {
                o.end <= m.start && matches!(text[o.end..m.start].trim(), "of the" | "of")
            })
        {
            return false;
        }
        // "trained by Italy": the name after a passive "by" is the agent, never
        // the object of the active reading (contracts are the one relation whose
        // object is written that way).
        if !subject
            && rule.relation != RelationKind::ContractedBy
            && !finders.contains(&ArgFinder::By)
            && m.start > h.end
            && agent_gap(&text[h.end..m.start])
        {
            return false;
        }
        let needs_body = if subject { rule.subject_body } else { rule.object_body };
        !needs_body || is_body(m, facts)
    };
    let ci = sent.clauses.index(h.start);
    // "Italy has trained crews ever since it signed its memorandum with
    // Libya": a pronoun just before the trigger is its subject, so the name
    // nearest on the left is not; the pronoun stands for the sentence's first
    // fitting name (or the previous sentence's).
    if subject
        && finders.iter().any(|f| matches!(f, ArgFinder::Left | ArgFinder::First))
        && let Some(found) = pronoun_before(text, sent, carry, h.start, &ok)
    {
        return found.into_iter().collect();
    }
    // "The same force expelled …": a sentence-initial definite noun phrase
    // names the type of an actor of the previous sentence.
    if subject
        && finders.iter().any(|f| matches!(f, ArgFinder::Left | ArgFinder::First))
        && let Some(found) = anaphor_subject(text, sent, carry, h.start, &ok)
    {
        return vec![found];
    }
    for f in finders {
        let found: Vec<Ment> = match f {
            ArgFinder::Modifier => sent
                .ms
                .iter()
                .filter(|m| {
                    m.end <= h.start
                        && (tight_gap(text, m.end, h.start) || possessive_gap(text, m.end, h.start))
                })
                .filter(|m| ok(m))
                .map(|m| (*m).clone())
                .take(1)
                .collect(),
            ArgFinder::Next => sent
                .ms
                .iter()
                .filter(|m| m.start >= h.end && quantity_gap(&text[h.end..m.start]))
                .filter(|m| ok(m))
                .map(|m| (*m).clone())
                .take(1)
                .collect(),
            ArgFinder::Left => left(text, res, sent, h.start, ci, &ok, carry),
            ArgFinder::First => sent
                .ms
                .iter()
                // A possessor ("the Council’s working party, the EMWP, …") is not the subject.
                .filter(|m| {
                    m.end <= h.start
                        && ok(m)
                        && !is_reporter(text, res, m)
                        && !text[m.end..].starts_with("’s")
                        && !text[m.end..].starts_with("'s")
                })
                .map(|m| (*m).clone())
                .take(1)
                .collect(),
            ArgFinder::Right
                if (!subject && rule.all_objects) || (subject && rule.all_subjects) =>
            {
                sent.ms.iter().filter(|m| m.start >= h.end && ok(m)).map(|m| (*m).clone()).collect()
            }
            ArgFinder::Right => {
                // A trigger that ends in one of the prepositions ("back into") has
                // already supplied it.
                let trig = &text[h.start..h.end];
                let ends_in = |p: &str| {
                    if trig.is_ascii() {
                        // ASCII lower-cases byte by byte; `p` is lower case.
                        trig.len() > p.len()
                            && trig.as_bytes()[trig.len() - p.len()..]
                                .eq_ignore_ascii_case(p.as_bytes())
                            && trig.as_bytes()[trig.len() - p.len() - 1] == b' '
                    } else {
                        let trig = trig.to_lowercase();
                        trig.strip_suffix(p).is_some_and(|t| t.ends_with(' '))
                    }
                };
                let trigger_prep = rule.object_preps.iter().any(|p| ends_in(p));
                let preps: &[String] =
                    if subject || trigger_prep { &[] } else { &rule.object_preps };
                let multi = if subject { rule.multi_subject } else { rule.multi_object };
                right(text, sent, h.end, ci, &ok, types, preps, multi)
            }
            ArgFinder::By => after_word(text, sent, h.start, &["by"], &ok),
            // Returns are "from" a place that stands for its state ("from the Greek islands").
            ArgFinder::From => after_word(text, sent, h.start, &["from"], &|m: &Ment| {
                kind_ok(m, types) && !m.nationality && other.is_none_or(|o| o.entity != m.entity)
            }),
            ArgFinder::Pair => pair(text, sent, h, &ok, types, subject),
            ArgFinder::LeftOther => sent
                .ms
                .iter()
                .rev()
                .filter(|m| {
                    m.end <= h.start
                        && ok(m)
                        && !is_reporter(text, res, m)
                        && !matches!(m.how, "place" | "demonym-place")
                })
                .map(|m| (*m).clone())
                .take(1)
                .collect(),
            ArgFinder::Context => carry
                .meeting
                .as_ref()
                .map(|m| {
                    Ment::synthetic(m.body.clone(), EntityKind::EUInstitution, h.start, "context")
                })
                .filter(|m| other.is_none_or(|o| o.entity != m.entity))
                .into_iter()
                .collect(),
            ArgFinder::Eu => match pronoun_subject(text, sent, carry, h.start, &ok) {
                // "It also signed …": the previous sentence's actor, or nobody.
                Some(found) => found.into_iter().collect(),
                None => default_eu(res, h.start)
                    .filter(|m| other.is_none_or(|o| o.entity != m.entity))
                    .into_iter()
                    .collect(),
            },
            ArgFinder::MissionPlace => right(
                text,
                sent,
                h.end,
                ci,
                &|m: &Ment| m.kind == EntityKind::Mission,
                &[EntityKind::Mission],
                &[],
                false,
            )
            .into_iter()
            .filter_map(|m| {
                let p = res.place_of(&m.entity)?;
                let kind = res.entity(&p).map(|e| e.kind).unwrap_or(EntityKind::Country);
                let mut x = Ment::synthetic(p, kind, m.start, "mission-place");
                x.end = m.end;
                Some(x)
            })
            .filter(|m| ok(m))
            .take(1)
            .collect(),
            ArgFinder::Previous => {
                let first_word = sent.toks.first().map(|t| t.text(text)).unwrap_or("");
                let anaphoric = matches!(
                    first_word,
                    "It" | "They" | "The" | "This" | "These" | "A" | "An" | "Another"
                );
                let own_left = sent.ms.iter().any(|m| m.end <= h.start && ok(m));
                carry
                    .previous_first
                    .iter()
                    .rev()
                    .find(|m| anaphoric && !own_left && ok(m))
                    .map(|&m| {
                        let mut m = m.clone();
                        m.start = h.start;
                        m.end = h.end;
                        m
                    })
                    .into_iter()
                    .collect()
            }
            ArgFinder::Compound => compound(text, sent, h, subject),
            // "the Commission’s humanitarian arm, DG ECHO, …": the name apposed
            // to a possessed noun phrase.
            ArgFinder::Apposed => sent
                .ms
                .iter()
                .find(|m| {
                    m.start >= h.end && {
                        let gap = &text[h.end..m.start];
                        let (words, tail) = gap.split_once(',').unwrap_or((gap, "x"));
                        let tail = tail.trim();
                        (tail.is_empty() || tail == "the")
                            && words.split_whitespace().count() <= 4
                            && words.split_whitespace().all(|w| {
                                w.chars().all(|c| c.is_lowercase() || c == '-')
                                    && !matches!(
                                        w,
                                        "in" | "on"
                                            | "of"
                                            | "for"
                                            | "with"
                                            | "to"
                                            | "at"
                                            | "by"
                                            | "from"
                                    )
                            })
                    }
                })
                .filter(|m| ok(m))
                .map(|m| (*m).clone())
                .into_iter()
                .collect(),
        };
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Words that may stand between a trigger and the name right after it
/// without making it a different phrase: an article and a count of people
/// ("deported 52 Malian nationals", "returned more than 300 Afghan migrants",
/// "expelled dozens of Syrian refugees").
const QUANTITY_WORDS: &[&str] = &[
    "the",
    "some",
    "about",
    "around",
    "roughly",
    "nearly",
    "almost",
    "over",
    "more",
    "than",
    "at",
    "least",
    "up",
    "to",
    "another",
    "a",
    "further",
    "several",
    "dozens",
    "hundreds",
    "thousands",
    "of",
    "few",
    "many",
    "an",
    "estimated",
    "additional",
    "extra",
];

/// True when the gap between a trigger and a following name holds only an
/// article, numbers (digits with separators, or number words) and quantifier
/// words. A gap with anything else is another phrase, so `next` does not apply.
pub(super) fn quantity_gap(gap: &str) -> bool {
    let words: Vec<&str> = gap.split_whitespace().collect();
    if words.is_empty() || (words.len() == 1 && words[0].eq_ignore_ascii_case("the")) {
        return true;
    }
    let is_count = |w: &str| {
        let lower = w.to_lowercase();
        (w.chars().any(|c| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.')))
            || NUMBER_WORDS.contains(&lower.as_str())
            || matches!(lower.as_str(), "dozens" | "hundreds" | "thousands" | "several")
    };
    // Words like "of" or "to" are only allowed as part of a count ("up to 40",
    // "dozens of"), so a gap must name a count to be skipped.
    // Every word allowed first: most gaps fail on their first word.
    words.iter().all(|w| is_count(w) || QUANTITY_WORDS.contains(&w.to_lowercase().as_str()))
        && words.iter().any(|w| is_count(w))
}

/// Number words a count of people may be written with.
const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million",
];

/// True when the text between a trigger and a name is a passive "by" of the
/// trigger itself ("trained by", "funded and equipped by the"), so the name is
/// the doer. A "by" after a comma or several words belongs to another verb
/// ("boarded the ship, operated by …") and does not count.
fn agent_gap(gap: &str) -> bool {
    if gap.contains(',') {
        return false;
    }
    // The gap's words from the end: an optional "the", then "by", then
    // nothing or exactly "and|or <word>". No word list to collect.
    let mut words = gap.split_whitespace().rev();
    let mut last = words.next();
    if last.is_some_and(|w| w.eq_ignore_ascii_case("the")) {
        last = words.next();
    }
    if !last.is_some_and(|w| w.eq_ignore_ascii_case("by")) {
        return false;
    }
    match (words.next(), words.next(), words.next()) {
        (None, _, _) => true,
        // No non-ASCII letter lower-cases to an ASCII one of "and" or "or",
        // so an ASCII case-insensitive test is the lower-cased one.
        (Some(_), Some(conj), None) => {
            conj.eq_ignore_ascii_case("and") || conj.eq_ignore_ascii_case("or")
        }
        _ => false,
    }
}

fn left(
    text: &str,
    res: &Resources,
    sent: &Sent<'_>,
    pos: usize,
    ci: usize,
    ok: &dyn Fn(&Ment) -> bool,
    carry: &Carry<'_>,
) -> Vec<Ment> {
    let (cs, _) = sent.clauses.span(ci);
    let in_clause = sent
        .ms
        .iter()
        .rev()
        .find(|m| m.end <= pos && m.start >= cs && ok(m) && !is_reporter(text, res, m));
    if let Some(m) = in_clause {
        // "The Hungarian Presidency of the Council gave …": the head, not its complement.
        let head = sent.ms.iter().rev().find(|n| {
            n.end <= m.start
                && {
                    let g = text[n.end..m.start].trim();
                    g == "of the" || g == "of"
                }
                && ok(n)
        });
        return vec![(*head.unwrap_or(m)).clone()];
    }
    // A relative clause ("…, which provides advice, training …") takes its
    // antecedent: walk back over comma-joined clauses without names to the
    // "which" clause, then take the last suitable name before it (at most two
    // clauses back, for "X – an organisation which …").
    let mut k = ci;
    loop {
        if sent.clauses.has_antecedent(k) {
            for back in 1..=2 {
                let Some(j) = k.checked_sub(back) else { break };
                let (ps, pe) = sent.clauses.span(j);
                if let Some(m) =
                    sent.ms.iter().rev().find(|m| m.start >= ps && m.end <= pe && ok(m))
                {
                    return vec![(*m).clone()];
                }
            }
            break;
        }
        if k == 0 || sent.clauses.hard[k] {
            break;
        }
        let (ps, pe) = sent.clauses.span(k - 1);
        if sent.ms.iter().any(|m| m.start >= ps && m.end <= pe)
            && !sent.clauses.has_antecedent(k - 1)
        {
            break;
        }
        k -= 1;
    }
    // "X – an organisation which works with …": a relative pronoun inside the
    // clause, with no name between it and the trigger, points back to X.
    let rel = sent.toks.iter().rev().find(|t| {
        t.start >= cs && t.end <= pos && matches!(t.text(text), "which" | "who" | "that")
    });
    if let Some(r) = rel
        && !sent.ms.iter().any(|m| m.start >= r.end && m.end <= pos)
        && let Some(m) =
            sent.ms.iter().rev().find(|m| m.end <= r.start && ok(m) && !is_reporter(text, res, m))
    {
        return vec![(*m).clone()];
    }
    // Right after a parenthesis ("X (Long Name) structure within …"): the clause before it.
    if ci >= 2 && text[..cs].trim_end().ends_with(')') {
        let (ps, pe) = sent.clauses.span(ci - 2);
        if let Some(m) = sent.ms.iter().rev().find(|m| m.start >= ps && m.end <= pe && ok(m)) {
            return vec![(*m).clone()];
        }
    }
    // "its agreement", "their cooperation": the nearest suitable name before.
    let possessive_pronoun = sent.toks.iter().any(|t| {
        t.start >= cs && t.end <= pos && matches!(t.text(text), "its" | "their" | "Its" | "Their")
    });
    // "it"/"its" refers back to the sentence's subject, its first suitable name.
    if possessive_pronoun
        && let Some(m) =
            sent.ms.iter().find(|m| m.end <= pos && ok(m) && !is_reporter(text, res, m))
    {
        return vec![(*m).clone()];
    }
    // "I", "we", "he" before the trigger: the person speaking, in office.
    let pron = sent.toks.iter().any(|t| {
        t.start >= cs
            && t.end <= pos
            && matches!(t.text(text), "I" | "we" | "We" | "he" | "He" | "she" | "She")
    });
    if pron && let Some(sp) = carry.speaker.filter(|m| ok(m)) {
        return vec![sp.clone()];
    }
    Vec::new()
}

fn possessive_follows(text: &str, sent: &Sent<'_>, m: &Ment) -> bool {
    sent.ms.iter().any(|n| n.start > m.end && possessive_gap(text, m.end, n.start))
}

#[allow(clippy::too_many_arguments)]
fn right<'a>(
    text: &str,
    sent: &Sent<'a>,
    pos: usize,
    ci: usize,
    ok: &dyn Fn(&Ment) -> bool,
    types: &[EntityKind],
    preps: &[String],
    multi: bool,
) -> Vec<Ment> {
    // The object may sit in the next clause of a list ("countries, including X"),
    // but not behind a relative or contrasting clause or a hard break.
    let limit = sent.clauses.list_end(ci).min(pos + 160);
    // Halves of a hyphenated pair ("the Italy-Albania protocol") are not
    // arguments on their own.
    let compound_half = |m: &Ment| {
        let after = text[m.end..].starts_with(['-', '–'])
            && sent.ms.iter().any(|n| n.start > m.end && n.start <= m.end + 3);
        let before = text[..m.start].ends_with(['-', '–'])
            && sent.ms.iter().any(|n| n.end < m.start && n.end + 3 >= m.start);
        after || before
    };
    let cand = sent.ms.iter().find(|m| {
        m.start >= pos && m.end <= limit && kind_ok(m, types) && !compound_half(m) && {
            preps.is_empty() || prep_before(&text[pos..m.start], preps)
        }
    });
    // The nearest name of the right type is the argument; when it is not usable
    // (it is the other argument: "cooperate with EU military"), there is none.
    let Some(first) = cand.copied().filter(|m| ok(m) || possessive_follows(text, sent, m)) else {
        return Vec::new();
    };
    // "the UN’s Office for …": the possessed name, not the possessor.
    let possessed = |m: &'a Ment| -> &'a Ment {
        sent.ms
            .iter()
            .copied()
            .find(|n| n.start > m.end && possessive_gap(text, m.end, n.start) && ok(n))
            .unwrap_or(m)
    };
    let first = possessed(first);
    let mut out = vec![first.clone()];
    if multi {
        let mut last = first;
        for m in sent.ms.iter().copied().filter(|m| m.start > first.end && m.end <= sent.end) {
            if m.start < last.end {
                continue;
            }
            // The joiners are ASCII without a "k", the one ASCII letter a
            // non-ASCII character lower-cases to (the Kelvin sign), so an
            // ASCII case-insensitive test is the lower-cased one.
            let g = text[last.end..m.start].trim();
            let joined = [
                ", as well as",
                ", as well as the",
                ",",
                "and",
                ", and",
                "or",
                "as well as",
                "&",
                "and the",
                ", and the",
                ", the",
            ]
            .iter()
            .any(|j| g.eq_ignore_ascii_case(j));
            if !joined || !ok(m) {
                break;
            }
            let m = possessed(m);
            out.push(m.clone());
            last = m;
        }
    }
    out
}

/// Whether one of the last four words of `gap` is one of `preps` (which the
/// loader lower-cases), comparing lower-cased words.
fn prep_before(gap: &str, preps: &[String]) -> bool {
    if !gap.is_ascii() {
        let gap = gap.to_lowercase();
        let words: Vec<&str> =
            gap.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        return words.iter().rev().take(4).any(|w| preps.iter().any(|p| p == w));
    }
    // An ASCII word lower-cases byte by byte, and `preps` are lower case:
    // compared in place.
    gap.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(4)
        .any(|w| preps.iter().any(|p| w.eq_ignore_ascii_case(p)))
}

fn after_word(
    text: &str,
    sent: &Sent<'_>,
    pos: usize,
    words: &[&str],
    ok: &dyn Fn(&Ment) -> bool,
) -> Vec<Ment> {
    let span = &text[pos..sent.end];
    // On ASCII text the first occurrence within reach is found in place; other
    // text is lower-cased first, as the offsets have always been read.
    let lower = if span.is_ascii() { None } else { Some(span.to_lowercase()) };
    for w in words {
        let needle = format!(" {w} ");
        let first = match &lower {
            Some(lower) => lower.find(&needle),
            None => span.as_bytes()[..span.len().min(80 + needle.len())]
                .windows(needle.len())
                .position(|x| x.eq_ignore_ascii_case(needle.as_bytes())),
        };
        if let Some(p) = first {
            let from = pos + p + needle.len();
            if p > 80 {
                continue;
            }
            if let Some(m) =
                sent.ms.iter().find(|m| m.start >= from && m.start <= from + 12 && ok(m))
            {
                return vec![(*m).clone()];
            }
        }
    }
    Vec::new()
}

/// "between A and B", "A and B … trigger", "A, together with B, …".
fn pair(
    text: &str,
    sent: &Sent<'_>,
    h: &Hit<'_>,
    ok: &dyn Fn(&Ment) -> bool,
    types: &[EntityKind],
    subject: bool,
) -> Vec<Ment> {
    // Both halves must have an allowed type; `ok` (which also rejects the other
    // argument) is applied to the half returned only.
    let ms: Vec<&Ment> =
        sent.ms.iter().copied().filter(|m| kind_ok(m, types) && !m.nationality).collect();
    let joiner = |a: &Ment, b: &Ment| {
        let g = text[a.end..b.start].trim_start_matches(['’', '\'']).trim();
        lower_is_one_of(
            g,
            &[
                "and",
                "and the",
                ", together with",
                ", together with the",
                ", along with",
                ", along with the",
                "with",
                "with the",
                "s and",
                "s and the",
            ],
        )
    };
    let mut best: Option<(usize, &Ment, &Ment)> = None;
    for w in ms.windows(2) {
        let (a, b) = (w[0], w[1]);
        if !joiner(a, b) || a.entity == b.entity {
            continue;
        }
        // The pair must be near the trigger: right after it ("between A and B")
        // or before it in the same sentence ("A and B signed").
        let d = if b.end <= h.start && !h.rule.pair_after {
            h.start - b.end
        } else if a.start >= h.end {
            a.start - h.end
        } else {
            continue;
        };
        if d > 90 {
            continue;
        }
        if best.is_none_or(|(bd, _, _)| d < bd) {
            best = Some((d, a, b));
        }
    }
    match best {
        Some((_, a, b)) => {
            let m = if subject { a } else { b };
            if ok(m) { vec![m.clone()] } else { Vec::new() }
        }
        None => Vec::new(),
    }
}

/// "EU-Turkey deal": the hyphenated pair just before the trigger.
fn compound(text: &str, sent: &Sent<'_>, h: &Hit<'_>, subject: bool) -> Vec<Ment> {
    for w in sent.ms.windows(2) {
        let (a, b) = (w[0], w[1]);
        let gap = &text[a.end..b.start];
        if !(gap == "-" || gap == "–" || gap == "‑") || b.end > h.start || a.entity == b.entity
        {
            continue;
        }
        // Only adjectives/nouns (at most three words) between the pair and the trigger.
        let between = &text[b.end..h.start];
        if between.split_whitespace().count() > 3 || between.contains([',', ';', '(', ')']) {
            continue;
        }
        return vec![if subject { a.clone() } else { b.clone() }];
    }
    Vec::new()
}

/// The date of the statement: a date in the trigger's clause (after it first),
/// else in following clauses up to a contrast, else in earlier clauses.
/// Dates in relative clauses and "for <period>" modifiers are skipped.
fn pick_date(
    facts: &DocFacts<'_>,
    sent: &Sent<'_>,
    anchor: usize,
    rel: RelationKind,
) -> Option<When> {
    let text = facts.doc.text.as_str();
    let ci = sent.clauses.index(anchor);
    let cands: Vec<&Located<When>> = within(&facts.dates, sent.start, sent.end)
        .iter()
        .filter(|d| d.end <= sent.end)
        .filter(|d| {
            // Only the word before the date matters; never copy the text before it.
            let before = text[..d.start].trim_end();
            rel == RelationKind::Funds || !(before.ends_with(" for") || before.ends_with(" For"))
        })
        .collect();
    if cands.is_empty() {
        return None;
    }
    let in_clause = |k: usize| -> Vec<&Located<When>> {
        let (s, e) = sent.clauses.span(k);
        cands.iter().copied().filter(|d| d.start >= s && d.start < e).collect()
    };
    let here = in_clause(ci);
    if let Some(d) = here.iter().find(|d| d.start >= anchor) {
        return Some(d.value);
    }
    if let Some(d) = here.iter().rev().find(|d| d.start < anchor) {
        return Some(d.value);
    }
    let n = sent.clauses.starts.len();
    // Following clauses up to a contrast. Relative clauses date something else;
    // a clause opening with a participle (", approved in 2024,") is an aside
    // unless no later clause has a date (", resumed in late 2023").
    let mut aside: Option<When> = None;
    for k in ci + 1..n {
        if sent.clauses.is_contrast(k) {
            break;
        }
        if sent.clauses.is_relative(k) {
            continue;
        }
        if let Some(d) = in_clause(k).first() {
            if sent.clauses.leads_with_participle(k) {
                aside = aside.or(Some(d.value));
                continue;
            }
            return Some(d.value);
        }
    }
    if aside.is_some() {
        return aside;
    }
    for k in (0..ci).rev() {
        if sent.clauses.is_relative(k) {
            continue;
        }
        if let Some(d) = in_clause(k).last() {
            return Some(d.value);
        }
    }
    None
}

/// The amount stated for an object: in its clause, close to it, and with no
/// other name between the two ("the €20m A initiative and the B project":
/// the amount is A's, not B's).
fn amount_near(facts: &DocFacts<'_>, sent: &Sent<'_>, obj: &Ment) -> Option<Money> {
    let ci = sent.clauses.index(obj.start);
    let (cs, ce) = sent.clauses.span(ci);
    within(&facts.amounts, cs.min(sent.end), ce.max(sent.start))
        .iter()
        .filter(|a| a.end <= ce.max(sent.start))
        .filter(|a| {
            let (lo, hi) = if a.start >= obj.end { (obj.end, a.start) } else { (a.end, obj.start) };
            !sent.ms.iter().any(|m| m.start >= lo && m.end <= hi && m.start < m.end)
        })
        .map(|a| {
            (
                if a.start >= obj.end {
                    a.start - obj.end
                } else {
                    obj.start.saturating_sub(a.end)
                },
                a,
            )
        })
        .filter(|(d, _)| *d <= 60)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a.value.clone())
}

/// Verbs of receiving money: the party before them is a recipient.
const RECEIVE_VERBS: &[&str] =
    &["received", "receives", "receive", "receiving", "gets", "got", "obtained", "obtains"];

/// Verbs of giving money: the party before them is the funder, not a recipient.
const GIVE_VERBS: &[&str] = &[
    "finance",
    "finances",
    "financed",
    "financing",
    "fund",
    "funds",
    "funded",
    "funding",
    "pay",
    "pays",
    "paid",
    "give",
    "gives",
    "gave",
    "provide",
    "provides",
    "provided",
    "pledge",
    "pledges",
    "pledged",
    "contribute",
    "contributes",
    "contributed",
    "donate",
    "donates",
    "donated",
    "grant",
    "grants",
    "granted",
    "allocate",
    "allocates",
    "allocated",
    "earmark",
    "earmarks",
    "earmarked",
    "offer",
    "offers",
    "offered",
    "lend",
    "lends",
    "lent",
    "spend",
    "spends",
    "spent",
    "invest",
    "invests",
    "invested",
    "commit",
    "commits",
    "committed",
];

/// True when one of `words` occurs as a whole word in `gap` (case-insensitive).
fn has_word(gap: &str, words: &[&str]) -> bool {
    gap.split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
}

/// True when the gap between an amount and a name says where the money comes
/// from: "from", "from the", or a short verb phrase ending so ("comes from
/// the", "will be drawn from").
fn from_gap(gap: &str) -> bool {
    let words: Vec<&str> = gap.split_whitespace().collect();
    let n = words.len();
    let head = match words.last() {
        Some(w) if w.eq_ignore_ascii_case("the") => n.saturating_sub(1),
        _ => n,
    };
    (1..=4).contains(&head)
        && words[head - 1].eq_ignore_ascii_case("from")
        && words[..head - 1].iter().all(|w| w.chars().all(|c| c.is_lowercase()))
}

/// `funds` anchored on an amount: "€55 million to help … Morocco and Tunisia",
/// "a €46 million programme … in Libya", "an €8m project with the IDMC".
/// The funder is a named party just before the amount or "by X"; otherwise
/// the unnamed EU side.
fn money_relations(
    facts: &DocFacts<'_>,
    res: &Resources,
    sent: &Sent<'_>,
    carry: &Carry<'_>,
    out: &mut Vec<Relation>,
) {
    let text = facts.doc.text.as_str();
    // An amount is itself a money word; prices and fees are not funding.
    if facts.cues.money_exclude.any(text, sent.start, sent.end, false) {
        return;
    }
    let recipient_ok = |m: &Ment| {
        matches!(
            m.kind,
            EntityKind::Country
                | EntityKind::Programme
                | EntityKind::NGO
                | EntityKind::InternationalOrganisation
                | EntityKind::Authority
                | EntityKind::Mission
        ) && !m.nationality
    };
    let fund_name = |m: &Ment| {
        facts.found.entities.get(&m.entity).is_some_and(|e| {
            ["fund", "facility", "instrument", "bank"].iter().any(|w| lower_contains(&e.name, w))
        })
    };
    let funder_ok = |m: &Ment| {
        !m.nationality
            && match m.kind {
                EntityKind::Country
                | EntityKind::InternationalOrganisation
                | EntityKind::EUAgency => true,
                EntityKind::EUInstitution => !is_body(m, facts),
                EntityKind::Programme => fund_name(m),
                EntityKind::Region
                | EntityKind::Mission
                | EntityKind::Authority
                | EntityKind::Company
                | EntityKind::NGO
                | EntityKind::Person
                | EntityKind::Agreement => false,
            }
    };
    let amounts = within(&facts.amounts, sent.start, sent.end);
    for a in amounts.iter().filter(|a| a.end <= sent.end) {
        let ci = sent.clauses.index(a.start);
        if negated(facts, res, sent, a.start, a.end) {
            continue;
        }
        // Recipients: right of the amount in its clause (and list continuations).
        let mut limit = sent.clauses.list_end(ci);
        // Stop at the next amount: it has its own recipients.
        if let Some(next) = amounts.iter().find(|b| b.start > a.end && b.start < limit) {
            limit = next.start;
        }
        // "€8 million from the X instrument will pay for …": X is the funder.
        let from_funder = sent
            .ms
            .iter()
            .find(|m| m.start >= a.end && from_gap(&text[a.end..m.start]))
            .filter(|m| funder_ok(m));
        // "IOM received €12m …": a party that receives the amount is its
        // recipient, whatever follows.
        let receiver = sent
            .ms
            .iter()
            .rev()
            .find(|m| {
                m.end <= a.start
                    && a.start - m.end < 70
                    && recipient_ok(m)
                    && has_word(&text[m.end..a.start], RECEIVE_VERBS)
            })
            .filter(|m| !has_word(&text[m.end..a.start], GIVE_VERBS));
        let mut recipients: Vec<&Ment> = receiver.into_iter().copied().collect();
        if recipients.is_empty()
            && let Some(first) = sent.ms.iter().find(|m| {
                m.start >= a.end
                    && m.end <= limit.min(a.end + 160)
                    && recipient_ok(m)
                    && from_funder.is_none_or(|f| f.start != m.start)
            })
        {
            recipients.push(first);
            let mut last = *first;
            for m in sent.ms.iter().filter(|m| m.start > first.start && m.end <= limit) {
                let g = text[last.end..m.start].trim();
                if !lower_is_one_of(g, &["and", ",", ", and", "and the"]) || !recipient_ok(m) {
                    break;
                }
                recipients.push(m);
                last = m;
            }
        }
        if recipients.is_empty() {
            // "Egypt’s priorities for … the €200m": the nearest state before it,
            // unless it is the one giving ("Germany will finance it with €5m").
            if let Some(m) = sent.ms.iter().rev().find(|m| {
                m.end <= a.start
                    && a.start - m.end < 200
                    && m.kind == EntityKind::Country
                    && !m.nationality
            }) && !has_word(&text[m.end..a.start], GIVE_VERBS)
            {
                recipients.push(m);
            }
        }
        if recipients.is_empty() {
            continue;
        }
        let funder = from_funder
            .map(|m| (*m).clone())
            .or_else(|| {
                sent.ms
                    .iter()
                    .rev()
                    .find(|m| {
                        m.end <= a.start
                            && a.start - m.end < 70
                            && funder_ok(m)
                            && receiver.is_none_or(|r| r.start > m.start)
                            && !recipients.iter().any(|r| r.entity == m.entity)
                            && !is_reporter(text, res, m)
                    })
                    .map(|m| (*m).clone())
            })
            .or_else(|| after_word(text, sent, a.end, &["by"], &funder_ok).into_iter().next())
            .or_else(|| match pronoun_subject(text, sent, carry, a.start, &funder_ok) {
                Some(found) => found,
                None => default_eu(res, a.start),
            });
        let Some(funder) = funder else { continue };
        for r in recipients {
            if r.entity == funder.entity {
                continue;
            }
            let when = pick_date(facts, sent, a.start, RelationKind::Funds);
            let qs = funder.start.min(a.start).max(sent.start);
            let qs = if funder.how == "default-eu" { a.start } else { qs };
            let ev = evidence(facts.doc, sent, qs.min(r.start), r.end.max(a.end), "funds.amount");
            out.push(relation(
                &funder.entity,
                RelationKind::Funds,
                &r.entity,
                Some(a.value.clone()),
                when,
                ev,
            ));
        }
    }
}
