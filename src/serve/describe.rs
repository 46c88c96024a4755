//! Self-descriptions of the endpoint: the SPARQL 1.1 Service Description (returned by
//! `GET /query` without a query) and a VoID description of the data (`GET /void`).
//!
//! See <https://www.w3.org/TR/sparql11-service-description/> and
//! <https://www.w3.org/TR/void/>. Both are built as triples from the store's
//! current contents and serialised like any graph result; they never change data.

use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use migraph_core::model::vocab::{ENTITY_NS, MG, dcterms, mg, rdf, rdfs};
use migraph_core::model::{EntityKind, RelationKind};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};

use super::SharedState;
use super::protocol::{RequestError, negotiate, parse_form, single};
use super::sparql::{accept, formatted, render_blocking, respond};
use crate::store::{GraphStore, ResultFormat, write_triples};

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const VOID: &str = "http://rdfs.org/ns/void#";
/// Prefixes of the description vocabularies, for readable Turtle.
const PREFIXES: &[(&str, &str)] = &[("sd", SD), ("void", VOID)];
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";

/// Triples under construction, with IRIs checked as they are made.
#[derive(Default)]
struct Triples(Vec<Triple>);

impl Triples {
    fn add(&mut self, subject: &NamedNode, predicate: &str, object: impl Into<Term>) {
        self.0.push(Triple::new(subject.clone(), NamedNode::new_unchecked(predicate), object));
    }
}

/// A node from a built IRI; the base comes from a validated `Host` header or the
/// bind address, so a failure here is a server bug reported as 500.
fn node(iri: String) -> Result<NamedNode, RequestError> {
    NamedNode::new(iri.clone())
        .map_err(|e| RequestError::Internal(format!("cannot build IRI <{iri}>: {e}")))
}

fn integer(n: u64) -> Literal {
    Literal::new_typed_literal(n.to_string(), NamedNode::new_unchecked(XSD_INTEGER))
}

/// `http://host[:port]` of this server, from the `Host` header when it is a plain
/// authority, else from the bind address.
pub(super) fn base_url(state: &SharedState, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|h| {
        !h.is_empty()
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    });
    match host {
        Some(host) => format!("http://{host}"),
        None => format!("http://{}", state.config.bind),
    }
}

/// The SPARQL service description of the endpoint at the request's path.
pub(super) async fn service_description(
    state: &SharedState,
    request: &Parts,
    format_param: Option<&str>,
) -> Result<Response, RequestError> {
    let format = negotiate(
        ResultFormat::GRAPH,
        accept(&request.headers),
        format_param,
        &"a service description",
    )?;
    let base = base_url(state, &request.headers);
    let endpoint = node(format!("{base}{}", request.uri.path()))?;
    let writable = state.config.write_token.is_some();
    let body = render_blocking(state, move |store, out, _| {
        let triples = service_triples(store, &endpoint, &base, writable)?;
        write_triples(format, PREFIXES, &triples.0, out)?;
        Ok(())
    })
    .await?;
    Ok(formatted(format, body))
}

