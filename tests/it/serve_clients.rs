//! The real `migraph serve` binary driven by real clients: curl for every content
//! type, status code and route; Python's SPARQLWrapper and rdflib's SPARQLStore; and
//! `migraph ingest` writing into a store that a server has open.
//!
//! The store is built by `migraph ingest` on the sample corpus, so the tests check
//! what a user of the README would see, not a hand-made fixture. Expected values
//! come from the same server through another format or client (a CSV row count
//! against a JSON row count), never from hard-coded numbers.

use std::path::Path;
use std::process::Command;

use crate::serve_process::{Server, ingest_sample, raw_get};
use crate::support::{TestEnv, have, python_with, root, s};

/// Entities and their labels, distinct: a SELECT with several rows on the sample.
const LABELS: &str = "PREFIX mg: <https://w3id.org/migraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?e ?label WHERE { ?e a mg:Entity ; rdfs:label ?label } ORDER BY ?e ?label";

/// The same pairs as triples.
const LABEL_GRAPH: &str = "PREFIX mg: <https://w3id.org/migraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?e rdfs:label ?label } WHERE { ?e a mg:Entity ; rdfs:label ?label }";

const COUNT_ALL: &str = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";

/// A query that runs far longer than a second on any store with a few thousand
/// triples: a three-way cross join of every statement, counted.
const HEAVY: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";

/// One HTTP exchange as curl saw it.
#[derive(Debug)]
struct Reply {
    status: u16,
    /// Header names lowercase.
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn media_type(&self) -> &str {
        self.header("content-type").unwrap_or_default().split(';').next().unwrap_or_default()
    }

    fn expect(&self, status: u16) -> &Reply {
        assert_eq!(self.status, status, "unexpected status: {self:#?}");
        self
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:#?}"))
    }
}

/// Runs curl with `args` (`-i` shows the head) and parses its output.
fn curl(args: &[&str]) -> Reply {
    let out = Command::new("curl")
        .args(["-sS", "-i", "--max-time", "120"])
        .args(args)
        .output()
        .expect("curl runs");
    assert!(out.status.success(), "curl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut rest = text.as_str();
    loop {
        let (head, body) = rest.split_once("\r\n\r\n").expect("curl -i prints a head");
        let mut lines = head.lines();
        let status_line = lines.next().unwrap_or_default();
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status in {status_line:?}"));
        // An interim `100 Continue` precedes the real response to a large upload.
        if status == 100 {
            rest = body;
            continue;
        }
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        return Reply { status, headers, body: body.to_owned() };
    }
}

/// `GET base/query?query=…` with an `Accept` header.
fn get_query(server: &Server, query: &str, accept: &str, extra: &[&str]) -> Reply {
    let url = format!("{}/query", server.base);
    let param = format!("query={query}");
    let header = format!("Accept: {accept}");
    let mut args = vec!["-G", "--data-urlencode", &param, "-H", &header];
    args.extend_from_slice(extra);
    args.push(&url);
    curl(&args)
}

fn csv_rows(body: &str) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    reader.records().map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect()).collect()
}

/// The number of quads in the store, through the server.
fn count_all(server: &Server) -> u64 {
    let reply = get_query(server, COUNT_ALL, "text/csv", &[]);
    reply.expect(200);
    csv_rows(&reply.body)[0][0].parse().expect("a count")
}

/// The sample's document graphs, sorted.
fn document_graphs(server: &Server) -> Vec<String> {
    let query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://w3id.org/migraph/id/doc/\")) } ORDER BY ?g";
    let reply = get_query(server, query, "text/csv", &[]);
    reply.expect(200);
    csv_rows(&reply.body).into_iter().map(|r| r[0].clone()).collect()
}

fn sample_server(env: &TestEnv, extra: &[&str]) -> Option<Server> {
    if !have("curl", true) {
        return None;
    }
    let store = ingest_sample(env);
    Some(Server::start(&store, extra))
}

