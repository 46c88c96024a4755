//! Unit tests of the store: round trips, idempotence, queries, dumps and the ontology.

use std::collections::BTreeSet;

use migraph_core::model::vocab::{self, owl, rdf as rdf_vocab};
use migraph_core::model::{
    DocumentMeta, Entity, EntityId, EntityKind, Evidence, IsoDate, KnowledgeGraph, Money, Relation,
    RelationKind, When,
};
use oxigraph::model::{NamedOrBlankNode, Term};

use super::*;

fn entity(name: &str, kind: EntityKind) -> Entity {
    Entity::new(name, kind, "gazetteer:test.tsv")
}

fn meta(id: &str, date: Option<IsoDate>) -> DocumentMeta {
    DocumentMeta {
        id: id.to_owned(),
        source: format!("corpus/{id}"),
        title: Some(format!("Bulletin {id}")),
        date,
        content_hash: format!("{:x}", id.len() * 7919),
        n_articles: 3,
        n_sentences: 40,
    }
}

/// A relation whose evidence is made up from its parts (own wording).
fn relation(
    doc: &str,
    subject: &Entity,
    kind: RelationKind,
    object: &Entity,
    at: usize,
    money: Option<Money>,
    when: Option<When>,
) -> Relation {
    let quote = format!("{} {} {}", subject.name, kind, object.name);
    Relation {
        subject: subject.id.clone(),
        kind,
        object: object.id.clone(),
        money,
        when,
        evidence: Evidence {
            doc: doc.to_owned(),
            article: if at.is_multiple_of(2) { Some(format!("Story at {at}")) } else { None },
            sentence: format!("In short, {quote}."),
            sentence_start: at,
            sentence_end: at + quote.len() + 12,
            quote_start: at + 10,
            quote_end: at + 10 + quote.len(),
            quote,
            rule: format!("{kind}.test"),
        },
    }
}

struct Sample {
    graph: KnowledgeGraph,
    /// Per document: its metadata, entities and relations, as the pipeline passes them.
    docs: Vec<(DocumentMeta, Vec<Entity>, Vec<Relation>)>,
}

