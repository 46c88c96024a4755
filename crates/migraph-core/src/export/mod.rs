//! Export: [`KnowledgeGraph`] → graph files for Gephi and other graph tools
//! (GEXF 1.3, GraphML, CSV node and edge tables, Graphviz dot).
//!
//! Every format is written from one [`Projection`]: the knowledge graph filtered by a
//! [`ViewOptions`], collapsed to one edge per (subject, relation, object) and
//! annotated with node metrics. Export never sees the RDF store (the store converts
//! itself to a [`KnowledgeGraph`] first) and never reads the clock: the same graph and
//! view give the same bytes in every run.
//!
//! # Use
//!
//! ```no_run
//! use migraph_core::export::{ViewOptions, write_all};
//! # fn run(graph: &migraph_core::model::KnowledgeGraph) -> Result<(), migraph_core::export::ExportError> {
//! let view = ViewOptions { entity: Some("Frontex".into()), depth: 2, ..ViewOptions::all() };
//! // graph.gexf, graph.graphml, nodes.csv, edges.csv, graph.dot
//! let written = write_all(graph, &view, std::path::Path::new("exports"))?;
//! # Ok(()) }
//! ```
//!
//! [`write_all`] projects once and writes every format; [`project`] followed by one
//! `write_*` function (any `impl Write`) or [`write_format`] writes a single one. The
//! filters of [`ViewOptions`] apply in this order: relation kinds, entity types and
//! time window per statement; then `min_weight` per (subject, relation, object); then
//! the ego network. Nodes are the entities that a remaining edge touches, plus the ego
//! entity; entities without any edge are left out.
//!
//! # Output contract
//!
//! This contract is user-facing (Gephi workspaces, scripts and spreadsheets depend on
//! it); change it only on purpose and update the goldens.
//!
//! ## Ids
//!
//! * A node id is the entity IRI, `https://w3id.org/migraph/id/entity/<slug>`, with
//!   the slug of [`crate::model::EntityId`]; the store uses the same IRIs, so a node in
//!   Gephi can be looked up by SPARQL as it is.
//!   Slugs made from names are `[a-z0-9-]`; any other byte of a hand-made slug is
//!   percent-encoded, as the store does.
//! * An edge id is `e:<source slug>:<relation>:<target slug>` (slugs encoded as in
//!   node ids, so the parts never contain `:`); with
//!   [`ViewOptions::multi`] each statement is its own edge and the id gets a 1-based
//!   `:<n>` suffix, numbered by document id and quote offset. Gephi's importer merges
//!   parallel edges of the same `kind` by default, so `multi` is meant for networkx,
//!   graphology and spreadsheets.
//!
//! ## Node attributes (GEXF and GraphML names; CSV column in brackets)
//!
//! | name | type | meaning |
//! |---|---|---|
//! | label (`Label`) | string | canonical name |
//! | `type` (`Type`) | string | [`EntityKind`] name, e.g. `EUAgency` |
//! | `wikidata` (`Wikidata`) | string | Wikidata item id, when known |
//! | `iso3` (`ISO3`) | string | ISO 3166-1 alpha-3 code, countries only |
//! | `degree` (`Degree`) | integer | number of incident edges of the projection |
//! | `weighted_degree` (`WeightedDegree`) | integer | sum of the weights of incident edges |
//! | `pagerank` (`PageRank`) | double | PageRank, damping 0.85, 8 decimals (see [`metrics::pagerank`]) |
//! | `component` (`Component`) | integer | weakly connected component, 0 = largest |
//! | `community` (`Community`) | integer | Louvain community, 0 = largest (see [`metrics::louvain`]) |
//! | `color` (`Color`) | string | GraphML and CSV only: `#RRGGBB` of the type (GEXF has `viz:color`) |
//! | `size` | double | GraphML only: the node size (GEXF has `viz:size`) |
//!
//! Colours come from [`palette::color_of`] (one fixed colour per type); the node size is
//! `10 + 5·√weighted_degree` ([`palette::node_size`]).
//!
//! ## Edge attributes
//!
//! | name | type | meaning |
//! |---|---|---|
//! | label | string | relation name, e.g. `funds` (GEXF also sets `kind` to it) |
//! | weight | double | number of supporting statements |
//! | `relation` (`Relation`) | string | relation name |
//! | `directed` | boolean | `false` for the symmetric `cooperatesWith` and `meetsWith` |
//! | `amount_eur` (`AmountEUR`) | long | total of the EUR amounts of the statements |
//! | `amounts` | string | totals in other currencies, `50000000 USD`, `; `-joined |
//! | `currency` | string | currencies stated, `;`-joined (`EUR;USD`) |
//! | `first_date` (`FirstDate`) | string | earliest start date as stated (`2024`, `2024-05`) |
//! | `last_date` (`LastDate`) | string | latest end date as stated |
//! | `n_sources` | integer | number of distinct documents |
//! | `evidence` (`Evidence`) | string | quote of the first statement (by document id, then offset) |
//! | `sources` (`Sources`) | string | document ids, `;`-joined, sorted |
//! | `rules` | string | extraction rule ids, `;`-joined, sorted |
//!
//! Attributes without a value (no Wikidata id, no money) are left out of GEXF and
//! GraphML and are empty cells in CSV.
//!
//! ## Direction of symmetric relations
//!
//! GEXF and GraphML write every edge as directed (`defaultedgetype="directed"`,
//! `edgedefault="directed"`), symmetric ones from the smaller to the larger entity id,
//! and mark symmetric edges with `directed = false`. The mixed form (an edge
//! `type="undirected"` in a directed graph) is what Gephi shows best, but
//! `networkx.read_gexf` and `networkx.read_graphml` reject any file that mixes the two
//! ("Undirected edge found in directed graph"), so it is opt-in:
//! [`gexf::write_gexf_with`] with [`gexf::EdgeTypes::Mixed`]. CSV (`Type` column) and
//! dot (`dir=none`) always show symmetric edges as undirected, since their readers
//! accept mixed graphs.
//!
//! ## Time
//!
//! GEXF is `mode="dynamic"` with `timeformat="date"`. Each edge gets one `<spell>` per
//! period its statements give, overlapping periods merged: `When::At` and
//! `When::Between` give a closed period from the first to the last day the dates cover
//! ([`IsoDate::first_day`], [`IsoDate::last_day`]), `When::Since` only a start and
//! `When::Until` only an end. An edge none of whose statements is dated has no spells
//! (Gephi shows it at all times). A node gets the union of its edges' spells when all of
//! them have spells, and none otherwise, so that a node never disappears while one of
//! its edges is shown. CSV writes the same periods to `Interval` in Gephi's
//! `<[start, end]>` form (`-inf`/`inf` for open ends).
//!
//! [`KnowledgeGraph`]: crate::model::KnowledgeGraph
//! [`EntityKind`]: crate::model::EntityKind
//! [`IsoDate::first_day`]: crate::model::IsoDate::first_day
//! [`IsoDate::last_day`]: crate::model::IsoDate::last_day

