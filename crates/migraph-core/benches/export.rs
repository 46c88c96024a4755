//! Export benchmark: times `project` and each writer on a generated knowledge graph.
//!
//! A plain `main` (harness = false) rather than divan or criterion: the quantity of
//! interest is throughput of one large export, which a few timed repetitions measure
//! well, and it keeps the dependency tree unchanged. Run with
//!
//! ```text
//! cargo bench -p migraph-core --bench export -- [N_ENTITIES] [N_STATEMENTS]
//! ```
//!
//! (defaults 10 000 and 50 000). Compare with `python3 tests/py/bench_networkx_gexf.py`
//! on the same sizes. The graph is generated from a fixed seed, so runs are comparable;
//! wall-clock numbers on a shared machine are still noisy, so the best of five runs is
//! reported.

#![expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]
#![expect(clippy::unwrap_used, reason = "a benchmark has no caller to report errors to")]

use std::hint::black_box;
use std::time::{Duration, Instant};

use migraph_core::export::{
    ViewOptions, project, write_dot, write_edges_csv, write_gexf, write_graphml, write_nodes_csv,
};
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

/// Best wall-clock time of five runs, and the result of the last one.
fn best_of<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..5 {
        let start = Instant::now();
        let value = black_box(f());
        best = best.min(start.elapsed());
        out = Some(value);
    }
    (best, out.unwrap())
}

fn main() {
    // `cargo bench` passes `--bench`; only numeric arguments are sizes.
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n_entities = sizes.first().copied().unwrap_or(10_000);
    let n_statements = sizes.get(1).copied().unwrap_or(50_000);
    let g = generate(n_entities, n_statements);
    let view = ViewOptions::all();
    let (t_project, p) = best_of(|| project(&g, &view).unwrap());
    println!(
        "project: {} entities, {} statements -> {} nodes, {} edges in {:.1} ms",
        n_entities,
        n_statements,
        p.node_count(),
        p.edge_count(),
        t_project.as_secs_f64() * 1e3
    );
    type Writer = fn(&migraph_core::export::Projection, &mut Vec<u8>);
    let writers: [(&str, Writer); 5] = [
        ("gexf", |p, w| write_gexf(p, w).unwrap()),
        ("graphml", |p, w| write_graphml(p, w).unwrap()),
        ("nodes.csv", |p, w| write_nodes_csv(p, w).unwrap()),
        ("edges.csv", |p, w| write_edges_csv(p, w).unwrap()),
        ("dot", |p, w| write_dot(p, w).unwrap()),
    ];
    for (name, write) in writers {
        let (t, bytes) = best_of(|| {
            let mut out = Vec::new();
            write(&p, &mut out);
            out.len()
        });
        let mb = bytes as f64 / 1e6;
        println!(
            "{name:>9}: {mb:8.2} MB in {:7.1} ms = {:6.1} MB/s",
            t.as_secs_f64() * 1e3,
            mb / t.as_secs_f64()
        );
    }
    let (t_total, bytes) = best_of(|| {
        let p = project(&g, &view).unwrap();
        let mut out = Vec::new();
        write_gexf(&p, &mut out).unwrap();
        out.len()
    });
    println!(
        "project + gexf: {:.1} ms ({:.1} MB/s of GEXF)",
        t_total.as_secs_f64() * 1e3,
        bytes as f64 / 1e6 / t_total.as_secs_f64()
    );
}