fn service_triples(
    store: &GraphStore,
    endpoint: &NamedNode,
    base: &str,
    writable: bool,
) -> Result<Triples, RequestError> {
    let sd = |local: &str| NamedNode::new_unchecked(format!("{SD}{local}"));
    let mut t = Triples::default();
    t.add(endpoint, rdf::TYPE, sd("Service"));
    t.add(endpoint, &format!("{SD}endpoint"), endpoint.clone());
    t.add(endpoint, &format!("{SD}supportedLanguage"), sd("SPARQL11Query"));
    if writable {
        t.add(endpoint, &format!("{SD}supportedLanguage"), sd("SPARQL11Update"));
    }
    t.add(endpoint, &format!("{SD}feature"), sd("UnionDefaultGraph"));
    t.add(
        endpoint,
        &format!("{SD}defaultEntailmentRegime"),
        NamedNode::new_unchecked("http://www.w3.org/ns/entailment/Simple"),
    );
    for format in ResultFormat::SOLUTIONS.iter().chain(ResultFormat::GRAPH) {
        t.add(endpoint, &format!("{SD}resultFormat"), NamedNode::new_unchecked(format.iri()));
    }
    let dataset = node(format!("{}#dataset", endpoint.as_str()))?;
    let default_graph = node(format!("{}#default-graph", endpoint.as_str()))?;
    t.add(endpoint, &format!("{SD}defaultDataset"), dataset.clone());
    t.add(&dataset, rdf::TYPE, sd("Dataset"));
    t.add(&dataset, &format!("{SD}defaultGraph"), default_graph.clone());
    t.add(&default_graph, rdf::TYPE, sd("Graph"));
    t.add(
        &default_graph,
        rdfs::COMMENT,
        Literal::new_simple_literal("the union of all named graphs"),
    );
    t.add(
        &default_graph,
        "http://www.w3.org/2000/01/rdf-schema#seeAlso",
        node(format!("{base}/void"))?,
    );
    let mut names: Vec<NamedNode> = store
        .named_graphs()?
        .into_iter()
        .filter_map(|g| match g {
            NamedOrBlankNode::NamedNode(n) => Some(n),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    names.sort();
    for (i, name) in names.into_iter().enumerate() {
        let graph = node(format!("{}#named-graph-{}", endpoint.as_str(), i + 1))?;
        t.add(&dataset, &format!("{SD}namedGraph"), graph.clone());
        t.add(&graph, rdf::TYPE, sd("NamedGraph"));
        t.add(&graph, &format!("{SD}name"), name);
    }
    Ok(t)
}

/// `GET /void`: a VoID description of the data with class and property partitions.
pub(super) async fn void(State(state): State<SharedState>, request: Request) -> Response {
    let (parts, _body) = request.into_parts();
    respond(handle_void(&state, &parts).await)
}

async fn handle_void(state: &SharedState, request: &Parts) -> Result<Response, RequestError> {
    let params = parse_form(request.uri.query().unwrap_or_default().as_bytes())?;
    let format = negotiate(
        ResultFormat::GRAPH,
        accept(&request.headers),
        single(&params, "format")?,
        &"a VoID description",
    )?;
    let base = base_url(state, &request.headers);
    let body = render_blocking(state, move |store, out, _| {
        let triples = void_triples(store, &base)?;
        write_triples(format, PREFIXES, &triples.0, out)?;
        Ok(())
    })
    .await?;
    Ok(formatted(format, body))
}

/// Counts per IRI from a `SELECT ?key ?n` query.
fn counts(store: &GraphStore, sparql: &str) -> Result<Vec<(String, u64)>, RequestError> {
    let mut rows = Vec::new();
    for solution in store.select(sparql)? {
        let key = match solution.get("key") {
            Some(Term::NamedNode(n)) => n.as_str().to_owned(),
            _ => continue,
        };
        let n = match solution.get("n") {
            Some(Term::Literal(l)) => l.value().parse().unwrap_or(0),
            _ => 0,
        };
        rows.push((key, n));
    }
    Ok(rows)
}

fn void_triples(store: &GraphStore, base: &str) -> Result<Triples, RequestError> {
    let void = |local: &str| format!("{VOID}{local}");
    let dataset = node(format!("{base}/void#migraph"))?;
    let stats = store.stats()?;
    let mut t = Triples::default();
    t.add(&dataset, rdf::TYPE, NamedNode::new_unchecked(void("Dataset")));
    t.add(&dataset, dcterms::TITLE, Literal::new_simple_literal("migraph knowledge graph"));
    t.add(
        &dataset,
        "http://purl.org/dc/terms/description",
        Literal::new_simple_literal(
            "Entities and relations of EU migration externalisation read from bulletins, with the evidence of every relation.",
        ),
    );
    t.add(&dataset, &void("sparqlEndpoint"), node(format!("{base}/query"))?);
    t.add(&dataset, &void("uriSpace"), Literal::new_simple_literal(ENTITY_NS));
    for vocabulary in
        [MG, "http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#", dcterms::NS]
    {
        t.add(&dataset, &void("vocabulary"), NamedNode::new_unchecked(vocabulary));
    }
    t.add(&dataset, &void("triples"), integer(stats.triples_distinct));
    t.add(&dataset, &void("entities"), integer(stats.entities));
    t.add(&dataset, &void("documents"), integer(stats.documents));

    let classes =
        counts(store, "SELECT ?key (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?key } GROUP BY ?key")?;
    let wanted_classes: Vec<&str> = EntityKind::ALL
        .iter()
        .map(|k| migraph_core::model::vocab::entity_kind_iri(*k))
        .chain([mg::ENTITY, mg::STATEMENT, mg::DOCUMENT])
        .collect();
    for (class, n) in classes.iter().filter(|(c, _)| wanted_classes.contains(&c.as_str())) {
        let local = class.rsplit('#').next().unwrap_or(class);
        let partition = node(format!("{base}/void#class-{local}"))?;
        t.add(&dataset, &void("classPartition"), partition.clone());
        t.add(&partition, &void("class"), node(class.clone())?);
        t.add(&partition, &void("entities"), integer(*n));
    }

    let properties = counts(
        store,
        "SELECT ?key (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?key ?o WHERE { ?s ?key ?o } } GROUP BY ?key",
    )?;
    let relations: Vec<&str> =
        RelationKind::ALL.iter().map(|k| migraph_core::model::vocab::relation_iri(*k)).collect();
    for (property, n) in properties.iter().filter(|(p, _)| relations.contains(&p.as_str())) {
        let local = property.rsplit('#').next().unwrap_or(property);
        let partition = node(format!("{base}/void#property-{local}"))?;
        t.add(&dataset, &void("propertyPartition"), partition.clone());
        t.add(&partition, &void("property"), node(property.clone())?);
        t.add(&partition, &void("triples"), integer(*n));
    }
    Ok(t)
}
