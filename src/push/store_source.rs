//! The local store as a [`GraphSource`]: its named graphs, each streamed as N-Triples.
//!
//! Graphs are read through the store's public SPARQL entry point (a `CONSTRUCT` over
//! one `GRAPH`), which streams triples as the store's indexes yield them, so a graph of
//! any size is pushed without being held in memory, and the ontology and catalogue
//! graphs are reached by IRI like document graphs. This module must not write to the
//! store nor import oxigraph.

use std::io::Write;

use migraph_core::model::vocab::{CATALOGUE_GRAPH, ONTOLOGY_GRAPH};

use super::source::{GraphSource, SourceError};
use crate::store::{GraphStore, ResultFormat};

/// A [`GraphStore`] seen as graphs to push.
pub struct StoreSource<'a> {
    store: &'a GraphStore,
}

impl<'a> StoreSource<'a> {
    /// The graphs of `store` (opened read-only or not; nothing is written).
    pub fn new(store: &'a GraphStore) -> StoreSource<'a> {
        StoreSource { store }
    }
}

impl GraphSource for StoreSource<'_> {
    /// Every named graph of the store: the ontology first, then the others (documents,
    /// and any graph loaded through `serve --writable`) sorted by IRI, the catalogue
    /// last, so that a reader of the remote store finds a document in the catalogue
    /// only once its graph is there. The default graph is not pushed: migraph keeps
    /// everything in named graphs, and a shared store's default graph belongs to no
    /// one producer.
    fn graphs(&self) -> Result<Vec<String>, SourceError> {
        let failed = |message: String| SourceError { graph: String::new(), message };
        let mut tsv = Vec::new();
        self.store
            .query("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }", Some(ResultFormat::Tsv), &mut tsv)
            .map_err(|err| failed(err.to_string()))?;
        let tsv = String::from_utf8(tsv).map_err(|err| failed(err.to_string()))?;
        let mut graphs = Vec::new();
        // The first line is the header `?g`; each other line one term, an IRI written
        // `<…>`. Blank-node graph names cannot be addressed remotely and are skipped.
        for term in tsv.lines().skip(1) {
            match term.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
                Some(iri) => graphs.push(iri.to_owned()),
                None => tracing::warn!(graph = %term, "graph without an IRI is not pushed"),
            }
        }
        let rank = |iri: &str| match iri {
            ONTOLOGY_GRAPH => 0,
            CATALOGUE_GRAPH => 2,
            _ => 1,
        };
        graphs.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
        Ok(graphs)
    }

    fn write_graph(&self, iri: &str, out: &mut dyn Write) -> Result<(), SourceError> {
        // `iri` comes from `graphs`, which only returns IRIs the store accepted, so it
        // cannot break out of `<…>`.
        let construct =
            format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}");
        self.store
            .query(&construct, Some(ResultFormat::NTriples), out)
            .map(|_| ())
            .map_err(|err| SourceError { graph: iri.to_owned(), message: err.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::RdfDumpFormat;

    #[test]
    fn store_source_lists_ontology_first_catalogue_last_and_streams_each_graph() {
        let store = GraphStore::memory().expect("memory store");
        store.load_ontology(crate::store::ONTOLOGY_TTL).expect("ontology");
        store
            .update(
                "INSERT DATA { GRAPH <https://w3id.org/migraph/graph/catalogue> { <http://e/d> <http://e/p> 1 } \
                 GRAPH <http://e/b> { <http://e/s> <http://e/p> \"x\" . _:n <http://e/p> <http://e/s> } \
                 GRAPH <http://e/a> { <http://e/s> <http://e/p> 2 } \
                 <http://e/in-default> <http://e/p> 3 }",
            )
            .expect("update");
        let source = StoreSource::new(&store);
        let graphs = source.graphs().expect("graphs");
        assert_eq!(
            graphs,
            [ONTOLOGY_GRAPH, "http://e/a", "http://e/b", CATALOGUE_GRAPH],
            "the default graph is not pushed"
        );
        let mut b = Vec::new();
        source.write_graph("http://e/b", &mut b).expect("dump b");
        let b = String::from_utf8(b).expect("utf-8");
        assert_eq!(b.lines().count(), 2, "{b}");
        assert!(b.lines().all(|l| l.ends_with(" .")), "{b}");

        // The ontology graph holds the same triples as the store's own dump of it.
        let mut ontology = Vec::new();
        source.write_graph(ONTOLOGY_GRAPH, &mut ontology).expect("dump ontology");
        let mut all = Vec::new();
        store.dump(RdfDumpFormat::NQuads, None, &mut all).expect("dump");
        let all = String::from_utf8(all).expect("utf-8");
        let in_ontology =
            all.lines().filter(|l| l.ends_with(&format!("<{ONTOLOGY_GRAPH}> ."))).count();
        assert!(in_ontology > 100);
        assert_eq!(ontology.iter().filter(|&&b| b == b'\n').count(), in_ontology);
    }
}
