//! The VoID and DCAT description of the dataset a store holds.
//!
//! [`description_quads`] counts what the store holds (distinct triples, subjects,
//! objects, instances per class, triples per property) and turns the counts into
//! the quads of the description graph (`model::vocab::DESCRIPTION_GRAPH`): one
//! resource that is both a `void:Dataset` and a `dcat:Dataset`, its class and
//! property partitions, and the distributions `migraph build` exports. Every IRI
//! is derived from a class or property IRI or a file name and nothing depends on
//! the clock, so the same store always gets the same description.
//!
//! This module reads the store but never writes it: `GraphStore::refresh_description`
//! replaces the graph in a transaction. It does not describe the SPARQL endpoint,
//! which only exists while `serve` runs.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};

use migraph_core::model::vocab::{
    self, DATASET, DESCRIPTION_GRAPH, ENTITY_NS, MG, PREFIXES, dcat, dcterms, mg, prov, rdf, rdfs,
    skos, void, xsd,
};
use migraph_core::model::{DocumentMeta, IsoDate};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::store::{StorageError, Store};

/// The title of the dataset.
const TITLE: &str = "migraph knowledge graph";
/// What the dataset holds, in one sentence.
const DESCRIPTION: &str = "Actors, places, programmes and agreements of EU migration externalisation and the typed relations between them (funding, deployments, readmission and visa pressure, returns), each relation with the quote, sentence and bulletin it was read from.";
/// Keywords for catalogues.
const KEYWORDS: &[&str] =
    &["migration", "externalisation", "European Union", "border control", "knowledge graph"];

/// The files `migraph build` exports: file name, media type, format name.
///
/// Media types are IANA registrations where one exists; GEXF and GraphML have
/// none, so they are described as the XML they are and named by `dcterms:format`.
const DISTRIBUTIONS: &[(&str, &str, &str)] = &[
    ("graph.ttl", "text/turtle", "Turtle"),
    ("graph.nq", "application/n-quads", "N-Quads"),
    ("graph.gexf", "application/xml", "GEXF 1.3"),
    ("graph.graphml", "application/xml", "GraphML"),
    ("nodes.csv", "text/csv", "CSV (nodes)"),
    ("edges.csv", "text/csv", "CSV (edges)"),
    ("graph.dot", "text/vnd.graphviz", "Graphviz DOT"),
];

/// Vocabularies the data uses (`void:vocabulary`).
const VOCABULARIES: &[&str] = &[MG, rdf::NS, rdfs::NS, skos::NS, prov::NS, dcterms::NS];

/// Counts over the union of every graph except the description itself.
#[derive(Debug, Default)]
pub(crate) struct DatasetCounts {
    /// Distinct triples.
    pub(crate) triples: u64,
    /// Distinct subjects of those triples.
    pub(crate) distinct_subjects: u64,
    /// Distinct objects of those triples.
    pub(crate) distinct_objects: u64,
    /// Distinct instances (subjects of `rdf:type`) per class IRI.
    pub(crate) classes: BTreeMap<String, u64>,
    /// Distinct triples per property IRI.
    pub(crate) properties: BTreeMap<String, u64>,
}

/// A 128-bit fingerprint of a term or triple, so that distinct counts over a large
/// store keep 16 bytes per item instead of the terms themselves.
///
/// Two SipHash passes with different leading bytes give independent 64-bit halves;
/// a collision among a billion items has a probability near 10⁻²¹.
pub(crate) fn fingerprint(value: &impl Hash) -> u128 {
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        value.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// Counts the store's triples, subjects, objects, classes and properties.
///
/// # Complexity
/// One scan of every quad; memory is 16 bytes per distinct triple, subject and
/// object, plus one entry per class instance.
pub(crate) fn count(store: &Store) -> Result<DatasetCounts, StorageError> {
    let description = NamedNodeRef::new_unchecked(DESCRIPTION_GRAPH);
    let rdf_type = NamedNodeRef::new_unchecked(rdf::TYPE);
    let mut triples = HashSet::new();
    let mut subjects = HashSet::new();
    let mut objects = HashSet::new();
    let mut members: BTreeMap<String, HashSet<u128>> = BTreeMap::new();
    let mut counts = DatasetCounts::default();
    for quad in store.iter() {
        let quad = quad?;
        if quad.graph_name.as_ref() == GraphNameRef::NamedNode(description) {
            continue;
        }
        let triple = (&quad.subject, &quad.predicate, &quad.object);
        if !triples.insert(fingerprint(&triple)) {
            continue;
        }
        let subject = fingerprint(&quad.subject);
        subjects.insert(subject);
        objects.insert(fingerprint(&quad.object));
        *counts.properties.entry(quad.predicate.as_str().to_owned()).or_default() += 1;
        if quad.predicate.as_ref() == rdf_type
            && let Term::NamedNode(class) = &quad.object
        {
            members.entry(class.as_str().to_owned()).or_default().insert(subject);
        }
    }
    counts.triples = triples.len() as u64;
    counts.distinct_subjects = subjects.len() as u64;
    counts.distinct_objects = objects.len() as u64;
    counts.classes = members.into_iter().map(|(class, m)| (class, m.len() as u64)).collect();
    Ok(counts)
}

/// A readable, unique path segment for a class or property IRI: `mg-funds` when a
/// migraph prefix covers it, the percent-encoded IRI otherwise.
fn partition_name(iri: &str) -> String {
    for (prefix, namespace) in PREFIXES {
        if let Some(local) = iri.strip_prefix(namespace)
            && !local.is_empty()
            && local.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return format!("{prefix}-{local}");
        }
    }
    vocab::percent_encode(iri)
}

