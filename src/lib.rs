//! migraph: turn bulletins on EU migration externalisation into a queryable knowledge graph.
//!
//! This crate adds the RDF store, the SPARQL endpoint and the pipeline that wires the
//! stages together on top of [`migraph_core`] (model, ingest, extract, eval, export).
//!
//! ```text
//! files ─ingest→ Document ─extract→ Extraction ─pipeline→ KnowledgeGraph ─store→ Oxigraph ─serve→ SPARQL
//!                                                                          └─export→ GEXF/GraphML/CSV/dot
//! ```

pub use migraph_core::{diagnostic, eval, export, extract, ingest, model};

pub mod pipeline;
pub mod push;
pub mod serve;
pub mod store;
