//! Projection: a [`KnowledgeGraph`] filtered by a [`ViewOptions`] onto a petgraph
//! graph of entities and aggregated relations, with node metrics.
//!
//! This is the one place where filters and aggregation live, so every format shows
//! the same nodes and edges. It builds data and never writes bytes. Nodes are inserted
//! in [`EntityId`] order and edges in (source, target, relation) order, which makes
//! petgraph's index order the canonical output order.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

use super::{ENTITY_BASE, ExportError, clean_text, entity_iri, metrics};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Entity, EntityId, EntityKind, IsoDate, KnowledgeGraph, Money, Relation, RelationKind, When,
};

/// Which part of the knowledge graph to export, shared by every format.
///
/// There is no `Default`: start from [`ViewOptions::all`] and narrow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewOptions {
    /// Keep only statements of these relation kinds. All kinds when `None`.
    pub relations: Option<BTreeSet<RelationKind>>,
    /// Keep only statements whose dates reach this date or later (the statement's
    /// period overlaps `[since, until]`). Undated statements are dropped when `since`
    /// or `until` is set, since nothing says they fall in the window. No bound when
    /// `None`.
    pub since: Option<IsoDate>,
    /// Keep only statements whose dates reach back to this date or earlier. No bound
    /// when `None`.
    pub until: Option<IsoDate>,
    /// Keep only the ego network of this entity (an id, an entity IRI, a name or an
    /// alias; names and aliases match case-insensitively). Whole graph when `None`.
    pub entity: Option<String>,
    /// Radius of the ego network: entities at most this many edges away from
    /// [`ViewOptions::entity`], edges taken in both directions, and every kept edge
    /// between them. Ignored without an entity. 1 in [`ViewOptions::all`].
    pub depth: usize,
    /// Drop edges supported by fewer statements; 0 and 1 keep everything. With
    /// `multi`, the count is still per (subject, relation, object). 1 in
    /// [`ViewOptions::all`].
    pub min_weight: usize,
    /// Keep only statements whose subject and object are both of these types. All
    /// types when `None`.
    pub types: Option<BTreeSet<EntityKind>>,
    /// One edge per statement instead of one per (subject, relation, object).
    /// Disabled in [`ViewOptions::all`].
    pub multi: bool,
}

impl ViewOptions {
    /// The whole graph, one edge per (subject, relation, object).
    pub fn all() -> ViewOptions {
        ViewOptions {
            relations: None,
            since: None,
            until: None,
            entity: None,
            depth: 1,
            min_weight: 1,
            types: None,
            multi: false,
        }
    }
}

/// A period of time, possibly open at either end; the ends are dates as stated.
///
/// It runs from the first day of `start` to the last day of `end` (see
/// [`IsoDate::first_day`] and [`IsoDate::last_day`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spell {
    /// Start, or unbounded in the past when `None`.
    pub start: Option<IsoDate>,
    /// End, or unbounded in the future when `None`.
    pub end: Option<IsoDate>,
}

/// A sortable key of the first day a date covers.
fn start_key(date: IsoDate) -> (i32, u8, u8) {
    (date.year, date.month.unwrap_or(1), date.day.unwrap_or(1))
}

/// A sortable key of the last day a date covers; 31 stands for the month's last day,
/// which orders the same against every real day.
fn end_key(date: IsoDate) -> (i32, u8, u8) {
    (date.year, date.month.unwrap_or(12), date.day.unwrap_or(31))
}

impl Spell {
    /// The period a statement's date gives; a period stated backwards (end before
    /// start) is turned around, since readers reject such spells.
    pub fn of(when: &When) -> Spell {
        match (when.start(), when.end()) {
            (Some(start), Some(end)) if start_key(start) > end_key(end) => {
                Spell { start: Some(end), end: Some(start) }
            }
            (start, end) => Spell { start, end },
        }
    }

    /// The first day as `YYYY-MM-DD`, if bounded.
    pub fn start_day(&self) -> Option<String> {
        self.start.map(|d| d.first_day())
    }

    /// The last day as `YYYY-MM-DD`, if bounded.
    pub fn end_day(&self) -> Option<String> {
        self.end.map(|d| d.last_day())
    }

    /// Whether the two periods share at least one day.
    fn overlaps(&self, other: &Spell) -> bool {
        let starts_before_other_ends = match (self.start, other.end) {
            (Some(s), Some(e)) => start_key(s) <= end_key(e),
            _ => true,
        };
        let ends_after_other_starts = match (self.end, other.start) {
            (Some(e), Some(s)) => end_key(e) >= start_key(s),
            _ => true,
        };
        starts_before_other_ends && ends_after_other_starts
    }
}

