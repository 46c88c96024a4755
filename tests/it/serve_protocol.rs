//! The W3C SPARQL 1.1 Protocol tests (w3c/rdf-tests, `sparql/sparql11/protocol/`)
//! that apply to this endpoint, restated in our own words against the real router.
//!
//! Each test names the W3C test it restates. The suite's three data graphs become
//! three small named graphs here (`G1`, `G2`, `G3`, each typing itself as a
//! document); where the W3C test only checks a positive answer, a negative twin
//! checks that the dataset parameters really narrow what the query sees (our
//! default graph is the union of all graphs, so a positive answer alone would pass
//! without them). Tests of the update side run with a write token. Not restated:
//! the four `update_dataset_*` tests, which pass the update's dataset in
//! `using-graph-uri` / `using-named-graph-uri` parameters; this endpoint refuses
//! those with 400 (the update's own `USING` clauses work), which is also what
//! `bad_update_dataset_conflict` sees.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use migraph::serve::{ServeConfig, router};
use migraph::store::GraphStore;
use oxigraph::io::RdfFormat;
use tower::ServiceExt;

const G1: &str = "http://example.org/protocol/data1";
const G2: &str = "http://example.org/protocol/data2";
const G3: &str = "http://example.org/protocol/data3";
const TOKEN: &str = "protocol-token";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// The three graphs: each says that its own IRI is a document.
fn store() -> GraphStore {
    let store = GraphStore::memory().expect("an in-memory store");
    for graph in [G1, G2, G3] {
        let data = format!("<{graph}> <{RDF_TYPE}> <http://xmlns.com/foaf/0.1/Document> .\n");
        store
            .load_graph(Some(graph), RdfFormat::NTriples, data.as_bytes(), true)
            .expect("the graph loads");
    }
    store
}

fn config(write_token: Option<&str>) -> ServeConfig {
    ServeConfig {
        bind: "127.0.0.1:7878".parse().expect("an address"),
        timeout: Duration::from_secs(30),
        max_concurrent: 4,
        max_body_bytes: 1 << 16,
        max_result_bytes: 1 << 20,
        write_token: write_token.map(str::to_owned),
    }
}

#[derive(Debug)]
struct Reply {
    status: StatusCode,
    media_type: String,
    body: String,
}

impl Reply {
    /// The boolean of an ASK answer in the JSON or XML results format.
    fn boolean(&self) -> bool {
        assert!(self.status.is_success(), "{self:#?}");
        match self.media_type.as_str() {
            "application/sparql-results+json" => {
                let json: serde_json::Value =
                    serde_json::from_str(&self.body).expect("JSON results");
                json["boolean"].as_bool().expect("a boolean result")
            }
            "application/sparql-results+xml" => {
                if self.body.contains("<boolean>true</boolean>") {
                    true
                } else {
                    assert!(self.body.contains("<boolean>false</boolean>"), "{self:#?}");
                    false
                }
            }
            other => panic!("{other} is not a boolean results format: {self:#?}"),
        }
    }
}

async fn send(store: &GraphStore, token: Option<&str>, request: Request<Body>) -> Reply {
    let response =
        router(store.clone(), config(token)).oneshot(request).await.expect("the router answers");
    let status = response.status();
    let media_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let bytes =
        axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a complete body");
    Reply { status, media_type, body: String::from_utf8_lossy(&bytes).into_owned() }
}

fn enc(text: &str) -> String {
    migraph::model::vocab::percent_encode(text)
}

fn get(target: &str) -> Request<Body> {
    Request::get(target).body(Body::empty()).expect("a request")
}

fn post(target: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut builder = Request::post(target);
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    builder.body(body.into()).expect("a request")
}

fn with_token(mut request: Request<Body>) -> Request<Body> {
    let value = format!("Bearer {TOKEN}").parse().expect("a header value");
    request.headers_mut().insert(header::AUTHORIZATION, value);
    request
}

const ASK_DEFAULT_BOTH: &str = "ASK { ?a a ?type . ?b a ?type . FILTER(?a = <http://example.org/protocol/data1> && ?b = <http://example.org/protocol/data2>) }";
const ASK_NAMED_BOTH: &str = "ASK { GRAPH ?g1 { <http://example.org/protocol/data1> a ?type } GRAPH ?g2 { <http://example.org/protocol/data2> a ?type } }";

// W3C: query_get ("query via GET").
#[tokio::test]
async fn protocol_query_get() {
    let store = store();
    let target = format!("/sparql?query={}&default-graph-uri={}", enc("ASK {}"), enc(G1));
    assert!(send(&store, None, get(&target)).await.boolean());
}

