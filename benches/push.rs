//! Push throughput: a generated store of `MIGRAPH_BENCH_TRIPLES` triples (default
//! 1,000,000, in documents of 5,000) pushed to a local Oxigraph server, next to the
//! server's own bulk loader (`oxigraph load`) on the same data as N-Quads, in the same
//! run.
//!
//! Run with `cargo bench --bench push` (needs the `oxigraph` binary of the PyPI package
//! `oxigraph`, found in `.venv/bin` or on `PATH`, and GNU `time` for peak memory). It
//! prints triples/s and peak resident memory of each side, for each protocol with one
//! job and with [`push::default_jobs`] (or `MIGRAPH_BENCH_JOBS`), checks that the server
//! holds every triple, and prints each rate as a ratio of the bulk load's. A last run
//! adds Oxigraph's own `?no_transaction` parameter to the GSP endpoint: not a W3C
//! protocol, shown apart for comparison only. CI only compiles it. Every
//! server it starts listens on 127.0.0.1 and is killed at the end; all files go to a
//! temp dir.
//!
//! The push runs in a child process (this binary, re-executed with `--push-child`), so
//! its peak memory is the push's alone and not the store generation's.

#![expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use migraph::push::{self, GraphSource, Protocol, PushConfig, PushEvent, StoreSource, push};
use migraph::store::GraphStore;

