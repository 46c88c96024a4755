//! Unit tests of the push loop against an in-memory Graph Store Protocol server.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use super::http::{Method, Request, Response, Transport, TransportError};
use super::*;

/// Graphs by name, each a set of N-Triples lines: what a GSP server would hold.
type Graphs = BTreeMap<String, BTreeSet<String>>;

/// A fake GSP server. `fail_graph` answers 500 for one graph; `status` answers that
/// status to everything.
#[derive(Clone, Default)]
struct FakeServer {
    graphs: Arc<Mutex<Graphs>>,
    requests: Arc<Mutex<Vec<(Method, String)>>>,
    fail_graph: Option<String>,
    status: Option<u16>,
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

impl Transport for FakeServer {
    fn send(&mut self, request: &Request<'_>) -> Result<Response, TransportError> {
        let (_, query) = request.url.split_once("?graph=").expect("a GSP URL");
        let graph = decode(query);
        self.requests.lock().expect("not poisoned").push((request.method, graph.clone()));
        if let Some(status) = self.status {
            return Ok(Response { status, body: "refused".to_owned() });
        }
        if self.fail_graph.as_deref() == Some(graph.as_str()) {
            return Ok(Response { status: 500, body: "disk full".to_owned() });
        }
        let lines = String::from_utf8_lossy(request.body);
        let lines = lines.lines().map(str::to_owned);
        let mut graphs = self.graphs.lock().expect("not poisoned");
        match request.method {
            Method::Put => {
                graphs.insert(graph, lines.collect());
            }
            Method::Post => graphs.entry(graph).or_default().extend(lines),
            Method::Delete => {
                graphs.remove(&graph);
            }
        }
        Ok(Response { status: 204, body: String::new() })
    }
}

fn triples(graph: &str, n: usize) -> String {
    (0..n).map(|i| format!("<{graph}#s{i}> <http://e/p> \"{i}\" .\n")).collect()
}

fn source(docs: &[(&str, usize)]) -> MemorySource {
    let mut graphs = vec![(
        "https://w3id.org/migraph/graph/ontology".to_owned(),
        triples("https://w3id.org/migraph/ontology", 3),
    )];
    for (doc, n) in docs {
        let iri = format!("https://w3id.org/migraph/id/doc/{doc}");
        let text = triples(&iri, *n);
        graphs.push((iri, text));
    }
    // The catalogue has one triple per document, naming it and its size.
    let catalogue =
        docs.iter().map(|(doc, n)| format!("<http://e/{doc}> <http://e/n> \"{n}\" .\n"));
    graphs.push(("https://w3id.org/migraph/graph/catalogue".to_owned(), catalogue.collect()));
    MemorySource { graphs }
}

fn config(state_dir: &tempfile::TempDir) -> PushConfig {
    let mut config = PushConfig::new("http://127.0.0.1:9/store");
    config.chunk_triples = 4;
    config.retries = 1;
    config.state_file = Some(PushState::path_in(state_dir.path()));
    config
}

fn run_with(
    server: &FakeServer,
    source: &MemorySource,
    config: &PushConfig,
) -> (Result<PushSummary, PushError>, Vec<PushEvent>) {
    let mut events = Vec::new();
    let result = run(source, config, server.clone(), |_| {}, &mut |e| events.push(e));
    (result, events)
}

/// The server's graphs as (name, number of triples).
fn held(server: &FakeServer) -> Vec<(String, usize)> {
    server.graphs.lock().expect("not poisoned").iter().map(|(g, t)| (g.clone(), t.len())).collect()
}

fn sent(events: &[PushEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            PushEvent::GraphSent { graph, .. } => Some(graph.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn push_sends_every_graph_in_chunks_and_twice_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = FakeServer::default();
    let src = source(&[("a.txt", 10), ("b.txt", 0)]);
    let (result, events) = run_with(&server, &src, &config(&dir));
    let summary = result.expect("push ok");
    assert_eq!(summary.graphs_sent, 4);
    assert_eq!(summary.triples, 3 + 10 + 2);
    assert!(summary.failed.is_empty());
    let expected = vec![
        ("https://w3id.org/migraph/graph/catalogue".to_owned(), 2),
        ("https://w3id.org/migraph/graph/ontology".to_owned(), 3),
        ("https://w3id.org/migraph/id/doc/a.txt".to_owned(), 10),
        ("https://w3id.org/migraph/id/doc/b.txt".to_owned(), 0),
    ];
    assert_eq!(held(&server), expected);
    // 10 triples in chunks of 4: one PUT then two POSTs.
    let a: Vec<Method> = server
        .requests
        .lock()
        .expect("not poisoned")
        .iter()
        .filter(|(_, g)| g.ends_with("a.txt"))
        .map(|(m, _)| *m)
        .collect();
    assert_eq!(a, [Method::Put, Method::Post, Method::Post]);
    assert_eq!(events.first(), Some(&PushEvent::Started { graphs: 4 }));

    let (again, _) = run_with(&server, &src, &config(&dir));
    assert_eq!(again.expect("push ok").graphs_sent, 4);
    assert_eq!(held(&server), expected, "replace semantics: nothing doubles");
}

#[test]
fn push_only_changed_sends_changed_graphs_and_removes_deleted_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = FakeServer::default();
    let mut only_changed = config(&dir);
    only_changed.only_changed = true;
    let (first, _) = run_with(&server, &source(&[("a.txt", 5), ("b.txt", 6)]), &only_changed);
    assert_eq!(first.expect("push ok").graphs_sent, 4, "nothing recorded yet: all sent");

    // b.txt changes, a.txt is removed locally, c.txt is new.
    let src = source(&[("b.txt", 7), ("c.txt", 1)]);
    let (second, events) = run_with(&server, &src, &only_changed);
    let summary = second.expect("push ok");
    let mut changed = sent(&events);
    changed.sort();
    assert_eq!(
        changed,
        [
            "https://w3id.org/migraph/graph/catalogue",
            "https://w3id.org/migraph/id/doc/b.txt",
            "https://w3id.org/migraph/id/doc/c.txt"
        ]
    );
    assert_eq!(summary.graphs_skipped, 1, "the ontology did not change");
    assert_eq!(summary.graphs_deleted, 1);
    assert!(events.contains(&PushEvent::GraphDeleted {
        graph: "https://w3id.org/migraph/id/doc/a.txt".to_owned()
    }));
    assert!(
        !server
            .graphs
            .lock()
            .expect("not poisoned")
            .contains_key("https://w3id.org/migraph/id/doc/a.txt")
    );

    let (third, events) = run_with(&server, &src, &only_changed);
    assert_eq!(third.expect("push ok").graphs_skipped, 4);
    assert!(sent(&events).is_empty());
}

#[test]
fn push_lists_failed_graphs_and_they_are_resent_with_only_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut server = FakeServer::default();
    let src = source(&[("a.txt", 5), ("b.txt", 6)]);
    let mut cfg = config(&dir);
    cfg.only_changed = true;
    run_with(&server, &src, &cfg).0.expect("first push ok");

    // Force a full push that fails on b.txt half-way through (its first chunk fails).
    let b = "https://w3id.org/migraph/id/doc/b.txt".to_owned();
    server.fail_graph = Some(b.clone());
    let mut full = cfg.clone();
    full.only_changed = false;
    let err = run_with(&server, &src, &full).0.expect_err("b.txt fails");
    let PushError::Incomplete { summary, first_error, .. } = &err else {
        panic!("expected Incomplete, got {err}");
    };
    assert_eq!(summary.failed, std::slice::from_ref(&b));
    assert_eq!(summary.graphs_sent, 3, "the other graphs still go through");
    assert!(first_error.contains("HTTP 500: disk full"), "{first_error}");
    assert!(err.to_string().contains("b.txt"), "{err}");

    // b.txt's hash was forgotten, so --only-changed sends it again.
    server.fail_graph = None;
    let (retry, events) = run_with(&server, &src, &cfg);
    assert_eq!(retry.expect("push ok").graphs_sent, 1);
    assert_eq!(sent(&events), [b]);
}

#[test]
fn push_stops_at_refused_credentials() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = FakeServer { status: Some(401), ..FakeServer::default() };
    let src = source(&[("a.txt", 5)]);
    let err = run_with(&server, &src, &config(&dir)).0.expect_err("401");
    let PushError::Incomplete { summary, .. } = err else { panic!("expected Incomplete") };
    assert_eq!(summary.failed.len(), 3, "every graph is listed");
    assert_eq!(
        server.requests.lock().expect("not poisoned").len(),
        1,
        "but only one request was sent"
    );
}

