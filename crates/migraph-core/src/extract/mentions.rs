//! Mention finding: where the document names an entity, and which one.
//!
//! Sources, strongest first: people introduced by a role title ("Commissioner
//! Ylva Johansson", "Italian Premier Giorgia Meloni") or speaking for an
//! organisation ("X of the IRC"), names discovered from the text (acronyms
//! defined in parentheses, capitalised names with a cue word, named projects,
//! "the X group", an organisation's own board), gazetteer names (including
//! known office holders, who stand for the body they act for), demonyms in a
//! context that makes them a state ("the Somali government", "Senegalese
//! police"), a nationality ("Afghan migrants") or a place ("the Greek islands"),
//! and in-document coreference (surnames, defined acronyms, "the Commissioner",
//! "the presidency", "the working party"). Overlaps are resolved longest first.
//! This module does not build relations (it only records the `memberOf` facts
//! that role titles state).

use rustc_hash::FxHashMap as HashMap;

use super::resources::{CaseRule, DocScan, Hits, Resources, RoleSpec, SurfaceKind};
use super::text::{Tok, boundary_after, boundary_before, possessive_gap, tokens};
use crate::model::{Entity, EntityId, EntityKind};

/// An internal mention: what relations see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ment {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The entity the mention stands for in relations (an office holder's body or state).
    pub(crate) entity: EntityId,
    pub(crate) kind: EntityKind,
    /// How it was recognised.
    pub(crate) how: &'static str,
    /// The person, when the mention is a person acting in office.
    pub(crate) person: Option<EntityId>,
    /// A demonym read as the nationality of people ("Afghan migrants").
    pub(crate) nationality: bool,
    /// Ranking for overlaps: higher wins at equal length.
    prio: u8,
}

impl Ment {
    /// A mention that is not in the text (a default or carried-over argument).
    pub(crate) fn synthetic(
        entity: EntityId,
        kind: EntityKind,
        at: usize,
        how: &'static str,
    ) -> Ment {
        Ment { start: at, end: at, entity, kind, how, person: None, nationality: false, prio: 0 }
    }
}

/// A `memberOf` fact read off a role title, with the span that states it.
#[derive(Debug, Clone)]
pub(crate) struct RoleFact {
    /// Rule id for the evidence.
    pub(crate) rule: &'static str,
    pub(crate) person: EntityId,
    pub(crate) body: EntityId,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Everything mention finding learnt about a document.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) mentions: Vec<Ment>,
    pub(crate) entities: HashMap<EntityId, Entity>,
    pub(crate) roles: Vec<RoleFact>,
    /// The document's word tokens, for the relation rules to reuse.
    pub(crate) toks: Vec<Tok>,
}

const CONNECTORS: &[&str] = &["of", "for", "on", "and", "the", "de", "des", "du", "la", "pour"];
/// Capitalised words that start a sentence or phrase, not a name.
const NON_NAME_STARTS: &[&str] = &[
    "In",
    "On",
    "At",
    "By",
    "From",
    "After",
    "Before",
    "During",
    "Since",
    "Last",
    "Meanwhile",
    "Under",
    "For",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const DETERMINERS: &[&str] = &["The", "A", "An", "This", "That", "These", "Its", "Their", "Our"];
const PARTICLES: &[&str] = &[
    "von", "der", "van", "den", "de", "da", "di", "al", "el", "bin", "ben", "le", "la", "du",
    "dos", "das",
];

struct Ctx<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    res: &'a Resources,
    found: Found,
    cands: Vec<Ment>,
    /// `cands[..sorted]` is sorted by start; later pushes are appended unsorted.
    sorted: usize,
}

/// No mention is longer than this many bytes; bounds the neighbourhood searches.
const MAX_MENTION: usize = 400;

/// Finds every mention in `text`.
pub(crate) fn find(text: &str, res: &Resources, scan: &mut DocScan) -> Found {
    let mut cx = Ctx {
        text,
        toks: tokens(text),
        res,
        found: Found::default(),
        cands: Vec::new(),
        sorted: 0,
    };
    cx.gazetteer(&std::mem::take(&mut scan.gazetteer));
    cx.org_bodies();
    cx.roles(&std::mem::take(&mut scan.role));
    cx.people_of_orgs();
    cx.acronyms();
    cx.cue_names();
    cx.group_names();
    cx.projects();
    cx.resolve_overlaps();
    cx.coref();
    cx.resolve_overlaps();
    cx.drop_bare_institutions();
    cx.found.mentions = std::mem::take(&mut cx.cands);
    cx.found.toks = std::mem::take(&mut cx.toks);
    cx.found
}

/// Lower-cased word list membership.
fn has(list: &[String], w: &str) -> bool {
    // The length test first, inline: most listed words differ in length, and
    // it spares a call per listed word on the hot mention-finding paths.
    list.iter().any(|x| x.len() == w.len() && x.eq_ignore_ascii_case(w))
}