/// Triples per generated document graph.
const PER_DOC: usize = 5_000;
/// Triples per `INSERT DATA` while generating the store.
const INSERT_BATCH: usize = 20_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--push-child") => return push_child(&args[2..]),
        Some("--read-child") => return read_child(&args[2..]),
        _ => {}
    }
    let n: usize = std::env::var("MIGRAPH_BENCH_TRIPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let Some(oxigraph) = find_oxigraph() else {
        println!("skipping: no oxigraph binary (pip install oxigraph==0.5.13)");
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let store_dir = tmp.path().join("store");
    let nquads = tmp.path().join("data.nq");

    let started = Instant::now();
    let quads = generate(&store_dir, &nquads, n);
    println!(
        "generated {quads} quads in {} graphs ({:.1} MB of N-Quads) in {:.1?}",
        n.div_ceil(PER_DOC),
        file_mb(&nquads),
        started.elapsed()
    );

    // The reading side alone: what the push costs before any byte is sent.
    let exe = std::env::current_exe().expect("own path");
    let (elapsed, peak_kb, out, _) =
        timed(Command::new(&exe).args(["--read-child", &store_dir.display().to_string()]));
    let triples: u64 = out.trim().parse().unwrap_or_else(|_| panic!("read child said {out:?}"));
    println!(
        "store read only (every graph streamed as N-Triples, nothing sent): {triples} triples in {elapsed:.2?} = {:.0} triples/s, peak RSS {:.0} MB",
        triples as f64 / elapsed.as_secs_f64(),
        peak_kb as f64 / 1024.0
    );

    // One job (graphs one after the other) and the default number of jobs (or
    // `MIGRAPH_BENCH_JOBS`), per protocol; then, apart, Oxigraph's own non-standard
    // `?no_transaction` parameter on the GSP endpoint (bulk loader per request), which
    // is not a W3C protocol and is never the headline number.
    let jobs: usize = std::env::var("MIGRAPH_BENCH_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(push::default_jobs);
    let runs = [
        (Protocol::Gsp, 1, ""),
        (Protocol::Gsp, jobs, ""),
        (Protocol::Update, 1, ""),
        (Protocol::Update, jobs, ""),
        (Protocol::Gsp, jobs, "?no_transaction"),
    ];
    let mut rates = Vec::new();
    for (protocol, jobs, extension) in runs {
        let label = match extension {
            "" => format!("{}, {jobs} job(s)", protocol.as_str()),
            _ => format!("{}, {jobs} job(s), NOT W3C: Oxigraph {extension}", protocol.as_str()),
        };
        let server_dir = tmp.path().join(format!("server-{}", rates.len()));
        let port = free_port();
        let mut server = Command::new(&oxigraph)
            .args(["serve", "--location", &server_dir.display().to_string(), "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start oxigraph serve");
        wait_port(port);
        let endpoint = match protocol {
            Protocol::Gsp => format!("http://127.0.0.1:{port}/store{extension}"),
            Protocol::Update => format!("http://127.0.0.1:{port}/update"),
        };
        let (elapsed, peak_kb, out, _) = timed(
            Command::new(&exe)
                .args(["--push-child", &store_dir.display().to_string(), &endpoint])
                .arg(protocol.as_str())
                .arg(jobs.to_string()),
        );
        let held = server_triples(port);
        let _ = server.kill();
        let _ = server.wait();
        let triples: u64 = out.trim().parse().unwrap_or_else(|_| panic!("push child said {out:?}"));
        assert_eq!(held, triples, "the server holds every triple sent ({label})");
        let rate = triples as f64 / elapsed.as_secs_f64();
        println!(
            "migraph push ({label}): {triples} triples in {elapsed:.2?} = {rate:.0} triples/s, peak RSS {:.0} MB",
            peak_kb as f64 / 1024.0
        );
        rates.push((label, rate));
    }

    let load_dir = tmp.path().join("load");
    let (elapsed, peak_kb, _, _) = timed(Command::new(&oxigraph).args([
        "load",
        "--location",
        &load_dir.display().to_string(),
        "--file",
        &nquads.display().to_string(),
    ]));
    let load_rate = quads as f64 / elapsed.as_secs_f64();
    println!(
        "oxigraph load (same data as N-Quads): {quads} quads in {elapsed:.2?} = {load_rate:.0} quads/s, peak RSS {:.0} MB",
        peak_kb as f64 / 1024.0
    );
    for (run, rate) in rates {
        println!("push ({run}) / oxigraph load: {:.2}x", rate / load_rate);
    }
}

/// The child: pushes the store and prints the number of triples sent.
fn push_child(args: &[String]) {
    let [store, endpoint, protocol, jobs] = args else {
        panic!("--push-child STORE ENDPOINT PROTOCOL JOBS")
    };
    let store = GraphStore::open_read_only(Path::new(store)).expect("open store");
    let mut config = PushConfig::new(endpoint.clone());
    config.protocol = if protocol == "update" { Protocol::Update } else { Protocol::Gsp };
    config.jobs = jobs.parse().expect("--push-child JOBS is a number");
    let mut requests = 0u64;
    let summary = push(&store, &config, &mut |event| {
        if let PushEvent::ChunkSent { .. } = event {
            requests += 1;
        }
    })
    .expect("push");
    assert!(requests > 0);
    println!("{}", summary.triples);
}

/// The reading child: streams every graph of the store into a sink, prints the count.
fn read_child(args: &[String]) {
    let [store] = args else { panic!("--read-child STORE") };
    let store = GraphStore::open_read_only(Path::new(store)).expect("open store");
    let source = StoreSource::new(&store);
    let mut counter = LineCounter(0);
    for graph in source.graphs().expect("graphs") {
        source.write_graph(&graph, &mut counter).expect("read graph");
    }
    println!("{}", counter.0);
}

/// Counts the lines written to it.
struct LineCounter(u64);

impl std::io::Write for LineCounter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0 += data.iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes `n` triples in documents of [`PER_DOC`] to a new store and to an N-Quads file.
fn generate(store_dir: &Path, nquads: &Path, n: usize) -> usize {
    let store = GraphStore::open(store_dir).expect("create store");
    let mut file = std::io::BufWriter::new(std::fs::File::create(nquads).expect("create nq"));
    let mut batch = String::new();
    let mut in_batch = 0;
    for i in 0..n {
        let doc = i / PER_DOC;
        let graph = format!("https://w3id.org/migraph/id/doc/bench-{doc:05}.txt");
        // A mix like the real graphs: IRIs, a typed number, a plain and a language string.
        let subject = format!("https://w3id.org/migraph/id/statement/{i:08x}");
        let (predicate, object) = match i % 4 {
            0 => (
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#type".to_owned(),
                "<https://w3id.org/migraph/ontology#Statement>".to_owned(),
            ),
            1 => (
                "https://w3id.org/migraph/ontology#amount".to_owned(),
                format!("\"{}\"^^<http://www.w3.org/2001/XMLSchema#decimal>", i * 1000),
            ),
            2 => (
                "https://w3id.org/migraph/ontology#quote".to_owned(),
                format!("\"The council agreed on package {i} for border management.\""),
            ),
            _ => (
                "http://www.w3.org/2000/01/rdf-schema#label".to_owned(),
                format!("\"statement {i}\"@en"),
            ),
        };
        writeln!(file, "<{subject}> <{predicate}> {object} <{graph}> .").expect("write nq");
        batch.push_str(&format!("GRAPH <{graph}> {{ <{subject}> <{predicate}> {object} }}\n"));
        in_batch += 1;
        if in_batch == INSERT_BATCH || i + 1 == n {
            store.update(&format!("INSERT DATA {{ {batch} }}")).expect("insert");
            batch.clear();
            in_batch = 0;
        }
    }
    file.flush().expect("flush nq");
    store.flush().expect("flush store");
    n
}

/// Runs a command under GNU `time`; returns wall time, peak RSS (kB), stdout, stderr.
fn timed(command: &mut Command) -> (Duration, u64, String, String) {
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .envs(std::env::vars_os())
        .arg("-f")
        .arg("PEAK_KB %M")
        .arg(program)
        .args(args)
        .output()
        .expect("run under /usr/bin/time");
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "command failed: {stderr}");
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("PEAK_KB "))
        .and_then(|v| v.trim().parse().ok())
        .expect("GNU time's peak RSS");
    (elapsed, peak, String::from_utf8_lossy(&out.stdout).into_owned(), stderr.into_owned())
}

/// The number of triples in the named graphs of the server on `port`.
fn server_triples(port: u16) -> u64 {
    let query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    let mut response = ureq::get(format!("http://127.0.0.1:{port}/query"))
        .query("query", query)
        .header("Accept", "text/tab-separated-values")
        .call()
        .expect("count query");
    let tsv = response.body_mut().read_to_string().expect("count result");
    // The header line `?n`, then the count, written as a bare integer or as a typed
    // literal.
    let count = tsv.lines().nth(1).unwrap_or_default();
    let digits: String = count
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap_or_else(|_| panic!("count query said {tsv:?}"))
}

fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0)
}

fn find_oxigraph() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut candidates = vec![root.join(".venv/bin/oxigraph")];
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|d| d.join("oxigraph")));
    }
    candidates.into_iter().find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port()
}

/// Waits (at most 30 s) for the server's port to accept connections.
fn wait_port(port: u16) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("oxigraph serve did not open port {port} within 30 s");
}
