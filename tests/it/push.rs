//! `migraph push` against real triple stores started by the test on 127.0.0.1: an
//! Oxigraph server (PyPI package `oxigraph`, installed by scripts/test into .venv) and
//! Virtuoso (Debian package `virtuoso-opensource`).
//!
//! Each test builds a store from a copy of the sample corpus, pushes it, reads every
//! graph's triple count back over the SPARQL Protocol and compares it with the local
//! store; pushes again (nothing may double); then changes one document, re-ingests and
//! pushes with `only_changed`, which must send the changed graphs only; `migraph serve`
//! runs on the same store during the first pushes. Oxigraph gets three graphs at once
//! (`jobs`), Virtuoso the default number. A server binary
//! that is missing skips its test with a message, except under `CI=true`, where it is a
//! failure. Servers write in temp dirs only, every wait is bounded, and a guard kills
//! the server however the test ends.

#![expect(clippy::print_stderr, reason = "a skipped test says why, where cargo test shows it")]

use std::collections::{BTreeMap, BTreeSet};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use migraph::model::vocab::CATALOGUE_GRAPH;
use migraph::push::{Auth, Protocol, PushConfig, PushEvent, PushState, PushSummary, push};
use migraph::store::{GraphStore, ResultFormat};

use crate::support::{TestEnv, root, s};

/// Triples per request in these tests: small, so the corpus's graphs are cut into
/// several chunks (PUT then POSTs) as a large store's would be.
const CHUNK: usize = 40;

/// Counts the triples of every named graph.
const COUNT_PER_GRAPH: &str =
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g";

/// A server process killed on drop.
struct Server {
    child: Child,
    name: &'static str,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free TCP port on the loopback interface.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Waits until `ready` holds, at most `limit`; panics with `what` otherwise. Fails
/// early if the server process exits.
fn wait_for(server: &mut Server, limit: Duration, what: &str, ready: impl Fn() -> bool) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if ready() {
            return;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("{} exited with {status} before {what}", server.name);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{} not ready after {limit:?}: {what}", server.name);
}

fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(300)).is_ok()
}

/// A server binary: in `MIGRAPH_TEST_PYTHON`'s folder (scripts/test's venv), the
/// repository's `.venv/bin`, or on `PATH`. `None` (a failure under CI) when absent.
fn find_binary(name: &str, install_hint: &str) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(python) = std::env::var_os("MIGRAPH_TEST_PYTHON")
        && let Some(dir) = Path::new(&python).parent()
    {
        candidates.push(dir.join(name));
    }
    candidates.push(root().join(".venv/bin").join(name));
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|dir| dir.join(name)));
    }
    if let Some(found) = candidates.into_iter().find(|p| p.is_file()) {
        return Some(found);
    }
    assert!(std::env::var("CI").is_err(), "CI must have {name} ({install_hint})");
    eprintln!("skipping: {name} not found ({install_hint})");
    None
}

/// A SPARQL `SELECT` over HTTP GET, results as JSON.
fn remote_select(query_url: &str, query: &str, auth: Option<&str>) -> serde_json::Value {
    let agent: ureq::Agent =
        ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(30))).build().into();
    let mut request = agent
        .get(query_url)
        .query("query", query)
        .header("Accept", "application/sparql-results+json");
    if let Some(auth) = auth {
        request = request.header("Authorization", auth);
    }
    let mut response = request.call().unwrap_or_else(|e| panic!("query {query_url}: {e}"));
    let body = response.body_mut().read_to_string().expect("a query result");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("bad JSON result ({e}): {body}"))
}

/// Triple count per graph from a SPARQL JSON result of [`COUNT_PER_GRAPH`], keeping
/// the graphs `keep` accepts (a server may hold graphs of its own).
fn counts(result: &serde_json::Value, keep: impl Fn(&str) -> bool) -> BTreeMap<String, u64> {
    let rows = result["results"]["bindings"].as_array().expect("bindings");
    rows.iter()
        .filter_map(|row| {
            let graph = row["g"]["value"].as_str().expect("a graph IRI").to_owned();
            let n = row["n"]["value"].as_str().expect("a count").parse().expect("an integer");
            keep(&graph).then_some((graph, n))
        })
        .collect()
}

