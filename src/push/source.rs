//! Where pushed graphs come from: a list of named graphs, each dumped as N-Triples.
//!
//! [`GraphSource`] is the seam between the push protocols and the store, so the
//! protocols are tested on in-memory graphs and the store stays the only user of
//! oxigraph. This module must not send anything.

use std::io::Write;

/// Why a graph could not be read from the source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read graph {graph} from the local store: {message}")]
pub struct SourceError {
    /// The graph IRI (empty when listing the graphs failed).
    pub graph: String,
    /// What went wrong.
    pub message: String,
}

/// A set of named graphs that can be pushed. `Sync`, because several jobs of a push read
/// graphs at once.
pub trait GraphSource: Sync {
    /// The graph IRIs to push, in push order: the first is sent alone, then the others
    /// but the last, several at once, then the last once every other one is done.
    fn graphs(&self) -> Result<Vec<String>, SourceError>;

    /// Writes the triples of graph `iri` to `out` as N-Triples, one triple per line.
    fn write_graph(&self, iri: &str, out: &mut dyn Write) -> Result<(), SourceError>;
}

/// Graphs held in memory as N-Triples text, in the given order; for tests and for
/// pushing data that is not in a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemorySource {
    /// (graph IRI, N-Triples text) pairs.
    pub graphs: Vec<(String, String)>,
}

impl GraphSource for MemorySource {
    fn graphs(&self) -> Result<Vec<String>, SourceError> {
        Ok(self.graphs.iter().map(|(iri, _)| iri.clone()).collect())
    }

    fn write_graph(&self, iri: &str, out: &mut dyn Write) -> Result<(), SourceError> {
        let (_, text) = self.graphs.iter().find(|(name, _)| name == iri).ok_or_else(|| {
            SourceError { graph: iri.to_owned(), message: "no such graph".to_owned() }
        })?;
        out.write_all(text.as_bytes())
            .map_err(|err| SourceError { graph: iri.to_owned(), message: err.to_string() })
    }
}
