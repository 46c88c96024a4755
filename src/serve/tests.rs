//! In-process tests of the endpoint: every route, status code and content type,
//! driven through the router without a socket.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use migraph_core::model::vocab::document_iri;
use migraph_core::model::{
    DocumentMeta, Entity, EntityKind, Evidence, IsoDate, Money, Relation, RelationKind, When,
};
use tower::ServiceExt;

use super::*;

const TOKEN: &str = "s3cret-token";

fn config() -> ServeConfig {
    ServeConfig {
        bind: "127.0.0.1:7878".parse().unwrap(),
        timeout: Duration::from_secs(20),
        max_concurrent: 2,
        max_body_bytes: 4096,
        max_result_bytes: 1 << 20,
        write_token: None,
    }
}

/// A store with one document: the EU funds Niger (with money and a date) and
/// Frontex deploys to Niger.
fn store() -> GraphStore {
    let store = GraphStore::memory().unwrap();
    let eu = Entity::new("European Union", EntityKind::EUInstitution, "gazetteer:t.tsv");
    let niger = Entity::new("Niger", EntityKind::Country, "gazetteer:t.tsv");
    let frontex = Entity::new("Frontex", EntityKind::EUAgency, "gazetteer:t.tsv");
    let evidence = |quote: &str, at: usize| Evidence {
        doc: "doc-1.txt".to_owned(),
        article: None,
        sentence: format!("{quote}, the note says."),
        sentence_start: at,
        sentence_end: at + quote.len() + 16,
        quote: quote.to_owned(),
        quote_start: at,
        quote_end: at + quote.len(),
        rule: "test".to_owned(),
    };
    let relations = vec![
        Relation {
            subject: eu.id.clone(),
            kind: RelationKind::Funds,
            object: niger.id.clone(),
            money: Some(Money::eur(27_000_000)),
            when: Some(When::At { date: IsoDate::year(2024) }),
            evidence: evidence("the EU gives Niger 27 million", 0),
        },
        Relation {
            subject: frontex.id.clone(),
            kind: RelationKind::DeploysTo,
            object: niger.id.clone(),
            money: None,
            when: None,
            evidence: evidence("Frontex sends officers to Niger", 100),
        },
    ];
    let meta = DocumentMeta {
        id: "doc-1.txt".to_owned(),
        source: "doc-1.txt".to_owned(),
        title: Some("Note".to_owned()),
        date: None,
        content_hash: "00".to_owned(),
        n_articles: 1,
        n_sentences: 2,
    };
    store.replace_document(&meta, &[eu, niger, frontex], &relations).unwrap();
    store
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn content_type(&self) -> &str {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }
}