/// Triple count per graph of the local store.
fn local_counts(store: &Path) -> BTreeMap<String, u64> {
    let store = GraphStore::open_read_only(store).expect("open store");
    let mut json = Vec::new();
    store.query(COUNT_PER_GRAPH, Some(ResultFormat::Json), &mut json).expect("count query");
    let result: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
    counts(&result, |_| true)
}

/// The sorted N-Triples lines of every local graph, to tell which graphs changed.
fn local_graphs(store: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let store = GraphStore::open_read_only(store).expect("open store");
    let mut nq = Vec::new();
    store.dump(migraph::store::RdfDumpFormat::NQuads, None, &mut nq).expect("dump");
    let mut graphs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8(nq).expect("utf-8").lines() {
        let body = line.strip_suffix(" .").expect("an N-Quads line");
        let start = body.rfind(" <").expect("a graph name");
        let graph = body[start + 2..body.len() - 1].to_owned();
        graphs.entry(graph).or_default().insert(body[..start].to_owned());
    }
    graphs
}

/// Pushes the store (opened read-only, as the CLI does) and returns the summary and
/// the graphs reported sent.
fn push_store(store: &Path, config: &PushConfig) -> (PushSummary, Vec<String>, usize) {
    let graph_store = GraphStore::open_read_only(store).expect("open store read-only");
    let mut sent = Vec::new();
    let mut later_chunks = 0;
    let summary = push(&graph_store, config, &mut |event| match event {
        PushEvent::GraphSent { graph, .. } => sent.push(graph),
        PushEvent::ChunkSent { chunk, .. } if chunk > 0 => later_chunks += 1,
        _ => {}
    })
    .unwrap_or_else(|e| panic!("push to {} failed: {e}", config.endpoint));
    (summary, sent, later_chunks)
}

/// A copy of the sample corpus and a store built from it.
fn corpus_store(env: &TestEnv) -> (PathBuf, PathBuf) {
    let corpus = env.path("corpus");
    std::fs::create_dir_all(&corpus).expect("corpus dir");
    for entry in std::fs::read_dir(root().join("examples/corpus")).expect("sample corpus") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, corpus.join(path.file_name().expect("a name"))).expect("copy");
        }
    }
    let store = env.path("store");
    env.ok(&["ingest", s(&corpus), "--store", s(&store)]);
    (corpus, store)
}

/// Appends a paragraph (with a funding relation the extractor reads) to one document
/// and re-ingests; returns the graphs whose content changed.
fn change_one_document(env: &TestEnv, corpus: &Path, store: &Path) -> BTreeSet<String> {
    let before = local_graphs(store);
    let doc = corpus.join("2025-02_north-africa-deals.txt");
    let mut text = std::fs::read_to_string(&doc).expect("read document");
    text.push_str(
        "\nLate addition\nPortugal will give Mauritania 7 million euros for coastal \
         surveillance, officials said on 3 March 2025.\n",
    );
    std::fs::write(&doc, text).expect("write document");
    env.ok(&["ingest", s(corpus), "--store", s(store)]);
    let after = local_graphs(store);
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names.into_iter().filter(|g| before.get(*g) != after.get(*g)).cloned().collect()
}