mod csv;
mod dot;
pub mod gexf;
mod graphml;
pub mod metrics;
pub mod palette;
mod project;
mod xml;

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::model::{IsoDate, KnowledgeGraph, UnknownName};
// Node ids are the store's entity IRIs: one IRI scheme, owned by `model::vocab`.
use crate::model::vocab::{ENTITY_NS as ENTITY_BASE, entity_iri};

pub use self::csv::{write_edges_csv, write_nodes_csv};
pub use self::dot::write_dot;
pub use self::gexf::write_gexf;
pub use self::graphml::write_graphml;
pub use self::project::{EdgeData, NodeData, NodeMetrics, Projection, Spell, ViewOptions, project};

/// A graph file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GraphFormat {
    /// GEXF 1.3 (`graph.gexf`), Gephi's own format, with dynamics and `viz:` colours.
    Gexf,
    /// GraphML (`graph.graphml`) for networkx, igraph, Cytoscape and yEd.
    Graphml,
    /// Two CSV tables (`nodes.csv`, `edges.csv`) for Gephi's spreadsheet import.
    Csv,
    /// Graphviz dot (`graph.dot`), e.g. for `sfdp -Tpng`.
    Dot,
}

impl GraphFormat {
    /// Every format, in the order [`write_all`] writes them.
    pub const ALL: &'static [GraphFormat] =
        &[GraphFormat::Gexf, GraphFormat::Graphml, GraphFormat::Csv, GraphFormat::Dot];

    /// The name used on the command line: `gexf`, `graphml`, `csv`, `dot`.
    pub const fn as_str(self) -> &'static str {
        match self {
            GraphFormat::Gexf => "gexf",
            GraphFormat::Graphml => "graphml",
            GraphFormat::Csv => "csv",
            GraphFormat::Dot => "dot",
        }
    }

    /// The names of the files the format writes into an export directory.
    pub const fn file_names(self) -> &'static [&'static str] {
        match self {
            GraphFormat::Gexf => &["graph.gexf"],
            GraphFormat::Graphml => &["graph.graphml"],
            GraphFormat::Csv => &["nodes.csv", "edges.csv"],
            GraphFormat::Dot => &["graph.dot"],
        }
    }
}