/// Collects the quads of the description graph.
struct Writer {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl Writer {
    fn add(&mut self, s: &NamedNode, p: &'static str, o: impl Into<Term>) {
        self.quads.push(Quad::new(
            s.clone(),
            NamedNodeRef::new_unchecked(p),
            o.into(),
            self.graph.clone(),
        ));
    }

    fn iri(&mut self, s: &NamedNode, p: &'static str, o: &str) {
        self.add(s, p, NamedNode::new_unchecked(o));
    }

    fn text(&mut self, s: &NamedNode, p: &'static str, value: &str) {
        self.add(s, p, Literal::new_simple_literal(value));
    }

    fn date(&mut self, s: &NamedNode, p: &'static str, date: &IsoDate) {
        let datatype = NamedNodeRef::new_unchecked(vocab::date_datatype(date));
        self.add(s, p, Literal::new_typed_literal(date.to_string(), datatype));
    }

    fn count(&mut self, s: &NamedNode, p: &'static str, n: u64) {
        let datatype = NamedNodeRef::new_unchecked(xsd::INTEGER);
        self.add(s, p, Literal::new_typed_literal(n.to_string(), datatype));
    }
}

/// What the catalogue says about the documents as a whole.
#[derive(Debug, Default)]
pub(crate) struct Coverage {
    /// Documents in the catalogue.
    pub(crate) documents: u64,
    /// The earliest and latest publication date among them, when any has one.
    pub(crate) period: Option<(IsoDate, IsoDate)>,
}

impl Coverage {
    /// Summarises catalogue entries.
    pub(crate) fn of(documents: &[DocumentMeta]) -> Coverage {
        let mut dates = documents.iter().filter_map(|d| d.date);
        let period = dates
            .next()
            .map(|first| dates.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d))));
        Coverage { documents: documents.len() as u64, period }
    }
}

