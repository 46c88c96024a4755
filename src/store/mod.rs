//! The RDF store: a [`KnowledgeGraph`] written to and read back from Oxigraph.
//!
//! Every document gets a named graph (its IRI from `model::vocab`) holding the
//! entities it mentions and the relations read from it, each relation both as a
//! direct triple `<s> mg:<relation> <o>` and as a reified `mg:Statement` carrying the
//! money, the date and the evidence. The catalogue graph describes the documents
//! (title, date, content hash, counts), the ontology graph holds
//! `ontology/migraph.ttl` and the description graph a VoID and DCAT description
//! of the whole dataset ([`GraphStore::refresh_description`]).
//! [`GraphStore::replace_document`] rewrites one document in a single transaction
//! and [`GraphStore::replace_documents`] a batch of them (new ones through the
//! atomic bulk loader), so a crash leaves each document whole or as it was, and
//! [`GraphStore::read_graph`] is their exact inverse.
//!
//! This module and `serve` are the only users of `oxigraph`. It knows nothing of
//! extraction or export formats for Gephi: it stores and returns model values, runs
//! SPARQL and dumps RDF.

mod describe;
mod queries;
mod query;
mod rdf;

use std::collections::HashSet;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use migraph_core::model::vocab::{
    self, CATALOGUE_GRAPH, DESCRIPTION_GRAPH, ONTOLOGY_GRAPH, mg, rdf as rdf_vocab,
};
use migraph_core::model::{DocumentMeta, Entity, KnowledgeGraph, Relation};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QuerySolution, UpdateEvaluationError,
};
use oxigraph::store::{StorageError, Store, Transaction};

pub use queries::{CannedQuery, canned_queries};
pub use query::{ParsedQuery, QueryForm, QueryOutcome, ResultFormat, UnknownFormat};

/// The migraph ontology (`ontology/migraph.ttl`), for [`GraphStore::load_ontology`].
pub const ONTOLOGY_TTL: &str = include_str!("../../ontology/migraph.ttl");

/// SHACL shapes for the data migraph writes (`ontology/shapes.ttl`).
pub const SHAPES_TTL: &str = include_str!("../../ontology/shapes.ttl");

/// Errors of store operations.
///
/// Variants that wrap another error expose it as [`std::error::Error::source`] and
/// leave it out of their own message, so that printing the chain (`{err:#}` with
/// anyhow, [`error_chain`]) says everything once.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process holds the store's lock.
    #[error("store {} is in use by another migraph process; stop it or use --store", path.display())]
    Locked {
        /// The store directory.
        path: PathBuf,
    },
    /// The store could not be opened.
    #[error("cannot open store {}", path.display())]
    Open {
        /// The store directory.
        path: PathBuf,
        /// What Oxigraph reported.
        #[source]
        source: StorageError,
    },
    /// A write was attempted on a store opened read-only.
    #[error("cannot {action}: the store is open read-only")]
    ReadOnly {
        /// The write that was refused.
        action: &'static str,
    },
    /// The storage layer failed.
    #[error("storage error while {action}")]
    Storage {
        /// What the store was doing.
        action: &'static str,
        /// What Oxigraph reported.
        #[source]
        source: StorageError,
    },
    /// Uploaded RDF does not parse.
    #[error("invalid RDF: {message}")]
    InvalidRdf {
        /// The parser's message, with line and column.
        message: String,
    },
    /// The ontology text is not valid Turtle.
    #[error("invalid ontology turtle: {message}")]
    Ontology {
        /// 1-based line of the error, when known.
        line: Option<u64>,
        /// The parser's message (which names the line and column).
        message: String,
    },
    /// The SPARQL query or update does not parse.
    #[error("invalid SPARQL {what}: {message}")]
    Query {
        /// `query` or `update`.
        what: &'static str,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The SPARQL query failed during evaluation.
    #[error("query evaluation failed")]
    QueryEvaluation(#[source] QueryEvaluationError),
    /// The SPARQL update failed during evaluation.
    #[error("update failed")]
    UpdateEvaluation(#[source] UpdateEvaluationError),
    /// The evaluation was cancelled (timeout).
    #[error("query cancelled")]
    Cancelled,
    /// The requested result format cannot hold the query's results.
    #[error("a {form} query cannot be written as {format}: use one of {expected}")]
    FormatMismatch {
        /// The query form.
        form: QueryForm,
        /// The requested format.
        format: ResultFormat,
        /// The formats that fit, comma-separated.
        expected: String,
    },
    /// Writing results or a dump failed.
    #[error("cannot write output")]
    Io(#[from] io::Error),
    /// Data in the store does not have the shape migraph writes.
    #[error("corrupt store data at <{subject}>: {message}")]
    Corrupt {
        /// The subject IRI whose description is broken.
        subject: String,
        /// What is wrong.
        message: String,
    },
    /// A relation passed with a document was read from another document.
    #[error("document {doc}: a relation from document {relation_doc} cannot be stored with it")]
    ForeignRelation {
        /// The document being written.
        doc: String,
        /// The document named by the relation's evidence.
        relation_doc: String,
    },
    /// A relation's subject or object is missing from the document's entities.
    #[error(
        "document {doc}: a relation mentions entity {entity}, which is not among the document's entities"
    )]
    MissingEntity {
        /// The document being written.
        doc: String,
        /// The missing entity id.
        entity: String,
    },
    /// Two relations of a document map to the same statement node.
    #[error(
        "document {doc}: two relations map to statement <{statement}> ({relation}); deduplicate relations first"
    )]
    DuplicateStatement {
        /// The document being written.
        doc: String,
        /// The statement IRI.
        statement: String,
        /// The relation, as `subject relation object`.
        relation: String,
    },
    /// No document of that id is in the store.
    #[error(
        "unknown document {doc:?}: `migraph query` or the catalogue graph lists the loaded documents"
    )]
    UnknownDocument {
        /// The id asked for.
        doc: String,
    },
    /// A string that should be an absolute IRI is not.
    #[error("invalid IRI <{iri}>: {message}")]
    InvalidIri {
        /// The offending text.
        iri: String,
        /// The parser's message.
        message: String,
    },
}