#[test]
fn serve_clients_curl_gets_every_result_format() {
    let env = TestEnv::new();
    let Some(server) = sample_server(&env, &[]) else { return };

    // SELECT in the four results formats: the same rows in each.
    let json = get_query(&server, LABELS, "application/sparql-results+json", &[]);
    assert_eq!(json.expect(200).media_type(), "application/sparql-results+json");
    let json = json.json();
    assert_eq!(json["head"]["vars"], serde_json::json!(["e", "label"]));
    let rows = json["results"]["bindings"].as_array().expect("bindings").len();
    assert!(rows > 5, "the sample has entities with labels: {rows}");

    let xml = get_query(&server, LABELS, "application/sparql-results+xml", &[]);
    assert_eq!(xml.expect(200).media_type(), "application/sparql-results+xml");
    assert!(xml.body.contains("<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">"));
    assert_eq!(xml.body.matches("<result>").count(), rows, "{}", xml.body);

    let csv = get_query(&server, LABELS, "text/csv", &[]);
    assert_eq!(csv.expect(200).media_type(), "text/csv");
    assert_eq!(csv_rows(&csv.body).len(), rows);
    assert!(csv.body.starts_with("e,label\r\n"), "{}", csv.body);

    let tsv = get_query(&server, LABELS, "text/tab-separated-values", &[]);
    assert_eq!(tsv.expect(200).media_type(), "text/tab-separated-values");
    assert!(tsv.body.starts_with("?e\t?label\n"), "{}", tsv.body);
    assert_eq!(tsv.body.lines().count(), rows + 1);

    // The `format` parameter overrides Accept, for plain download links.
    let by_name = get_query(
        &server,
        LABELS,
        "application/sparql-results+json",
        &["--data-urlencode", "format=csv"],
    );
    assert_eq!(by_name.expect(200).body, csv.body);

    // ASK in the four results formats.
    let ask = "ASK { ?s a <https://w3id.org/migraph/ontology#Statement> }";
    let reply = get_query(&server, ask, "application/sparql-results+json", &[]);
    assert_eq!(reply.expect(200).json()["boolean"], serde_json::json!(true));
    let reply = get_query(&server, ask, "application/sparql-results+xml", &[]);
    assert!(reply.expect(200).body.contains("<boolean>true</boolean>"), "{}", reply.body);
    let reply = get_query(&server, ask, "text/csv", &[]);
    assert_eq!(reply.expect(200).body.trim(), "true");
    let reply = get_query(&server, ask, "text/tab-separated-values", &[]);
    assert_eq!(reply.expect(200).body.trim(), "true");
    let reply = get_query(&server, "ASK { <urn:x:nothing> ?p ?o }", "application/json", &[]);
    assert_eq!(reply.expect(200).json()["boolean"], serde_json::json!(false));

    // CONSTRUCT in every RDF format; the line formats give one line per triple.
    let nt = get_query(&server, LABEL_GRAPH, "application/n-triples", &[]);
    assert_eq!(nt.expect(200).media_type(), "application/n-triples");
    let triples = nt.body.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(triples, rows, "one label triple per distinct (entity, label) row");
    let nq = get_query(&server, LABEL_GRAPH, "application/n-quads", &[]);
    assert_eq!(nq.expect(200).media_type(), "application/n-quads");
    assert_eq!(nq.body.lines().filter(|l| !l.trim().is_empty()).count(), triples);
    let ttl = get_query(&server, LABEL_GRAPH, "text/turtle", &[]);
    assert_eq!(ttl.expect(200).media_type(), "text/turtle");
    assert!(ttl.body.contains("https://w3id.org/migraph/id/entity/"), "{}", ttl.body);
    let rdfxml = get_query(&server, LABEL_GRAPH, "application/rdf+xml", &[]);
    assert_eq!(rdfxml.expect(200).media_type(), "application/rdf+xml");
    assert!(rdfxml.body.contains("<rdf:RDF"), "{}", rdfxml.body);
    assert!(rdfxml.body.contains("rdf:about="), "{}", rdfxml.body);
    let trig = get_query(&server, LABEL_GRAPH, "application/trig", &[]);
    assert_eq!(trig.expect(200).media_type(), "application/trig");
    let jsonld = get_query(&server, LABEL_GRAPH, "application/ld+json", &[]);
    assert_eq!(jsonld.expect(200).media_type(), "application/ld+json");
    let document = jsonld.json();
    let nodes = document.as_array().or_else(|| document["@graph"].as_array()).expect("nodes");
    assert!(!nodes.is_empty(), "{document}");
    // With no preference, a graph result is Turtle and a solution result is JSON.
    assert_eq!(get_query(&server, LABEL_GRAPH, "*/*", &[]).expect(200).media_type(), "text/turtle");
    assert_eq!(
        get_query(&server, LABELS, "*/*", &[]).expect(200).media_type(),
        "application/sparql-results+json"
    );
}

#[test]
fn serve_clients_curl_sees_protocol_routes_and_errors() {
    let env = TestEnv::new();
    let Some(server) = sample_server(&env, &["--max-body", "2000"]) else { return };
    let url = format!("{}/query", server.base);
    let csv = get_query(&server, LABELS, "text/csv", &[]);
    csv.expect(200);

    // POST with a form and POST with the query as the body answer like GET.
    let form =
        curl(&["-H", "Accept: text/csv", "--data-urlencode", &format!("query={LABELS}"), &url]);
    assert_eq!(form.expect(200).body, csv.body);
    let direct = curl(&[
        "-H",
        "Accept: text/csv",
        "-H",
        "Content-Type: application/sparql-query",
        "--data-binary",
        LABELS,
        &url,
    ]);
    assert_eq!(direct.expect(200).body, csv.body);
    // `/sparql` is the same endpoint under its conventional name.
    let alias = curl(&[
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        &format!("query={LABELS}"),
        &format!("{}/sparql", server.base),
    ]);
    assert_eq!(alias.expect(200).body, csv.body);

    // A syntax error is 400 with a message a person can act on.
    let bad = get_query(&server, "SELECT ?x WHERE { ?x ?y }", "*/*", &[]);
    bad.expect(400);
    assert_eq!(bad.media_type(), "text/plain");
    assert!(bad.body.to_lowercase().contains("error") || bad.body.contains("expected"), "{bad:#?}");
    assert!(bad.body.len() < 2000 && !bad.body.trim().is_empty(), "{bad:#?}");
    // A method the route does not have is 405.
    curl(&["-X", "DELETE", &url]).expect(405);
    curl(&["-X", "PATCH", &format!("{}/void", server.base)]).expect(405);
    // A SELECT result cannot be Turtle: 406, naming the formats that exist.
    let refused = get_query(&server, LABELS, "text/turtle", &[]);
    refused.expect(406);
    assert!(refused.body.contains("application/sparql-results+json"), "{refused:#?}");
    // A body over --max-body is 413.
    let padded = format!("{LABELS}\n#{}", "x".repeat(3000));
    curl(&["-H", "Content-Type: application/sparql-query", "--data-binary", &padded, &url])
        .expect(413);
    // A body in a media type the endpoint does not read is 415.
    curl(&["-H", "Content-Type: text/plain", "--data-binary", LABELS, &url]).expect(415);
    // An unknown path is 404 with the routes that exist.
    let missing = curl(&[&format!("{}/nowhere", server.base)]);
    assert!(missing.expect(404).body.contains("/query"), "{missing:#?}");

    // The protocol dataset: a default graph of one document sees only its graph.
    let docs = document_graphs(&server);
    assert!(docs.len() >= 2, "the sample corpus has several documents: {docs:?}");
    let count_graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    let named = format!("named-graph-uri={}", docs[0]);
    let reply = get_query(&server, count_graphs, "text/csv", &["--data-urlencode", &named]);
    assert_eq!(csv_rows(&reply.expect(200).body), vec![vec!["1".to_owned()]]);
    let count_default = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let all = get_query(&server, count_default, "text/csv", &[]);
    let all: u64 = csv_rows(&all.expect(200).body)[0][0].parse().expect("a count");
    let default = format!("default-graph-uri={}", docs[0]);
    let one = get_query(&server, count_default, "text/csv", &["--data-urlencode", &default]);
    let one: u64 = csv_rows(&one.expect(200).body)[0][0].parse().expect("a count");
    assert!(0 < one && one < all, "one document's graph is a part of the union: {one} < {all}");

    // CORS: every answer allows any origin, and preflight requests are answered.
    let reply = get_query(&server, LABELS, "text/csv", &["-H", "Origin: https://yasgui.example"]);
    assert_eq!(reply.expect(200).header("access-control-allow-origin"), Some("*"));
    let preflight = curl(&[
        "-X",
        "OPTIONS",
        "-H",
        "Origin: https://yasgui.example",
        "-H",
        "Access-Control-Request-Method: POST",
        "-H",
        "Access-Control-Request-Headers: content-type",
        &url,
    ]);
    assert!(preflight.status == 200 || preflight.status == 204, "{preflight:#?}");
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    let methods = preflight.header("access-control-allow-methods").unwrap_or_default();
    assert!(methods.contains("POST"), "{preflight:#?}");
    let allowed = preflight.header("access-control-allow-headers").unwrap_or_default();
    assert!(allowed.to_lowercase().contains("content-type"), "{preflight:#?}");

    // The service description at GET /query, the VoID description, the health check.
    let sd = curl(&["-H", "Accept: text/turtle", &url]);
    assert_eq!(sd.expect(200).media_type(), "text/turtle");
    assert!(sd.body.contains("sd:Service"), "{}", sd.body);
    assert!(sd.body.contains(&format!("<{url}>")), "the endpoint names itself: {}", sd.body);
    let sd = curl(&["-H", "Accept: application/n-triples", &url]);
    for doc in &docs {
        assert!(sd.body.contains(&format!("<{doc}>")), "{doc} is listed: {}", sd.body);
    }
    let void = curl(&["-H", "Accept: text/turtle", &format!("{}/void", server.base)]);
    assert!(void.expect(200).body.contains("void:triples"), "{}", void.body);
    let health = curl(&[&format!("{}/health", server.base)]);
    assert_eq!(health.expect(200).json()["status"], "ok");

    // Graph Store Protocol read of one document graph.
    let gsp = curl(&[
        "-G",
        "--data-urlencode",
        &format!("graph={}", docs[0]),
        "-H",
        "Accept: application/n-triples",
        &format!("{}/store", server.base),
    ]);
    assert_eq!(gsp.expect(200).media_type(), "application/n-triples");
    let gsp_triples = gsp.body.lines().filter(|l| !l.trim().is_empty()).count() as u64;
    assert_eq!(gsp_triples, one, "the graph holds what the query saw in it");
    let unknown = curl(&[
        "-G",
        "--data-urlencode",
        "graph=https://w3id.org/migraph/id/doc/no-such-file.txt",
        &format!("{}/store", server.base),
    ]);
    unknown.expect(404);

    // A read-only server refuses writes, and the data stays as it was.
    let before = count_all(&server);
    let insert = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> <urn:x:o> } }";
    let update = curl(&[
        "-H",
        "Content-Type: application/sparql-update",
        "--data-binary",
        insert,
        &format!("{}/update", server.base),
    ]);
    assert!(matches!(update.status, 401 | 403 | 404), "{update:#?}");
    let put = curl(&[
        "-X",
        "PUT",
        "-H",
        "Content-Type: application/n-triples",
        "--data-binary",
        "<urn:x:s> <urn:x:p> <urn:x:o> .\n",
        &format!("{}/store?graph=urn:x:g", server.base),
    ]);
    assert!(matches!(put.status, 401 | 403 | 404), "{put:#?}");
    assert_eq!(count_all(&server), before);
}

