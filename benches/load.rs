//! Load benchmark: how fast documents go into an on-disk store through
//! `GraphStore::replace_document` (one transaction per document, the path
//! `migraph build` takes today) and through `GraphStore::replace_documents`
//! (batches of documents; new ones go through the bulk loader), against
//! Oxigraph's own bulk loader reading the same data as N-Quads (the reference).
//!
//! Run with `cargo bench --bench load [-- DOCS]`. It generates `DOCS` documents
//! (default 900, about 1.05 million quads) from the model types, prints quads per
//! second and the peak resident memory of each phase (`VmHWM` from
//! `/proc/self/status`, reset between phases through `/proc/self/clear_refs`), and
//! checks that every path ends with the same number of quads. It asserts no
//! timing: numbers depend on the machine and are for reading, not for CI.

#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]
#![allow(clippy::unwrap_used, reason = "a benchmark fails loudly on any error")]

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use migraph::model::{
    DocumentMeta, Entity, EntityKind, Evidence, IsoDate, Money, Relation, RelationKind, When,
};
use migraph::store::{GraphStore, RdfDumpFormat};
use oxigraph::io::RdfFormat;
use oxigraph::store::Store;

/// One generated document.
type Doc = (DocumentMeta, Vec<Entity>, Vec<Relation>);

/// Relations per document.
const RELATIONS: usize = 40;
/// Distinct entities in the whole corpus.
const ENTITIES: usize = 3000;
/// Documents per `replace_documents` call.
const BATCH: usize = 64;

/// A small deterministic generator (64-bit LCG), so runs are comparable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn entity(i: usize) -> Entity {
    let kind = EntityKind::ALL[i % EntityKind::ALL.len()];
    let mut e = Entity::new(&format!("Generated Entity {i}"), kind, "gazetteer:bench.tsv");
    if kind == EntityKind::Country {
        e.iso2 = Some(format!(
            "{}{}",
            char::from(b'A' + (i % 26) as u8),
            char::from(b'A' + (i / 26 % 26) as u8)
        ));
        e.iso3 = Some(format!(
            "X{}{}",
            char::from(b'A' + (i % 26) as u8),
            char::from(b'A' + (i / 26 % 26) as u8)
        ));
    }
    if i.is_multiple_of(3) {
        e.wikidata = Some(format!("Q{}", 100_000 + i));
    }
    if i.is_multiple_of(4) {
        e.aliases = vec![format!("GE{i}")];
    }
    e
}

fn generate(n_docs: usize) -> Vec<Doc> {
    let pool: Vec<Entity> = (0..ENTITIES).map(entity).collect();
    let mut rng = Lcg(42);
    (0..n_docs)
        .map(|d| {
            let id = format!("bench-{d:05}.txt");
            let meta = DocumentMeta {
                id: id.clone(),
                source: format!("corpus/{id}"),
                title: Some(format!("Generated bulletin number {d}")),
                date: Some(IsoDate::month(2020 + (d % 6) as i32, 1 + (d % 12) as u8)),
                content_hash: format!("{:064x}", d + 1),
                n_articles: 6,
                n_sentences: RELATIONS * 2,
            };
            let mut used = std::collections::BTreeMap::new();
            let mut relations = Vec::with_capacity(RELATIONS);
            for r in 0..RELATIONS {
                let s = &pool[rng.next(ENTITIES)];
                let o = &pool[rng.next(ENTITIES)];
                let kind = RelationKind::ALL[rng.next(RelationKind::ALL.len())];
                let start = r * 200;
                let sentence = format!(
                    "In item {r} of bulletin {d}, {} is reported to relate to {} through {kind} with more words.",
                    s.name, o.name
                );
                let quote = format!("{} relate to {}", s.name, o.name);
                relations.push(Relation {
                    subject: s.id.clone(),
                    kind,
                    object: o.id.clone(),
                    money: (kind == RelationKind::Funds).then(|| Money::eur(1_000_000 * (r as u64 + 1))),
                    when: match r % 3 {
                        0 => Some(When::At { date: IsoDate::year(2020 + (r % 6) as i32) }),
                        1 => Some(When::Between {
                            start: IsoDate::year(2021),
                            end: IsoDate::month(2024, 1 + (r % 12) as u8),
                        }),
                        _ => None,
                    },
                    evidence: Evidence {
                        doc: id.clone(),
                        article: Some(format!("Article {}", r / 7)),
                        sentence_start: start,
                        sentence_end: start + sentence.len(),
                        quote_start: start + 20,
                        quote_end: start + 20 + quote.len(),
                        sentence,
                        quote,
                        rule: format!("{kind}.bench"),
                    },
                });
                used.insert(s.id.clone(), s.clone());
                used.insert(o.id.clone(), o.clone());
            }
            (meta, used.into_values().collect(), relations)
        })
        .collect()
}