/// The quads of the description graph for `counts` and the catalogue's `coverage`.
///
/// The class and property IRIs come from the store, so they are valid IRIs; the
/// partition IRIs append a percent-encoded or prefix-safe segment to [`DATASET`],
/// which keeps them valid.
pub(crate) fn description_quads(counts: &DatasetCounts, coverage: &Coverage) -> Vec<Quad> {
    let dataset = NamedNode::new_unchecked(DATASET);
    let mut w = Writer {
        graph: GraphName::NamedNode(NamedNode::new_unchecked(DESCRIPTION_GRAPH)),
        quads: Vec::new(),
    };
    w.iri(&dataset, rdf::TYPE, void::DATASET);
    w.iri(&dataset, rdf::TYPE, dcat::DATASET);
    w.text(&dataset, dcterms::TITLE, TITLE);
    w.text(&dataset, dcterms::DESCRIPTION, DESCRIPTION);
    for keyword in KEYWORDS {
        w.text(&dataset, dcat::KEYWORD, keyword);
    }
    w.text(&dataset, void::URI_SPACE, ENTITY_NS);
    for vocabulary in VOCABULARIES {
        w.iri(&dataset, void::VOCABULARY, vocabulary);
    }
    w.count(&dataset, void::TRIPLES, counts.triples);
    w.count(&dataset, void::ENTITIES, counts.classes.get(mg::ENTITY).copied().unwrap_or(0));
    w.count(&dataset, void::DISTINCT_SUBJECTS, counts.distinct_subjects);
    w.count(&dataset, void::DISTINCT_OBJECTS, counts.distinct_objects);
    w.count(&dataset, void::PROPERTIES, counts.properties.len() as u64);
    w.count(&dataset, void::CLASSES, counts.classes.len() as u64);
    w.count(&dataset, void::DOCUMENTS, coverage.documents);
    if let Some((start, end)) = &coverage.period {
        // The publication dates of the bulletins bound the period they report on.
        let period = NamedNode::new_unchecked(format!("{DATASET}/period"));
        w.add(&dataset, dcterms::TEMPORAL, period.clone());
        w.iri(&period, rdf::TYPE, dcterms::PERIOD_OF_TIME);
        w.date(&period, dcat::START_DATE, start);
        w.date(&period, dcat::END_DATE, end);
    }

    for (class, n) in &counts.classes {
        let partition =
            NamedNode::new_unchecked(format!("{DATASET}/class/{}", partition_name(class)));
        w.add(&dataset, void::CLASS_PARTITION, partition.clone());
        w.iri(&partition, void::CLASS, class);
        w.count(&partition, void::ENTITIES, *n);
    }
    for (property, n) in &counts.properties {
        let partition =
            NamedNode::new_unchecked(format!("{DATASET}/property/{}", partition_name(property)));
        w.add(&dataset, void::PROPERTY_PARTITION, partition.clone());
        w.iri(&partition, void::PROPERTY, property);
        w.count(&partition, void::TRIPLES, *n);
    }
    for (file, media_type, format) in DISTRIBUTIONS {
        let distribution = NamedNode::new_unchecked(format!("{DATASET}/distribution/{file}"));
        w.add(&dataset, dcat::DISTRIBUTION, distribution.clone());
        w.iri(&distribution, rdf::TYPE, dcat::DISTRIBUTION_CLASS);
        w.text(&distribution, dcterms::TITLE, file);
        w.text(&distribution, dcterms::FORMAT, format);
        w.add(
            &distribution,
            dcat::MEDIA_TYPE,
            NamedNode::new_unchecked(format!(
                "https://www.iana.org/assignments/media-types/{media_type}"
            )),
        );
    }
    w.quads
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_partition_names_are_readable_and_distinct() {
        assert_eq!(partition_name(mg::FUNDS), "mg-funds");
        assert_eq!(partition_name(dcterms::DATE), "dcterms-date");
        assert_eq!(partition_name(mg::DATE), "mg-date");
        assert_eq!(partition_name("https://example.org/a#b"), "https%3A%2F%2Fexample.org%2Fa%23b");
    }

    #[test]
    fn describe_coverage_spans_the_dated_documents() {
        let meta = |id: &str, date| DocumentMeta {
            id: id.to_owned(),
            source: id.to_owned(),
            title: None,
            date,
            content_hash: "00".to_owned(),
            n_articles: 1,
            n_sentences: 1,
        };
        let docs = [
            meta("a", Some(IsoDate::month(2025, 4))),
            meta("b", None),
            meta("c", Some(IsoDate::year(2024))),
            meta("d", Some(IsoDate::month(2025, 11))),
        ];
        let coverage = Coverage::of(&docs);
        assert_eq!(coverage.documents, 4);
        assert_eq!(coverage.period, Some((IsoDate::year(2024), IsoDate::month(2025, 11))));
        assert_eq!(Coverage::of(&docs[1..2]).period, None);
    }

    #[test]
    fn describe_description_quads_are_valid_iris_and_carry_counts() {
        let counts = DatasetCounts {
            triples: 10,
            distinct_subjects: 3,
            distinct_objects: 7,
            classes: BTreeMap::from([(mg::ENTITY.to_owned(), 2), (mg::COUNTRY.to_owned(), 1)]),
            properties: BTreeMap::from([(mg::FUNDS.to_owned(), 1), (rdf::TYPE.to_owned(), 4)]),
        };
        let coverage =
            Coverage { documents: 1, period: Some((IsoDate::year(2023), IsoDate::month(2025, 2))) };
        let quads = description_quads(&counts, &coverage);
        for quad in &quads {
            // new_unchecked was used above: check every IRI the way the store would.
            assert!(NamedNode::new(quad.predicate.as_str()).is_ok(), "{quad}");
            if let Term::NamedNode(n) = &quad.object {
                assert!(NamedNode::new(n.as_str()).is_ok(), "{quad}");
            }
        }
        let text: Vec<String> = quads.iter().map(ToString::to_string).collect();
        let has = |needle: &str| text.iter().any(|q| q.contains(needle));
        assert!(has("<http://rdfs.org/ns/void#triples> \"10\"^^"));
        assert!(has("<http://rdfs.org/ns/void#entities> \"2\"^^"));
        assert!(has("/class/mg-Country> <http://rdfs.org/ns/void#entities> \"1\"^^"));
        assert!(has("/property/rdf-type> <http://rdfs.org/ns/void#triples> \"4\"^^"));
        assert!(has("/distribution/graph.ttl>"));
        assert!(has(
            "<http://www.w3.org/ns/dcat#startDate> \"2023\"^^<http://www.w3.org/2001/XMLSchema#gYear>"
        ));
        assert!(has("<http://www.w3.org/ns/dcat#endDate> \"2025-02\"^^"));
        assert!(!has("sparqlEndpoint"));
    }
}