/// Two documents sharing entities, with every kind of date, money in two currencies,
/// a symmetric relation, an unlinked entity and articles present and absent.
fn sample() -> Sample {
    let mut eu = entity("European Union", EntityKind::EUInstitution);
    eu.wikidata = Some("Q458".to_owned());
    eu.aliases = vec!["EU".to_owned(), "the Union".to_owned()];
    let mut tunisia = entity("Tunisia", EntityKind::Country);
    tunisia.iso2 = Some("TN".to_owned());
    tunisia.iso3 = Some("TUN".to_owned());
    let mut libya = entity("Libya", EntityKind::Country);
    libya.iso2 = Some("LY".to_owned());
    libya.iso3 = Some("LBY".to_owned());
    libya.wikidata = Some("Q1016".to_owned());
    let mut frontex = entity("Frontex", EntityKind::EUAgency);
    frontex.aliases = vec!["European Border and Coast Guard Agency".to_owned()];
    let eubam = entity("EUBAM Libya", EntityKind::Mission);
    let coast_guard = entity("Libyan Coast Guard", EntityKind::Authority);
    let italy = entity("Italy", EntityKind::Country);
    let egypt = entity("Egypt", EntityKind::Country);
    let gambia = entity("The Gambia", EntityKind::Country);
    let mut unlinked = entity("Sahel", EntityKind::Region);
    unlinked.origin = "discovered:region-cue".to_owned();

    let d1 = "001_first.txt";
    let d2 = "002 second (draft).html";
    let day = IsoDate::day(2024, 3, 17).expect("valid date");
    let doc1 = vec![
        relation(
            d1,
            &eu,
            RelationKind::Funds,
            &tunisia,
            0,
            Some(Money::eur(105_000_000)),
            Some(When::At { date: IsoDate::year(2023) }),
        ),
        relation(
            d1,
            &eu,
            RelationKind::Funds,
            &libya,
            100,
            Some(Money { amount: 18_446_744_073_709_551_615, currency: "USD".to_owned() }),
            Some(When::Between { start: IsoDate::year(2024), end: IsoDate::month(2027, 6) }),
        ),
        relation(
            d1,
            &frontex,
            RelationKind::DeploysTo,
            &libya,
            201,
            None,
            Some(When::Since { date: day }),
        ),
        relation(d1, &eubam, RelationKind::Supports, &coast_guard, 300, None, None),
        relation(
            d1,
            &eu,
            RelationKind::Funds,
            &egypt,
            500,
            Some(Money::eur(7_400_000_000)),
            Some(When::At { date: IsoDate::year(2024) }),
        ),
        relation(
            d1,
            &eubam,
            RelationKind::OperatesIn,
            &libya,
            401,
            None,
            Some(When::Until { date: IsoDate::month(2025, 6) }),
        ),
    ];
    let doc2 = vec![
        relation(d2, &italy, RelationKind::CooperatesWith, &libya, 0, None, None),
        relation(
            d2,
            &eu,
            RelationKind::ImposesMeasureOn,
            &gambia,
            50,
            None,
            Some(When::At { date: IsoDate::month(2024, 7) }),
        ),
        relation(d2, &eu, RelationKind::NegotiatesAgreementWith, &gambia, 51, None, None),
        relation(d2, &eu, RelationKind::Funds, &tunisia, 90, Some(Money::eur(60_000_000)), None),
        relation(d2, &coast_guard, RelationKind::UsesForceAgainst, &italy, 120, None, None),
    ];
    let ents1 = vec![
        eu.clone(),
        tunisia.clone(),
        libya.clone(),
        frontex,
        eubam,
        coast_guard.clone(),
        unlinked,
        egypt,
    ];
    let ents2 = vec![italy, libya, eu, gambia, tunisia, coast_guard];
    let docs =
        vec![(meta(d1, Some(IsoDate::month(2025, 5))), ents1, doc1), (meta(d2, None), ents2, doc2)];
    let mut graph = KnowledgeGraph::new();
    for (m, e, r) in &docs {
        graph.insert_document(m.clone(), e.clone(), r.clone());
    }
    Sample { graph, docs }
}

fn load(store: &GraphStore, sample: &Sample) -> usize {
    sample.docs.iter().map(|(m, e, r)| store.replace_document(m, e, r).unwrap()).sum()
}