#[test]
fn push_renames_graphs_under_a_prefix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = FakeServer::default();
    let mut cfg = config(&dir);
    cfg.graph_prefix = Some("http://example.org/team-a/".to_owned());
    run_with(&server, &source(&[("a.txt", 1)]), &cfg).0.expect("push ok");
    let names: Vec<String> = held(&server).into_iter().map(|(g, _)| g).collect();
    assert_eq!(
        names,
        [
            "http://example.org/team-a/graph/catalogue",
            "http://example.org/team-a/graph/ontology",
            "http://example.org/team-a/id/doc/a.txt"
        ]
    );
    cfg.graph_prefix = Some("http://bad prefix/".to_owned());
    let err = run_with(&server, &source(&[]), &cfg).0.expect_err("space in IRI");
    assert!(matches!(err, PushError::GraphIri { .. }), "{err}");
}

#[test]
fn push_sends_a_graph_with_late_blank_nodes_in_one_piece() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = FakeServer::default();
    let g = "https://w3id.org/migraph/graph/ontology".to_owned();
    let text =
        format!("{}<http://e/s> <http://e/p> _:b0 .\n_:b0 <http://e/p> \"x\" .\n", triples("x", 9));
    let src = MemorySource { graphs: vec![(g.clone(), text)] };
    let (result, events) = run_with(&server, &src, &config(&dir));
    assert_eq!(result.expect("push ok").triples, 11);
    assert_eq!(held(&server), [(g.clone(), 11)]);
    let last_put =
        server.requests.lock().expect("not poisoned").iter().rposition(|(m, _)| *m == Method::Put);
    assert_eq!(
        last_put,
        Some(server.requests.lock().expect("not poisoned").len() - 1),
        "resent as one PUT"
    );
    assert!(events.iter().any(|e| matches!(e, PushEvent::ChunkSent { triples: 11, .. })));
}