#[test]
fn serve_clients_timeout_cancels_a_heavy_query_with_503() {
    let env = TestEnv::new();
    let Some(server) = sample_server(&env, &["--timeout", "1"]) else { return };
    let reply = get_query(&server, HEAVY, "text/csv", &[]);
    reply.expect(503);
    assert_eq!(reply.header("retry-after"), Some("1"));
    assert!(reply.body.contains("time limit"), "{reply:#?}");
    // The cancelled query gave its slot back: the server answers normally.
    let after = get_query(&server, LABELS, "text/csv", &[]);
    assert!(!csv_rows(&after.expect(200).body).is_empty());
}

#[test]
fn serve_clients_write_token_guards_updates() {
    let env = TestEnv::new();
    let Some(server) = sample_server(&env, &["--write-token", "T0ken-for-tests"]) else { return };
    let update_url = format!("{}/update", server.base);
    let insert = "INSERT DATA { GRAPH <urn:x:notes> { <urn:x:s> <urn:x:p> \"added\" } }";
    let ask = "ASK { GRAPH <urn:x:notes> { <urn:x:s> <urn:x:p> \"added\" } }";
    let send = |auth: Option<&str>| {
        let header = auth.map(|t| format!("Authorization: Bearer {t}"));
        let mut args = vec!["-H", "Content-Type: application/sparql-update"];
        if let Some(header) = &header {
            args.extend(["-H", header.as_str()]);
        }
        args.extend(["--data-binary", insert, update_url.as_str()]);
        curl(&args)
    };
    let before = count_all(&server);
    let missing = send(None);
    assert_eq!(missing.expect(401).header("www-authenticate"), Some("Bearer"));
    send(Some("wrong-token")).expect(403);
    let put = curl(&[
        "-X",
        "PUT",
        "-H",
        "Authorization: Bearer wrong-token",
        "-H",
        "Content-Type: text/turtle",
        "--data-binary",
        "<urn:x:s> <urn:x:p> <urn:x:o> .",
        &format!("{}/store?graph=urn:x:other", server.base),
    ]);
    put.expect(403);
    assert_eq!(count_all(&server), before, "refused writes change nothing");
    let reply = get_query(&server, ask, "application/json", &[]);
    assert_eq!(reply.expect(200).json()["boolean"], serde_json::json!(false));

    send(Some("T0ken-for-tests")).expect(204);
    assert_eq!(count_all(&server), before + 1);
    let reply = get_query(&server, ask, "application/json", &[]);
    assert_eq!(reply.expect(200).json()["boolean"], serde_json::json!(true));
    // The service description says that this endpoint takes updates.
    let sd = curl(&["-H", "Accept: application/n-triples", &format!("{}/query", server.base)]);
    assert!(sd.expect(200).body.contains("sparql-service-description#SPARQL11Update"));
}