// W3C: query_post_form ("query via URL-encoded POST").
#[tokio::test]
async fn protocol_query_post_form() {
    let store = store();
    let target = format!("/sparql?default-graph-uri={}", enc(G1));
    let request = post(
        &target,
        Some("application/x-www-form-urlencoded"),
        format!("query={}", enc("ASK {}")),
    );
    assert!(send(&store, None, request).await.boolean());
}

// W3C: query_post_direct ("query via POST directly").
#[tokio::test]
async fn protocol_query_post_direct() {
    let store = store();
    let request = post("/sparql", Some("application/sparql-query"), "ASK {}");
    assert!(send(&store, None, request).await.boolean());
}

// W3C: query_dataset_default_graphs_get ("GET query with protocol-specified default graph").
#[tokio::test]
async fn protocol_query_dataset_default_graphs_get() {
    let store = store();
    let both = format!(
        "/sparql?query={}&default-graph-uri={}&default-graph-uri={}",
        enc(ASK_DEFAULT_BOTH),
        enc(G1),
        enc(G2)
    );
    assert!(send(&store, None, get(&both)).await.boolean());
    // Negative twin: with G1 alone as the default graph, G2's triple is not there.
    let one = format!("/sparql?query={}&default-graph-uri={}", enc(ASK_DEFAULT_BOTH), enc(G1));
    assert!(!send(&store, None, get(&one)).await.boolean());
}

// W3C: query_dataset_default_graphs_post ("POST query with protocol-specified default graphs").
#[tokio::test]
async fn protocol_query_dataset_default_graphs_post() {
    let store = store();
    let target = format!("/sparql?default-graph-uri={}&default-graph-uri={}", enc(G1), enc(G2));
    let request = post(&target, Some("application/sparql-query"), ASK_DEFAULT_BOTH);
    assert!(send(&store, None, request).await.boolean());
    let target = format!("/sparql?default-graph-uri={}", enc(G2));
    let request = post(&target, Some("application/sparql-query"), ASK_DEFAULT_BOTH);
    assert!(!send(&store, None, request).await.boolean());
}

// W3C: query_dataset_named_graphs_post ("POST query with protocol-specified named graphs").
#[tokio::test]
async fn protocol_query_dataset_named_graphs_post() {
    let store = store();
    let target = format!("/sparql?named-graph-uri={}&named-graph-uri={}", enc(G1), enc(G2));
    let request = post(&target, Some("application/sparql-query"), ASK_NAMED_BOTH);
    assert!(send(&store, None, request).await.boolean());
    let target = format!("/sparql?named-graph-uri={}&named-graph-uri={}", enc(G1), enc(G3));
    let request = post(&target, Some("application/sparql-query"), ASK_NAMED_BOTH);
    assert!(!send(&store, None, request).await.boolean());
}

// W3C: query_dataset_named_graphs_get ("GET query with protocol-specified named graphs").
#[tokio::test]
async fn protocol_query_dataset_named_graphs_get() {
    let store = store();
    let target = format!(
        "/sparql?query={}&named-graph-uri={}&named-graph-uri={}",
        enc(ASK_NAMED_BOTH),
        enc(G1),
        enc(G2)
    );
    assert!(send(&store, None, get(&target)).await.boolean());
    let target = format!("/sparql?query={}&named-graph-uri={}", enc(ASK_NAMED_BOTH), enc(G2));
    assert!(!send(&store, None, get(&target)).await.boolean());
}