impl Ctx<'_> {
    /// Sorts the candidates so that [`Ctx::near`] can binary-search them.
    fn sort_cands(&mut self) {
        self.cands.sort_by_key(|m| (m.start, m.end));
        self.sorted = self.cands.len();
    }

    /// Candidates starting in `[lo, hi)`: a binary search over the sorted
    /// prefix plus the few pushed since the last sort, so that lookups around
    /// a position cost no more than the neighbourhood, whatever the document size.
    fn near(&self, lo: usize, hi: usize) -> impl Iterator<Item = &Ment> {
        let sorted = &self.cands[..self.sorted.min(self.cands.len())];
        let a = sorted.partition_point(|m| m.start < lo);
        let b = sorted.partition_point(|m| m.start < hi).max(a);
        sorted[a..b]
            .iter()
            .chain(self.cands[sorted.len()..].iter().filter(move |m| m.start >= lo && m.start < hi))
    }

    fn next_tok(&self, pos: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| t.start < pos);
        (i < self.toks.len()).then_some(i)
    }

    fn prev_tok(&self, pos: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| t.end <= pos);
        i.checked_sub(1)
    }

    fn word(&self, i: usize) -> &str {
        self.toks[i].text(self.text)
    }

    /// Whether only spaces separate token `i` from the offset `pos` before it.
    fn adjacent(&self, pos: usize, i: usize) -> bool {
        self.text[pos..self.toks[i].start].chars().all(|c| c == ' ')
    }

    fn register(&mut self, entity: Entity) -> EntityId {
        let id = entity.id.clone();
        self.found.entities.entry(id.clone()).or_insert(entity);
        id
    }

    fn gaz_entity(&mut self, entry: usize) -> (EntityId, EntityKind) {
        let e = &self.res.entries[entry].entity;
        // Clone the (alias-laden) entity only the first time the document names it.
        if !self.found.entities.contains_key(&e.id) {
            self.found.entities.insert(e.id.clone(), e.clone());
        }
        (e.id.clone(), e.kind)
    }

    fn push(
        &mut self,
        start: usize,
        end: usize,
        entity: EntityId,
        kind: EntityKind,
        how: &'static str,
        prio: u8,
    ) {
        self.cands.push(Ment {
            start,
            end,
            entity,
            kind,
            how,
            person: None,
            nationality: false,
            prio,
        });
    }

    /// Gazetteer names among the scanner's hits.
    fn gazetteer(&mut self, hits: &Hits) {
        let text = self.text;
        let mut valid: Vec<((usize, usize), usize, bool)> = Vec::new();
        for &(start, end, si) in hits {
            let m = (start, end);
            let Some(s) = self.res.surfaces.get(si) else { continue };
            let slice = &text[m.0..m.1];
            let case_ok = match s.case {
                CaseRule::Exact => slice == s.text,
                CaseRule::InitialUpper => slice.chars().next().is_some_and(char::is_uppercase),
                CaseRule::Any => true,
            };
            if !case_ok || !boundary_before(text, m.0) {
                continue;
            }
            let mut plural = false;
            if !boundary_after(text, m.1) {
                // A demonym may take a plural "s" ("Afghans") and still be a demonym.
                let rest = &text[m.1..];
                if s.kind == SurfaceKind::Demonym
                    && rest.starts_with('s')
                    && boundary_after(text, m.1 + 1)
                {
                    plural = true;
                } else {
                    continue;
                }
            }
            valid.push((m, si, plural));
        }
        // Leftmost-longest over the valid matches only, so a failed long match
        // does not hide a shorter valid one at the same place.
        valid.sort_by_key(|(m, _, _)| (m.0, std::cmp::Reverse(m.1)));
        let mut last_end = 0;
        for (m, si, plural) in valid {
            if m.0 < last_end {
                continue;
            }
            last_end = m.1;
            let (entry, surface_kind) = {
                let surface = &self.res.surfaces[si];
                (surface.entry, surface.kind)
            };
            let (id, kind) = self.gaz_entity(entry);
            match surface_kind {
                SurfaceKind::Name if kind == EntityKind::Person => {
                    // A known office holder stands for the body they act for.
                    let body =
                        self.res.member_of(&id).and_then(|b| self.res.by_id.get(&b).copied());
                    match body {
                        Some(bi) => {
                            let (bid, bk) = self.gaz_entity(bi);
                            let mut x = Ment::synthetic(bid, bk, m.0, "gazetteer-person");
                            x.end = m.1;
                            x.person = Some(id);
                            x.prio = 1;
                            self.cands.push(x);
                        }
                        None => self.push(m.0, m.1, id, kind, "gazetteer", 1),
                    }
                }
                SurfaceKind::Name => self.push(m.0, m.1, id, kind, "gazetteer", 1),
                SurfaceKind::Place => self.push(m.0, m.1, id, kind, "place", 1),
                SurfaceKind::Demonym => {
                    let end = if plural { m.1 + 1 } else { m.1 };
                    self.demonym(m.0, end, plural, id, kind);
                }
            }
        }
    }

    /// A demonym is a mention only where its context says what it stands for.
    fn demonym(&mut self, start: usize, end: usize, plural: bool, id: EntityId, kind: EntityKind) {
        let text = self.text;
        if plural {
            let m = Ment {
                start,
                end,
                entity: id,
                kind,
                how: "nationality",
                person: None,
                nationality: true,
                prio: 1,
            };
            self.cands.push(m);
            return;
        }
        let Some(mut n) = self.next_tok(end) else { return };
        if !self.adjacent(end, n) {
            return;
        }
        // "Greek and Turkish interior ministers": the first demonym shares the
        // head of the second.
        if self.word(n) == "and"
            && n + 1 < self.toks.len()
            && self.res.demonyms.contains_key(self.word(n + 1))
            && self.adjacent(self.toks[n].end, n + 1)
        {
            n += 2;
            if n >= self.toks.len() {
                return;
            }
            let w = self.word(n);
            let two = self.toks.get(n + 1).map(|t| format!("{w} {}", t.text(text)));
            let lx = &self.res.lexicon;
            if has(&lx.government_words, w)
                || two.as_ref().is_some_and(|t| has(&lx.government_words, t))
            {
                self.push(start, end, id, kind, "demonym", 1);
            }
            return;
        }
        let lx = &self.res.lexicon;
        // Two-word heads first ("Coast Guard", "asylum seekers", "prime minister").
        let w1 = self.word(n).to_owned();
        let w2 = self
            .toks
            .get(n + 1)
            .filter(|_| self.adjacent(self.toks[n].end, n + 1))
            .map(|t| t.text(text).to_owned());
        let two = w2.as_ref().map(|w| format!("{w1} {w}"));
        let matches = |list: &[String], w: &str| has(list, w) || has(list, w.trim_end_matches('s'));
        // "Border and Coast Guards": an authority noun phrase with "and".
        let three = (n + 3 < self.toks.len()).then(|| {
            format!("{} {} {} {}", w1, self.word(n + 1), self.word(n + 2), self.word(n + 3))
        });
        let demonym_text = text[start..end].to_owned();
        let auth = if let Some(t) = three.as_ref().filter(|t| matches(&lx.authority_nouns, t)) {
            Some((t.clone(), n + 3))
        } else if let Some(t) = two.as_ref().filter(|t| matches(&lx.authority_nouns, t)) {
            Some((t.clone(), n + 1))
        } else if matches(&lx.authority_nouns, &w1) {
            Some((w1.clone(), n))
        } else {
            None
        };
        // "Senegalese police" (lower case) is the state's police: the state itself.
        let raw_last = auth.as_ref().map(|(_, last)| *last);
        let auth = auth.filter(|(noun, last)| {
            let written = &text[self.toks[n].start..self.toks[*last].end];
            // Only coast guards and navies keep their own identity when written
            // in lower case ("the Libyan coast guard"); "Tunisian border guards"
            // or "Senegalese police" are the state's.
            let lower = noun.to_lowercase();
            let generic = !["coast guard", "coastguard", "navy", "national guard"]
                .iter()
                .any(|g| lower.contains(g));
            !(generic && written.chars().next().is_some_and(char::is_lowercase))
        });
        if let (None, Some(last)) = (&auth, raw_last) {
            // A generic force in lower case stands for its state.
            self.push(start, self.toks[last].end, id, kind, "demonym", 1);
            return;
        }
        if let Some((noun, last)) = auth {
            let canon = canonical_authority(&lx.authority_nouns, &noun);
            let name = format!("{demonym_text} {canon}");
            let ent = Entity::new(&name, EntityKind::Authority, "discovered:authority");
            let aid = self.register(ent);
            let e = self.toks[last].end;
            self.push(start, e, aid, EntityKind::Authority, "authority", 2);
            return;
        }
        if w1 == "Presidency" {
            let name = format!("{demonym_text} Presidency");
            let ent = Entity::new(&name, EntityKind::EUInstitution, "discovered:presidency");
            let pid = self.register(ent);
            self.push(start, self.toks[n].end, pid, EntityKind::EUInstitution, "presidency", 2);
            return;
        }
        if let Some(last) = three_gov(self, n, &lx.government_words) {
            self.push(start, self.toks[last].end, id, kind, "demonym", 1);
        } else if two.as_ref().is_some_and(|t| has(&lx.government_words, t)) {
            self.push(start, self.toks[n + 1].end, id, kind, "demonym", 1);
        } else if has(&lx.government_words, &w1) {
            self.push(start, self.toks[n].end, id, kind, "demonym", 1);
        } else if two.as_ref().is_some_and(|t| has(&lx.nationality_nouns, t))
            || has(&lx.nationality_nouns, &w1)
        {
            let m = Ment {
                start,
                end,
                entity: id,
                kind,
                how: "nationality",
                person: None,
                nationality: true,
                prio: 1,
            };
            self.cands.push(m);
        } else if has(&lx.place_nouns, &w1) {
            self.push(start, self.toks[n].end, id, kind, "demonym-place", 1);
        }
    }

    /// People introduced by a role title, and the body or state they act for.
    fn roles(&mut self, titles: &Hits) {
        self.sort_cands();
        let text = self.text;
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for &(start, end, t) in titles {
            if boundary_before(text, start)
                && boundary_after(text, end)
                && let Some(&role) = self.res.role_of_pattern.get(t)
            {
                hits.push((start, end, role));
            }
        }
        hits.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        let mut last_end = 0;
        let mut recent: Vec<(String, EntityId, Option<EntityId>)> = Vec::new();
        for (s, e, ri) in hits {
            if s < last_end {
                continue;
            }
            last_end = e;
            let role = self.res.lexicon.role[ri].clone();
            let title_lc = text[s..e].to_lowercase();
            self.role_at(s, e, &role, &title_lc, &mut recent);
        }
    }

    /// Reads the person name that follows a title (after an optional portfolio
    /// "for Home Affairs" and a comma), returning its token range.
    fn name_after(&self, pos: usize) -> Option<(usize, usize)> {
        let text = self.text;
        let lx = &self.res.lexicon;
        let mut i = self.next_tok(pos)?;
        // Allow ", " or " " only, then portfolio words and honorifics.
        let gap = &text[pos..self.toks[i].start];
        if !(gap.trim().is_empty() || gap.trim() == ",") {
            return None;
        }
        let is_country = |k: usize| {
            let t = self.toks[k];
            self.near(t.start.saturating_sub(MAX_MENTION), t.start + 1)
                .any(|m| m.kind == EntityKind::Country && m.start <= t.start && t.end <= m.end)
        };
        loop {
            let w = self.word(i);
            let skip = if has(&lx.title_words, w) || has(&lx.honorifics, w) || is_country(i) {
                true
            } else if matches!(w, "for" | "of" | "and" | "the") {
                // A connector continues the title only into portfolio words or a state.
                let n = self.toks.get(i + 1).map(|_| i + 1)?;
                let nw = self.word(n);
                if has(&lx.title_words, nw) || nw == "the" || is_country(n) {
                    true
                } else {
                    return None;
                }
            } else {
                false
            };
            if !skip {
                break;
            }
            let next = self.toks.get(i + 1)?;
            let g = text[self.toks[i].end..next.start].trim();
            if !(g.is_empty() || g == ",") {
                return None;
            }
            i += 1;
        }
        let first = i;
        let mut last = None;
        let mut j = i;
        while j < self.toks.len() && j < first + 6 {
            let w = self.word(j);
            let cap = self.toks[j].is_cap(text);
            let particle = PARTICLES.contains(&w) && j > first;
            if !(cap || particle) || has(&lx.title_words, w) && j == first {
                break;
            }
            if cap {
                last = Some(j);
            }
            let Some(next) = self.toks.get(j + 1) else { break };
            let g = &text[self.toks[j].end..next.start];
            if !g.chars().all(|c| c == ' ') || g.is_empty() {
                break;
            }
            j += 1;
        }
        let last = last?;
        // A name is two or more words; a bare surname is left to coreference.
        (last > first).then_some((first, last))
    }

    /// A person name written before ", a spokeswoman for …" (appositive).
    fn name_before(&self, title_start: usize) -> Option<(usize, usize)> {
        let text = self.text;
        let before = &text[..title_start];
        let trimmed = before.trim_end();
        let mut cut = None;
        for det in [", a", ", an", ", the", ", one of the", ", its", ", his", ", her"] {
            if trimmed.ends_with(det) {
                cut = Some(trimmed.len() - det.len());
                break;
            }
        }
        // "X, one of the group’s leaders", "X, one of Sea-Watch’s founders",
        // "X, one of Open Arms’ leaders": a short possessor between "one of"
        // and the title.
        let cut = cut.or_else(|| {
            let owner = ["’s", "'s", "’", "'"].iter().find_map(|p| trimmed.strip_suffix(p))?;
            let k = owner.rfind(", one of ")?;
            let possessor = &owner[k + ", one of ".len()..];
            (!possessor.contains(',') && possessor.split_whitespace().count() <= 4).then_some(k)
        });
        // Allow one adjective between the determiner and the title ("a senior official").
        let cut = cut.or_else(|| {
            let p = self.prev_tok(title_start)?;
            let b = &text[..self.toks[p].start];
            let b = b.trim_end();
            [", a", ", an", ", the"].iter().find(|d| b.ends_with(*d)).map(|d| b.len() - d.len())
        });
        // "Dubravka Šuica, Commissioner for …": a capitalised title right after the comma.
        let cut = cut.or_else(|| {
            let starts_cap = text[title_start..].chars().next().is_some_and(char::is_uppercase);
            (starts_cap && trimmed.ends_with(',')).then(|| trimmed.len() - 1)
        })?;
        let last = self.prev_tok(cut)?;
        if self.toks[last].end != cut || !self.toks[last].is_cap(text) {
            return None;
        }
        let mut first = last;
        while first > 0 && last - first < 4 {
            let p = first - 1;
            let g = &text[self.toks[p].end..self.toks[first].start];
            let w = self.word(p);
            if g != " " || !(self.toks[p].is_cap(text) || PARTICLES.contains(&w)) {
                break;
            }
            first = p;
        }
        while first < last && PARTICLES.contains(&self.word(first)) {
            first += 1;
        }
        (last > first).then_some((first, last))
    }

    fn role_at(
        &mut self,
        s: usize,
        e: usize,
        role: &RoleSpec,
        title_lc: &str,
        recent: &mut Vec<(String, EntityId, Option<EntityId>)>,
    ) {
        let text = self.text;
        // A known office holder's gazetteer name right after the title.
        let known_person = self.near(e, e + 3).find(|m| m.how == "gazetteer-person").cloned();
        if let Some(pm) = known_person {
            // Known office holders get `memberOf` their body whatever the title.
            if let Some(person) = pm.person.clone() {
                if let Some(body) = self.res.member_of(&person) {
                    self.found.roles.push(RoleFact {
                        rule: "memberOf.role-title",
                        person: person.clone(),
                        body,
                        start: s,
                        end: pm.end,
                    });
                }
                recent.push((title_lc.to_owned(), pm.entity.clone(), Some(person)));
            }
            return;
        }
        let named = self
            .name_after(e)
            .map(|r| (r, false))
            .or_else(|| self.name_before(s).map(|r| (r, true)));
        let Some(((f, l), before)) = named else {
            // "the Commissioner", "the President": the latest holder of that title.
            let prev = self.prev_tok(s).map(|p| self.word(p).to_owned());
            if prev.as_deref() == Some("the")
                && let Some((_, ent, person)) =
                    recent.iter().rev().find(|(t, _, _)| t == title_lc).cloned()
            {
                let kind = self.kind_of(&ent);
                self.cands.push(Ment {
                    start: s,
                    end: e,
                    entity: ent,
                    kind,
                    how: "coref-title",
                    person,
                    nationality: false,
                    prio: 2,
                });
            }
            return;
        };
        let name = text[self.toks[f].start..self.toks[l].end].to_owned();
        // A known office holder: the gazetteer says which body the title denotes.
        let known = self.res.by_id.get(&EntityId::from_name(&name)).copied();
        let known_body = match known {
            Some(i) if self.res.entries[i].entity.kind == EntityKind::Person => {
                let pid = self.res.entries[i].entity.id.clone();
                self.res
                    .member_of(&pid)
                    .and_then(|b| self.res.by_id.get(&b).copied())
                    .map(|bi| self.gaz_entity(bi))
            }
            // A gazetteer name after a title ("the Commission President, Frontex") is not a person.
            Some(_) => return,
            None => None,
        };
        // The body: fixed, the state named by a demonym/country before the title
        // or "of <Country>" in the title, or the organisation before/after it.
        let mut span_start = s;
        let body: Option<(EntityId, EntityKind)> = match (&known_body, role.body.as_str()) {
            (Some(b), _) => Some(b.clone()),
            (None, "country") => self
                .state_for_title(s, e, self.toks[f].start)
                .map(|(id, k, st)| {
                    span_start = span_start.min(st);
                    (id, k)
                })
                .or_else(|| self.recent_country(s)),
            (None, "org") => self.org_for_title(s, e),
            (None, fixed) => {
                let id = EntityId::from_name(fixed);
                self.res.by_id.get(&id).copied().map(|i| self.gaz_entity(i))
            }
        };
        let member = role.member || known_body.is_some();
        let acts = role.acts_for_body || known_body.is_some();
        let person = match known {
            Some(i) => self.gaz_entity(i).0,
            None => self.register(Entity::new(&name, EntityKind::Person, "discovered:role")),
        };
        let (ms, me) =
            if before { (self.toks[f].start, e) } else { (span_start, self.toks[l].end) };
        let (entity, kind) = match &body {
            Some((b, k)) if acts => (b.clone(), *k),
            _ => (person.clone(), EntityKind::Person),
        };
        if member && let Some((b, _)) = &body {
            self.found.roles.push(RoleFact {
                rule: "memberOf.role-title",
                person: person.clone(),
                body: b.clone(),
                start: ms,
                end: me,
            });
        }
        recent.push((title_lc.to_owned(), entity.clone(), Some(person.clone())));
        self.cands.push(Ment {
            start: ms,
            end: me,
            entity,
            kind,
            how: "role",
            person: Some(person),
            nationality: false,
            prio: 3,
        });
    }

    /// A national title without its state ("Law Minister X"): the state the
    /// text was just talking about, if one was named shortly before.
    fn recent_country(&self, s: usize) -> Option<(EntityId, EntityKind)> {
        self.near(s.saturating_sub(300 + MAX_MENTION), s)
            .filter(|m| {
                m.kind == EntityKind::Country && !m.nationality && m.end <= s && s - m.end < 300
            })
            .max_by_key(|m| m.end)
            .map(|m| (m.entity.clone(), m.kind))
    }

    fn kind_of(&self, id: &EntityId) -> EntityKind {
        self.found.entities.get(id).map(|e| e.kind).unwrap_or(EntityKind::Person)
    }

    /// The state a national title belongs to: "Italian Premier", "Slovenia’s
    /// interior minister", "Minister of Interior of Belgium".
    /// `name_start`: where the person's name begins; an "of <State>" must
    /// come before it (it belongs to the title, not to what follows the name).
    fn state_for_title(
        &mut self,
        s: usize,
        e: usize,
        name_start: usize,
    ) -> Option<(EntityId, EntityKind, usize)> {
        // Candidates already found by the gazetteer pass.
        let before = self
            .near(s.saturating_sub(MAX_MENTION), s)
            .filter(|m| m.kind == EntityKind::Country && m.end <= s)
            .filter(|m| {
                let gap = &self.text[m.end..s];
                let g = gap.trim();
                g.is_empty() || possessive_gap(self.text, m.end, s) || {
                    // "Slovenia’s then interior minister": one lower-case word between.
                    let g2 = g.trim_start_matches("’s").trim_start_matches("'s").trim();
                    !g2.contains(' ') && g2.chars().all(|c| c.is_lowercase())
                }
            })
            .max_by_key(|m| m.end)
            .map(|m| (m.entity.clone(), m.kind, m.start));
        if before.is_some() {
            return before;
        }
        // Demonyms directly before the title are not candidates yet: check the surface table.
        let p = self.prev_tok(s)?;
        let w = self.word(p);
        if self.text[self.toks[p].end..s].trim().is_empty()
            && let Some(sf) = self.res.demonyms.get(w).copied()
        {
            let (id, k) = self.gaz_entity(sf);
            return Some((id, k, self.toks[p].start));
        }
        // "… of Belgium" in the title, before the name.
        let window_end = (e + 60).min(self.text.len()).min(name_start);
        self.near(e, window_end.max(e))
            .filter(|m| m.kind == EntityKind::Country && m.end <= window_end)
            .filter(|m| self.text[..m.start].trim_end().ends_with(" of"))
            .min_by_key(|m| m.start)
            .map(|m| (m.entity.clone(), m.kind, s))
    }

    /// The organisation a title belongs to: "Frontex spokeswoman", "spokeswoman
    /// for EU border agency Frontex", "Commission President".
    fn org_for_title(&self, s: usize, e: usize) -> Option<(EntityId, EntityKind)> {
        let text = self.text;
        let before = self
            .near(s.saturating_sub(MAX_MENTION), s)
            .filter(|m| m.end <= s && m.kind != EntityKind::Person)
            .filter(|m| text[m.end..s].trim().is_empty() || possessive_gap(text, m.end, s))
            .max_by_key(|m| m.end);
        if let Some(m) = before {
            return Some((m.entity.clone(), m.kind));
        }
        // "the group’s leaders", "the charity’s director": a group noun standing
        // for the latest organisation of the text named before it.
        let lead = text[..s].trim_end();
        let owner = lead.strip_suffix("’s").or_else(|| lead.strip_suffix("'s"));
        let mut words = owner.unwrap_or("").rsplit(char::is_whitespace);
        let (noun, det) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        if det.eq_ignore_ascii_case("the") && has(&self.res.lexicon.group_nouns, noun) {
            return self
                .near(s.saturating_sub(2000), s)
                .filter(|m| {
                    m.end <= s
                        && matches!(m.kind, EntityKind::NGO | EntityKind::InternationalOrganisation)
                })
                .max_by_key(|m| m.end)
                .map(|m| (m.entity.clone(), m.kind));
        }
        let rest = &text[e..];
        for prep in [" for ", " of ", " at ", " with "] {
            if rest.starts_with(prep) {
                let from = e + prep.len();
                let limit = (from + 40).min(text.len());
                return self
                    .near(from, limit.max(from))
                    .filter(|m| m.kind != EntityKind::Person)
                    .min_by_key(|m| m.start)
                    .map(|m| (m.entity.clone(), m.kind));
            }
        }
        None
    }

    /// "Frontex's management board": an organisation's own body, named after
    /// it ("Frontex Management Board"), of the organisation's type.
    fn org_bodies(&mut self) {
        let text = self.text;
        let mut extra = Vec::new();
        for m in &self.cands {
            if !matches!(
                m.kind,
                EntityKind::EUAgency
                    | EntityKind::InternationalOrganisation
                    | EntityKind::NGO
                    | EntityKind::Company
                    | EntityKind::Mission
            ) {
                continue;
            }
            let rest = &text[m.end..];
            let Some(after) = rest.strip_prefix("’s ").or_else(|| rest.strip_prefix("'s "))
            else {
                continue;
            };
            let Some(noun) = self
                .res
                .lexicon
                .body_nouns
                .iter()
                .filter(|n| {
                    after.len() >= n.len()
                        && after.is_char_boundary(n.len())
                        && after[..n.len()].eq_ignore_ascii_case(n)
                        && boundary_after(after, n.len())
                })
                .max_by_key(|n| n.len())
            else {
                continue;
            };
            let Some(owner) = self.found.entities.get(&m.entity) else { continue };
            let title: Vec<String> = noun
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                })
                .collect();
            let name = format!("{} {}", owner.name, title.join(" "));
            let start = text.len() - after.len();
            extra.push((
                Entity::new(&name, m.kind, "discovered:org-body"),
                start,
                start + noun.len(),
                m.kind,
            ));
        }
        for (ent, s, e, kind) in extra {
            let id = self.register(ent);
            self.push(s, e, id, kind, "org-body", 2);
        }
    }

    /// "Susanna Zanfrini of the International Rescue Committee": a two- or
    /// three-word personal name right before "of (the) <organisation>" is a
    /// person speaking for that organisation (`memberOf`).
    fn people_of_orgs(&mut self) {
        self.sort_cands();
        let text = self.text;
        let orgs: Vec<Ment> = self
            .cands
            .iter()
            .filter(|m| {
                matches!(
                    m.kind,
                    EntityKind::NGO
                        | EntityKind::InternationalOrganisation
                        | EntityKind::EUAgency
                        | EntityKind::Company
                )
            })
            .cloned()
            .collect();
        for org in orgs {
            let before = &text[..org.start];
            let cut = if let Some(b) = before.strip_suffix(" of the ") {
                b.len()
            } else if let Some(b) = before.strip_suffix(" of ") {
                b.len()
            } else {
                continue;
            };
            let Some(last) = self.prev_tok(cut) else { continue };
            if self.toks[last].end != cut {
                continue;
            }
            let mut first = last;
            while first > 0 && last - first < 2 {
                let p = first - 1;
                if &text[self.toks[p].end..self.toks[first].start] != " "
                    || !self.toks[p].is_cap(text)
                {
                    break;
                }
                first = p;
            }
            let words: Vec<&str> = (first..=last).map(|k| self.word(k)).collect();
            let lx = &self.res.lexicon;
            let name_like = words.len() >= 2
                && words.iter().all(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && w.chars().skip(1).all(|c| c.is_lowercase() || c == '-')
                        && !has(&lx.title_words, w)
                        && !has(&lx.honorifics, w)
                        && !DETERMINERS.contains(w)
                });
            let (s, e) = (self.toks[first].start, self.toks[last].end);
            if !name_like
                || self.near(s.saturating_sub(MAX_MENTION), e).any(|m| m.start < e && s < m.end)
                || self.cue_kind(&text[s..e]).is_some()
            {
                continue;
            }
            // A sentence-initial capitalised word may be an ordinary word; names
            // mid-sentence or at a sentence start both pass, but not after a determiner.
            let name = text[s..e].to_owned();
            if words.iter().any(|w| self.res.surface_set.contains(*w)) {
                continue;
            }
            let person =
                self.register(Entity::new(&name, EntityKind::Person, "discovered:person-of-org"));
            self.found.roles.push(RoleFact {
                rule: "memberOf.person-of-org",
                person: person.clone(),
                body: org.entity.clone(),
                start: s,
                end: org.end,
            });
            self.cands.push(Ment {
                start: s,
                end: e,
                entity: person.clone(),
                kind: EntityKind::Person,
                how: "person-of-org",
                person: Some(person),
                nationality: false,
                prio: 2,
            });
        }
    }

    /// "Long Name (ACR)" and "ACR (Long Name)".
    fn acronyms(&mut self) {
        self.sort_cands();
        let text = self.text;
        let mut defs: Vec<(String, EntityId, EntityKind)> = Vec::new();
        for (open, _) in text.match_indices('(') {
            // Parenthesised acronyms and names are short: look no further than 160 bytes.
            let window = &text[open..];
            let Some(close_rel) = window
                .char_indices()
                .take_while(|(i, _)| *i < 160)
                .find(|(_, c)| *c == ')')
                .map(|(i, _)| i)
            else {
                continue;
            };
            let close = open + close_rel;
            let inner = text[open + 1..close].trim();
            if is_acronym(inner) && inner.len() <= 12 {
                // Long name before the parenthesis.
                let before_end = text[..open].trim_end().len();
                if let Some(m) = self
                    .near(before_end.saturating_sub(MAX_MENTION), before_end)
                    .filter(|m| m.end == before_end && m.prio <= 2)
                    .max_by_key(|m| m.end - m.start)
                {
                    defs.push((inner.to_owned(), m.entity.clone(), m.kind));
                    continue;
                }
                if let Some((ls, name)) = self.cap_run_ending_at(before_end)
                    && initials_match(inner, &name)
                {
                    // Without a cue word the type is unknown: no entity is made up.
                    let Some(kind) = self.cue_kind(&name) else { continue };
                    let mut ent = Entity::new(&name, kind, "discovered:acronym");
                    ent.aliases.push(inner.to_owned());
                    let id = self.register(ent);
                    self.push(ls, before_end, id.clone(), kind, "acronym-definition", 2);
                    defs.push((inner.to_owned(), id, kind));
                }
            } else if inner.chars().next().is_some_and(char::is_uppercase) && inner.contains(' ') {
                // "ACR (Long Name)": the acronym written first.
                let Some(p) = self.prev_tok(open) else { continue };
                let acr = self.word(p);
                if !is_acronym(acr) || !text[self.toks[p].end..open].trim().is_empty() {
                    continue;
                }
                let (ts, te) = (self.toks[p].start, self.toks[p].end);
                if self.near(ts.saturating_sub(MAX_MENTION), ts + 1).any(|m| m.end >= te) {
                    continue;
                }
                let Some(kind) = self.cue_kind(inner) else { continue };
                let mut ent = Entity::new(acr, kind, "discovered:acronym");
                ent.aliases.push(inner.to_owned());
                let acr = acr.to_owned();
                let id = self.register(ent);
                defs.push((acr, id, kind));
            }
        }
        for (acr, id, kind) in defs {
            for (pos, _) in text.match_indices(acr.as_str()) {
                let end = pos + acr.len();
                if boundary_before(text, pos) && boundary_after(text, end) {
                    self.push(pos, end, id.clone(), kind, "acronym", 2);
                }
            }
        }
    }

    /// The capitalised run (with connectors) that ends at `end`: (start, text).
    fn cap_run_ending_at(&self, end: usize) -> Option<(usize, String)> {
        let text = self.text;
        let mut i = self.prev_tok(end)?;
        if self.toks[i].end != end || !self.toks[i].is_cap(text) {
            return None;
        }
        let last = i;
        let mut first = i;
        while i > 0 {
            let p = i - 1;
            let g = &text[self.toks[p].end..self.toks[i].start];
            if g != " " {
                break;
            }
            let w = self.word(p);
            if self.toks[p].is_cap(text) {
                first = p;
            } else if !CONNECTORS.contains(&w) {
                break;
            }
            i = p;
        }
        while first < last && DETERMINERS.contains(&self.word(first)) {
            first += 1;
        }
        let s = self.toks[first].start;
        Some((s, text[s..self.toks[last].end].to_owned()))
    }

    fn cue_kind(&self, name: &str) -> Option<EntityKind> {
        let mut kind = None;
        for m in self.res.cue_ac.find_overlapping_iter(name) {
            if boundary_before(name, m.start()) && boundary_after(name, m.end()) {
                kind = Some(self.res.cue_kinds[m.pattern().as_usize()]);
            }
        }
        kind
    }

    /// Capitalised names holding a cue word: "Altaï Consulting", "Danish
    /// Institute for Human Rights", "EU Subcommittee on Justice and Security".
    fn cue_names(&mut self) {
        self.sort_cands();
        let text = self.text;
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            if !self.toks[i].is_cap(text) {
                i += 1;
                continue;
            }
            // Grow a run of capitalised words joined by spaces and connectors.
            let first = i;
            let mut last = i;
            let mut j = i + 1;
            while j < n {
                let g = &text[self.toks[j - 1].end..self.toks[j].start];
                if g != " " {
                    break;
                }
                if self.toks[j].is_cap(text) {
                    last = j;
                    j += 1;
                } else if self.word(j) == "and" && self.cue_kind(self.word(last)).is_some() {
                    // "CAE Aviation and DEA Aviation": two names, not one.
                    break;
                } else if self.word(j) == "and"
                    && j + 1 < n
                    && self.known_ends_at(self.toks[last].end)
                    && self.known_starts_at(self.toks[j + 1].start)
                {
                    // "the EU Agency for Asylum and UNHCR": two known names.
                    break;
                } else if CONNECTORS.contains(&self.word(j))
                    && self.word(j) != "the"
                    && j + 1 < n
                    && self.toks[j + 1].is_cap(text)
                    && &text[self.toks[j].end..self.toks[j + 1].start] == " "
                {
                    // "… Instrument for Bulgaria's border": a possessor with a
                    // common noun after it ends the name before the connector.
                    let after = &text[self.toks[j + 1].end..];
                    let possessed = after
                        .strip_prefix("’s ")
                        .or_else(|| after.strip_prefix("'s "))
                        .is_some_and(|rest| rest.starts_with(|c: char| c.is_lowercase()));
                    if possessed {
                        break;
                    }
                    j += 1;
                } else {
                    break;
                }
            }
            i = last + 1;
            let mut f = first;
            while f < last
                && (DETERMINERS.contains(&self.word(f))
                    || NON_NAME_STARTS.contains(&self.word(f))
                    || self.word(f) == "the")
            {
                f += 1;
            }
            // A leading "EU-Armenia" compound names the parties, not the body.
            if f < last && self.word(f).contains('-') {
                let w = self.word(f);
                let parts_known = w.split('-').all(|p| self.res.surface_set.contains(p));
                if parts_known {
                    f += 1;
                }
            }
            if f == last && !self.word(f).contains(' ') {
                // A single word is only a name with a cue if it is the cue itself; skip.
                continue;
            }
            let start = self.toks[f].start;
            let end = self.toks[last].end;
            let name = &text[start..end];
            let Some(kind) = self.cue_kind(name) else { continue };
            // "Italian Ministry of Interior": a state's government body is the state.
            if f < last {
                let w0 = self.word(f);
                let w1 = self.word(f + 1);
                let demonym = self.res.demonyms.contains_key(w0);
                if demonym && has(&self.res.lexicon.government_words, w1) {
                    continue;
                }
            }
            // The cue must end the name or be followed by a connector phrase; a cue
            // at the start ("Mission statement") is not enough.
            let first_word = self.word(f);
            if self.cue_kind(first_word).is_some()
                && f < last
                && !has(&self.res.lexicon.authority_nouns, first_word)
            {
                continue;
            }
            // Whole run already a gazetteer name: nothing to discover.
            if self.near(start.saturating_sub(MAX_MENTION), start + 1).any(|m| m.end >= end) {
                continue;
            }
            let name = name.to_owned();
            let id = self.register(Entity::new(&name, kind, "discovered:cue"));
            self.push(start, end, id, kind, "cue", 2);
        }
    }

    /// Whether a name found so far (gazetteer, role, acronym) ends at `end`.
    fn known_ends_at(&self, end: usize) -> bool {
        self.near(end.saturating_sub(MAX_MENTION), end).any(|m| m.end == end)
    }

    /// Whether a name found so far starts at `start`.
    fn known_starts_at(&self, start: usize) -> bool {
        self.near(start, start + 1).next().is_some()
    }

    /// "the Defend Europe group", "aid group Proactiva Open Arms".
    fn group_names(&mut self) {
        self.sort_cands();
        let text = self.text;
        let res = self.res;
        let nouns = &res.group_noun_set;
        for k in 0..self.toks.len() {
            let t = self.toks[k];
            let w = t.text(text);
            if !nouns.contains(w) || t.is_cap(text) {
                continue;
            }
            // Name after the noun: "group Proactiva Open Arms".
            if let Some((f, l)) = self.cap_run_after(k + 1) {
                let (s, e) = (self.toks[f].start, self.toks[l].end);
                self.discover_group(s, e);
                continue;
            }
            // Name before the noun: "the Defend Europe group".
            if k > 0
                && self.toks[k - 1].is_cap(text)
                && &text[self.toks[k - 1].end..t.start] == " "
                && let Some((s, name)) = self.cap_run_ending_at(self.toks[k - 1].end)
            {
                let e = s + name.len();
                self.discover_group(s, e);
            }
        }
    }

    fn cap_run_after(&self, i: usize) -> Option<(usize, usize)> {
        let text = self.text;
        if i >= self.toks.len()
            || !self.toks[i].is_cap(text)
            || &text[self.toks[i - 1].end..self.toks[i].start] != " "
        {
            return None;
        }
        let mut l = i;
        while l + 1 < self.toks.len()
            && l < i + 4
            && self.toks[l + 1].is_cap(text)
            && &text[self.toks[l].end..self.toks[l + 1].start] == " "
        {
            l += 1;
        }
        Some((i, l))
    }

    fn discover_group(&mut self, s: usize, e: usize) {
        let name = &self.text[s..e];
        // Known names, countries and single demonym-like words are not new groups.
        if self.near(s.saturating_sub(MAX_MENTION), s + 1).any(|m| m.end >= e)
            || !name.contains(' ') && self.res.surface_set.contains(name)
        {
            return;
        }
        let name = name.to_owned();
        let id = self.register(Entity::new(&name, EntityKind::NGO, "discovered:group"));
        self.push(s, e, id, EntityKind::NGO, "group", 2);
    }

    /// Named projects: “ResilientRemit” project, the €100m RE2CLID initiative.
    fn projects(&mut self) {
        self.sort_cands();
        let text = self.text;
        let res = self.res;
        let nouns = &res.project_noun_set;
        for k in 0..self.toks.len() {
            if !nouns.contains(self.word(k)) || k == 0 {
                continue;
            }
            // Up to two lower-case modifiers between the name and the noun.
            let mut j = k - 1;
            let mut steps = 0;
            while steps < 2 && j > 0 && self.word(j).chars().all(|c| c.is_lowercase() || c == '-') {
                j -= 1;
                steps += 1;
            }
            let t = self.toks[j];
            let w = t.text(text);
            let quoted_before = text[..t.start].ends_with('“') || text[..t.start].ends_with('"');
            let quoted_after = text[t.end..].starts_with('”') || text[t.end..].starts_with('"');
            let inner_caps = w.chars().skip(1).filter(|c| c.is_uppercase()).count() >= 1
                && w.chars().any(|c| c.is_lowercase())
                || (w.chars().filter(|c| c.is_uppercase()).count() >= 3
                    && w.chars().any(|c| c.is_ascii_digit()));
            if !(quoted_before && quoted_after || inner_caps) || !t.is_cap(text) {
                continue;
            }
            if self.near(t.start.saturating_sub(MAX_MENTION), t.start + 1).any(|m| m.end >= t.end) {
                continue;
            }
            let id = self.register(Entity::new(w, EntityKind::Programme, "discovered:project"));
            self.push(t.start, t.end, id, EntityKind::Programme, "project", 2);
        }
    }

    /// Keeps the longest mention where mentions overlap (ties: stronger source).
    fn resolve_overlaps(&mut self) {
        let c = std::mem::take(&mut self.cands);
        // Candidates are visited longest first, then stronger, then earlier,
        // ties in list order: list indices sorted by keys that end in the
        // index, so an unstable sort gives the stable order without moving
        // whole mentions.
        let order = visit_order(&c);
        // Kept spans never overlap, so the kept span starting last before a
        // candidate's end is the only one that can overlap it.
        // Kept spans as (start, end), sorted by start: a document keeps a few
        // hundred, so a sorted vector beats a tree.
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(c.len());
        // Kept candidates as (start, end, rank in the visit order, list index).
        let mut kept: Vec<(usize, usize, usize, usize)> = Vec::with_capacity(c.len());
        for (rank, &i) in order.iter().enumerate() {
            let m = &c[i];
            let at = spans.partition_point(|&(s, _)| s < m.end.max(m.start + 1));
            let clash = at
                .checked_sub(1)
                .and_then(|k| spans.get(k))
                .is_some_and(|&(s, e)| s < m.end.max(s + 1) && m.start < e);
            if clash {
                continue;
            }
            // A span already kept at the same start is replaced, as a map would.
            let at = spans.partition_point(|&(s, _)| s < m.start);
            match spans.get_mut(at) {
                Some(slot) if slot.0 == m.start => *slot = (m.start, m.end),
                Some(_) | None => spans.insert(at, (m.start, m.end)),
            }
            kept.push((m.start, m.end, rank, i));
        }
        // In text order; mentions with the same span stay in visit order.
        kept.sort_unstable();
        let mut slots: Vec<Option<Ment>> = c.into_iter().map(Some).collect();
        self.cands = kept.iter().filter_map(|&(_, _, _, i)| slots[i].take()).collect();
    }

    /// Later mentions of people by surname, and "the presidency"-style anaphors.
    fn coref(&mut self) {
        let text = self.text;
        // The mentions so far, sorted and non-overlapping (after
        // resolve_overlaps): `cands[..base_len]`, as later finds are appended.
        let base_len = self.cands.len();
        // Surnames of people found with a role: they stand for what the full mention stood for.
        let mut surnames: Vec<(String, Ment)> = Vec::new();
        for m in &self.cands {
            let Some(p) = &m.person else { continue };
            let Some(ent) = self.found.entities.get(p) else { continue };
            let words: Vec<&str> = ent.name.split(' ').collect();
            if words.len() < 2 {
                continue;
            }
            // The surname starts at the first particle ("von der Leyen") or is the last word.
            let k = words
                .iter()
                .position(|w| PARTICLES.contains(w))
                .filter(|&k| k > 0)
                .unwrap_or(words.len() - 1);
            let surname = words[k..].join(" ");
            if !surnames.iter().any(|(s, _)| *s == surname) {
                surnames.push((surname, m.clone()));
            }
        }
        for (surname, m) in surnames {
            for (pos, _) in text.match_indices(surname.as_str()) {
                let end = pos + surname.len();
                if !(boundary_before(text, pos) && boundary_after(text, end)) {
                    continue;
                }
                let mut c = m.clone();
                c.start = pos;
                c.end = end;
                c.how = "coref-surname";
                c.prio = 0;
                self.cands.push(c);
            }
        }
        // Anaphoric nouns: the most recent entity whose name holds the noun.
        const ANAPHORS: &[&str] = &[
            "presidency",
            "working party",
            "subcommittee",
            "committee",
            "mission",
            "trust fund",
            "agency",
            "board",
        ];
        let lower = text.to_ascii_lowercase();
        let base = &self.cands[..base_len];
        let mut extra = Vec::new();
        // Each entity's name and aliases, lower-cased once per document and
        // joined by NUL (which no noun holds, so a noun found in the joined
        // text is found in one of the names).
        let mut names_lc: HashMap<&EntityId, String> = HashMap::default();
        for noun in ANAPHORS {
            // A noun the text never writes cannot be anaphoric.
            if !lower.contains(noun) {
                continue;
            }
            // Its anaphoric uses: a word of its own after "the" (or "this",
            // "outgoing", "incoming") that no name covers. Texts often have
            // none ("mission" is in every "Commission"), and then no
            // antecedent need be looked for.
            let uses: Vec<(usize, usize)> = lower
                .match_indices(noun)
                .map(|(pos, _)| (pos, pos + noun.len()))
                .filter(|&(pos, end)| {
                    if !(boundary_before(text, pos) && boundary_after(text, end)) {
                        return false;
                    }
                    let before = lower[..pos].trim_end();
                    let anaphoric =
                        ["the", "outgoing", "this", "incoming"].iter().any(|d| before.ends_with(d));
                    let i = base.partition_point(|m| m.start <= pos);
                    let covered = i > 0 && base[i - 1].end >= end;
                    anaphoric && !covered
                })
                .collect();
            if uses.is_empty() {
                continue;
            }
            // Mentions (in text order) whose entity's name or alias holds the noun.
            let mut holds: HashMap<&EntityId, bool> = HashMap::default();
            let antecedents: Vec<&Ment> = base
                .iter()
                .filter(|m| {
                    *holds.entry(&m.entity).or_insert_with(|| {
                        self.found.entities.get(&m.entity).is_some_and(|e| {
                            names_lc
                                .entry(&m.entity)
                                .or_insert_with(|| {
                                    let mut all = e.name.to_lowercase();
                                    for a in &e.aliases {
                                        all.push('\0');
                                        all.push_str(&a.to_lowercase());
                                    }
                                    all
                                })
                                .contains(noun)
                        })
                    })
                })
                .collect();
            for (pos, end) in uses {
                let k = antecedents.partition_point(|m| m.end <= pos);
                let ante = k.checked_sub(1).map(|k| antecedents[k].clone());
                if let Some(mut a) = ante {
                    a.start = pos;
                    a.end = end;
                    a.how = "coref";
                    a.prio = 0;
                    extra.push(a);
                }
            }
        }
        self.cands.extend(extra);
    }

    /// A bare "Parliament" or "Council" right after a state ("Italy's
    /// Parliament", "the Italian Parliament") is that state's, not the EU's.
    fn drop_bare_institutions(&mut self) {
        let text = self.text;
        let res = self.res;
        let mut keep = vec![true; self.cands.len()];
        for (k, m) in self.cands.iter().enumerate() {
            let slice = &text[m.start..m.end];
            if slice.contains(' ') || m.kind != EntityKind::EUInstitution || m.how != "gazetteer" {
                continue;
            }
            if slice.chars().filter(|c| c.is_uppercase()).count() > 1 {
                continue;
            }
            let prev_country = k > 0 && {
                let p = &self.cands[k - 1];
                p.kind == EntityKind::Country
                    && (possessive_gap(text, p.end, m.start)
                        || text[p.end..m.start].trim().is_empty())
            };
            let prev_word = text[..m.start]
                .trim_end()
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            let prev_demonym = res.demonyms.contains_key(prev_word);
            if prev_country || prev_demonym {
                keep[k] = false;
            }
        }
        let mut it = keep.into_iter();
        self.cands.retain(|_| it.next().unwrap_or(true));
    }
}