async fn send(router: Router, request: Request<Body>) -> Reply {
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    Reply { status, headers, body: String::from_utf8(bytes.to_vec()).unwrap() }
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn encode(text: &str) -> String {
    migraph_core::model::vocab::percent_encode(text)
}

const SELECT: &str = "SELECT ?o WHERE { ?s <https://w3id.org/migraph/ontology#funds> ?o }";
const CONSTRUCT: &str = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3";

#[tokio::test]
async fn serve_get_query_returns_json_with_cors() {
    let reply =
        send(router(store(), config()), get(&format!("/query?query={}", encode(SELECT)))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.content_type(), "application/sparql-results+json");
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(
        json["results"]["bindings"][0]["o"]["value"],
        "https://w3id.org/migraph/id/entity/niger"
    );
}

#[tokio::test]
async fn serve_negotiates_result_formats() {
    let uri = format!("/sparql?query={}", encode(SELECT));
    let csv = Request::get(&uri).header(header::ACCEPT, "text/csv").body(Body::empty()).unwrap();
    let reply = send(router(store(), config()), csv).await;
    assert_eq!(reply.content_type(), "text/csv; charset=utf-8");
    assert_eq!(reply.body, "o\r\nhttps://w3id.org/migraph/id/entity/niger\r\n");

    let reply = send(router(store(), config()), get(&format!("{uri}&format=tsv"))).await;
    assert_eq!(reply.body, "?o\n<https://w3id.org/migraph/id/entity/niger>\n");

    let xml = Request::get(&uri)
        .header(header::ACCEPT, "application/sparql-results+xml")
        .body(Body::empty())
        .unwrap();
    let reply = send(router(store(), config()), xml).await;
    assert_eq!(reply.content_type(), "application/sparql-results+xml");

    let construct = format!("/query?query={}", encode(CONSTRUCT));
    let reply = send(router(store(), config()), get(&construct)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type(), "text/turtle");
    let nt = Request::get(&construct)
        .header(header::ACCEPT, "application/n-triples")
        .body(Body::empty())
        .unwrap();
    let reply = send(router(store(), config()), nt).await;
    assert_eq!(reply.content_type(), "application/n-triples");
    assert_eq!(reply.body.lines().count(), 3);
    let reply = send(router(store(), config()), get(&format!("{construct}&format=rdf"))).await;
    assert_eq!(reply.content_type(), "application/rdf+xml");
}

#[tokio::test]
async fn serve_refuses_unacceptable_formats_with_406() {
    let construct = format!("/query?query={}", encode(CONSTRUCT));
    let csv =
        Request::get(&construct).header(header::ACCEPT, "text/csv").body(Body::empty()).unwrap();
    let reply = send(router(store(), config()), csv).await;
    assert_eq!(reply.status, StatusCode::NOT_ACCEPTABLE);
    assert!(reply.body.contains("text/turtle"), "{}", reply.body);
    let reply = send(router(store(), config()), get(&format!("{construct}&format=tsv"))).await;
    assert_eq!(reply.status, StatusCode::NOT_ACCEPTABLE);
    let select = format!("/query?query={}&format=yaml", encode(SELECT));
    assert_eq!(
        send(router(store(), config()), get(&select)).await.status,
        StatusCode::NOT_ACCEPTABLE
    );
}

#[tokio::test]
async fn serve_post_accepts_both_encodings_and_refuses_others() {
    let form = Request::post("/query")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("query={}&format=csv", encode(SELECT))))
        .unwrap();
    let reply = send(router(store(), config()), form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.ends_with("niger\r\n"));

    let direct = Request::post("/query")
        .header(header::CONTENT_TYPE, "application/sparql-query; charset=utf-8")
        .body(Body::from(SELECT))
        .unwrap();
    assert_eq!(send(router(store(), config()), direct).await.status, StatusCode::OK);

    let json = Request::post("/query")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(SELECT))
        .unwrap();
    let reply = send(router(store(), config()), json).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let bare = Request::post("/query").body(Body::from(SELECT)).unwrap();
    assert_eq!(
        send(router(store(), config()), bare).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );

    let empty_form = Request::post("/query")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("format=csv"))
        .unwrap();
    assert_eq!(send(router(store(), config()), empty_form).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn serve_reports_syntax_errors_with_400() {
    let reply =
        send(router(store(), config()), get("/query?query=SELECT%20%3Fx%20WHERE%20%7B")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.content_type(), "text/plain; charset=utf-8");
    assert!(reply.body.starts_with("invalid SPARQL query: "), "{}", reply.body);
    let twice = format!("/query?query={0}&query={0}", encode(SELECT));
    assert_eq!(send(router(store(), config()), get(&twice)).await.status, StatusCode::BAD_REQUEST);
    let bad_graph = format!("/query?query={}&default-graph-uri=not%20an%20iri", encode(SELECT));
    assert_eq!(
        send(router(store(), config()), get(&bad_graph)).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn serve_protocol_dataset_overrides_union() {
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let doc = encode(&document_iri("doc-1.txt"));
    let unknown = encode("https://example.org/empty");
    let with = format!("/query?query={}&format=csv&default-graph-uri={doc}", encode(count));
    let without = format!("/query?query={}&format=csv&default-graph-uri={unknown}", encode(count));
    let all = send(router(store(), config()), get(&with)).await.body;
    let none = send(router(store(), config()), get(&without)).await.body;
    assert_ne!(all, "n\r\n0\r\n");
    assert_eq!(none, "n\r\n0\r\n");
}

#[tokio::test]
async fn serve_method_and_path_errors() {
    let delete = Request::delete("/query").body(Body::empty()).unwrap();
    assert_eq!(
        send(router(store(), config()), delete).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    let reply = send(router(store(), config()), get("/nowhere")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
}

#[tokio::test]
async fn serve_answers_cors_preflight() {
    let preflight = Request::options("/query")
        .header(header::ORIGIN, "https://example.org")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .body(Body::empty())
        .unwrap();
    let reply = send(router(store(), config()), preflight).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(reply.headers[header::ACCESS_CONTROL_ALLOW_METHODS].to_str().unwrap().contains("POST"));
}

#[tokio::test]
async fn serve_limits_body_size_with_413() {
    let big = format!("{SELECT} # {}", "x".repeat(5000));
    let request = Request::post("/query")
        .header(header::CONTENT_TYPE, "application/sparql-query")
        .body(Body::from(big))
        .unwrap();
    let reply = send(router(store(), config()), request).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", reply.body);
}

#[tokio::test]
async fn serve_fails_fast_without_free_slots() {
    let full = ServeConfig { max_concurrent: 0, ..config() };
    let reply = send(router(store(), full), get(&format!("/query?query={}", encode(SELECT)))).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.headers[header::RETRY_AFTER], "1");
    assert!(reply.body.contains("too many concurrent queries"), "{}", reply.body);
}

#[tokio::test]
async fn serve_cancels_slow_queries_with_503() {
    let slow = ServeConfig { timeout: Duration::from_millis(1), ..config() };
    let product = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    let reply =
        send(router(store(), slow), get(&format!("/query?query={}", encode(product)))).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.body);
    assert!(reply.body.contains("time limit"), "{}", reply.body);
}

#[tokio::test]
async fn serve_never_truncates_large_results() {
    let small = ServeConfig { max_result_bytes: 64, ..config() };
    let all = "SELECT * WHERE { ?s ?p ?o }";
    let reply = send(router(store(), small), get(&format!("/query?query={}", encode(all)))).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(reply.body.contains("exceeds the limit of 64 bytes"), "{}", reply.body);
}

#[tokio::test]
async fn serve_describes_itself() {
    let reply = send(router(store(), config()), get("/query")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type(), "text/turtle");
    assert!(reply.body.contains("<http://127.0.0.1:7878/query>"), "{}", reply.body);
    assert!(reply.body.contains("sd:feature sd:UnionDefaultGraph"), "{}", reply.body);
    assert!(!reply.body.contains("SPARQL11Update"), "{}", reply.body);

    let request =
        Request::get("/void").header(header::HOST, "example.org:8080").body(Body::empty()).unwrap();
    let reply = send(router(store(), config()), request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("<http://example.org:8080/query>"), "{}", reply.body);
    assert!(reply.body.contains("void:property mg:funds"), "{}", reply.body);
    assert!(reply.body.contains("void:triples"), "{}", reply.body);
    assert!(reply.body.contains("mg:EUAgency"), "{}", reply.body);

    let health = send(router(store(), config()), get("/health")).await;
    assert_eq!((health.status, health.body.as_str()), (StatusCode::OK, "{\"status\":\"ok\"}\n"));
}

#[tokio::test]
async fn serve_page_embeds_examples() {
    let reply = send(router(store(), config()), get("/")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("text/html"));
    assert!(reply.body.contains("Who funds whom, and how much, by year"));
    assert!(!reply.body.contains("__EXAMPLES__"));
    let script = reply.body.split("id=\"example-data\">").nth(1).unwrap();
    let json = &script[..script.find("</script>").unwrap()];
    let examples: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(examples.as_array().unwrap().len(), crate::store::canned_queries().len());
}

#[tokio::test]
async fn serve_graph_store_reads_graphs() {
    let doc = encode(&document_iri("doc-1.txt"));
    let reply = send(router(store(), config()), get(&format!("/store?graph={doc}"))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.content_type(), "text/turtle");
    assert!(reply.body.contains("entity:european-union a mg:EUInstitution"), "{}", reply.body);
    assert!(reply.body.contains("\tmg:funds entity:niger ;"), "{}", reply.body);

    let missing = encode("https://example.org/none");
    let reply = send(router(store(), config()), get(&format!("/store?graph={missing}"))).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let reply = send(router(store(), config()), get("/store?default&format=nt")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.lines().all(|l| l.ends_with("> .") || l.ends_with("\" .") || l.contains("^^"))
    );

    let reply = send(router(store(), config()), get("/store")).await;
    assert_eq!(reply.content_type(), "application/n-quads");
    let graph = format!("<{}> .", document_iri("doc-1.txt"));
    assert!(reply.body.lines().any(|l| l.ends_with(&graph)));

    let both = send(router(store(), config()), get(&format!("/store?default&graph={doc}"))).await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
}

fn writable() -> ServeConfig {
    ServeConfig { write_token: Some(TOKEN.to_owned()), ..config() }
}

fn update_request(token: Option<&str>) -> Request<Body> {
    let mut builder =
        Request::post("/update").header(header::CONTENT_TYPE, "application/sparql-update");
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder
        .body(Body::from("INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }"))
        .unwrap()
}

#[tokio::test]
async fn serve_update_needs_the_write_token() {
    let reply = send(router(store(), config()), update_request(Some(TOKEN))).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.body.contains("read-only"), "{}", reply.body);

    let reply = send(router(store(), writable()), update_request(None)).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.headers[header::WWW_AUTHENTICATE], "Bearer");
    let reply = send(router(store(), writable()), update_request(Some("guess"))).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    let shared = store();
    let reply = send(router(shared.clone(), writable()), update_request(Some(TOKEN))).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    let ask = format!("/query?query={}", encode("ASK { <https://example.org/a> ?p ?o }"));
    let reply = send(router(shared, writable()), get(&ask)).await;
    assert_eq!(reply.body, r#"{"head":{},"boolean":true}"#);

    let description = send(router(store(), writable()), get("/query")).await;
    assert!(description.body.contains("SPARQL11Update"), "{}", description.body);
}

#[tokio::test]
async fn serve_graph_store_writes_with_token() {
    let shared = store();
    let graph = encode("https://example.org/extra");
    let put = |body: &str| {
        Request::put(format!("/store?graph={graph}"))
            .header(header::CONTENT_TYPE, "text/turtle")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let reply = send(
        router(shared.clone(), writable()),
        put("<https://example.org/x> a <https://example.org/Y> ."),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let reply = send(
        router(shared.clone(), writable()),
        put("<https://example.org/x> a <https://example.org/Z> ."),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let reply =
        send(router(shared.clone(), writable()), get(&format!("/store?graph={graph}&format=nt")))
            .await;
    assert_eq!(
        reply.body,
        "<https://example.org/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/Z> .\n"
    );

    let reply = send(router(shared.clone(), writable()), put("not turtle")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let json = Request::post(format!("/store?graph={graph}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(
        send(router(shared.clone(), writable()), json).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );

    let delete = || {
        Request::delete(format!("/store?graph={graph}"))
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        send(router(shared.clone(), writable()), delete()).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(router(shared.clone(), writable()), delete()).await.status,
        StatusCode::NOT_FOUND
    );
    let anonymous = Request::delete(format!("/store?graph={graph}")).body(Body::empty()).unwrap();
    assert_eq!(send(router(shared, config()), anonymous).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn serve_runs_on_a_socket_and_shuts_down() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, store(), config(), async {
        let _ = stopped.await;
    }));
    // A plain blocking client: tokio's io-util feature is not enabled.
    let response = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    })
    .await
    .unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[test]
fn serve_config_debug_hides_the_token() {
    let text = format!("{:?}", writable());
    assert!(text.contains("write_token: Some(\"<set>\")"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn serve_rejects_unusable_configuration() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bad = ServeConfig { max_concurrent: 0, ..config() };
    let err = serve(listener, store(), bad, async {}).await.unwrap_err();
    assert!(matches!(err, ServeError::Config(_)), "{err}");
}