/// Sorts spells and merges the overlapping ones, so that readers which reject
/// overlapping intervals (Gephi's interval sets) get a clean list.
fn merge_spells(mut spells: Vec<Spell>) -> Vec<Spell> {
    spells.sort_by_key(|s| {
        (s.start.map(start_key), s.end.map(end_key).is_none(), s.end.map(end_key))
    });
    let mut merged: Vec<Spell> = Vec::with_capacity(spells.len());
    for spell in spells {
        match merged.last_mut() {
            Some(last) if last.overlaps(&spell) => {
                last.end = match (last.end, spell.end) {
                    (Some(a), Some(b)) => Some(if end_key(b) > end_key(a) { b } else { a }),
                    _ => None,
                };
            }
            _ => merged.push(spell),
        }
    }
    // A period open at both ends is "always", which readers express by no spells.
    if merged.iter().any(|s| s.start.is_none() && s.end.is_none()) {
        merged.clear();
    }
    merged
}

/// Metrics of one node within the projection.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NodeMetrics {
    /// Number of incident edges, both directions.
    pub degree: usize,
    /// Sum of the weights of incident edges.
    pub weighted_degree: usize,
    /// PageRank (damping 0.85; symmetric edges pass rank both ways).
    pub pagerank: f64,
    /// Weakly connected component, 0 = largest.
    pub component: usize,
    /// Louvain community, 0 = largest.
    pub community: usize,
}

/// An entity as a node of the projection.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeData {
    /// The entity id.
    pub id: EntityId,
    /// The entity IRI, used as node id in every format.
    pub iri: String,
    /// Canonical name, cleaned of control characters.
    pub label: String,
    /// Entity type.
    pub kind: EntityKind,
    /// Wikidata item id.
    pub wikidata: Option<String>,
    /// ISO 3166-1 alpha-3 code.
    pub iso3: Option<String>,
    /// Metrics within the projection.
    pub metrics: NodeMetrics,
    /// When the node is present: the union of its edges' spells, or empty (always
    /// present) when one of its edges is undated.
    pub spells: Vec<Spell>,
}

/// One or more statements of the same (subject, relation, object), aggregated.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeData {
    /// Deterministic edge id (`e:<source>:<relation>:<target>`, `:<n>` added with `multi`).
    pub id: String,
    /// The relation.
    pub relation: RelationKind,
    /// Number of supporting statements.
    pub weight: usize,
    /// Total of the EUR amounts, when any statement states one.
    pub amount_eur: Option<u64>,
    /// Totals in other currencies, sorted by currency code.
    pub other_amounts: Vec<Money>,
    /// Currencies stated, sorted.
    pub currencies: Vec<String>,
    /// Earliest start date stated.
    pub first_date: Option<IsoDate>,
    /// Latest end date stated.
    pub last_date: Option<IsoDate>,
    /// Ids of the supporting documents, sorted.
    pub sources: Vec<String>,
    /// Quote of the first statement (in document and offset order), cleaned.
    pub evidence: String,
    /// Ids of the extraction rules, sorted.
    pub rules: Vec<String>,
    /// Merged periods of the dated statements; empty when none is dated.
    pub spells: Vec<Spell>,
}

impl EdgeData {
    /// Whether the edge has a direction (false for symmetric relations).
    pub fn directed(&self) -> bool {
        !self.relation.is_symmetric()
    }

    /// Aggregates statements (non-empty, in canonical order) into one edge.
    fn aggregate(id: String, relation: RelationKind, statements: &[&Relation]) -> EdgeData {
        match statements {
            [one] => EdgeData::single(id, relation, one),
            many => EdgeData::aggregate_many(id, relation, many),
        }
    }