/// The whole scenario against one server: push, compare counts, push again, change
/// one document, push only what changed, compare again.
fn check_server(
    env: &TestEnv,
    mut config: PushConfig,
    remote_counts: &dyn Fn() -> BTreeMap<String, u64>,
) {
    let (corpus, store) = corpus_store(env);
    config.state_file = Some(PushState::path_in(&store));
    let local = local_counts(&store);
    assert!(local.len() >= 4, "ontology, catalogue and documents: {local:?}");

    // `migraph serve` keeps answering from the store while it is pushed: both open it
    // read-only.
    let serve_port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_migraph"))
        .args(["serve", "--store", s(&store), "--bind", &format!("127.0.0.1:{serve_port}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start migraph serve");
    let mut serving = Server { child, name: "migraph serve" };
    wait_for(&mut serving, Duration::from_secs(30), "port open", || port_open(serve_port));

    let (first, sent, later_chunks) = push_store(&store, &config);
    assert_eq!(first.graphs_sent, local.len());
    assert_eq!(first.triples, local.values().sum::<u64>());
    assert!(first.failed.is_empty());
    assert_eq!(sent.last().map(String::as_str), Some(CATALOGUE_GRAPH), "catalogue last");
    assert!(later_chunks > 0, "graphs of more than {CHUNK} triples go in several requests");
    assert_eq!(remote_counts(), local, "the server holds what the store holds");

    let (second, _, _) = push_store(&store, &config);
    assert_eq!(second.graphs_sent, local.len());
    assert_eq!(remote_counts(), local, "pushing again doubles nothing");

    let served_url = format!("http://127.0.0.1:{serve_port}/query");
    let served = counts(&remote_select(&served_url, COUNT_PER_GRAPH, None), |_| true);
    assert_eq!(served, local, "migraph serve answered throughout");
    // Stop it before re-ingesting: a writer must not share the store with readers.
    drop(serving);

    let changed = change_one_document(env, &corpus, &store);
    let doc_graph = migraph::model::vocab::document_iri("2025-02_north-africa-deals.txt");
    assert_eq!(
        changed,
        BTreeSet::from([
            CATALOGUE_GRAPH.to_owned(),
            migraph::model::vocab::DESCRIPTION_GRAPH.to_owned(),
            doc_graph
        ]),
        "the edit changes its document's graph, the catalogue and the dataset description"
    );
    config.only_changed = true;
    let (third, sent, _) = push_store(&store, &config);
    assert_eq!(sent.into_iter().collect::<BTreeSet<_>>(), changed, "only changed graphs are sent");
    assert_eq!(third.graphs_skipped, local.len() - changed.len());
    assert_eq!(remote_counts(), local_counts(&store), "the server follows the edit");
}

#[test]
fn push_to_oxigraph_server_over_gsp_and_update() {
    let Some(oxigraph) = find_binary("oxigraph", "pip install oxigraph==0.5.13; scripts/test does")
    else {
        return;
    };
    for protocol in [Protocol::Gsp, Protocol::Update] {
        let env = TestEnv::new();
        let port = free_port();
        let child = Command::new(&oxigraph)
            .args(["serve", "--location", s(&env.path("oxigraph")), "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start oxigraph serve");
        let mut server = Server { child, name: "oxigraph" };
        wait_for(&mut server, Duration::from_secs(30), "port open", || port_open(port));

        let base = format!("http://127.0.0.1:{port}");
        let endpoint = match protocol {
            Protocol::Gsp => format!("{base}/store"),
            Protocol::Update => format!("{base}/update"),
        };
        let mut config = PushConfig::new(endpoint);
        config.protocol = protocol;
        config.chunk_triples = CHUNK;
        // Several graphs at once, whatever the machine's cores: the counts must still
        // match graph by graph.
        config.jobs = 3;
        config.retries = 2;
        config.backoff = Duration::from_millis(100);
        config.timeout = Duration::from_secs(60);
        let query_url = format!("{base}/query");
        check_server(&env, config, &|| {
            counts(&remote_select(&query_url, COUNT_PER_GRAPH, None), |_| true)
        });
        drop(server);
    }
}

#[test]
fn push_to_virtuoso_over_gsp_and_update() {
    let hint = "apt-get install virtuoso-opensource; scripts/test does";
    let Some(virtuoso) = find_binary("virtuoso-t", hint) else {
        return;
    };
    for protocol in [Protocol::Gsp, Protocol::Update] {
        let env = TestEnv::new();
        let (server, http_port) = start_virtuoso(&virtuoso, &env.path("virtuoso"));

        let base = format!("http://127.0.0.1:{http_port}");
        let endpoint = match protocol {
            Protocol::Gsp => format!("{base}/sparql-graph-crud-auth"),
            Protocol::Update => format!("{base}/sparql-auth"),
        };
        let mut config = PushConfig::new(endpoint);
        config.protocol = protocol;
        // The authenticated endpoints take Digest only; dba/dba is the password of a
        // new database.
        config.auth = Auth::Digest { user: "dba".to_owned(), password: "dba".to_owned() };
        config.chunk_triples = CHUNK;
        config.retries = 2;
        config.backoff = Duration::from_millis(200);
        config.timeout = Duration::from_secs(60);
        let query_url = format!("{base}/sparql");
        // Virtuoso holds system graphs of its own; compare migraph's only.
        let ours = |g: &str| g.starts_with(migraph::push::MIGRAPH_BASE);
        let mut wrong_password = config.clone();
        check_server(&env, config, &|| {
            counts(&remote_select(&query_url, COUNT_PER_GRAPH, None), ours)
        });

        // Refused credentials stop the push at the first request and name every graph.
        wrong_password.auth = Auth::Digest { user: "dba".to_owned(), password: "x".to_owned() };
        let store = GraphStore::open_read_only(&env.path("store")).expect("open store");
        let err = push(&store, &wrong_password, &mut |_| {}).expect_err("wrong password");
        let migraph::push::PushError::Incomplete { summary, first_error, .. } = err else {
            panic!("expected an incomplete push, got {err}");
        };
        assert!(first_error.contains("HTTP 401"), "{first_error}");
        assert_eq!(summary.graphs_sent, 0);
        assert_eq!(summary.failed.len(), local_counts(&env.path("store")).len());
        drop(server);
    }
}

/// Starts Virtuoso on a fresh database in `dir` and waits for its ports.
///
/// Virtuoso 7.2 from Debian sometimes dies with SIGSEGV while it creates a new
/// database (seen about once in four starts here, before any request is sent); such
/// a start is retried on a wiped folder, at most three times. Any other failure, and
/// a third crash, fails the test.
fn start_virtuoso(virtuoso: &Path, dir: &Path) -> (Server, u16) {
    for attempt in 1..=3 {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).expect("database dir");
        let (sql_port, http_port) = (free_port(), free_port());
        let ini = dir.join("virtuoso.ini");
        std::fs::write(&ini, virtuoso_ini(dir, sql_port, http_port)).expect("write ini");
        // `-f`: stay in the foreground, so the guard's kill stops the server itself.
        let child = Command::new(virtuoso)
            .args(["-f", "-c", s(&ini)])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start virtuoso-t");
        let mut server = Server { child, name: "virtuoso" };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(90) {
            if port_open(sql_port) && port_open(http_port) {
                return (server, http_port);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                use std::os::unix::process::ExitStatusExt;
                assert!(
                    status.signal().is_some() && attempt < 3,
                    "virtuoso exited with {status} before its ports opened (attempt {attempt})"
                );
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        assert!(start.elapsed() < Duration::from_secs(90), "virtuoso not ready after 90 s");
    }
    unreachable!("the third attempt returns or fails above")
}

/// A minimal virtuoso.ini: a throwaway database in `dir`, SQL and HTTP on `sql_port`
/// and `http_port` of 127.0.0.1, and the system's stored procedures and VADs.
fn virtuoso_ini(dir: &Path, sql_port: u16, http_port: u16) -> String {
    let d = dir.display();
    format!(
        "[Database]\nDatabaseFile = {d}/virtuoso.db\nErrorLogFile = {d}/virtuoso.log\n\
         LockFile = {d}/virtuoso.lck\nTransactionFile = {d}/virtuoso.trx\n\
         xa_persistent_file = {d}/virtuoso.pxa\nErrorLogLevel = 7\nFileExtend = 200\n\
         MaxCheckpointRemap = 2000\nStriping = 0\nTempStorage = TempDatabase\n\n\
         [TempDatabase]\nDatabaseFile = {d}/virtuoso-temp.db\n\
         TransactionFile = {d}/virtuoso-temp.trx\nMaxCheckpointRemap = 2000\nStriping = 0\n\n\
         [Parameters]\nServerPort = 127.0.0.1:{sql_port}\nDisableUnixSocket = 1\n\
         DisableTcpSocket = 0\nMaxClientConnections = 10\nCheckpointInterval = 60\n\
         NumberOfBuffers = 10000\nMaxDirtyBuffers = 6000\nDirsAllowed = ., {d}\nCaseMode = 2\n\n\
         [HTTPServer]\nServerPort = 127.0.0.1:{http_port}\nServerRoot = /var/lib/virtuoso-opensource-7/vsp\n\
         MaxClientConnections = 5\nServerThreads = 5\nEnabledDavVSP = 0\n\n\
         [SPARQL]\nResultSetMaxRows = 1000000\nMaxQueryExecutionTime = 60\n\
         DefaultGraph = http://localhost/\n"
    )
}