impl fmt::Display for GraphFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GraphFormat {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        GraphFormat::ALL.iter().copied().find(|f| f.as_str() == s).ok_or_else(|| UnknownName {
            what: "graph format",
            name: s.to_owned(),
            expected: GraphFormat::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", "),
        })
    }
}

/// Error from projecting a graph or writing an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// `--entity` names no entity.
    #[error("unknown entity {query:?}: no entity has this id, name or alias")]
    UnknownEntity {
        /// The name, alias or id as given.
        query: String,
    },
    /// `--entity` is an alias of several entities.
    #[error("ambiguous entity {query:?}: it names {candidates}; give an id instead")]
    AmbiguousEntity {
        /// The name or alias as given.
        query: String,
        /// The ids it matches, comma-separated.
        candidates: String,
    },
    /// The time window ends before it starts.
    #[error("empty time window: since {since} is after until {until}")]
    EmptyWindow {
        /// The `since` date.
        since: String,
        /// The `until` date.
        until: String,
    },
    /// Writing one format to its sink failed.
    #[error("cannot write {format} output")]
    Write {
        /// The format being written (`gexf`, `nodes.csv`…).
        format: &'static str,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// Creating, writing or flushing a file or directory failed.
    #[error("cannot write {}", path.display())]
    File {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
}

impl ExportError {
    /// Wraps an I/O error from writing `format`.
    fn write(format: &'static str) -> impl FnOnce(io::Error) -> ExportError {
        move |source| ExportError::Write { format, source }
    }
}

/// Projects `graph` through `view` once and writes every format into `dir`
/// (created if missing): `graph.gexf`, `graph.graphml`, `nodes.csv`, `edges.csv`,
/// `graph.dot`.
///
/// Returns the paths written, in that order.
pub fn write_all(
    graph: &KnowledgeGraph,
    view: &ViewOptions,
    dir: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    let projection = project(graph, view)?;
    let mut written = Vec::new();
    for format in GraphFormat::ALL {
        written.extend(write_format(&projection, *format, dir)?);
    }
    Ok(written)
}

/// Writes one format of a projection into `dir` (created if missing), under the
/// names of [`GraphFormat::file_names`]; returns the paths written.
pub fn write_format(
    projection: &Projection,
    format: GraphFormat,
    dir: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    std::fs::create_dir_all(dir)
        .map_err(|source| ExportError::File { path: dir.to_owned(), source })?;
    let p = projection;
    let written = match format {
        GraphFormat::Gexf => vec![write_file(dir, "graph.gexf", |w| write_gexf(p, w))?],
        GraphFormat::Graphml => vec![write_file(dir, "graph.graphml", |w| write_graphml(p, w))?],
        GraphFormat::Csv => vec![
            write_file(dir, "nodes.csv", |w| write_nodes_csv(p, w))?,
            write_file(dir, "edges.csv", |w| write_edges_csv(p, w))?,
        ],
        GraphFormat::Dot => vec![write_file(dir, "graph.dot", |w| write_dot(p, w))?],
    };
    Ok(written)
}

/// Creates `dir/name`, runs `write` on a buffered writer, flushes it and returns the
/// path; I/O errors are reported with the path.
fn write_file(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), ExportError>,
) -> Result<PathBuf, ExportError> {
    let path = dir.join(name);
    let with_path = |source| ExportError::File { path: path.clone(), source };
    let file = File::create(&path).map_err(with_path)?;
    let mut w = BufWriter::new(file);
    match write(&mut w) {
        Ok(()) => {}
        Err(ExportError::Write { source, .. }) => return Err(with_path(source)),
        Err(other) => return Err(other),
    }
    w.flush().map_err(with_path)?;
    tracing::info!(path = %path.display(), "wrote export file");
    Ok(path)
}

/// The value type of an exported attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttrType {
    String,
    Integer,
    Long,
    Double,
    Boolean,
}

/// An attribute of nodes or edges, as declared in GEXF and GraphML.
#[derive(Debug, Clone, Copy)]
struct Attr {
    /// Id and title in GEXF, `attr.name` in GraphML.
    name: &'static str,
    ty: AttrType,
}

