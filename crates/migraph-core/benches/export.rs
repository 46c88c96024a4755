//! Export benchmark: end-to-end GEXF export of a generated knowledge graph (projection,
//! metrics, writing) with time and peak memory, against networkx's `write_gexf` on a
//! graph of the same size in the same run (issue #5).
//!
//! A plain `main` (harness = false) rather than divan or criterion: the quantity of
//! interest is one large export's time and memory, and it keeps the dependency tree
//! unchanged. Run with
//!
//! ```text
//! cargo bench -p migraph-core --bench export -- [N_ENTITIES] [N_STATEMENTS]
//!     [--runs R] [--all-formats] [--no-networkx] [--python PATH]
//! ```
//!
//! (defaults 10 000 entities, 50 000 statements, one run). It prints:
//!
//! * the end-to-end time of `project` (filtering, aggregation and every node metric)
//!   plus `write_gexf`, the best of `R` runs, and the MB of GEXF written (into a sink
//!   that counts bytes, so disk speed does not enter);
//! * the time of each metric, recomputed on its own on the projected graph, which
//!   splits the `project` time into metrics and the rest;
//! * migraph's peak memory: the process's peak resident set (`VmHWM`), measured from
//!   just before the export (the peak is reset through `/proc/self/clear_refs`), next
//!   to the resident set of the generated graph itself;
//! * the size of the store's text form as a yardstick for memory: the bytes of the
//!   N-Quads that migraph's store writes for this graph (entities, direct triples,
//!   `rdf:Statement` nodes with their evidence, catalogue entries), counted here from
//!   the same vocabulary;
//! * networkx's `write_gexf` time and the peak memory of its process, from
//!   `tests/py/bench_networkx_gexf.py` run as a child process on a graph of the same
//!   size and shape (its own generator, same degree skew), unless `--no-networkx`.
//!
//! The graph is generated from a fixed seed, so runs are comparable; wall-clock
//! numbers on a shared machine are still noisy.

#![expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]
#![expect(clippy::unwrap_used, reason = "a benchmark has no caller to report errors to")]

use std::hint::black_box;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use migraph_core::export::metrics::{self, Link};
use migraph_core::export::{
    Projection, ViewOptions, project, write_dot, write_edges_csv, write_gexf, write_graphml,
    write_nodes_csv,
};
use migraph_core::model::vocab::{self, CATALOGUE_GRAPH, dcterms, mg, prov, rdf, rdfs, skos, xsd};
use migraph_core::model::{
    Entity, EntityKind, Evidence, IsoDate, KnowledgeGraph, Money, Relation, RelationKind, When,
};

/// A small deterministic generator (64-bit LCG, Knuth's constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A graph of `n_entities` entities and `n_statements` statements with a skewed
/// degree distribution (a few hubs, like the EU and Frontex in real bulletins).
fn generate(n_entities: usize, n_statements: usize) -> KnowledgeGraph {
    let mut rng = Lcg(42);
    let mut g = KnowledgeGraph::new();
    let ids: Vec<_> = (0..n_entities)
        .map(|i| {
            let kind = EntityKind::ALL[i % EntityKind::ALL.len()];
            let e = Entity::new(&format!("Entity {i} Ünit"), kind, "bench");
            let id = e.id.clone();
            g.entities.insert(id.clone(), e);
            id
        })
        .collect();
    for i in 0..n_statements {
        // Squaring a uniform draw skews subjects towards low indices (hubs).
        let a = rng.below(n_entities);
        let s = a * a / n_entities.max(1);
        let o = rng.below(n_entities);
        let kind = RelationKind::ALL[rng.below(RelationKind::ALL.len())];
        let year = 2015 + rng.below(11) as i32;
        let when = match rng.below(4) {
            0 => None,
            1 => Some(When::At { date: IsoDate::year(year) }),
            2 => Some(When::Since { date: IsoDate::month(year, 1 + rng.below(12) as u8) }),
            _ => Some(When::Between { start: IsoDate::year(year), end: IsoDate::year(year + 2) }),
        };
        let money = (kind == RelationKind::Funds)
            .then(|| Money { amount: 1_000_000 * rng.next(), currency: "EUR".into() });
        let quote = format!("statement {i} says entity {s} & entity {o} <{kind}>");
        g.relations.push(Relation {
            subject: ids[s].clone(),
            kind,
            object: ids[o].clone(),
            money,
            when,
            evidence: Evidence {
                doc: format!("doc-{}.txt", i / 50),
                article: None,
                sentence: quote.clone(),
                sentence_start: i * 100,
                sentence_end: i * 100 + quote.len(),
                quote_start: i * 100,
                quote_end: i * 100 + quote.len(),
                quote,
                rule: format!("{kind}.bench"),
            },
        });
    }
    g.sort();
    g
}