// W3C: query_dataset_full ("query with protocol-specified dataset (both named and
// default graphs)").
#[tokio::test]
async fn protocol_query_dataset_full() {
    let store = store();
    let query = "ASK { <http://example.org/protocol/data3> a ?type
        GRAPH ?g1 { <http://example.org/protocol/data1> a ?type }
        GRAPH ?g2 { <http://example.org/protocol/data2> a ?type } }";
    let dataset = |default: &str| {
        format!(
            "/sparql?default-graph-uri={}&named-graph-uri={}&named-graph-uri={}",
            enc(default),
            enc(G1),
            enc(G2)
        )
    };
    let request = post(&dataset(G3), Some("application/sparql-query"), query);
    assert!(send(&store, None, request).await.boolean());
    // G3's triple is only in the default graph when G3 is named as default.
    let request = post(&dataset(G1), Some("application/sparql-query"), query);
    assert!(!send(&store, None, request).await.boolean());
}

// W3C: query_multiple_dataset ("query specifying dataset in both query string and
// protocol; test for use of protocol-specified dataset"). The W3C request encodes
// its second parameter inside the first one's value; here both are sent as proper
// parameters, which is what the test means.
#[tokio::test]
async fn protocol_query_multiple_dataset() {
    let store = store();
    let query = format!(
        "ASK FROM <{G3}> {{ GRAPH ?g1 {{ <{G1}> a ?type }} GRAPH ?g2 {{ <{G2}> a ?type }} }}"
    );
    // The query's own FROM (without FROM NAMED) leaves no named graphs: false.
    let request = post("/sparql", Some("application/sparql-query"), query.clone());
    assert!(!send(&store, None, request).await.boolean());
    // The protocol's named graphs replace the query's dataset: true.
    let target = format!("/sparql?named-graph-uri={}&named-graph-uri={}", enc(G1), enc(G2));
    let request = post(&target, Some("application/sparql-query"), query);
    assert!(send(&store, None, request).await.boolean());
}

// W3C: query_content_type_select ("query appropriate content type (expect one of:
// XML, JSON, CSV, TSV)").
#[tokio::test]
async fn protocol_query_content_type_select() {
    let store = store();
    let request = post("/sparql", Some("application/sparql-query"), "SELECT (1 AS ?value) {}");
    let reply = send(&store, None, request).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:#?}");
    assert!(
        [
            "application/sparql-results+xml",
            "application/sparql-results+json",
            "text/csv",
            "text/tab-separated-values"
        ]
        .contains(&reply.media_type.as_str()),
        "{reply:#?}"
    );
    assert!(reply.body.contains("\"value\""), "{reply:#?}");
}

// W3C: query_content_type_ask ("query appropriate content type (expect one of: XML, JSON)").
#[tokio::test]
async fn protocol_query_content_type_ask() {
    let store = store();
    let reply =
        send(&store, None, post("/sparql", Some("application/sparql-query"), "ASK {}")).await;
    assert!(
        ["application/sparql-results+xml", "application/sparql-results+json"]
            .contains(&reply.media_type.as_str()),
        "{reply:#?}"
    );
    assert!(reply.boolean());
}

const RDF_TYPES: &[&str] = &[
    "application/rdf+xml",
    "text/turtle",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/ld+json",
];

// W3C: query_content_type_describe ("query appropriate content type (expect one of:
// RDF/XML, Turtle, N-Triples, RDFa)").
#[tokio::test]
async fn protocol_query_content_type_describe() {
    let store = store();
    let request =
        post("/sparql", Some("application/sparql-query"), "DESCRIBE <http://example.org/>");
    let reply = send(&store, None, request).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:#?}");
    assert!(RDF_TYPES.contains(&reply.media_type.as_str()), "{reply:#?}");
}

// W3C: query_content_type_construct ("query appropriate content type (expect one of:
// RDF/XML, Turtle, N-Triples, RDFa)"). The W3C query uses relative IRIs (`<s>`),
// which resolve against the endpoint's URL.
#[tokio::test]
async fn protocol_query_content_type_construct() {
    let store = store();
    let mut request =
        post("/sparql", Some("application/sparql-query"), "CONSTRUCT { <s> <p> 1 } WHERE {}");
    request.headers_mut().insert(header::ACCEPT, "application/n-triples".parse().expect("a value"));
    request.headers_mut().insert(header::HOST, "www.example".parse().expect("a value"));
    let reply = send(&store, None, request).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:#?}");
    assert!(RDF_TYPES.contains(&reply.media_type.as_str()), "{reply:#?}");
    assert_eq!(
        reply.body.trim(),
        "<http://www.example/s> <http://www.example/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> ."
    );
}

// W3C: bad_query_method ("invoke query operation with a method other than GET or POST").
#[tokio::test]
async fn protocol_bad_query_method() {
    let store = store();
    for method in [Method::PUT, Method::DELETE, Method::PATCH] {
        let target = format!("/sparql?query={}", enc("ASK {}"));
        let request = Request::builder().method(method.clone()).uri(target).body(Body::empty());
        let reply = send(&store, None, request.expect("a request")).await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{method}: {reply:#?}");
    }
}

// W3C: bad_multiple_queries ("invoke query operation with more than one query string").
#[tokio::test]
async fn protocol_bad_multiple_queries() {
    let store = store();
    let target = format!("/sparql?query={}&query={}", enc("ASK {}"), enc("SELECT * {}"));
    assert_eq!(send(&store, None, get(&target)).await.status, StatusCode::BAD_REQUEST);
    let body = format!("query={}&query={}", enc("ASK {}"), enc("SELECT * {}"));
    let request = post("/sparql", Some("application/x-www-form-urlencoded"), body);
    assert_eq!(send(&store, None, request).await.status, StatusCode::BAD_REQUEST);
    // A query in the URL and another in a direct POST body is the same mistake.
    let target = format!("/sparql?query={}", enc("ASK {}"));
    let request = post(&target, Some("application/sparql-query"), "SELECT * {}");
    assert_eq!(send(&store, None, request).await.status, StatusCode::BAD_REQUEST);
}

// W3C: bad_query_wrong_media_type ("invoke query operation with a POST with media
// type that's not url-encoded or application/sparql-query").
#[tokio::test]
async fn protocol_bad_query_wrong_media_type() {
    let store = store();
    let request = post("/sparql", Some("text/plain"), "ASK {}");
    assert_eq!(send(&store, None, request).await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

// W3C: bad_query_missing_form_type ("invoke query operation with url-encoded body,
// but without application/x-www-form-urlencoded media type").
#[tokio::test]
async fn protocol_bad_query_missing_form_type() {
    let store = store();
    let request = post("/sparql", None, format!("query={}", enc("ASK {}")));
    let reply = send(&store, None, request).await;
    assert!(reply.status.is_client_error(), "{reply:#?}");
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

// W3C: bad_query_missing_direct_type ("invoke query operation with SPARQL body, but
// without application/sparql-query media type").
#[tokio::test]
async fn protocol_bad_query_missing_direct_type() {
    let store = store();
    let reply = send(&store, None, post("/sparql", None, "ASK {}")).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{reply:#?}");
}

// W3C: bad_query_non_utf8 ("invoke query operation with direct POST, but with a
// non-UTF8 encoding"): a Latin-1 body is refused, whatever charset it declares.
#[tokio::test]
async fn protocol_bad_query_non_utf8() {
    let store = store();
    // `ASK { <http://example.org/caf\xe9> ?p ?o }` in ISO-8859-1.
    let mut latin1 = b"ASK { <http://example.org/caf".to_vec();
    latin1.push(0xE9);
    latin1.extend_from_slice(b"> ?p ?o }");
    for content_type in ["application/sparql-query; charset=ISO-8859-1", "application/sparql-query"]
    {
        let request = post("/sparql", Some(content_type), latin1.clone());
        let reply = send(&store, None, request).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{content_type}: {reply:#?}");
    }
}

// W3C: bad_query_syntax ("invoke query operation with invalid query syntax").
#[tokio::test]
async fn protocol_bad_query_syntax() {
    let store = store();
    let target = format!("/sparql?query={}", enc("ASK {"));
    let reply = send(&store, None, get(&target)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply:#?}");
    assert!(!reply.body.trim().is_empty(), "the client is told what is wrong");
}

// W3C: update_post_form ("update via URL-encoded POST") and update_post_direct
// ("update via POST directly"), each followed by the query that sees the change.
#[tokio::test]
async fn protocol_update_post_form_and_direct() {
    let store = store();
    let insert =
        |n: u8| format!("INSERT DATA {{ GRAPH <{G1}> {{ <{G1}> <http://example.org/p> {n} }} }}");
    let body = format!("update={}", enc(&insert(1)));
    let request = post("/update", Some("application/x-www-form-urlencoded"), body);
    let reply = send(&store, Some(TOKEN), with_token(request)).await;
    assert!(reply.status.is_success(), "{reply:#?}");
    let request = post("/update", Some("application/sparql-update"), insert(2));
    let reply = send(&store, Some(TOKEN), with_token(request)).await;
    assert!(reply.status.is_success(), "{reply:#?}");
    let ask = format!("ASK {{ GRAPH <{G1}> {{ <{G1}> <http://example.org/p> 1, 2 }} }}");
    let request = post("/sparql", Some("application/sparql-query"), ask);
    assert!(send(&store, Some(TOKEN), request).await.boolean());
}

// W3C: bad_update_get ("invoke update operation with GET").
#[tokio::test]
async fn protocol_bad_update_get() {
    let store = store();
    let insert = format!("INSERT DATA {{ GRAPH <{G1}> {{ <{G1}> <http://example.org/p> 3 }} }}");
    let target = format!("/update?update={}", enc(&insert));
    let reply = send(&store, Some(TOKEN), with_token(get(&target))).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{reply:#?}");
    // Nor does an update sent to the query operation run.
    let target = format!("/sparql?query={}", enc(&insert));
    let reply = send(&store, Some(TOKEN), with_token(get(&target))).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply:#?}");
    let ask = format!("ASK {{ <{G1}> <http://example.org/p> 3 }}");
    let reply = send(&store, None, get(&format!("/sparql?query={}", enc(&ask)))).await;
    assert!(!reply.boolean());
}

// W3C: bad_multiple_updates ("invoke update operation with more than one update string").
#[tokio::test]
async fn protocol_bad_multiple_updates() {
    let store = store();
    let body = format!("update={}&update={}", enc("CLEAR DEFAULT"), enc("CLEAR ALL"));
    let request = post("/update", Some("application/x-www-form-urlencoded"), body);
    let reply = send(&store, Some(TOKEN), with_token(request)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply:#?}");
    // Nothing was cleared.
    let reply = send(&store, None, get(&format!("/sparql?query={}", enc(ASK_NAMED_BOTH)))).await;
    assert!(reply.boolean());
}

// W3C: bad_update_wrong_media_type, bad_update_missing_form_type ("invoke update
// operation with a POST with media type that's not url-encoded or
// application/sparql-update", "… with url-encoded body, but without
// application/x-www-form-urlencoded media type").
#[tokio::test]
async fn protocol_bad_update_media_types() {
    let store = store();
    let request = post("/update", Some("text/plain"), "CLEAR ALL");
    let reply = send(&store, Some(TOKEN), with_token(request)).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{reply:#?}");
    let request = post("/update", None, format!("update={}", enc("CLEAR ALL")));
    let reply = send(&store, Some(TOKEN), with_token(request)).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{reply:#?}");
    let reply = send(&store, None, get(&format!("/sparql?query={}", enc(ASK_NAMED_BOTH)))).await;
    assert!(reply.boolean(), "nothing was cleared");
}

// W3C: bad_update_non_utf8 ("invoke update operation with direct POST, but with a
// non-UTF8 encoding").
#[tokio::test]
async fn protocol_bad_update_non_utf8() {
    let store = store();
    let mut latin1 = b"INSERT DATA { <http://example.org/caf".to_vec();
    latin1.push(0xE9);
    latin1.extend_from_slice(b"> <http://example.org/p> 1 }");
    let request = post("/update", Some("application/sparql-update; charset=ISO-8859-1"), latin1);
    let reply = send(&store, Some(TOKEN), with_token(request)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply:#?}");
}

// W3C: bad_update_syntax ("invoke update operation with invalid update syntax").
#[tokio::test]
async fn protocol_bad_update_syntax() {
    let store = store();
    let request = post("/update", Some("application/sparql-update"), "INSERT DATA { <a> }");
    let reply = send(&store, Some(TOKEN), with_token(request)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply:#?}");
}

// W3C: bad_update_dataset_conflict ("invoke update with both using-graph-uri/
// using-named-graph-uri parameter and USING/WITH clause").
#[tokio::test]
async fn protocol_bad_update_dataset_conflict() {
    let store = store();
    let update = format!("DELETE {{ ?s ?p ?o }} USING <{G1}> WHERE {{ ?s ?p ?o }}");
    let target = format!("/update?using-named-graph-uri={}", enc(G2));
    let request = post(&target, Some("application/sparql-update"), update);
    let reply = send(&store, Some(TOKEN), with_token(request)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply:#?}");
    let reply = send(&store, None, get(&format!("/sparql?query={}", enc(ASK_NAMED_BOTH)))).await;
    assert!(reply.boolean(), "nothing was deleted");
}

// W3C: update_base_uri ("test for service-defined BASE URI (\"which MAY be the
// service endpoint\")"): a relative IRI in an update is stored as an absolute IRI
// resolved against the endpoint's URL.
#[tokio::test]
async fn protocol_update_base_uri() {
    let store = store();
    let update = "INSERT DATA { GRAPH <http://example.org/protocol/base> { <http://example.org/s> <http://example.org/p> <test> } }";
    let mut request = with_token(post("/update", Some("application/sparql-update"), update));
    request.headers_mut().insert(header::HOST, "www.example".parse().expect("a value"));
    let reply = send(&store, Some(TOKEN), request).await;
    assert!(reply.status.is_success(), "{reply:#?}");
    let select = "SELECT ?o WHERE { GRAPH <http://example.org/protocol/base> { ?s ?p ?o } }";
    let mut request = get(&format!("/sparql?query={}", enc(select)));
    request.headers_mut().insert(header::ACCEPT, "text/csv".parse().expect("a value"));
    let reply = send(&store, None, request).await;
    assert_eq!(reply.body, "o\r\nhttp://www.example/test\r\n", "{reply:#?}");
}