const fn attr(name: &'static str, ty: AttrType) -> Attr {
    Attr { name, ty }
}

/// Node attributes shared by GEXF and GraphML, in output order (see the module docs).
const NODE_ATTRS: [Attr; 8] = [
    attr("type", AttrType::String),
    attr("wikidata", AttrType::String),
    attr("iso3", AttrType::String),
    attr("degree", AttrType::Integer),
    attr("weighted_degree", AttrType::Integer),
    attr("pagerank", AttrType::Double),
    attr("component", AttrType::Integer),
    attr("community", AttrType::Integer),
];

/// Decimals of PageRank values: enough for three significant digits on graphs of
/// 100 000 nodes.
const PAGERANK_DECIMALS: usize = 8;

/// One attribute value, borrowed where the projection already holds the text, so
/// that writers format numbers and dates straight into their output.
#[derive(Debug, Clone, PartialEq)]
enum Value<'a> {
    /// Text held by the projection.
    Str(&'a str),
    /// Text built for the output (joined lists).
    Owned(String),
    /// An unsigned integer.
    UInt(u64),
    /// A boolean, `true` or `false`.
    Bool(bool),
    /// A float with a fixed number of decimals (see [`write_fixed`]).
    Fixed(f64, usize),
    /// A date as stated (`2024`, `2024-05`, `2024-05-01`).
    Date(IsoDate),
}

/// A `usize` as a [`Value::UInt`]; `usize` is at most 64 bits on every target Rust
/// supports, so the conversion never saturates in practice.
fn uint(n: usize) -> Value<'static> {
    Value::UInt(u64::try_from(n).unwrap_or(u64::MAX))
}

/// The values of [`NODE_ATTRS`] for one node; `None` when the node has no value.
fn node_values(n: &NodeData) -> [Option<Value<'_>>; 8] {
    let m = &n.metrics;
    [
        Some(Value::Str(n.kind.as_str())),
        n.wikidata.as_deref().map(Value::Str),
        n.iso3.as_deref().map(Value::Str),
        Some(uint(m.degree)),
        Some(uint(m.weighted_degree)),
        Some(Value::Fixed(m.pagerank, PAGERANK_DECIMALS)),
        Some(uint(m.component)),
        Some(uint(m.community)),
    ]
}

/// Edge attributes shared by GEXF and GraphML, in output order (see the module docs).
const EDGE_ATTRS: [Attr; 11] = [
    attr("relation", AttrType::String),
    attr("directed", AttrType::Boolean),
    attr("amount_eur", AttrType::Long),
    attr("amounts", AttrType::String),
    attr("currency", AttrType::String),
    attr("first_date", AttrType::String),
    attr("last_date", AttrType::String),
    attr("n_sources", AttrType::Integer),
    attr("evidence", AttrType::String),
    attr("sources", AttrType::String),
    attr("rules", AttrType::String),
];

/// A list joined with `sep`, borrowed when it has one item; `None` when empty.
fn joined<'a>(items: &'a [String], sep: &str) -> Option<Value<'a>> {
    match items {
        [] => None,
        [one] => Some(Value::Str(one)).filter(|_| !one.is_empty()),
        many => Some(Value::Owned(many.join(sep))),
    }
}

/// The values of [`EDGE_ATTRS`] for one edge; `None` when the edge has no value.
fn edge_values(e: &EdgeData) -> [Option<Value<'_>>; 11] {
    let amounts = (!e.other_amounts.is_empty()).then(|| {
        Value::Owned(e.other_amounts.iter().map(|m| m.to_string()).collect::<Vec<_>>().join("; "))
    });
    [
        Some(Value::Str(e.relation.as_str())),
        Some(Value::Bool(e.directed())),
        // GEXF's long and GraphML's long are signed 64-bit; a larger total saturates.
        e.amount_eur.map(|a| Value::UInt(a.min(i64::MAX as u64))),
        amounts,
        joined(&e.currencies, ";"),
        e.first_date.map(Value::Date),
        e.last_date.map(Value::Date),
        Some(uint(e.sources.len())),
        Some(Value::Str(&e.evidence)).filter(|_| !e.evidence.is_empty()),
        joined(&e.sources, ";"),
        joined(&e.rules, ";"),
    ]
}

/// A short description of the projection for file headers.
fn description(p: &Projection) -> String {
    format!(
        "migraph knowledge graph from {} documents: {} entities, {} edges",
        p.n_documents,
        p.node_count(),
        p.edge_count()
    )
}