    /// [`EdgeData::aggregate`] of one statement, without the sets and maps that
    /// several statements need; most edges of large graphs have one statement.
    fn single(id: String, relation: RelationKind, r: &Relation) -> EdgeData {
        let mut amount_eur = None;
        let mut other_amounts = Vec::new();
        let mut currencies = Vec::new();
        if let Some(money) = &r.money {
            let currency = clean_text(&money.currency);
            if currency == "EUR" {
                amount_eur = Some(money.amount);
            } else {
                other_amounts.push(Money { amount: money.amount, currency: currency.clone() });
            }
            currencies.push(currency);
        }
        EdgeData {
            id,
            relation,
            weight: 1,
            amount_eur,
            other_amounts,
            currencies,
            first_date: r.when.as_ref().and_then(When::start),
            last_date: r.when.as_ref().and_then(When::end),
            sources: vec![clean_text(&r.evidence.doc)],
            evidence: clean_text(&r.evidence.quote),
            rules: vec![clean_text(&r.evidence.rule)],
            spells: r
                .when
                .as_ref()
                .map(|when| merge_spells(vec![Spell::of(when)]))
                .unwrap_or_default(),
        }
    }

    /// [`EdgeData::aggregate`] of any number of statements.
    fn aggregate_many(id: String, relation: RelationKind, statements: &[&Relation]) -> EdgeData {
        let mut amount_eur: Option<u64> = None;
        let mut other: BTreeMap<String, u64> = BTreeMap::new();
        let mut currencies = BTreeSet::new();
        let mut first_date: Option<IsoDate> = None;
        let mut last_date: Option<IsoDate> = None;
        let mut sources = BTreeSet::new();
        let mut rules = BTreeSet::new();
        let mut spells = Vec::new();
        for r in statements {
            if let Some(money) = &r.money {
                let currency = clean_text(&money.currency);
                if currency == "EUR" {
                    amount_eur = Some(amount_eur.unwrap_or(0).saturating_add(money.amount));
                } else {
                    let total = other.entry(currency.clone()).or_insert(0);
                    *total = total.saturating_add(money.amount);
                }
                currencies.insert(currency);
            }
            if let Some(when) = &r.when {
                if let Some(start) = when.start()
                    && first_date.is_none_or(|f| (start_key(start), start) < (start_key(f), f))
                {
                    first_date = Some(start);
                }
                if let Some(end) = when.end()
                    && last_date.is_none_or(|l| (end_key(end), end) > (end_key(l), l))
                {
                    last_date = Some(end);
                }
                spells.push(Spell::of(when));
            }
            sources.insert(clean_text(&r.evidence.doc));
            rules.insert(clean_text(&r.evidence.rule));
        }
        EdgeData {
            id,
            relation,
            weight: statements.len(),
            amount_eur,
            other_amounts: other
                .into_iter()
                .map(|(currency, amount)| Money { amount, currency })
                .collect(),
            currencies: currencies.into_iter().collect(),
            first_date,
            last_date,
            sources: sources.into_iter().collect(),
            evidence: statements.first().map(|r| clean_text(&r.evidence.quote)).unwrap_or_default(),
            rules: rules.into_iter().collect(),
            spells: merge_spells(spells),
        }
    }
}

/// The filtered, aggregated graph every format is written from.
#[derive(Debug, Clone)]
pub struct Projection {
    /// Entities and aggregated relations. Node and edge indices follow the canonical
    /// order (nodes by [`EntityId`], edges by source, target, relation); symmetric
    /// relations run from the smaller to the larger id.
    pub graph: StableDiGraph<NodeData, EdgeData>,
    /// Number of documents in the knowledge graph (for file metadata).
    pub n_documents: usize,
    /// Statements that were skipped (for example, referring to an unknown entity).
    pub diagnostics: Vec<Diagnostic>,
}

impl Projection {
    /// The nodes, in canonical order.
    pub fn nodes(&self) -> impl Iterator<Item = &NodeData> + '_ {
        self.graph.node_indices().map(|n| &self.graph[n])
    }

    /// The edges with their source and target nodes, in canonical order.
    pub fn edges(&self) -> impl Iterator<Item = (&NodeData, &NodeData, &EdgeData)> + '_ {
        self.graph
            .edge_references()
            .map(|e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}