/// An error and its sources, joined by `: ` (for messages that go to a client).
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The catalogue quads of one document, read inside a transaction.
fn catalogue_entry(tx: &Transaction<'_>, doc: &NamedNode) -> Result<Vec<Quad>, StoreError> {
    let catalogue = catalogue();
    tx.quads_for_pattern(Some(doc.as_ref().into()), None, None, Some(catalogue.as_ref().into()))
        .collect::<Result<_, _>>()
        .map_err(storage("reading a catalogue entry"))
}

/// Wraps a storage error with what the store was doing.
fn storage(action: &'static str) -> impl FnOnce(StorageError) -> StoreError {
    move |source| StoreError::Storage { action, source }
}

/// RDF formats for [`GraphStore::dump`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RdfDumpFormat {
    /// Turtle: the union of the graphs, as deduplicated triples.
    Turtle,
    /// N-Triples: the union of the graphs, as deduplicated triples.
    NTriples,
    /// N-Quads: every quad with its graph.
    NQuads,
    /// TriG: every quad with its graph.
    TriG,
    /// JSON-LD: every quad, named graphs as `@graph` objects.
    JsonLd,
}

impl RdfDumpFormat {
    /// Every format.
    pub const ALL: &'static [RdfDumpFormat] = &[
        RdfDumpFormat::Turtle,
        RdfDumpFormat::NTriples,
        RdfDumpFormat::NQuads,
        RdfDumpFormat::TriG,
        RdfDumpFormat::JsonLd,
    ];

    /// The short name and file extension: `ttl`, `nt`, `nq`, `trig`, `jsonld`.
    pub fn name(self) -> &'static str {
        match self {
            RdfDumpFormat::Turtle => "ttl",
            RdfDumpFormat::NTriples => "nt",
            RdfDumpFormat::NQuads => "nq",
            RdfDumpFormat::TriG => "trig",
            RdfDumpFormat::JsonLd => "jsonld",
        }
    }

    /// Whether the format keeps graph names (N-Quads, TriG, JSON-LD).
    pub fn keeps_graphs(self) -> bool {
        matches!(self, RdfDumpFormat::NQuads | RdfDumpFormat::TriG | RdfDumpFormat::JsonLd)
    }

    fn rdf_format(self) -> RdfFormat {
        match self {
            RdfDumpFormat::Turtle => RdfFormat::Turtle,
            RdfDumpFormat::NTriples => RdfFormat::NTriples,
            RdfDumpFormat::NQuads => RdfFormat::NQuads,
            RdfDumpFormat::TriG => RdfFormat::TriG,
            RdfDumpFormat::JsonLd => RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() },
        }
    }
}

impl fmt::Display for RdfDumpFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RdfDumpFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ttl" | "turtle" => Ok(RdfDumpFormat::Turtle),
            "nt" | "ntriples" | "n-triples" => Ok(RdfDumpFormat::NTriples),
            "nq" | "nquads" | "n-quads" => Ok(RdfDumpFormat::NQuads),
            "trig" => Ok(RdfDumpFormat::TriG),
            "jsonld" | "json-ld" => Ok(RdfDumpFormat::JsonLd),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

/// What [`GraphStore::load_graph`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphWrite {
    /// Whether the named graph did not exist before.
    pub created: bool,
    /// Number of triples parsed and written.
    pub triples: usize,
}