/// Best wall-clock time of `runs` runs, and the result of the last one.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let value = black_box(f());
        best = best.min(start.elapsed());
        out = Some(value);
    }
    (best, out.unwrap())
}

/// A sink that only counts the bytes written to it.
#[derive(Default)]
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A `kB` field of `/proc/self/status` (`VmRSS`, `VmHWM`) in bytes; 0 off Linux.
fn proc_status_bytes(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// CPU time of the calling thread so far (`/proc/thread-self/schedstat`, first
/// field, in nanoseconds); zero off Linux. The export is single-threaded, so this is
/// its CPU time, which other processes on a shared machine do not inflate.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// Resets the peak resident set to the current one (Linux 4.0+); false if refused.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Bytes of the N-Quads line `<s> <p> <o> <g> .` or with a literal object.
struct NQuads {
    bytes: usize,
    quads: usize,
}

impl NQuads {
    /// A quad whose object is an IRI.
    fn iri(&mut self, s: &str, p: &str, o: &str, g: &str) {
        self.line(s, p, o.len() + 2, g);
    }

    /// A quad whose object is a string literal (escaped as N-Quads requires).
    fn string(&mut self, s: &str, p: &str, value: &str, g: &str) {
        let escapes = value.bytes().filter(|b| matches!(b, b'"' | b'\\' | b'\n' | b'\r')).count();
        self.line(s, p, value.len() + escapes + 2, g);
    }

    /// A quad whose object is a typed literal.
    fn typed(&mut self, s: &str, p: &str, value: &str, datatype: &str, g: &str) {
        self.line(s, p, value.len() + 2 + 2 + datatype.len() + 2, g);
    }

    fn line(&mut self, s: &str, p: &str, object_len: usize, g: &str) {
        // `<s> <p> object <g> .\n`
        self.bytes += s.len() + 2 + 1 + p.len() + 2 + 1 + object_len + 1 + g.len() + 2 + 3;
        self.quads += 1;
    }
}

/// Counts the N-Quads of the store's form of `g`, quad for quad as migraph's store
/// writes a document (its entities and relations in the document's graph, and its
/// catalogue entry); each entity is written once per document that mentions it.
fn store_nquads(g: &KnowledgeGraph) -> NQuads {
    let mut out = NQuads { bytes: 0, quads: 0 };
    let mut by_doc: std::collections::BTreeMap<&str, Vec<&Relation>> = Default::default();
    for r in &g.relations {
        by_doc.entry(&r.evidence.doc).or_default().push(r);
    }
    for (doc, relations) in by_doc {
        let graph = vocab::document_iri(doc);
        let mut entities: Vec<_> = relations.iter().flat_map(|r| [&r.subject, &r.object]).collect();
        entities.sort();
        entities.dedup();
        for id in entities {
            let Some(e) = g.entities.get(id) else { continue };
            let node = vocab::entity_iri(id);
            out.iri(&node, rdf::TYPE, vocab::entity_kind_iri(e.kind), &graph);
            out.iri(&node, rdf::TYPE, mg::ENTITY, &graph);
            out.string(&node, rdfs::LABEL, &e.name, &graph);
            out.string(&node, skos::PREF_LABEL, &e.name, &graph);
            for alias in &e.aliases {
                out.string(&node, skos::ALT_LABEL, alias, &graph);
            }
            out.string(&node, mg::ORIGIN, &e.origin, &graph);
        }
        for r in relations {
            let (s, o) = (vocab::entity_iri(&r.subject), vocab::entity_iri(&r.object));
            let predicate = vocab::relation_iri(r.kind);
            let st = vocab::statement_iri(r);
            out.iri(&s, predicate, &o, &graph);
            out.iri(&st, rdf::TYPE, rdf::STATEMENT, &graph);
            out.iri(&st, rdf::TYPE, mg::STATEMENT, &graph);
            out.iri(&st, rdf::SUBJECT, &s, &graph);
            out.iri(&st, rdf::PREDICATE, predicate, &graph);
            out.iri(&st, rdf::OBJECT, &o, &graph);
            if let Some(money) = &r.money {
                out.typed(&st, mg::AMOUNT, &money.amount.to_string(), xsd::DECIMAL, &graph);
                out.string(&st, mg::CURRENCY, &money.currency, &graph);
            }
            if let Some(when) = &r.when {
                out.string(&st, mg::DATE_ROLE, when.role(), &graph);
                let mut date = |p: &str, d: &IsoDate| {
                    out.typed(&st, p, &d.to_string(), vocab::date_datatype(d), &graph);
                };
                match when {
                    When::At { date: d } | When::Since { date: d } | When::Until { date: d } => {
                        date(mg::DATE, d);
                    }
                    When::Between { start, end } => {
                        date(mg::START_DATE, start);
                        date(mg::END_DATE, end);
                    }
                }
            }
            let ev = &r.evidence;
            out.string(&st, mg::EVIDENCE, &ev.quote, &graph);
            out.string(&st, mg::SENTENCE, &ev.sentence, &graph);
            for (p, n) in [
                (mg::SENTENCE_START, ev.sentence_start),
                (mg::SENTENCE_END, ev.sentence_end),
                (mg::QUOTE_START, ev.quote_start),
                (mg::QUOTE_END, ev.quote_end),
            ] {
                out.typed(&st, p, &n.to_string(), xsd::INTEGER, &graph);
            }
            out.string(&st, mg::RULE, &ev.rule, &graph);
            out.iri(&st, prov::WAS_DERIVED_FROM, &graph, &graph);
        }
        // The catalogue entry: types, id, source, hash, counts.
        let c = CATALOGUE_GRAPH;
        out.iri(&graph, rdf::TYPE, mg::DOCUMENT, c);
        out.iri(&graph, rdf::TYPE, prov::ENTITY, c);
        out.string(&graph, mg::DOCUMENT_ID, doc, c);
        out.string(&graph, dcterms::SOURCE, doc, c);
        out.string(&graph, mg::CONTENT_HASH, &"0".repeat(64), c);
        out.typed(&graph, mg::ARTICLES, "1", xsd::INTEGER, c);
        out.typed(&graph, mg::SENTENCES, "50", xsd::INTEGER, c);
    }
    out
}

/// Times each node metric on the projected graph on its own.
fn metric_times(p: &Projection) -> Vec<(&'static str, Duration)> {
    let g = &p.graph;
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    let link = |e: &migraph_core::export::EdgeData| Link {
        weight: e.weight as f64,
        symmetric: !e.directed(),
    };
    vec![
        ("degree", time(&|| drop(black_box(metrics::degree(g))))),
        ("weighted degree", time(&|| drop(black_box(metrics::weighted_degree(g, |e| e.weight))))),
        ("pagerank", time(&|| drop(black_box(metrics::pagerank(g, 0.85, link))))),
        ("components", time(&|| drop(black_box(metrics::connected_components(g))))),
        ("louvain", time(&|| drop(black_box(metrics::louvain(g, |e| e.weight as f64))))),
    ]
}

/// Throughput of every writer on one projection (the old report, `--all-formats`).
fn all_formats(p: &Projection, runs: usize) {
    type Writer = fn(&Projection, &mut Counter);
    let writers: [(&str, Writer); 5] = [
        ("gexf", |p, w| write_gexf(p, w).unwrap()),
        ("graphml", |p, w| write_graphml(p, w).unwrap()),
        ("nodes.csv", |p, w| write_nodes_csv(p, w).unwrap()),
        ("edges.csv", |p, w| write_edges_csv(p, w).unwrap()),
        ("dot", |p, w| write_dot(p, w).unwrap()),
    ];
    for (name, write) in writers {
        let (t, bytes) = best_of(runs, || {
            let mut out = Counter::default();
            write(p, &mut out);
            out.0
        });
        let mb = bytes as f64 / 1e6;
        println!(
            "  {name:>9}: {mb:8.2} MB in {:7.1} ms = {:6.1} MB/s",
            t.as_secs_f64() * 1e3,
            mb / t.as_secs_f64()
        );
    }
}

/// What the networkx reference printed, parsed.
struct Reference {
    seconds: f64,
    cpu_seconds: f64,
    peak_bytes: usize,
}

/// Runs the networkx reference script and parses its `RESULT` line.
fn networkx(
    python: &Path,
    script: &Path,
    n_entities: usize,
    n_statements: usize,
) -> Option<Reference> {
    let output = Command::new(python)
        .arg(script)
        .args([n_entities.to_string(), n_statements.to_string(), "--runs".into(), "1".into()])
        .output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            println!("networkx: reference failed: {}", String::from_utf8_lossy(&output.stderr));
            return None;
        }
        Err(e) => {
            println!("networkx: cannot run {}: {e}", python.display());
            return None;
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines() {
        println!("  | {line}");
    }
    let result = stdout.lines().find_map(|l| l.strip_prefix("RESULT "))?;
    let field = |name: &str| {
        result.split_whitespace().find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
    };
    Some(Reference {
        seconds: field("write_seconds")?.parse().ok()?,
        cpu_seconds: field("write_cpu_seconds")?.parse().ok()?,
        peak_bytes: field("peak_rss_bytes")?.parse().ok()?,
    })
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let value =
        |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let runs = value("--runs").and_then(|r| r.parse().ok()).unwrap_or(1);
    // `cargo bench` passes `--bench`; numeric arguments that are not a flag's value
    // are the sizes.
    let sizes: Vec<usize> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || args[i - 1] != "--runs")
        .filter_map(|(_, a)| a.parse().ok())
        .collect();
    let n_entities = sizes.first().copied().unwrap_or(10_000);
    let n_statements = sizes.get(1).copied().unwrap_or(50_000);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");

    let start = Instant::now();
    let g = generate(n_entities, n_statements);
    let rss_graph = proc_status_bytes("VmRSS");
    println!(
        "generated {n_entities} entities, {n_statements} statements in {:.1} s; \
         resident set with the graph loaded: {:.0} MB",
        start.elapsed().as_secs_f64(),
        mb(rss_graph)
    );

    // End to end, as `migraph export --format gexf` does after loading the graph.
    let peak_reset = reset_peak_rss();
    let view = ViewOptions::all();
    let mut t_project = Duration::MAX;
    let mut t_gexf = Duration::MAX;
    let mut cpu = Duration::MAX;
    let (t_total, (p, bytes)) = best_of(runs, || {
        let (start, cpu_start) = (Instant::now(), thread_cpu());
        let p = project(&g, &view).unwrap();
        t_project = t_project.min(start.elapsed());
        let start = Instant::now();
        let mut out = Counter::default();
        write_gexf(&p, &mut out).unwrap();
        t_gexf = t_gexf.min(start.elapsed());
        cpu = cpu.min(thread_cpu().saturating_sub(cpu_start));
        (p, out.0)
    });
    let peak = proc_status_bytes("VmHWM");
    println!(
        "migraph: project {} nodes, {} edges: {:.2} s; write_gexf {:.1} MB: {:.2} s ({:.0} MB/s)",
        p.node_count(),
        p.edge_count(),
        t_project.as_secs_f64(),
        mb(bytes),
        t_gexf.as_secs_f64(),
        mb(bytes) / t_gexf.as_secs_f64()
    );
    let metric_times = metric_times(&p);
    let t_metrics: Duration = metric_times.iter().map(|(_, t)| *t).sum();
    let shown: Vec<String> =
        metric_times.iter().map(|(name, t)| format!("{name} {:.2} s", t.as_secs_f64())).collect();
    println!(
        "  of project: metrics {:.2} s ({}), filtering, aggregation and graph {:.2} s",
        t_metrics.as_secs_f64(),
        shown.join(", "),
        t_project.saturating_sub(t_metrics).as_secs_f64()
    );
    println!(
        "migraph end to end (project + metrics + GEXF): {:.2} s wall, {:.2} s CPU",
        t_total.as_secs_f64(),
        cpu.as_secs_f64()
    );
    let store = store_nquads(&g);
    println!(
        "migraph peak resident set: {:.0} MB{} = graph loaded {:.0} MB + export {:.0} MB",
        mb(peak),
        if peak_reset { "" } else { " (peak not reset: includes generation)" },
        mb(rss_graph),
        mb(peak.saturating_sub(rss_graph)),
    );
    println!(
        "store size yardstick: N-Quads of the store's {} quads = {:.0} MB; export's own \
         memory is {:.2}x that, whole process {:.2}x",
        store.quads,
        mb(store.bytes),
        peak.saturating_sub(rss_graph) as f64 / store.bytes as f64,
        peak as f64 / store.bytes as f64,
    );
    if flag("--all-formats") {
        println!("writers on the same projection (best of {runs}):");
        all_formats(&p, runs);
    }
    drop(p);

    if flag("--no-networkx") {
        return;
    }
    let python = value("--python").map(PathBuf::from).unwrap_or_else(|| {
        let venv = root.join(".venv/bin/python");
        if venv.exists() { venv } else { PathBuf::from("python3") }
    });
    let script = root.join("tests/py/bench_networkx_gexf.py");
    println!("networkx reference ({}):", python.display());
    if let Some(reference) = networkx(&python, &script, n_entities, n_statements) {
        println!(
            "networkx write_gexf alone: {:.2} s wall, {:.2} s CPU, peak {:.0} MB",
            reference.seconds,
            reference.cpu_seconds,
            mb(reference.peak_bytes),
        );
        println!(
            "migraph end to end vs networkx write_gexf: {:.1}x faster (wall), {:.1}x (CPU); \
             peak memory {:.2}x networkx's",
            reference.seconds / t_total.as_secs_f64(),
            reference.cpu_seconds / cpu.as_secs_f64(),
            peak as f64 / reference.peak_bytes as f64,
        );
    }
}