/// Finds the entity a user named by id, IRI, name or alias.
fn resolve_entity(graph: &KnowledgeGraph, query: &str) -> Result<EntityId, ExportError> {
    let q = query.trim();
    let slug = q.strip_prefix(ENTITY_BASE).unwrap_or(q);
    let id = EntityId::from_slug(slug);
    if graph.entities.contains_key(&id) {
        return Ok(id);
    }
    let wanted = q.to_lowercase();
    let by = |matches: &dyn Fn(&Entity) -> bool| -> Vec<EntityId> {
        graph.entities.values().filter(|e| matches(e)).map(|e| e.id.clone()).collect()
    };
    let by_name = by(&|e| e.name.to_lowercase() == wanted);
    let candidates = if by_name.is_empty() {
        by(&|e| e.aliases.iter().any(|a| a.to_lowercase() == wanted))
    } else {
        by_name
    };
    match candidates.as_slice() {
        [one] => Ok(one.clone()),
        [] => {
            let id = EntityId::from_name(q);
            if graph.entities.contains_key(&id) {
                Ok(id)
            } else {
                Err(ExportError::UnknownEntity { query: query.to_owned() })
            }
        }
        many => Err(ExportError::AmbiguousEntity {
            query: query.to_owned(),
            candidates: many.iter().map(EntityId::as_str).collect::<Vec<_>>().join(", "),
        }),
    }
}

/// A statement that passed the filters, keyed by its edge: entity numbers (symmetric
/// relations with the smaller first), relation, and its index in the graph's
/// relations.
struct Keyed {
    s: u32,
    o: u32,
    kind: RelationKind,
    statement: u32,
}

/// The statements of one (source, target, relation): a range of the sorted [`Keyed`].
struct Group {
    s: u32,
    o: u32,
    kind: RelationKind,
    statements: std::ops::Range<usize>,
}

/// A position as `u32`. Entity and relation counts stay far below 2^32 (a graph that
/// large would not fit in memory as a [`KnowledgeGraph`]); petgraph's default
/// indices are `u32` for the same reason.
fn node32(pos: usize) -> u32 {
    u32::try_from(pos).unwrap_or(u32::MAX)
}

/// The canonical order of statements within one edge: document, quote offsets, rule,
/// then the rest of the evidence, the date and the money.
fn statement_order(a: &Relation, b: &Relation) -> std::cmp::Ordering {
    let (x, y) = (&a.evidence, &b.evidence);
    (&x.doc, x.quote_start, x.quote_end, &x.rule, x, a.when, &a.money).cmp(&(
        &y.doc,
        y.quote_start,
        y.quote_end,
        &y.rule,
        y,
        b.when,
        &b.money,
    ))
}