/// Counts that describe a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct StoreStats {
    /// Quads in all graphs.
    pub quads: u64,
    /// Distinct triples over all graphs (an entity described in two documents counts once).
    pub triples_distinct: u64,
    /// Documents in the catalogue.
    pub documents: u64,
    /// Distinct `mg:Statement` nodes (relations with evidence).
    pub statements: u64,
    /// Distinct `mg:Entity` nodes.
    pub entities: u64,
}

/// An Oxigraph store holding migraph data.
///
/// Cloning is cheap and clones share the same underlying store.
#[derive(Clone)]
pub struct GraphStore {
    store: Store,
    path: Option<PathBuf>,
    read_only: bool,
}

impl fmt::Debug for GraphStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphStore")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

impl GraphStore {
    /// Opens (creating it and its parent directories if needed) the on-disk store at
    /// `path` for reading and writing.
    ///
    /// Only one process may hold a store open for writing.
    ///
    /// # Errors
    /// [`StoreError::Locked`] when another process has it open; [`StoreError::Open`]
    /// for any other failure.
    pub fn open(path: &Path) -> Result<GraphStore, StoreError> {
        // RocksDB creates the store directory but not its parents (`exports/store`).
        std::fs::create_dir_all(path)
            .map_err(|e| StoreError::Open { path: path.to_owned(), source: e.into() })?;
        let store = Store::open(path).map_err(|e| open_error(path, e))?;
        tracing::debug!(path = %path.display(), "opened store");
        Ok(GraphStore { store, path: Some(path.to_owned()), read_only: false })
    }

    /// Opens an existing on-disk store for reading only (for `query` and `serve`).
    ///
    /// Several read-only handles may coexist. Oxigraph documents reading a store that
    /// another process writes at the same time as unsupported: a read-only handle
    /// sees the state of the files when it was opened, and writes made later by a
    /// `build` may not be visible, or may make reads fail, until it is reopened.
    ///
    /// # Errors
    /// [`StoreError::Open`] when there is no store at `path` or it cannot be read.
    pub fn open_read_only(path: &Path) -> Result<GraphStore, StoreError> {
        let store = Store::open_read_only(path).map_err(|e| open_error(path, e))?;
        tracing::debug!(path = %path.display(), "opened store read-only");
        Ok(GraphStore { store, path: Some(path.to_owned()), read_only: true })
    }

    /// A new, empty in-memory store.
    ///
    /// # Errors
    /// [`StoreError::Storage`] if Oxigraph cannot create it.
    pub fn memory() -> Result<GraphStore, StoreError> {
        let store = Store::new().map_err(storage("creating an in-memory store"))?;
        Ok(GraphStore { store, path: None, read_only: false })
    }