#[test]
fn serve_clients_python_sparqlwrapper_and_rdflib_agree_with_curl() {
    let Some(python) = python_with(&["SPARQLWrapper", "rdflib"]) else { return };
    let env = TestEnv::new();
    let Some(server) = sample_server(&env, &[]) else { return };
    let rows = csv_rows(&get_query(&server, LABELS, "text/csv", &[]).expect(200).body).len();
    let nt = get_query(&server, LABEL_GRAPH, "application/n-triples", &[]);
    let triples = nt.expect(200).body.lines().filter(|l| !l.trim().is_empty()).count();

    let out = Command::new(&python)
        .arg(root().join("tests/py/sparql_clients.py"))
        .arg(format!("{}/query", server.base))
        .args([LABELS, LABEL_GRAPH])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "sparql_clients.py failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["sparqlwrapper_select_rows"], rows, "{report}");
    assert_eq!(report["sparqlwrapper_select_xml_rows"], rows, "{report}");
    assert_eq!(report["sparqlwrapper_ask"], true, "{report}");
    assert_eq!(report["sparqlwrapper_construct_triples"], triples, "{report}");
    assert_eq!(report["rdflib_sparqlstore_rows"], rows, "{report}");
}

/// Copies the sample corpus under new file names, so that ingesting it adds new
/// document graphs to a store that already has the originals.
fn renamed_corpus(dir: &Path) {
    std::fs::create_dir_all(dir).expect("a corpus folder");
    for entry in std::fs::read_dir(root().join("examples/corpus")).expect("the sample corpus") {
        let path = entry.expect("a corpus entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 name");
        std::fs::copy(&path, dir.join(format!("copy-{name}"))).expect("the file copies");
    }
}