/// Peak resident set size since the last reset, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// Resets the peak resident set size to the current one (Linux ≥ 4.0).
fn reset_peak() {
    if let Err(e) = std::fs::write("/proc/self/clear_refs", "5") {
        println!("(cannot reset VmHWM: {e}; peaks below are cumulative)");
    }
}

/// One measured load.
struct Phase {
    label: String,
    elapsed: Duration,
    peak_mib: f64,
}

impl Phase {
    fn print(&self, quads: u64, reference: Option<&Phase>) {
        let rate = |p: &Phase| quads as f64 / p.elapsed.as_secs_f64();
        let ratio = reference
            .map(|r| format!(", {:.2}x the bulk loader", rate(self) / rate(r)))
            .unwrap_or_default();
        println!(
            "{:<34} {quads:>9} quads in {:>6.2} s = {:>9.0} quads/s, peak RSS {:>7.1} MiB{ratio}",
            self.label,
            self.elapsed.as_secs_f64(),
            rate(self),
            self.peak_mib
        );
    }
}

fn quads_of(path: &Path) -> u64 {
    GraphStore::open_read_only(path).unwrap().stats().unwrap().quads
}

fn main() {
    // `cargo bench` passes `--bench`; the first number on the command line is DOCS.
    let n_docs = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(900);
    let dir = tempfile::tempdir().unwrap();
    let docs = generate(n_docs);
    println!("{n_docs} documents of {RELATIONS} relations over {ENTITIES} entities");

    // Our path: one transaction per document.
    reset_peak();
    let ours = dir.path().join("ours");
    let started = Instant::now();
    {
        let store = GraphStore::open(&ours).unwrap();
        for (meta, entities, relations) in &docs {
            store.replace_document(meta, entities, relations).unwrap();
        }
        store.flush().unwrap();
    }
    let one_by_one = Phase {
        label: "replace_document (1 doc/tx)".to_owned(),
        elapsed: started.elapsed(),
        peak_mib: peak_mib(),
    };
    let quads = quads_of(&ours);

    // Batches of documents per call.
    reset_peak();
    let batched = dir.path().join("batched");
    let started = Instant::now();
    {
        let store = GraphStore::open(&batched).unwrap();
        for chunk in docs.chunks(BATCH) {
            store
                .replace_documents(chunk.iter().map(|(m, e, r)| (m, e.as_slice(), r.as_slice())))
                .unwrap();
        }
        store.flush().unwrap();
    }
    let batches = Phase {
        label: format!("replace_documents ({BATCH} docs/call)"),
        elapsed: started.elapsed(),
        peak_mib: peak_mib(),
    };
    assert_eq!(quads_of(&batched), quads, "the batch path writes the same quads");

    // The same data as N-Quads, then Oxigraph's bulk loader (the reference).
    let nq = dir.path().join("dump.nq");
    {
        let store = GraphStore::open_read_only(&ours).unwrap();
        let mut out = BufWriter::new(File::create(&nq).unwrap());
        store.dump(RdfDumpFormat::NQuads, None, &mut out).unwrap();
        out.flush().unwrap();
    }
    drop(docs);
    reset_peak();
    let bulk = dir.path().join("bulk");
    let started = Instant::now();
    {
        let store = Store::open(&bulk).unwrap();
        let mut loader = store.bulk_loader();
        loader
            .load_from_reader(RdfFormat::NQuads, BufReader::new(File::open(&nq).unwrap()))
            .unwrap();
        loader.commit().unwrap();
        store.flush().unwrap();
    }
    let bulk_loader = Phase {
        label: "oxigraph bulk loader (N-Quads)".to_owned(),
        elapsed: started.elapsed(),
        peak_mib: peak_mib(),
    };
    assert_eq!(quads_of(&bulk), quads, "the bulk loader loads the same quads");
    bulk_loader.print(quads, None);
    one_by_one.print(quads, Some(&bulk_loader));
    batches.print(quads, Some(&bulk_loader));
}