#[test]
fn push_rejects_bad_endpoints() {
    for endpoint in ["ftp://h/x", "http://", "http://u:p@h/x", "http://h/x#f", "http://h/a b"] {
        let err = check_endpoint(endpoint).expect_err(endpoint);
        assert!(matches!(err, PushError::Endpoint { .. }), "{endpoint}: {err}");
    }
    check_endpoint("https://h:7200/repositories/r/rdf-graphs/service").expect("valid");
}

#[test]
fn migraph_graph_iris_share_the_base_that_graph_prefix_replaces() {
    use crate::model::vocab::{CATALOGUE_GRAPH, DOC_NS, ONTOLOGY_GRAPH};
    for iri in [CATALOGUE_GRAPH, DOC_NS, ONTOLOGY_GRAPH] {
        assert!(iri.starts_with(MIGRAPH_BASE), "{iri}");
    }
}

#[test]
fn auth_debug_hides_secrets_and_basic_header_is_rfc7617() {
    let basic = Auth::Basic { user: "dba".to_owned(), password: "s3cret".to_owned() };
    assert!(!format!("{basic:?}").contains("s3cret"));
    assert!(!format!("{:?}", Auth::Bearer("tok".to_owned())).contains("tok"));
    assert_eq!(basic.header().as_deref(), Some("Basic ZGJhOnMzY3JldA=="));
    assert_eq!(Auth::Bearer("tok".to_owned()).header().as_deref(), Some("Bearer tok"));
}

/// Positions of the requests for `graph` in the order the server got them.
fn positions(server: &FakeServer, graph: &str) -> Vec<usize> {
    let requests = server.requests.lock().expect("not poisoned");
    requests.iter().enumerate().filter(|(_, (_, g))| g == graph).map(|(i, _)| i).collect()
}