/// Projects a knowledge graph through a view.
///
/// Steps, in order: drop statements by relation kind, entity types and time window;
/// group the rest by (subject, relation, object), symmetric relations with the smaller
/// id first; drop groups with fewer than `min_weight` statements; keep the ego network
/// of `entity` to `depth`; keep the entities that a remaining edge touches (and the ego
/// entity); compute metrics.
///
/// Statements whose subject or object is not among the entities are skipped with a
/// diagnostic.
///
/// # Errors
/// [`ExportError::UnknownEntity`] or [`ExportError::AmbiguousEntity`] when
/// `view.entity` names no single entity, [`ExportError::EmptyWindow`] when `since` is
/// after `until`.
pub fn project(graph: &KnowledgeGraph, view: &ViewOptions) -> Result<Projection, ExportError> {
    let _span = tracing::info_span!("project").entered();
    let window = Spell { start: view.since, end: view.until };
    if let (Some(since), Some(until)) = (view.since, view.until)
        && start_key(since) > end_key(until)
    {
        return Err(ExportError::EmptyWindow {
            since: since.to_string(),
            until: until.to_string(),
        });
    }
    let center = view.entity.as_deref().map(|q| resolve_entity(graph, q)).transpose()?;
    let mut diagnostics = Vec::new();

    // Entities get dense numbers in id order once, so grouping, filtering and the
    // ego network compare integers; number order is id order, so sorting by number
    // gives the canonical order.
    let ids: Vec<&EntityId> = graph.entities.keys().collect();
    let entities: Vec<&Entity> = graph.entities.values().collect();
    let number: HashMap<&EntityId, u32> =
        ids.iter().enumerate().map(|(i, id)| (*id, node32(i))).collect();

    let mut keyed: Vec<Keyed> = Vec::with_capacity(graph.relations.len());
    for (at, r) in graph.relations.iter().enumerate() {
        let (Some(&si), Some(&oi)) = (number.get(&r.subject), number.get(&r.object)) else {
            diagnostics.push(Diagnostic::warning(
                &r.evidence.doc,
                format!(
                    "relation {} {} {} names an entity missing from the graph; skipped",
                    r.subject, r.kind, r.object
                ),
            ));
            continue;
        };
        if view.relations.as_ref().is_some_and(|kinds| !kinds.contains(&r.kind)) {
            continue;
        }
        let (subject, object) = (entities[si as usize], entities[oi as usize]);
        if view
            .types
            .as_ref()
            .is_some_and(|types| !types.contains(&subject.kind) || !types.contains(&object.kind))
        {
            continue;
        }
        if view.since.is_some() || view.until.is_some() {
            match &r.when {
                Some(when) if Spell::of(when).overlaps(&window) => {}
                _ => continue,
            }
        }
        let (s, o) = if r.kind.is_symmetric() && oi < si { (oi, si) } else { (si, oi) };
        keyed.push(Keyed { s, o, kind: r.kind, statement: node32(at) });
    }
    drop(number);
    // Groups by (source, target, relation), each in canonical statement order:
    // document, quote offset, then everything else, so that the first quote and the
    // `multi` numbering do not depend on input order.
    let relations = &graph.relations;
    keyed.sort_unstable_by(|a, b| {
        (a.s, a.o, a.kind).cmp(&(b.s, b.o, b.kind)).then_with(|| {
            statement_order(&relations[a.statement as usize], &relations[b.statement as usize])
        })
    });
    let mut groups: Vec<Group> = Vec::new();
    let mut start = 0;
    while start < keyed.len() {
        let k = &keyed[start];
        let end = start
            + keyed[start..]
                .iter()
                .take_while(|x| (x.s, x.o, x.kind) == (k.s, k.o, k.kind))
                .count();
        if end - start >= view.min_weight {
            groups.push(Group { s: k.s, o: k.o, kind: k.kind, statements: start..end });
        }
        start = end;
    }
    let center = center.as_ref().and_then(|c| ids.iter().position(|id| *id == c)).map(node32);
    if let Some(center) = center {
        let kept = ego_network(ids.len(), &groups, center, view.depth);
        groups.retain(|g| kept[g.s as usize] && kept[g.o as usize]);
    }

    let mut used = vec![false; ids.len()];
    for group in &groups {
        used[group.s as usize] = true;
        used[group.o as usize] = true;
    }
    if let Some(center) = center {
        used[center as usize] = true;
    }

    let n_nodes = used.iter().filter(|u| **u).count();
    let n_edges =
        if view.multi { groups.iter().map(|g| g.statements.len()).sum() } else { groups.len() };
    let mut g = StableDiGraph::with_capacity(n_nodes, n_edges);
    let mut index: Vec<Option<NodeIndex>> = vec![None; ids.len()];
    for (i, id) in ids.iter().enumerate() {
        if used[i] {
            index[i] = Some(g.add_node(node_data(id, entities[i])));
        }
    }
    let mut statements: Vec<&Relation> = Vec::new();
    for group in &groups {
        let (Some(si), Some(oi)) = (index[group.s as usize], index[group.o as usize]) else {
            continue;
        };
        // The node IRIs end in the encoded slugs that edge ids are made of.
        let slug = |n: NodeIndex| g[n].iri.get(ENTITY_BASE.len()..).unwrap_or_default();
        let kind = group.kind;
        let id = format!("e:{}:{kind}:{}", slug(si), slug(oi));
        statements.clear();
        statements.extend(
            keyed[group.statements.clone()].iter().map(|k| &relations[k.statement as usize]),
        );
        if view.multi {
            for (n, statement) in statements.iter().enumerate() {
                let data = EdgeData::aggregate(format!("{id}:{}", n + 1), kind, &[statement]);
                g.add_edge(si, oi, data);
            }
        } else {
            g.add_edge(si, oi, EdgeData::aggregate(id, kind, &statements));
        }
    }
    drop(keyed);
    set_node_spells(&mut g);
    set_metrics(&mut g);
    tracing::info!(
        nodes = g.node_count(),
        edges = g.edge_count(),
        skipped = diagnostics.len(),
        "projected knowledge graph"
    );
    Ok(Projection { graph: g, n_documents: graph.documents.len(), diagnostics })
}

/// The node of an entity stored under `id`, metrics not yet computed.
///
/// The map key, not `entity.id`, names the node, because relations refer to keys.
fn node_data(id: &EntityId, entity: &Entity) -> NodeData {
    let clean_opt = |v: &Option<String>| v.as_deref().map(clean_text).filter(|v| !v.is_empty());
    NodeData {
        id: id.clone(),
        iri: entity_iri(id),
        label: clean_text(&entity.name),
        kind: entity.kind,
        wikidata: clean_opt(&entity.wikidata),
        iso3: clean_opt(&entity.iso3),
        metrics: NodeMetrics::default(),
        spells: Vec::new(),
    }
}