fn query_text(store: &GraphStore, sparql: &str, format: ResultFormat) -> String {
    let mut out = Vec::new();
    store.query(sparql, Some(format), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn store_round_trips_knowledge_graph_exactly() {
    let store = GraphStore::memory().unwrap();
    let sample = sample();
    load(&store, &sample);
    assert_eq!(store.read_graph().unwrap(), sample.graph);
}

#[test]
fn store_reload_is_idempotent() {
    let store = GraphStore::memory().unwrap();
    let sample = sample();
    let written = load(&store, &sample);
    let before = store.stats().unwrap();
    assert_eq!(load(&store, &sample), written);
    assert_eq!(store.stats().unwrap(), before);
    assert_eq!(before.quads as usize, written);
}

#[test]
fn store_replace_document_drops_what_the_new_version_lacks() {
    let store = GraphStore::memory().unwrap();
    let sample = sample();
    load(&store, &sample);
    let (m, e, r) = &sample.docs[0];
    let mut newer = m.clone();
    newer.content_hash = "ffff".to_owned();
    store.replace_document(&newer, &e[..3], &r[..2]).unwrap();
    assert_eq!(store.document_hash(&m.id).unwrap().as_deref(), Some("ffff"));
    let graph = store.read_graph().unwrap();
    let from_first: Vec<_> = graph.relations.iter().filter(|r| r.evidence.doc == m.id).collect();
    assert_eq!(from_first.len(), 2);
    // Frontex was only in the first document's old version.
    assert!(!graph.entities.contains_key(&EntityId::from_name("Frontex")));
    assert_eq!(graph.documents[&m.id], newer);
}

#[test]
fn store_remove_document_removes_graph_and_entry() {
    let store = GraphStore::memory().unwrap();
    let sample = sample();
    load(&store, &sample);
    let id = &sample.docs[1].0.id;
    assert!(store.remove_document(id).unwrap());
    assert!(!store.remove_document(id).unwrap());
    assert_eq!(store.document_hash(id).unwrap(), None);
    let docs: Vec<String> = store.documents().unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(docs, vec![sample.docs[0].0.id.clone()]);
    assert!(store.read_graph().unwrap().relations.iter().all(|r| &r.evidence.doc != id));
}

#[test]
fn store_rejects_inconsistent_document_without_writing() {
    let store = GraphStore::memory().unwrap();
    let sample = sample();
    let (m, e, r) = &sample.docs[0];
    assert!(matches!(store.replace_document(m, &e[..1], r), Err(StoreError::MissingEntity { .. })));
    assert_eq!(store.stats().unwrap().quads, 0);
}

#[test]
fn store_stats_count_distinct_things() {
    let store = GraphStore::memory().unwrap();
    let sample = sample();
    load(&store, &sample);
    let stats = store.stats().unwrap();
    assert_eq!(stats.documents, 2);
    assert_eq!(stats.statements, sample.graph.relations.len() as u64);
    assert_eq!(stats.entities, sample.graph.entities.len() as u64);
    // Entities described in both documents make quads outnumber distinct triples.
    assert!(stats.triples_distinct < stats.quads, "{stats:?}");
}

/// Every quad of a store as N-Quads text, sorted (to compare two stores).
fn all_quads(store: &GraphStore) -> Vec<String> {
    let mut quads: Vec<String> = store.inner().iter().map(|q| q.unwrap().to_string()).collect();
    quads.sort();
    quads
}

fn as_batch(
    docs: &[(DocumentMeta, Vec<Entity>, Vec<Relation>)],
) -> Vec<(&DocumentMeta, &[Entity], &[Relation])> {
    docs.iter().map(|(m, e, r)| (m, e.as_slice(), r.as_slice())).collect()
}

#[test]
fn store_replace_documents_writes_what_one_by_one_writes() {
    let sample = sample();
    let one_by_one = GraphStore::memory().unwrap();
    let written = load(&one_by_one, &sample);
    // New documents (bulk loader) in one batch.
    let batched = GraphStore::memory().unwrap();
    assert_eq!(batched.replace_documents(as_batch(&sample.docs)).unwrap(), written);
    assert_eq!(all_quads(&batched), all_quads(&one_by_one));
    assert_eq!(batched.read_graph().unwrap(), sample.graph);
    // A batch that mixes a changed document (transaction) and a new one (bulk loader).
    let mixed = GraphStore::memory().unwrap();
    let (m, e, r) = &sample.docs[0];
    let mut older = m.clone();
    older.content_hash = "0ld".to_owned();
    mixed.replace_document(&older, &e[..3], &r[..1]).unwrap();
    assert_eq!(mixed.replace_documents(as_batch(&sample.docs)).unwrap(), written);
    assert_eq!(all_quads(&mixed), all_quads(&one_by_one));
}

#[test]
fn store_replace_documents_keeps_the_last_of_a_repeated_document() {
    let sample = sample();
    let (m, e, r) = &sample.docs[0];
    let mut first = m.clone();
    first.content_hash = "f1".to_owned();
    let store = GraphStore::memory().unwrap();
    let batch = vec![(&first, &e[..3], &r[..1]), (m, e.as_slice(), r.as_slice())];
    store.replace_documents(batch).unwrap();
    assert_eq!(store.document_hash(&m.id).unwrap().as_deref(), Some(m.content_hash.as_str()));
    let only = GraphStore::memory().unwrap();
    only.replace_document(m, e, r).unwrap();
    assert_eq!(all_quads(&store), all_quads(&only));
}

#[test]
fn store_replace_documents_rejects_a_bad_batch_without_writing() {
    let sample = sample();
    let store = GraphStore::memory().unwrap();
    let (m, e, r) = &sample.docs[1];
    let mut batch = as_batch(&sample.docs[..1]);
    batch.push((m, &e[..1], r.as_slice()));
    let err = store.replace_documents(batch).unwrap_err();
    assert!(matches!(err, StoreError::MissingEntity { .. }), "{err}");
    assert_eq!(store.stats().unwrap().quads, 0);
}

#[test]
fn store_refresh_description_counts_the_data_and_is_stable() {
    let store = GraphStore::memory().unwrap();
    let sample = sample();
    load(&store, &sample);
    let stats = store.stats().unwrap();
    let written = store.refresh_description().unwrap();
    assert!(written > 20, "{written}");
    let count = |sparql: &str| -> u64 {
        let csv = query_text(&store, sparql, ResultFormat::Csv);
        csv.lines().nth(1).unwrap_or_default().trim().parse().unwrap_or(u64::MAX)
    };
    let void =
        "PREFIX void: <http://rdfs.org/ns/void#> PREFIX mg: <https://w3id.org/migraph/ontology#>";
    let in_graph = |pattern: &str| {
        format!("{void} SELECT ?n WHERE {{ GRAPH <{}> {{ {pattern} }} }}", vocab::DESCRIPTION_GRAPH)
    };
    // Before the refresh, the union of the other graphs held exactly these triples.
    assert_eq!(
        count(&in_graph(&format!("<{}> void:triples ?n", vocab::DATASET))),
        stats.triples_distinct
    );
    assert_eq!(count(&in_graph(&format!("<{}> void:entities ?n", vocab::DATASET))), stats.entities);
    assert_eq!(count(&in_graph(&format!("<{}> void:documents ?n", vocab::DATASET))), 2);
    assert_eq!(
        count(&in_graph("?p void:class mg:Statement ; void:entities ?n")),
        sample.graph.relations.len() as u64
    );
    let funds = sample.graph.relations.iter().filter(|r| r.kind == RelationKind::Funds);
    let distinct_funds: BTreeSet<_> = funds.map(|r| (&r.subject, &r.object)).collect();
    assert_eq!(
        count(&in_graph("?p void:property mg:funds ; void:triples ?n")),
        distinct_funds.len() as u64
    );
    // Refreshing again ignores the description itself: nothing changes.
    let before = store.stats().unwrap();
    assert_eq!(store.refresh_description().unwrap(), written);
    assert_eq!(store.stats().unwrap(), before);
    // After a removal the counts follow the data.
    store.remove_document(&sample.docs[1].0.id).unwrap();
    store.refresh_description().unwrap();
    assert_eq!(count(&in_graph(&format!("<{}> void:documents ?n", vocab::DATASET))), 1);
    // The description is not a document: reading the graph back ignores it.
    assert_eq!(store.documents().unwrap().len(), 1);
}

#[test]
fn store_query_sees_union_of_document_graphs() {
    let store = GraphStore::memory().unwrap();
    load(&store, &sample());
    let csv = query_text(
        &store,
        "PREFIX mg: <https://w3id.org/migraph/ontology#>
         SELECT ?o WHERE { <https://w3id.org/migraph/id/entity/european-union> mg:funds ?o } ORDER BY ?o",
        ResultFormat::Csv,
    );
    // Tunisia is funded in both documents: the union of graphs is a bag, not a set.
    assert_eq!(
        csv,
        "o\r\nhttps://w3id.org/migraph/id/entity/egypt\r\nhttps://w3id.org/migraph/id/entity/libya\r\n\
         https://w3id.org/migraph/id/entity/tunisia\r\nhttps://w3id.org/migraph/id/entity/tunisia\r\n"
    );
    // FROM restricts the default graph to one document.
    let from = format!(
        "SELECT (COUNT(*) AS ?n) FROM <{}> WHERE {{ ?s a <{}> }}",
        vocab::document_iri(&sample().docs[1].0.id),
        vocab::mg::STATEMENT
    );
    assert_eq!(query_text(&store, &from, ResultFormat::Tsv), "?n\n5\n");
}

#[test]
fn store_query_writes_each_format() {
    let store = GraphStore::memory().unwrap();
    load(&store, &sample());
    let select = "SELECT ?s WHERE { ?s a <https://w3id.org/migraph/ontology#Mission> } LIMIT 1";
    let json = query_text(&store, select, ResultFormat::Json);
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        parsed["results"]["bindings"][0]["s"]["value"],
        "https://w3id.org/migraph/id/entity/eubam-libya"
    );
    assert!(
        query_text(&store, select, ResultFormat::Xml)
            .contains("<uri>https://w3id.org/migraph/id/entity/eubam-libya</uri>")
    );
    assert_eq!(
        query_text(&store, "ASK { ?s ?p ?o }", ResultFormat::Json),
        r#"{"head":{},"boolean":true}"#
    );

    // The coast guard is described in both documents.
    let construct = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c FILTER(?c = <https://w3id.org/migraph/ontology#Authority>) }";
    let ttl = query_text(&store, construct, ResultFormat::Turtle);
    assert!(ttl.contains("entity:libyan-coast-guard a mg:Authority"), "{ttl}");
    let nt = query_text(&store, construct, ResultFormat::NTriples);
    // Two solutions, one per document graph, but CONSTRUCT builds a set of triples.
    assert_eq!(nt.lines().count(), 1, "{nt}");
    let jsonld: serde_json::Value =
        serde_json::from_str(&query_text(&store, construct, ResultFormat::JsonLd)).unwrap();
    assert!(jsonld.to_string().contains("https://w3id.org/migraph/id/entity/libyan-coast-guard"));

    let mut out = Vec::new();
    let err = store.query(construct, Some(ResultFormat::Tsv), &mut out).unwrap_err();
    assert!(matches!(err, StoreError::FormatMismatch { .. }), "{err}");
    assert!(out.is_empty());
    // Without a format, the query form decides.
    store.query(construct, None, &mut out).unwrap();
    assert!(String::from_utf8(std::mem::take(&mut out)).unwrap().starts_with("@prefix"));
    let err = store.query("SELECT ?x WHERE {", None, &mut out).unwrap_err();
    assert!(matches!(err, StoreError::Query { .. }), "{err}");
}

#[test]
fn store_query_honours_cancellation() {
    let store = GraphStore::memory().unwrap();
    load(&store, &sample());
    let token = CancellationToken::new();
    token.cancel();
    let query = ParsedQuery::parse("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }").unwrap();
    let err = store.evaluate(query, ResultFormat::Json, &mut Vec::new(), Some(token)).unwrap_err();
    assert!(matches!(err, StoreError::Cancelled), "{err}");
}

#[test]
fn store_dump_is_sorted_deduplicated_and_stable() {
    let sample = sample();
    let a = GraphStore::memory().unwrap();
    load(&a, &sample);
    // The same documents written in the opposite order dump the same bytes.
    let b = GraphStore::memory().unwrap();
    for (m, e, r) in sample.docs.iter().rev() {
        b.replace_document(m, e, r).unwrap();
    }
    let stats = a.stats().unwrap();
    for format in RdfDumpFormat::ALL {
        let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
        let n = a.dump(*format, None, &mut out_a).unwrap();
        b.dump(*format, None, &mut out_b).unwrap();
        assert_eq!(out_a, out_b, "{format}");
        let expected = if format.keeps_graphs() { stats.quads } else { stats.triples_distinct };
        assert_eq!(n, expected, "{format}");
    }
    let mut nt = Vec::new();
    a.dump(RdfDumpFormat::NTriples, None, &mut nt).unwrap();
    let lines: Vec<&str> = std::str::from_utf8(&nt).unwrap().lines().collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(lines, sorted);
}

#[test]
fn store_dump_of_one_document() {
    let store = GraphStore::memory().unwrap();
    let sample = sample();
    load(&store, &sample);
    let (m, _, r) = &sample.docs[1];
    let mut out = Vec::new();
    let n = store.dump(RdfDumpFormat::NQuads, Some(&m.id), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let graph = format!("<{}> .", vocab::document_iri(&m.id));
    assert!(text.lines().all(|l| l.ends_with(&graph)), "{text}");
    assert_eq!(text.lines().filter(|l| l.contains("#Statement>")).count(), 2 * r.len());
    assert_eq!(n as usize, text.lines().count());
    assert!(matches!(
        store.dump(RdfDumpFormat::Turtle, Some("nope.txt"), &mut Vec::new()),
        Err(StoreError::UnknownDocument { .. })
    ));
    // A document with nothing read from it is known, with an empty graph.
    let empty = meta("empty.txt", None);
    // Its catalogue entry: two types, id, source, title, hash, two counts.
    assert_eq!(store.replace_document(&empty, &[], &[]).unwrap(), 8);
    assert_eq!(store.dump(RdfDumpFormat::NQuads, Some("empty.txt"), &mut Vec::new()).unwrap(), 0);
    assert_eq!(store.read_graph().unwrap().documents["empty.txt"], empty);
}

/// The subjects typed `class` in the loaded ontology.
fn typed(store: &GraphStore, class: &str) -> BTreeSet<String> {
    store
        .inner()
        .quads_for_pattern(
            None,
            Some(NamedNodeRef::new_unchecked(rdf_vocab::TYPE)),
            Some(NamedNodeRef::new_unchecked(class).into()),
            Some(NamedNodeRef::new_unchecked(ONTOLOGY_GRAPH).into()),
        )
        .map(|q| match q.unwrap().subject {
            NamedOrBlankNode::NamedNode(n) => n.into_string(),
            NamedOrBlankNode::BlankNode(b) => panic!("blank node {b} in the ontology"),
        })
        .collect()
}

#[test]
fn ontology_declares_every_kind_and_relation() {
    let store = GraphStore::memory().unwrap();
    let n = store.load_ontology(ONTOLOGY_TTL).unwrap();
    assert!(n > 200, "{n} triples");
    let classes = typed(&store, owl::CLASS);
    for kind in EntityKind::ALL {
        assert!(classes.contains(vocab::entity_kind_iri(*kind)), "{kind} is not an owl:Class");
    }
    let properties = typed(&store, owl::OBJECT_PROPERTY);
    let symmetric = typed(&store, owl::SYMMETRIC_PROPERTY);
    for kind in RelationKind::ALL {
        let iri = vocab::relation_iri(*kind);
        assert!(properties.contains(iri), "{kind} is not an owl:ObjectProperty");
        assert_eq!(symmetric.contains(iri), kind.is_symmetric(), "{kind} symmetry");
    }
    let datatype = typed(&store, owl::DATATYPE_PROPERTY);
    for used in
        [vocab::mg::AMOUNT, vocab::mg::DATE_ROLE, vocab::mg::QUOTE_START, vocab::mg::CONTENT_HASH]
    {
        assert!(datatype.contains(used), "{used} is not declared");
    }
    // Every triple has a named subject and object (no blank nodes), so reloading
    // the ontology leaves the store byte-identical.
    assert_eq!(store.load_ontology(ONTOLOGY_TTL).unwrap(), n);
    let blank = store.inner().iter().any(|q| {
        let q = q.unwrap();
        matches!(q.subject, NamedOrBlankNode::BlankNode(_))
            || matches!(q.object, Term::BlankNode(_))
    });
    assert!(!blank);
}

#[test]
fn ontology_errors_name_the_line_and_keep_the_old_graph() {
    let store = GraphStore::memory().unwrap();
    let n = store.load_ontology(ONTOLOGY_TTL).unwrap();
    let err =
        store.load_ontology("@prefix a: <http://a/> .\n\na:b a:c a:x .\na:d a:e .\n").unwrap_err();
    assert!(matches!(err, StoreError::Ontology { line: Some(4), .. }), "{err:?}");
    assert!(err.to_string().contains("line 4"), "{err}");
    assert_eq!(store.stats().unwrap().quads as usize, n);
}

#[test]
fn shapes_are_valid_turtle() {
    let quads = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(SHAPES_TTL.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert!(quads.len() > 100);
}

#[test]
fn canned_queries_find_the_sample_facts() {
    let store = GraphStore::memory().unwrap();
    load(&store, &sample());
    store.load_ontology(ONTOLOGY_TTL).unwrap();
    for q in canned_queries() {
        let parsed = ParsedQuery::parse(q.sparql).unwrap();
        let mut out = Vec::new();
        let outcome =
            store.evaluate(parsed.clone(), parsed.form().default_format(), &mut out, None).unwrap();
        assert!(outcome.results > 0, "{} returned nothing", q.name);
    }
    let funding = canned_queries().into_iter().find(|q| q.name == "funding-by-year").unwrap();
    let csv = query_text(&store, funding.sparql, ResultFormat::Csv);
    assert!(csv.starts_with("year,funder,recipient,currency,total,statements\r\n"), "{csv}");
    // Tunisia's 60 M (no date) sorts first, then 2023 and 2024; the two Tunisia
    // statements are not merged because their years differ.
    assert!(csv.contains(",European Union,Tunisia,EUR,60000000,1\r\n"), "{csv}");
    assert!(csv.contains("2023,European Union,Tunisia,EUR,105000000,1\r\n"), "{csv}");
    assert!(csv.contains("2024,European Union,Libya,USD,18446744073709551615,1\r\n"), "{csv}");
}

#[test]
fn store_on_disk_reopens_read_only_and_reports_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let sample = sample();
    {
        let store = GraphStore::open(&path).unwrap();
        load(&store, &sample);
        let err = GraphStore::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().contains("in use by another migraph process"), "{err}");
        store.flush().unwrap();
    }
    let store = GraphStore::open_read_only(&path).unwrap();
    assert!(store.is_read_only());
    assert_eq!(store.read_graph().unwrap(), sample.graph);
    let (m, e, r) = &sample.docs[0];
    assert!(matches!(store.replace_document(m, e, r), Err(StoreError::ReadOnly { .. })));
    assert!(matches!(store.update("CLEAR ALL"), Err(StoreError::ReadOnly { .. })));
}

#[test]
fn store_open_creates_missing_parent_directories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exports").join("nested").join("store");
    let store = GraphStore::open(&path).unwrap();
    assert_eq!(store.path(), Some(path.as_path()));
    let file = dir.path().join("file");
    std::fs::write(&file, b"x").unwrap();
    let err = GraphStore::open(&file.join("store")).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
}

#[test]
fn store_open_read_only_fails_on_missing_store() {
    let dir = tempfile::tempdir().unwrap();
    let err = GraphStore::open_read_only(&dir.path().join("absent")).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
}

#[test]
fn store_errors_keep_causes_in_the_chain() {
    let store = GraphStore::memory().unwrap();
    store.update("CREATE GRAPH <https://example.org/g>").unwrap();
    let err = store.update("CREATE GRAPH <https://example.org/g>").unwrap_err();
    assert_eq!(err.to_string(), "update failed");
    let chain = error_chain(&err);
    assert!(chain.starts_with("update failed: ") && chain.contains("already exists"), "{chain}");
    let err = store.update("INSERT DATA {").unwrap_err();
    assert!(err.to_string().starts_with("invalid SPARQL update: "), "{err}");
}
