//! migraph-core: the half of migraph that needs no RDF store.
//!
//! Text goes in, a [`model::KnowledgeGraph`] comes out, and graph files for Gephi
//! and other tools are written from it:
//!
//! ```text
//! files ─ingest→ Document ─extract→ Extraction ─(pipeline)→ KnowledgeGraph ─export→ GEXF/GraphML/CSV/dot
//! ```
//!
//! The `migraph` crate adds the Oxigraph store, the SPARQL server and the CLI on top.
//! Keeping this crate free of `oxigraph` lets the compiler enforce that extraction
//! and export never touch the store, and keeps their edit-test loop fast.

pub mod diagnostic;
pub mod eval;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod model;