/// Makes text safe for every format: control characters (including newlines and
/// tabs) become spaces, runs of whitespace collapse to one space, the ends are
/// trimmed, and the two XML 1.0 non-characters U+FFFE and U+FFFF are dropped.
///
/// XML 1.0 cannot carry most control characters even escaped, and GEXF labels are
/// `xsd:token`s, whose whitespace readers collapse anyway; doing it here keeps the four
/// formats equal.
fn clean_text(text: &str) -> String {
    // Most text is printable ASCII with single inner spaces, which needs no change;
    // checking that is much cheaper than rebuilding it char by char.
    let bytes = text.as_bytes();
    let plain = bytes.first().is_none_or(|b| *b != b' ')
        && bytes.last().is_none_or(|b| *b != b' ')
        && bytes.windows(2).all(|w| w != b"  ")
        && bytes.iter().all(|b| (b' '..=b'~').contains(b));
    if plain {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_control() || c.is_whitespace() {
            space = true;
        } else if c != '\u{FFFE}' && c != '\u{FFFF}' {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Formats a float with a fixed number of decimals; NaN and infinities (which no
/// metric should produce) are written as 0 so that every reader can parse the value.
fn fixed(value: f64, decimals: usize) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_fixed(&mut out, value, decimals);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes a float as [`fixed`] does, without allocating.
fn write_fixed(out: &mut impl Write, value: f64, decimals: usize) -> io::Result<()> {
    let value = if value.is_finite() { value } else { 0.0 };
    write!(out, "{value:.decimals$}")
}

/// A relation for the writers' unit tests: evidence with only a quote.
#[cfg(test)]
pub(crate) fn test_relation(
    subject: &crate::model::Entity,
    kind: crate::model::RelationKind,
    object: &crate::model::Entity,
    money: Option<crate::model::Money>,
    when: Option<crate::model::When>,
    quote: &str,
) -> crate::model::Relation {
    crate::model::Relation {
        subject: subject.id.clone(),
        kind,
        object: object.id.clone(),
        money,
        when,
        evidence: crate::model::Evidence {
            doc: "d".into(),
            article: None,
            sentence: String::new(),
            sentence_start: 0,
            sentence_end: 0,
            quote: quote.into(),
            quote_start: 0,
            quote_end: 0,
            rule: "r".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityId;

    #[test]
    fn graph_format_round_trips_names() {
        for format in GraphFormat::ALL {
            assert_eq!(format.as_str().parse::<GraphFormat>().ok(), Some(*format));
        }
        let err = "svg".parse::<GraphFormat>().unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"unknown graph format "svg": expected one of gexf, graphml, csv, dot"#
        );
    }

    #[test]
    fn write_format_writes_the_declared_file_names() {
        let dir = tempfile::tempdir().unwrap();
        let p = project(&KnowledgeGraph::new(), &ViewOptions::all()).unwrap();
        for format in GraphFormat::ALL {
            let written = write_format(&p, *format, dir.path()).unwrap();
            let names: Vec<_> =
                written.iter().filter_map(|p| p.file_name()?.to_str().map(str::to_owned)).collect();
            assert_eq!(names, format.file_names(), "{format}");
        }
    }

    #[test]
    fn clean_text_strips_controls_and_collapses_space() {
        assert_eq!(clean_text("  a\u{1}b\n\tc  \u{FFFF}d "), "a b c d");
        assert_eq!(clean_text("Altaï <&\"'>"), "Altaï <&\"'>");
        assert_eq!(clean_text("\u{0}"), "");
        assert_eq!(clean_text(" plain  ascii "), "plain ascii");
        assert_eq!(clean_text("plain ascii"), "plain ascii");
        assert_eq!(clean_text("a\u{7f}b"), "a b");
    }

    #[test]
    fn entity_iri_percent_encodes_hand_made_slugs() {
        assert_eq!(
            entity_iri(&EntityId::from_name("Türkiye")),
            "https://w3id.org/migraph/id/entity/turkiye"
        );
        assert_eq!(
            entity_iri(&EntityId::from_slug("a b:é")),
            "https://w3id.org/migraph/id/entity/a%20b%3A%C3%A9"
        );
    }

    #[test]
    fn fixed_never_writes_nan() {
        assert_eq!(fixed(0.5, 3), "0.500");
        assert_eq!(fixed(f64::NAN, 2), "0.00");
        assert_eq!(fixed(f64::INFINITY, 1), "0.0");
    }
}