/// The entities within `depth` edges of `center`, edges taken in both directions, as
/// a flag per entity number.
fn ego_network(n: usize, groups: &[Group], center: u32, depth: usize) -> Vec<bool> {
    // Neighbour lists in compressed sparse rows.
    let mut offsets = vec![0usize; n + 1];
    for g in groups {
        offsets[g.s as usize + 1] += 1;
        offsets[g.o as usize + 1] += 1;
    }
    for i in 0..n {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut neighbours = vec![0u32; offsets[n]];
    for g in groups {
        neighbours[fill[g.s as usize]] = g.o;
        fill[g.s as usize] += 1;
        neighbours[fill[g.o as usize]] = g.s;
        fill[g.o as usize] += 1;
    }
    let mut seen = vec![false; n];
    let Some(flag) = seen.get_mut(center as usize) else { return seen };
    *flag = true;
    let mut queue = VecDeque::from([(center, 0)]);
    while let Some((id, d)) = queue.pop_front() {
        if d == depth {
            continue;
        }
        for &next in &neighbours[offsets[id as usize]..offsets[id as usize + 1]] {
            if !seen[next as usize] {
                seen[next as usize] = true;
                queue.push_back((next, d + 1));
            }
        }
    }
    seen
}

/// Gives each node the union of its edges' spells when every edge has some.
fn set_node_spells(g: &mut StableDiGraph<NodeData, EdgeData>) {
    let nodes: Vec<NodeIndex> = g.node_indices().collect();
    for n in nodes {
        let mut spells = Vec::new();
        let mut all_dated = true;
        let mut any_edge = false;
        for e in g
            .edges_directed(n, petgraph::Direction::Outgoing)
            .chain(g.edges_directed(n, petgraph::Direction::Incoming))
        {
            any_edge = true;
            if e.weight().spells.is_empty() {
                all_dated = false;
                break;
            }
            spells.extend_from_slice(&e.weight().spells);
        }
        g[n].spells = if any_edge && all_dated { merge_spells(spells) } else { Vec::new() };
    }
}

/// Computes every node metric and stores it in the nodes.
fn set_metrics(g: &mut StableDiGraph<NodeData, EdgeData>) {
    let degree = metrics::degree(g);
    let weighted = metrics::weighted_degree(g, |e| e.weight);
    // Weights are statement counts, far below 2^52, so the conversion is exact.
    let link = |e: &EdgeData| metrics::Link { weight: e.weight as f64, symmetric: !e.directed() };
    let pagerank = metrics::pagerank(g, 0.85, link);
    let component = metrics::connected_components(g);
    let community = metrics::louvain(g, |e| e.weight as f64);
    let nodes: Vec<NodeIndex> = g.node_indices().collect();
    for (pos, n) in nodes.into_iter().enumerate() {
        g[n].metrics = NodeMetrics {
            degree: degree[pos],
            weighted_degree: weighted[pos],
            pagerank: pagerank[pos],
            component: component[pos],
            community: community[pos],
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocumentMeta, Evidence};

    fn entity(name: &str, kind: EntityKind) -> Entity {
        Entity::new(name, kind, "test")
    }

    fn rel(
        s: &str,
        kind: RelationKind,
        o: &str,
        doc: &str,
        at: usize,
        when: Option<When>,
    ) -> Relation {
        Relation {
            subject: EntityId::from_name(s),
            kind,
            object: EntityId::from_name(o),
            money: None,
            when,
            evidence: Evidence {
                doc: doc.to_owned(),
                article: None,
                sentence: format!("{s} {kind} {o}."),
                sentence_start: at,
                sentence_end: at + 10,
                quote: format!("{s} {kind} {o}"),
                quote_start: at,
                quote_end: at + 9,
                rule: format!("{kind}.test"),
            },
        }
    }

    fn at(s: &str) -> Option<When> {
        Some(When::At { date: s.parse().unwrap() })
    }

    /// A small graph: A funds B twice (2023, 2025), B cooperates with C (undated),
    /// C deploys to D (2024), E has no relation.
    fn sample() -> KnowledgeGraph {
        let mut g = KnowledgeGraph::new();
        for (name, kind) in [
            ("Alpha", EntityKind::EUInstitution),
            ("Beta", EntityKind::Country),
            ("Gamma", EntityKind::Country),
            ("Delta", EntityKind::Region),
            ("Epsilon", EntityKind::NGO),
        ] {
            let mut e = entity(name, kind);
            e.aliases.push(format!("{name} alias"));
            g.entities.insert(e.id.clone(), e);
        }
        g.documents.insert(
            "d1".into(),
            DocumentMeta {
                id: "d1".into(),
                source: "d1.txt".into(),
                title: None,
                date: None,
                content_hash: String::new(),
                n_articles: 1,
                n_sentences: 4,
            },
        );
        g.relations = vec![
            rel("Alpha", RelationKind::Funds, "Beta", "d1", 0, at("2023")),
            rel("Alpha", RelationKind::Funds, "Beta", "d1", 20, at("2025-03")),
            rel("Gamma", RelationKind::CooperatesWith, "Beta", "d1", 40, None),
            rel("Gamma", RelationKind::DeploysTo, "Delta", "d1", 60, at("2024-06-01")),
        ];
        g
    }

    fn edge_ids(p: &Projection) -> Vec<String> {
        p.edges().map(|(_, _, e)| e.id.clone()).collect()
    }

    #[test]
    fn project_collapses_and_orders_edges() {
        let p = project(&sample(), &ViewOptions::all()).unwrap();
        assert_eq!(
            p.nodes().map(|n| n.id.as_str()).collect::<Vec<_>>(),
            ["alpha", "beta", "delta", "gamma"]
        );
        assert_eq!(
            edge_ids(&p),
            ["e:alpha:funds:beta", "e:beta:cooperatesWith:gamma", "e:gamma:deploysTo:delta"]
        );
        let (_, _, funds) = p.edges().next().unwrap();
        assert_eq!(funds.weight, 2);
        assert_eq!(funds.first_date.map(|d| d.to_string()).as_deref(), Some("2023"));
        assert_eq!(funds.last_date.map(|d| d.to_string()).as_deref(), Some("2025-03"));
        assert_eq!(funds.spells.len(), 2);
        let beta = p.nodes().nth(1).unwrap();
        assert_eq!(beta.metrics.degree, 2);
        assert_eq!(beta.metrics.weighted_degree, 3);
        assert!(beta.spells.is_empty(), "an undated edge makes the node timeless");
        let alpha = p.nodes().next().unwrap();
        assert_eq!(alpha.spells.len(), 2);
    }

    #[test]
    fn project_multi_keeps_each_statement() {
        let view = ViewOptions { multi: true, ..ViewOptions::all() };
        let p = project(&sample(), &view).unwrap();
        assert_eq!(p.edge_count(), 4);
        assert_eq!(edge_ids(&p)[..2], ["e:alpha:funds:beta:1", "e:alpha:funds:beta:2"]);
    }

    #[test]
    fn project_time_window_drops_undated_and_outside() {
        let view = ViewOptions { since: Some(IsoDate::year(2024)), ..ViewOptions::all() };
        let p = project(&sample(), &view).unwrap();
        assert_eq!(edge_ids(&p), ["e:alpha:funds:beta", "e:gamma:deploysTo:delta"]);
        assert_eq!(p.edges().next().unwrap().2.weight, 1);
        let view = ViewOptions {
            since: Some(IsoDate::month(2024, 6)),
            until: Some(IsoDate::month(2024, 6)),
            ..ViewOptions::all()
        };
        assert_eq!(edge_ids(&project(&sample(), &view).unwrap()), ["e:gamma:deploysTo:delta"]);
    }

    #[test]
    fn project_rejects_inverted_window() {
        let view = ViewOptions {
            since: Some(IsoDate::year(2025)),
            until: Some(IsoDate::year(2024)),
            ..ViewOptions::all()
        };
        assert!(matches!(project(&sample(), &view), Err(ExportError::EmptyWindow { .. })));
    }

    #[test]
    fn project_ego_network_by_alias_and_depth() {
        let view = ViewOptions { entity: Some("alpha ALIAS".into()), ..ViewOptions::all() };
        let p = project(&sample(), &view).unwrap();
        assert_eq!(edge_ids(&p), ["e:alpha:funds:beta"]);
        let view = ViewOptions { entity: Some("Alpha".into()), depth: 2, ..ViewOptions::all() };
        assert_eq!(project(&sample(), &view).unwrap().edge_count(), 2);
        let view = ViewOptions { entity: Some("epsilon".into()), ..ViewOptions::all() };
        let p = project(&sample(), &view).unwrap();
        assert_eq!((p.node_count(), p.edge_count()), (1, 0));
        let iri = format!("{ENTITY_BASE}gamma");
        let view = ViewOptions { entity: Some(iri), depth: 0, ..ViewOptions::all() };
        assert_eq!(project(&sample(), &view).unwrap().node_count(), 1);
    }

    #[test]
    fn project_unknown_entity_is_an_error() {
        let view = ViewOptions { entity: Some("Omega".into()), ..ViewOptions::all() };
        let err = project(&sample(), &view).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"unknown entity "Omega": no entity has this id, name or alias"#
        );
    }

    #[test]
    fn project_ambiguous_alias_is_an_error() {
        let mut g = sample();
        for e in g.entities.values_mut() {
            e.aliases.push("Shared".into());
        }
        let view = ViewOptions { entity: Some("shared".into()), ..ViewOptions::all() };
        assert!(matches!(project(&g, &view), Err(ExportError::AmbiguousEntity { .. })));
    }

    #[test]
    fn project_filters_relations_types_and_weight() {
        let view = ViewOptions {
            relations: Some(BTreeSet::from([RelationKind::DeploysTo, RelationKind::Funds])),
            types: Some(BTreeSet::from([EntityKind::Country, EntityKind::Region])),
            ..ViewOptions::all()
        };
        assert_eq!(edge_ids(&project(&sample(), &view).unwrap()), ["e:gamma:deploysTo:delta"]);
        let view = ViewOptions { min_weight: 2, multi: true, ..ViewOptions::all() };
        let p = project(&sample(), &view).unwrap();
        assert_eq!(p.edge_count(), 2);
        assert_eq!(p.node_count(), 2);
    }

    #[test]
    fn project_skips_relations_to_missing_entities() {
        let mut g = sample();
        g.relations.push(rel("Alpha", RelationKind::Supports, "Nowhere", "d1", 80, None));
        let p = project(&g, &ViewOptions::all()).unwrap();
        assert_eq!(p.edge_count(), 3);
        assert_eq!(p.diagnostics.len(), 1);
        assert!(p.diagnostics[0].message.contains("nowhere"));
    }

    #[test]
    fn edge_single_matches_general_aggregation() {
        let money = |amount, currency: &str| Some(Money { amount, currency: currency.into() });
        let whens = [
            None,
            at("2024-05"),
            Some(When::Since { date: IsoDate::year(2023) }),
            Some(When::Until { date: IsoDate::month(2022, 2) }),
            Some(When::Between { start: IsoDate::year(2027), end: IsoDate::year(2025) }),
        ];
        for (n, when) in whens.into_iter().enumerate() {
            for m in [None, money(5, "EUR"), money(7, " US\nD ")] {
                let mut r = rel("Alpha", RelationKind::Funds, "Beta", "d\t1", n, when);
                r.money = m;
                r.evidence.quote = "  a  quote\u{1} ".into();
                let single = EdgeData::single("e".into(), r.kind, &r);
                assert_eq!(single, EdgeData::aggregate_many("e".into(), r.kind, &[&r]));
            }
        }
    }

    #[test]
    fn spell_of_turns_backwards_period_around() {
        let when = When::Between { start: IsoDate::year(2027), end: IsoDate::month(2024, 2) };
        let spell = Spell::of(&when);
        assert_eq!(
            (spell.start_day(), spell.end_day()),
            (Some("2024-02-01".into()), Some("2027-12-31".into()))
        );
    }

    #[test]
    fn merge_spells_joins_overlaps_and_open_ends() {
        let d = |s: &str| Some(s.parse::<IsoDate>().unwrap());
        let spells = vec![
            Spell { start: d("2025"), end: d("2025") },
            Spell { start: d("2024-06"), end: d("2025-02") },
            Spell { start: d("2020"), end: d("2020") },
            Spell { start: None, end: d("2019-05") },
            Spell { start: d("2025-12-31"), end: None },
        ];
        let merged = merge_spells(spells);
        let shown: Vec<(Option<String>, Option<String>)> =
            merged.iter().map(|s| (s.start_day(), s.end_day())).collect();
        assert_eq!(
            shown,
            [
                (None, Some("2019-05-31".into())),
                (Some("2020-01-01".into()), Some("2020-12-31".into())),
                (Some("2024-06-01".into()), None),
            ]
        );
        let always =
            vec![Spell { start: None, end: d("2020") }, Spell { start: d("2019"), end: None }];
        assert!(merge_spells(always).is_empty());
    }
}