    /// The directory of an on-disk store, `None` for an in-memory one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether the store was opened read-only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn writable(&self, action: &'static str) -> Result<(), StoreError> {
        if self.read_only { Err(StoreError::ReadOnly { action }) } else { Ok(()) }
    }

    /// The content hash recorded for a document, `None` when it was never loaded.
    ///
    /// The pipeline compares it with the hash of the file to skip unchanged documents.
    pub fn document_hash(&self, doc_id: &str) -> Result<Option<String>, StoreError> {
        let doc = document_node(doc_id)?;
        let quad = self
            .store
            .quads_for_pattern(
                Some(doc.as_ref().into()),
                Some(NamedNodeRef::new_unchecked(mg::CONTENT_HASH)),
                None,
                Some(catalogue().as_ref().into()),
            )
            .next()
            .transpose()
            .map_err(storage("reading a document hash"))?;
        Ok(quad.and_then(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            Term::NamedNode(_) | Term::BlankNode(_) => None,
        }))
    }

    /// Replaces everything the store holds about one document with `entities` and
    /// `relations`, in one transaction: the document's named graph is cleared and
    /// rewritten, and its catalogue entry replaced. A crash before the commit leaves
    /// the previous state.
    ///
    /// Writing the same input twice leaves the store unchanged (IRIs are derived
    /// from ids and content, never from counters or blank nodes).
    ///
    /// # Errors
    /// The consistency errors of the input ([`StoreError::ForeignRelation`],
    /// [`StoreError::MissingEntity`], [`StoreError::DuplicateStatement`]) before
    /// anything is written, and storage errors.
    ///
    /// # Returns
    /// The number of distinct quads written.
    pub fn replace_document(
        &self,
        meta: &DocumentMeta,
        entities: &[Entity],
        relations: &[Relation],
    ) -> Result<usize, StoreError> {
        self.writable("replace a document")?;
        let _span = tracing::debug_span!("replace_document", doc = %meta.id).entered();
        let quads = rdf::document_quads(meta, entities, relations)?;
        let written = self.write_documents(vec![(document_node(&meta.id)?, quads)])?;
        tracing::debug!(quads = written, "document written");
        Ok(written)
    }

    /// Replaces several documents at once, as [`GraphStore::replace_document`]
    /// does for one, with the same crash guarantee per document: each one is
    /// either whole in the store or as it was before.
    ///
    /// Documents the store already holds are rewritten in one transaction.
    /// Documents it does not hold yet (the bulk of a first build) go through
    /// Oxigraph's bulk loader, which sorts their quads and adds them as ready-made
    /// index files in one atomic step at its commit: there is nothing to clear, and
    /// it skips the per-quad bookkeeping of a transaction. A batch is held in
    /// memory until it is written, so batches of a few dozen documents keep memory
    /// flat. When a batch names the same document twice, the last one wins.
    ///
    /// # Errors
    /// The consistency errors of any document, before anything is written, and
    /// storage errors.
    ///
    /// # Returns
    /// The number of distinct quads written, summed over the documents.
    pub fn replace_documents<'a, I>(&self, documents: I) -> Result<usize, StoreError>
    where
        I: IntoIterator<Item = (&'a DocumentMeta, &'a [Entity], &'a [Relation])>,
    {
        self.writable("replace documents")?;
        let mut batch: Vec<(NamedNode, Vec<Quad>)> = Vec::new();
        for (meta, entities, relations) in documents {
            let doc = document_node(&meta.id)?;
            let quads = rdf::document_quads(meta, entities, relations)?;
            batch.retain(|(seen, _)| *seen != doc);
            batch.push((doc, quads));
        }
        let mut existing = Vec::new();
        let mut new = Vec::new();
        for (doc, quads) in batch {
            if self.holds_document(&doc)? {
                existing.push((doc, quads));
            } else {
                new.push(quads);
            }
        }
        let (n_existing, n_new) = (existing.len(), new.len());
        let mut written = self.write_documents(existing)?;
        if !new.is_empty() {
            written += new.iter().map(Vec::len).sum::<usize>();
            let mut loader = self.store.bulk_loader();
            loader
                .load_quads(new.into_iter().flatten())
                .map_err(storage("bulk loading new documents"))?;
            loader.commit().map_err(storage("committing new documents"))?;
        }
        tracing::debug!(replaced = n_existing, added = n_new, quads = written, "documents written");
        Ok(written)
    }

    /// Whether the store has a graph or a catalogue entry for a document.
    fn holds_document(&self, doc: &NamedNode) -> Result<bool, StoreError> {
        let has_graph = self
            .store
            .contains_named_graph(doc.as_ref())
            .map_err(storage("looking up a document graph"))?;
        if has_graph {
            return Ok(true);
        }
        let entry = self
            .store
            .quads_for_pattern(
                Some(doc.as_ref().into()),
                None,
                None,
                Some(catalogue().as_ref().into()),
            )
            .next()
            .transpose()
            .map_err(storage("reading a catalogue entry"))?;
        Ok(entry.is_some())
    }

    /// Writes prepared documents (graph name and quads) in one transaction: each
    /// document graph is cleared and its catalogue entry removed before its quads
    /// go in.
    fn write_documents(&self, batch: Vec<(NamedNode, Vec<Quad>)>) -> Result<usize, StoreError> {
        let mut tx = self.store.start_transaction().map_err(storage("starting a transaction"))?;
        let mut written = 0;
        for (doc, quads) in &batch {
            tx.clear_graph(doc.as_ref()).map_err(storage("clearing a document graph"))?;
            let old = catalogue_entry(&tx, doc)?;
            for quad in &old {
                tx.remove(quad);
            }
            tx.extend(quads);
            written += quads.len();
        }
        tx.commit().map_err(storage("committing documents"))?;
        Ok(written)
    }

    /// Removes a document's graph and catalogue entry in one transaction.
    ///
    /// # Returns
    /// Whether the document was in the store.
    pub fn remove_document(&self, doc_id: &str) -> Result<bool, StoreError> {
        self.writable("remove a document")?;
        let doc = document_node(doc_id)?;
        let mut tx = self.store.start_transaction().map_err(storage("starting a transaction"))?;
        let had_graph = tx
            .contains_named_graph(doc.as_ref())
            .map_err(storage("looking up a document graph"))?;
        let entry = catalogue_entry(&tx, &doc)?;
        if had_graph {
            tx.remove_named_graph(doc.as_ref()).map_err(storage("removing a document graph"))?;
        }
        for quad in &entry {
            tx.remove(quad);
        }
        tx.commit().map_err(storage("committing a removal"))?;
        Ok(had_graph || !entry.is_empty())
    }

    /// The documents of the catalogue, sorted by id.
    pub fn documents(&self) -> Result<Vec<DocumentMeta>, StoreError> {
        let quads: Vec<Quad> = self
            .store
            .quads_for_pattern(None, None, None, Some(catalogue().as_ref().into()))
            .collect::<Result<_, _>>()
            .map_err(storage("reading the catalogue"))?;
        let mut docs = Vec::new();
        for (subject, description) in rdf::group_by_subject(quads) {
            if let Some(meta) = rdf::decode_catalogue_entry(&subject, &description)? {
                docs.push(meta);
            }
        }
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(docs)
    }

    /// Replaces the ontology graph with the triples of `ttl` (Turtle).
    ///
    /// # Errors
    /// [`StoreError::Ontology`] with the line of a syntax error; nothing is written then.
    ///
    /// # Returns
    /// The number of distinct triples loaded.
    pub fn load_ontology(&self, ttl: &str) -> Result<usize, StoreError> {
        self.writable("load the ontology")?;
        let graph = NamedNode::new_unchecked(ONTOLOGY_GRAPH);
        let mut quads = Vec::new();
        let parser = RdfParser::from_format(RdfFormat::Turtle).with_default_graph(graph.clone());
        for quad in parser.for_slice(ttl.as_bytes()) {
            let quad = quad.map_err(|e| StoreError::Ontology {
                line: e.location().map(|l| l.start.line + 1),
                message: e.to_string(),
            })?;
            quads.push(quad);
        }
        rdf::sort_quads(&mut quads);
        let mut tx = self.store.start_transaction().map_err(storage("starting a transaction"))?;
        tx.clear_graph(graph.as_ref()).map_err(storage("clearing the ontology graph"))?;
        tx.extend(&quads);
        tx.commit().map_err(storage("committing the ontology"))?;
        tracing::debug!(triples = quads.len(), "ontology loaded");
        Ok(quads.len())
    }

    /// Recomputes the VoID and DCAT description of the dataset and replaces the
    /// description graph (`https://w3id.org/migraph/graph/void`) with it, in one
    /// transaction.
    ///
    /// The description counts the union of every other graph: distinct triples,
    /// subjects and objects, instances per class (`void:classPartition`), triples
    /// per property (`void:propertyPartition`), entities and documents; it lists the
    /// distributions that `migraph build` exports. Call it after a build, an ingest
    /// or a removal; until then the description reports the previous state. It is
    /// derived from the data only, so the same store always gets the same triples.
    ///
    /// # Errors
    /// [`StoreError::ReadOnly`] and storage errors.
    ///
    /// # Returns
    /// The number of quads in the new description.
    pub fn refresh_description(&self) -> Result<usize, StoreError> {
        self.writable("refresh the dataset description")?;
        let started = std::time::Instant::now();
        let counts = describe::count(&self.store).map_err(storage("counting the dataset"))?;
        let coverage = describe::Coverage::of(&self.documents()?);
        let mut quads = describe::description_quads(&counts, &coverage);
        rdf::sort_quads(&mut quads);
        let graph = NamedNode::new_unchecked(DESCRIPTION_GRAPH);
        let mut tx = self.store.start_transaction().map_err(storage("starting a transaction"))?;
        tx.clear_graph(graph.as_ref()).map_err(storage("clearing the description graph"))?;
        tx.extend(&quads);
        tx.commit().map_err(storage("committing the description"))?;
        tracing::debug!(
            quads = quads.len(),
            triples = counts.triples,
            elapsed = ?started.elapsed(),
            "dataset description refreshed"
        );
        Ok(quads.len())
    }

    /// Reads the whole knowledge graph back: every document of the catalogue with
    /// the entities and relations of its graph.
    ///
    /// This is the inverse of [`GraphStore::replace_document`]: writing documents
    /// and reading them back gives the graph that
    /// [`KnowledgeGraph::insert_document`] builds from the same input in document id
    /// order (an entity described in several documents keeps the description of the
    /// first, with all aliases).
    ///
    /// Each document graph is read from its own snapshot: run it while no other
    /// handle writes to the store (a build writes one document per transaction,
    /// so a concurrent reader could see some documents old and others new).
    pub fn read_graph(&self) -> Result<KnowledgeGraph, StoreError> {
        let mut graph = KnowledgeGraph::new();
        for meta in self.documents()? {
            let doc = document_node(&meta.id)?;
            let quads: Vec<Quad> = self
                .store
                .quads_for_pattern(None, None, None, Some(doc.as_ref().into()))
                .collect::<Result<_, _>>()
                .map_err(storage("reading a document graph"))?;
            let decoded = rdf::decode_document(&meta.id, &rdf::group_by_subject(quads))?;
            graph.insert_document(meta, decoded.entities.into_values(), decoded.relations);
        }
        Ok(graph)
    }

    /// Runs a SPARQL 1.1 query and writes the results to `out`.
    ///
    /// The default graph is the union of all graphs unless the query has `FROM`.
    /// `SELECT` and `ASK` results are written as JSON, XML, CSV or TSV; `CONSTRUCT`
    /// and `DESCRIBE` results as Turtle, N-Triples, N-Quads, TriG, RDF/XML or JSON-LD.
    /// Without a format, JSON or Turtle is used according to the query form.
    ///
    /// # Errors
    /// [`StoreError::Query`] for a malformed query, [`StoreError::FormatMismatch`]
    /// (checked before evaluation), evaluation and output errors.
    pub fn query(
        &self,
        sparql: &str,
        format: Option<ResultFormat>,
        out: &mut dyn Write,
    ) -> Result<QueryOutcome, StoreError> {
        let query = ParsedQuery::parse(sparql)?;
        let format = format.unwrap_or_else(|| query.form().default_format());
        self.evaluate(query, format, out, None)
    }

    /// Evaluates an already parsed query, optionally cancellable (see [`GraphStore::query`]).
    pub fn evaluate(
        &self,
        query: ParsedQuery,
        format: ResultFormat,
        out: &mut dyn Write,
        cancel: Option<CancellationToken>,
    ) -> Result<QueryOutcome, StoreError> {
        let form = query.form();
        let started = std::time::Instant::now();
        let outcome = query::evaluate(&self.store, query, format, out, cancel)?;
        tracing::debug!(%form, %format, results = outcome.results, elapsed = ?started.elapsed(), "query evaluated");
        Ok(outcome)
    }

    /// Runs a SPARQL 1.1 Update (`INSERT DATA`, `DELETE WHERE`…) on the store.
    ///
    /// # Errors
    /// [`StoreError::ReadOnly`], [`StoreError::Query`] for a malformed update,
    /// [`StoreError::QueryEvaluation`] when it fails.
    pub fn update(&self, sparql: &str) -> Result<(), StoreError> {
        self.writable("run an update")?;
        let prepared =
            oxigraph::sparql::SparqlEvaluator::new().parse_update(sparql).map_err(|e| {
                StoreError::Query {
                    what: "update",
                    message: query::readable_syntax_error(sparql, &e.to_string()),
                }
            })?;
        prepared.on_store(&self.store).execute().map_err(StoreError::UpdateEvaluation)
    }

    /// Writes the store, or one document's graph, as RDF.
    ///
    /// Triple formats (Turtle, N-Triples) get the union of the selected graphs with
    /// duplicates removed; quad formats (N-Quads, TriG) get every quad with its
    /// graph. The output is sorted, so the same store always dumps the same bytes.
    /// The selection is held in memory while it is sorted.
    ///
    /// # Arguments
    /// * `graph` — a document id, to dump that document's graph only.
    ///
    /// # Errors
    /// [`StoreError::UnknownDocument`] when `graph` names no loaded document.
    ///
    /// # Returns
    /// The number of triples or quads written.
    pub fn dump(
        &self,
        format: RdfDumpFormat,
        graph: Option<&str>,
        out: &mut dyn Write,
    ) -> Result<u64, StoreError> {
        let quads: Result<Vec<Quad>, StorageError> = match graph {
            Some(doc_id) => {
                let doc = document_node(doc_id)?;
                // A document from which nothing was read has a catalogue entry but
                // no graph: it dumps as nothing rather than as unknown.
                if self.document_hash(doc_id)?.is_none() {
                    return Err(StoreError::UnknownDocument { doc: doc_id.to_owned() });
                }
                self.store.quads_for_pattern(None, None, None, Some(doc.as_ref().into())).collect()
            }
            None => self.store.iter().collect(),
        };
        let quads = quads.map_err(storage("reading quads to dump"))?;
        write_sorted(format.rdf_format(), quads, out)
    }

    /// Adds the triples of `data` (Turtle, N-Triples or RDF/XML) to a named graph, or
    /// to the store's default graph when `graph` is `None`, in one transaction;
    /// `replace` clears the graph first. This is the Graph Store Protocol's PUT and
    /// POST; migraph's own documents are written with
    /// [`GraphStore::replace_document`] instead.
    ///
    /// # Errors
    /// [`StoreError::InvalidIri`], [`StoreError::InvalidRdf`] (nothing is written
    /// then), [`StoreError::ReadOnly`] and storage errors.
    pub fn load_graph(
        &self,
        graph: Option<&str>,
        format: RdfFormat,
        data: &[u8],
        replace: bool,
    ) -> Result<GraphWrite, StoreError> {
        self.writable("load a graph")?;
        let target = match graph {
            Some(iri) => GraphName::NamedNode(parse_iri(iri)?),
            None => GraphName::DefaultGraph,
        };
        let parser = RdfParser::from_format(format)
            .with_default_graph(target.clone())
            .without_named_graphs()
            .rename_blank_nodes();
        let quads = parser
            .for_slice(data)
            .collect::<Result<Vec<Quad>, _>>()
            .map_err(|e| StoreError::InvalidRdf { message: e.to_string() })?;
        let mut tx = self.store.start_transaction().map_err(storage("starting a transaction"))?;
        let created = match &target {
            GraphName::NamedNode(name) => {
                !tx.contains_named_graph(name.as_ref()).map_err(storage("looking up a graph"))?
            }
            GraphName::BlankNode(_) | GraphName::DefaultGraph => false,
        };
        if replace {
            tx.clear_graph(target.as_ref()).map_err(storage("clearing a graph"))?;
        }
        tx.extend(&quads);
        tx.commit().map_err(storage("committing a graph"))?;
        Ok(GraphWrite { created, triples: quads.len() })
    }

    /// Removes a named graph, or empties the default graph when `graph` is `None`
    /// (the Graph Store Protocol's DELETE).
    ///
    /// # Returns
    /// Whether the named graph existed (always `true` for the default graph).
    pub fn drop_graph(&self, graph: Option<&str>) -> Result<bool, StoreError> {
        self.writable("drop a graph")?;
        let mut tx = self.store.start_transaction().map_err(storage("starting a transaction"))?;
        let existed = match graph {
            Some(iri) => {
                let name = parse_iri(iri)?;
                let existed = tx
                    .contains_named_graph(name.as_ref())
                    .map_err(storage("looking up a graph"))?;
                if existed {
                    tx.remove_named_graph(name.as_ref()).map_err(storage("removing a graph"))?;
                }
                existed
            }
            None => {
                tx.clear_graph(GraphName::DefaultGraph.as_ref())
                    .map_err(storage("clearing the default graph"))?;
                true
            }
        };
        tx.commit().map_err(storage("committing a graph removal"))?;
        Ok(existed)
    }

    /// The quads of one named graph, or of all graphs when `graph` is `None`, for the
    /// Graph Store Protocol; `Ok(None)` when the named graph does not exist.
    pub(crate) fn graph_quads(
        &self,
        graph: Option<&NamedNode>,
    ) -> Result<Option<Vec<Quad>>, StoreError> {
        let quads: Result<Vec<Quad>, StorageError> = match graph {
            Some(name) => {
                let known = self
                    .store
                    .contains_named_graph(name.as_ref())
                    .map_err(storage("looking up a graph"))?;
                if !known {
                    return Ok(None);
                }
                self.store.quads_for_pattern(None, None, None, Some(name.as_ref().into())).collect()
            }
            None => self.store.iter().collect(),
        };
        quads.map(Some).map_err(storage("reading a graph"))
    }

    /// The names of the graphs that hold at least one quad.
    pub(crate) fn named_graphs(&self) -> Result<Vec<NamedOrBlankNode>, StoreError> {
        self.store.named_graphs().collect::<Result<_, _>>().map_err(storage("listing graphs"))
    }

    /// Runs a `SELECT` query on the union default graph and returns its solutions
    /// (for the server's own descriptions, never for user queries).
    pub(crate) fn select(&self, sparql: &str) -> Result<Vec<QuerySolution>, StoreError> {
        query::select(&self.store, sparql)
    }

    /// Counts quads, distinct triples, documents, statements and entities.
    ///
    /// Distinct triples are counted by 128-bit fingerprint, 16 bytes each, so that a
    /// store of millions of quads is counted without holding its terms.
    pub fn stats(&self) -> Result<StoreStats, StoreError> {
        let mut triples = HashSet::new();
        let mut quads = 0u64;
        for quad in self.store.iter() {
            let quad = quad.map_err(storage("computing statistics"))?;
            quads += 1;
            triples.insert(describe::fingerprint(&(&quad.subject, &quad.predicate, &quad.object)));
        }
        let documents = self.documents()?.len() as u64;
        let typed = |class: &'static str| -> Result<u64, StorageError> {
            let mut subjects = HashSet::new();
            for quad in self.store.quads_for_pattern(
                None,
                Some(NamedNodeRef::new_unchecked(rdf_vocab::TYPE)),
                Some(NamedNodeRef::new_unchecked(class).into()),
                None,
            ) {
                subjects.insert(quad?.subject);
            }
            Ok(subjects.len() as u64)
        };
        let statements = typed(mg::STATEMENT).map_err(storage("computing statistics"))?;
        let entities = typed(mg::ENTITY).map_err(storage("computing statistics"))?;
        Ok(StoreStats {
            quads,
            triples_distinct: triples.len() as u64,
            documents,
            statements,
            entities,
        })
    }

    /// Writes pending changes to disk (no-op for an in-memory store).
    pub fn flush(&self) -> Result<(), StoreError> {
        if self.read_only {
            return Ok(());
        }
        self.store.flush().map_err(storage("flushing the store"))
    }

    /// Compacts the on-disk files, for faster reads after a large build
    /// (no-op for an in-memory store).
    pub fn optimize(&self) -> Result<(), StoreError> {
        self.writable("optimize the store")?;
        self.store.optimize().map_err(storage("optimizing the store"))
    }

    /// The underlying Oxigraph store, for tests that inspect raw quads.
    #[cfg(test)]
    pub(crate) fn inner(&self) -> &Store {
        &self.store
    }
}

