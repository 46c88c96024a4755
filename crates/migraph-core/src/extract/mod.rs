//! Extract: &[`Document`] + &[`Resources`] → [`Extraction`] (entities, mentions, relations).
//!
//! Money: find and parse amounts ("€200m", "EUR 1.2 billion", "$50m").
//! Dates: find and normalise date expressions, resolving relative ones against the document date.
//!
//! [`extract`] is a pure function: no I/O (resources are loaded by
//! [`Resources::load`] once, up front), no panics on any input. The stages are
//! mention finding (`mentions`: gazetteer, role titles, names discovered from
//! the text, coreference) and relation rules (`relations`: the pattern file's
//! trigger rules plus the built-in ways of writing), then one relation per
//! (document, subject, relation, object). Soft problems are returned as
//! diagnostics. The gold-format TSV writer ([`write_tsv`]) and the
//! per-relation explanation ([`explain`]) live here too, so the CLI and the
//! measuring example share them.

use rustc_hash::FxHashMap as HashMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::ingest::{Document, Span};
use crate::model::{Entity, EntityId, Relation};

pub mod amount;
pub mod date;
mod mentions;
mod relations;
mod resources;
mod text;

pub use resources::{ResourceError, Resources};

/// One occurrence of an entity in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The entity it resolves to.
    pub entity: EntityId,
    /// Where it is in the document text.
    pub span: Span,
    /// How it was recognised: `gazetteer`, `acronym`, `cue`, `coref`, `demonym`…
    /// (borrowed from the extractor's fixed names, owned when deserialised).
    pub how: std::borrow::Cow<'static, str>,
}

/// What extraction found in one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    /// Every entity mentioned (gazetteer entries and entities discovered in the text).
    pub entities: Vec<Entity>,
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
    /// Relations, deduplicated per document, in text order.
    pub relations: Vec<Relation>,
    /// Soft problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// Extracts entities and relations from one document.
///
/// Pure and total: any text, however malformed, gives a (possibly empty) result.
pub fn extract(doc: &Document, res: &Resources) -> Extraction {
    let text = doc.text.as_str();
    // One pass of the phrase automaton serves mention finding and the rules.
    let mut scan = res.scan(text);
    let mut found = mentions::find(text, res, &mut scan);
    let dates = date::find_dates(text, doc.date)
        .into_iter()
        .map(|d| relations::Located { start: d.span.start, end: d.span.end, value: d.when })
        .collect();
    let amounts = amount::find_amounts(text)
        .into_iter()
        .map(|a| relations::Located { start: a.span.start, end: a.span.end, value: a.money })
        .collect();
    let facts = relations::DocFacts::new(doc, &found, dates, amounts, scan, res);
    let mut found_rels = relations::find(&facts, res);
    drop(facts);
    // Relations must name entities the extraction lists; places of missions may
    // come from the gazetteer without a mention of their own. The rules are
    // done with the mentions' entity table, so it is moved, not copied.
    let mut entities = std::mem::take(&mut found.entities);
    for r in &found_rels {
        for id in [&r.subject, &r.object] {
            if !entities.contains_key(id)
                && let Some(e) = res.entity(id)
            {
                entities.insert(id.clone(), e.clone());
            }
        }
    }
    found_rels.retain(|r| entities.contains_key(&r.subject) && entities.contains_key(&r.object));
    let relations = dedup(found_rels);
    let mut entities: Vec<Entity> = entities.into_values().collect();
    entities.sort_by(|a, b| a.id.cmp(&b.id));
    let mentions = found
        .mentions
        .iter()
        .map(|m| Mention {
            entity: m.entity.clone(),
            span: Span { start: m.start, end: m.end },
            how: std::borrow::Cow::Borrowed(m.how),
        })
        .collect();
    Extraction { entities, mentions, relations, diagnostics: Vec::new() }
}

/// One relation per (document, subject, relation, object), symmetric relations
/// in either order: the first statement is kept as evidence, and an amount or
/// date missing there is taken from a later statement of the same relation.
fn dedup(rels: Vec<Relation>) -> Vec<Relation> {
    let mut sorted = rels;
    sorted.sort_by_key(|r| (r.evidence.quote_start, r.evidence.quote_end));
    // For each relation, the first one with its key ([`Relation::key`]), found
    // with keys borrowed from the relations rather than built for each.
    let first: Vec<usize> = {
        let mut index: HashMap<(&str, &EntityId, crate::model::RelationKind, &EntityId), usize> =
            HashMap::default();
        sorted
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let (s, o) = if r.kind.is_symmetric() && r.object < r.subject {
                    (&r.object, &r.subject)
                } else {
                    (&r.subject, &r.object)
                };
                *index.entry((r.evidence.doc.as_str(), s, r.kind, o)).or_insert(i)
            })
            .collect()
    };
    let mut order: Vec<Relation> = Vec::with_capacity(sorted.len());
    // Where each first relation went in `order`.
    let mut slot: Vec<usize> = vec![0; sorted.len()];
    for (i, r) in sorted.into_iter().enumerate() {
        let f = first[i];
        if f == i {
            slot[i] = order.len();
            order.push(r);
            continue;
        }
        let kept = &mut order[slot[f]];
        if kept.money.is_none() && r.money.is_some() {
            kept.money = r.money;
            if r.when.is_some() {
                kept.when = r.when;
            }
        } else if kept.when.is_none() && r.when.is_some() {
            kept.when = r.when;
        }
    }
    order
}

/// Writes relations in the gold TSV format of `shared/annotation-guide.md`:
/// `doc subject relation object amount_eur date evidence`, header first.
///
/// Entity ids are written as the entities' canonical names (from `entities`;
/// the id itself when unknown). Tabs and newlines in evidence become spaces.
pub fn write_tsv<W: Write>(
    mut w: W,
    relations: &[Relation],
    entities: &[Entity],
) -> io::Result<()> {
    let names: HashMap<&EntityId, &str> =
        entities.iter().map(|e| (&e.id, e.name.as_str())).collect();
    let name = |id: &EntityId| names.get(id).copied().unwrap_or(id.as_str()).to_owned();
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    writeln!(w, "doc\tsubject\trelation\tobject\tamount_eur\tdate\tevidence")?;
    for r in relations {
        writeln!(
            w,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            clean(&r.evidence.doc),
            clean(&name(&r.subject)),
            r.kind.as_str(),
            clean(&name(&r.object)),
            r.money.as_ref().map(|m| m.to_gold()).unwrap_or_default(),
            r.when.map(|d| d.to_gold()).unwrap_or_default(),
            clean(&r.evidence.quote),
        )?;
    }
    Ok(())
}

/// A human-readable account of one relation: the rule that produced it, where,
/// and the matched text — what `migraph extract --explain` prints.
pub fn explain(r: &Relation, entities: &[Entity]) -> String {
    let name = |id: &EntityId| {
        entities
            .iter()
            .find(|e| &e.id == id)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut s = format!(
        "{} {} {} [rule {}] {}:{}-{} \"{}\"",
        name(&r.subject),
        r.kind,
        name(&r.object),
        r.evidence.rule,
        r.evidence.doc,
        r.evidence.quote_start,
        r.evidence.quote_end,
        r.evidence.quote
    );
    if let Some(m) = &r.money {
        s.push_str(&format!(" amount={}", m.to_gold()));
    }
    if let Some(d) = &r.when {
        s.push_str(&format!(" date={}({})", d.to_gold(), d.role()));
    }
    s
}

#[cfg(test)]
mod tests;