#[test]
fn serve_clients_ingest_into_a_served_store_keeps_both_working() {
    let env = TestEnv::new();
    let store = ingest_sample(&env);
    let mut server = Server::start(&store, &["--max-concurrent", "16"]);
    let corpus = env.path("more");
    renamed_corpus(&corpus);

    // Readers hammer the server while `migraph ingest` writes into its store.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let target = format!(
        "/query?query={}",
        "SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
    );
    let readers: Vec<_> = (0..6)
        .map(|_| {
            let (addr, target, stop) = (server.addr.clone(), target.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) || statuses.len() < 5 {
                    let reply = raw_get(&addr, &target).expect("the server stays reachable");
                    statuses.push(reply.get(9..12).unwrap_or_default().to_owned());
                }
                statuses
            })
        })
        .collect();
    let ingest = env.run(&["ingest", s(&corpus), "--store", s(&store)]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let statuses: Vec<String> =
        readers.into_iter().flat_map(|r| r.join().expect("a reader")).collect();
    assert!(server.is_running(), "the server survived the ingest:\n{}", server.log());
    // Every answer is a success or a clean server-side refusal, never a dropped connection.
    assert!(statuses.iter().all(|s| s == "200" || s == "503"), "{statuses:?}");
    assert!(statuses.iter().filter(|s| *s == "200").count() >= 5, "{statuses:?}");

    let stderr = String::from_utf8_lossy(&ingest.stderr).into_owned();
    if !ingest.status.success() {
        // Refusing is allowed, but with a message that names the store and the cause.
        assert!(
            stderr.contains(s(&store)) || stderr.to_lowercase().contains("lock"),
            "an ingest refusal must say why: {stderr}"
        );
    }
    let health = raw_get(&server.addr, "/health").expect("the server answers");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    drop(server);

    // Whatever happened, the store opens again and answers queries.
    let graphs = env.select(
        &store,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://w3id.org/migraph/id/doc/\")) }",
    );
    let originals = std::fs::read_dir(root().join("examples/corpus")).expect("corpus").count();
    let expected = if ingest.status.success() { 2 * originals } else { originals };
    assert_eq!(graphs.len(), expected, "ingest {:?}: {stderr}", ingest.status);
    // A server started afterwards sees the current store.
    let restarted = Server::start(&store, &[]);
    let reply = raw_get(&restarted.addr, &target).expect("the server answers");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}