/// Sorts `quads` and writes them in `format`: with their graphs for dataset formats
/// (N-Quads, TriG, JSON-LD), as deduplicated triples otherwise.
///
/// Sorting by the N-Triples text of graph and triple makes the output independent
/// of insertion order and groups each subject for Turtle's `;` abbreviation.
pub(crate) fn write_sorted(
    format: RdfFormat,
    quads: Vec<Quad>,
    out: &mut dyn Write,
) -> Result<u64, StoreError> {
    write_sorted_with_prefixes(format, &[], quads, out)
}

fn write_sorted_with_prefixes(
    format: RdfFormat,
    prefixes: &[(&str, &str)],
    quads: Vec<Quad>,
    out: &mut dyn Write,
) -> Result<u64, StoreError> {
    let mut writer = query::rdf_serializer(format, prefixes).for_writer(out);
    let mut count = 0;
    if format.supports_datasets() {
        let mut keyed: Vec<(String, String, Quad)> = quads
            .into_iter()
            .map(|q| (q.graph_name.to_string(), Triple::from(q.clone()).to_string(), q))
            .collect();
        keyed.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        keyed.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        for (_, _, quad) in &keyed {
            writer.serialize_quad(quad)?;
            count += 1;
        }
    } else {
        let mut keyed: Vec<(String, Triple)> = quads
            .into_iter()
            .map(|q| {
                let t = Triple::from(q);
                (t.to_string(), t)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.dedup_by(|a, b| a.0 == b.0);
        for (_, triple) in &keyed {
            writer.serialize_triple(triple)?;
            count += 1;
        }
    }
    writer.finish()?;
    Ok(count)
}

/// Writes triples built by the caller (the server's descriptions) in a graph
/// format, sorted, with the migraph prefixes and `prefixes`.
///
/// # Errors
/// [`StoreError::FormatMismatch`] for a SPARQL results format.
pub(crate) fn write_triples(
    format: ResultFormat,
    prefixes: &[(&str, &str)],
    triples: &[Triple],
    out: &mut dyn Write,
) -> Result<u64, StoreError> {
    let Some(rdf_format) = format.rdf_format() else {
        let expected = ResultFormat::GRAPH.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ");
        return Err(StoreError::FormatMismatch { form: QueryForm::Construct, format, expected });
    };
    let quads = triples.iter().map(|t| t.clone().in_graph(GraphName::DefaultGraph)).collect();
    write_sorted_with_prefixes(rdf_format, prefixes, quads, out)
}

/// Maps an open failure, recognising RocksDB's lock error.
fn open_error(path: &Path, source: StorageError) -> StoreError {
    // RocksDB reports a held lock as an I/O error naming the lock file ("While lock
    // file: …/LOCK: Resource temporarily unavailable" from another process, "lock
    // hold by current process, … lock file: …/LOCK" from this one); there is no
    // structured variant for it.
    let text = source.to_string();
    if text.contains("lock file") || text.contains("lock hold") {
        StoreError::Locked { path: path.to_owned() }
    } else {
        StoreError::Open { path: path.to_owned(), source }
    }
}

fn parse_iri(iri: &str) -> Result<NamedNode, StoreError> {
    NamedNode::new(iri)
        .map_err(|e| StoreError::InvalidIri { iri: iri.to_owned(), message: e.to_string() })
}

fn document_node(doc_id: &str) -> Result<NamedNode, StoreError> {
    let iri = vocab::document_iri(doc_id);
    NamedNode::new(iri.clone()).map_err(|e| StoreError::InvalidIri { iri, message: e.to_string() })
}

fn catalogue() -> NamedNode {
    NamedNode::new_unchecked(CATALOGUE_GRAPH)
}

#[cfg(test)]
mod tests;