#[test]
fn push_with_several_jobs_sends_the_same_graphs_first_and_last_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs: Vec<(String, usize)> = (0..12).map(|i| (format!("d{i:02}.txt"), 3 * i)).collect();
    let docs: Vec<(&str, usize)> = docs.iter().map(|(d, n)| (d.as_str(), *n)).collect();
    let src = source(&docs);

    let one = FakeServer::default();
    let mut cfg = config(&dir);
    cfg.jobs = 1;
    let sequential = run_with(&one, &src, &cfg).0.expect("push ok");

    let three = FakeServer::default();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cfg = config(&dir);
    cfg.jobs = 3;
    let (result, events) = run_with(&three, &src, &cfg);
    let concurrent = result.expect("push ok");
    assert_eq!(held(&three), held(&one), "same graphs, same triple counts");
    assert_eq!(concurrent.graphs_sent, 14);
    assert_eq!(concurrent.triples, sequential.triples);
    assert_eq!(concurrent.requests, sequential.requests);
    assert_eq!(events.iter().filter(|e| matches!(e, PushEvent::GraphSent { .. })).count(), 14);

    // Each graph: one PUT, then its POSTs, in order, whatever the interleaving.
    let requests = three.requests.lock().expect("not poisoned").clone();
    for (graph, _) in &src.graphs {
        let methods: Vec<Method> =
            requests.iter().filter(|(_, g)| g == graph).map(|(m, _)| *m).collect();
        assert_eq!(methods.first(), Some(&Method::Put), "{graph}");
        assert!(methods[1..].iter().all(|m| *m == Method::Post), "{graph}: {methods:?}");
    }
    // The ontology is done before any other graph starts; the catalogue starts once
    // every other graph is done.
    let ontology = positions(&three, "https://w3id.org/migraph/graph/ontology");
    let catalogue = positions(&three, "https://w3id.org/migraph/graph/catalogue");
    assert_eq!(ontology, [0]);
    let tail: Vec<usize> = (requests.len() - catalogue.len()..requests.len()).collect();
    assert_eq!(catalogue, tail, "12 catalogue triples: 3 requests, the last ones");

    // The state records every graph, as after a sequential push.
    let state = PushState::load(&PushState::path_in(dir.path())).expect("state");
    let recorded = state.graphs(&cfg.state_key()).expect("endpoint recorded");
    assert_eq!(recorded.len(), 14);
}

#[test]
fn push_with_several_jobs_reports_a_failed_graph_and_does_not_record_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs: Vec<(String, usize)> = (0..9).map(|i| (format!("d{i}.txt"), 6)).collect();
    let docs: Vec<(&str, usize)> = docs.iter().map(|(d, n)| (d.as_str(), *n)).collect();
    let src = source(&docs);
    let bad = "https://w3id.org/migraph/id/doc/d4.txt".to_owned();
    let server = FakeServer { fail_graph: Some(bad.clone()), ..FakeServer::default() };
    let mut cfg = config(&dir);
    cfg.jobs = 3;
    cfg.only_changed = true;
    let (result, events) = run_with(&server, &src, &cfg);
    let err = result.expect_err("d4 fails");
    let PushError::Incomplete { summary, first_error, .. } = &err else {
        panic!("expected Incomplete, got {err}");
    };
    assert_eq!(summary.failed, std::slice::from_ref(&bad));
    assert_eq!(summary.graphs_sent, 10, "the other graphs still go through");
    assert!(first_error.contains("HTTP 500: disk full"), "{first_error}");
    assert!(
        events.contains(&PushEvent::GraphFailed { graph: bad.clone(), error: first_error.clone() })
    );
    // Two attempts (one retry), both failed.
    assert_eq!(positions(&server, &bad).len(), 2);

    let state = PushState::load(&PushState::path_in(dir.path())).expect("state");
    let recorded = state.graphs(&cfg.state_key()).expect("endpoint recorded");
    assert_eq!(recorded.len(), 10);
    assert!(!recorded.contains_key(&bad), "a failed graph is not recorded");

    // The next --only-changed push sends that graph only.
    let fixed = FakeServer { fail_graph: None, ..server.clone() };
    let (retry, events) = run_with(&fixed, &src, &cfg);
    assert_eq!(retry.expect("push ok").graphs_sent, 1);
    assert_eq!(sent(&events), [bad]);
}

#[test]
fn push_with_several_jobs_stops_after_one_request_at_refused_credentials() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = FakeServer { status: Some(403), ..FakeServer::default() };
    let mut cfg = config(&dir);
    cfg.jobs = 4;
    let src = source(&[("a.txt", 5), ("b.txt", 5), ("c.txt", 5), ("d.txt", 5)]);
    let err = run_with(&server, &src, &cfg).0.expect_err("403");
    let PushError::Incomplete { summary, .. } = err else { panic!("expected Incomplete") };
    let all: Vec<String> = src.graphs.iter().map(|(g, _)| g.clone()).collect();
    assert_eq!(summary.failed, all, "every graph is listed, in push order");
    assert_eq!(server.requests.lock().expect("not poisoned").len(), 1);
}