/// A three-word government phrase after a demonym ("internal security forces").
/// The order in which [`Ctx::resolve_overlaps`] visits `cands`: longest
/// first, then higher `prio`, then earlier start, then list order.
fn visit_order(cands: &[Ment]) -> Vec<usize> {
    use std::cmp::Reverse;
    let mut keys: Vec<(Reverse<usize>, Reverse<u8>, usize, usize)> = cands
        .iter()
        .enumerate()
        .map(|(i, m)| (Reverse(m.end - m.start), Reverse(m.prio), m.start, i))
        .collect();
    keys.sort_unstable();
    keys.iter().map(|k| k.3).collect()
}

fn three_gov(cx: &Ctx<'_>, n: usize, words: &[String]) -> Option<usize> {
    if n + 2 >= cx.toks.len() {
        return None;
    }
    let t = format!("{} {} {}", cx.word(n), cx.word(n + 1), cx.word(n + 2));
    has(words, &t).then_some(n + 2)
}

/// The authority noun as listed ("coast guards" → "Coast Guard").
fn canonical_authority(list: &[String], noun: &str) -> String {
    let listed = list
        .iter()
        .find(|x| {
            x.eq_ignore_ascii_case(noun) || x.eq_ignore_ascii_case(noun.trim_end_matches('s'))
        })
        .cloned()
        .unwrap_or_else(|| noun.to_owned());
    // "Border and Coast Guards" keeps its head only: the body is the coast guard.
    let head = listed.rsplit(" and ").next().unwrap_or(&listed).to_owned();
    head.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "IOM", "EUCAP", "RE2CLID", "DG ECHO" style tokens.
fn is_acronym(s: &str) -> bool {
    let upper = s.chars().filter(|c| c.is_uppercase()).count();
    let ok = s.chars().all(|c| c.is_alphanumeric() || c == '-' || c == ' ');
    ok && upper >= 2
        && upper * 2 >= s.chars().filter(|c| c.is_alphabetic()).count()
        && s.chars().next().is_some_and(char::is_uppercase)
}

/// Whether the acronym's first letter starts the name and its letters occur,
/// in order, among the name's word initials (loosely: "ICMPD" fits
/// "International Centre for Migration Policy Development").
fn initials_match(acr: &str, name: &str) -> bool {
    let initials: Vec<char> = name
        .split([' ', '-'])
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let letters: Vec<char> =
        acr.chars().filter(|c| c.is_alphabetic()).map(|c| c.to_ascii_uppercase()).collect();
    if letters.first() != initials.first() {
        return false;
    }
    let mut it = initials.iter();
    let hits = letters.iter().filter(|l| it.any(|i| i == *l)).count();
    hits * 3 >= letters.len() * 2
}
