//! Extraction throughput (ingest and extraction of each document): MB/s on one
//! core and on all cores, and peak memory, with documents made, extracted and
//! dropped one at a time.
//!
//! Run: `cargo bench -p migraph-core --bench extract -- [MEGABYTES] [FILE...]`
//! (default 100 MB). With no files the corpus is generated from team-written
//! sentence templates filled with gazetteer names by a fixed-seed generator,
//! so every run reads the same text. With files (say the real bulletins in
//! `../shared/dev/docs`), those are read once and extracted over and over, in
//! turn, until MEGABYTES have gone through: the rate on real prose.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The allocator of the `migraph` binary, so that the numbers are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use migraph_core::extract::{Resources, extract};
use migraph_core::ingest::{IngestConfig, InputKind, parse_document};

const SUBJECTS: &[&str] = &[
    "The European Union",
    "The Commission",
    "Frontex",
    "Italy",
    "Spain",
    "Germany",
    "The Council",
    "Greece",
    "The IOM",
    "UNHCR",
    "Malta",
    "The EU",
];
const OBJECTS: &[&str] = &[
    "Egypt",
    "Tunisia",
    "Libya",
    "Morocco",
    "Mauritania",
    "Niger",
    "Senegal",
    "Turkey",
    "Pakistan",
    "Nigeria",
    "The Gambia",
    "Mali",
    "Albania",
    "Lebanon",
    "Jordan",
    "Bangladesh",
];
const TEMPLATES: &[&str] = &[
    "{S} pledged €{N}m to {O} for border management in May 2025.",
    "{S} deployed a liaison officer to {O} in {M} 2024, officials said.",
    "{S} and {O} agreed to step up cooperation on returns on {D} {M}.",
    "Talks between {S} and {O} on a readmission agreement resumed in late 2023.",
    "{S} trained coast guard crews from {O} under a programme running until 2027.",
    "Critics say the deal gives {O} little say over how the money is spent.",
    "{S} proposed visa restrictions on {O} after deportation numbers fell.",
    "A delegation from {O} met {S} in Brussels on {D} {M} to discuss mobility.",
    "Hundreds of people were returned from {S} to {O} since October 2023.",
    "The report notes that arrivals along the route fell by a third last year.",
];
const MONTHS: &[&str] = &["January", "March", "May", "June", "September", "November"];

/// A small linear congruential generator: deterministic, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

fn document(seed: u64) -> String {
    use std::fmt::Write as _;
    let mut rng = Lcg(seed);
    let mut text = String::with_capacity(8 << 10);
    let _ = write!(text, "Migration bulletin {seed}\nPublished 3 June 2025\n\n");
    for story in 0..6 {
        let _ = writeln!(text, "Story {story} on external migration policy");
        for _ in 0..12 {
            let template = TEMPLATES[rng.next(TEMPLATES.len())];
            // The slot values are drawn in a fixed order (S, O, N, D, M) whether
            // or not the template uses them, so every run reads the same text.
            let subject = SUBJECTS[rng.next(SUBJECTS.len())];
            let object = OBJECTS[rng.next(OBJECTS.len())];
            let number = rng.next(900) + 5;
            let day = rng.next(27) + 1;
            let month = MONTHS[rng.next(MONTHS.len())];
            // Fill the slots straight into the document: the benchmark should
            // time extraction, not string replacement.
            let mut rest = template;
            while let Some(at) = rest.find('{') {
                text.push_str(&rest[..at]);
                let slot = rest.get(at..at + 3).unwrap_or("");
                match slot {
                    "{S}" => text.push_str(subject),
                    "{O}" => text.push_str(object),
                    "{N}" => {
                        let _ = write!(text, "{number}");
                    }
                    "{D}" => {
                        let _ = write!(text, "{day}");
                    }
                    "{M}" => text.push_str(month),
                    _ => text.push_str(slot),
                }
                rest = rest.get(at + slot.len().max(1)..).unwrap_or("");
            }
            text.push_str(rest);
            text.push(' ');
        }
        text.push_str("\n\n");
    }
    text
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Where the benchmark's documents come from.
enum Corpus {
    /// Made by [`document`] from its seed.
    Generated,
    /// These files' bytes and kinds, in turn.
    Files(Vec<(Vec<u8>, InputKind)>),
}

impl Corpus {
    /// Document number `i`: its bytes and kind.
    fn document(&self, i: u64) -> (std::borrow::Cow<'_, [u8]>, InputKind) {
        match self {
            Corpus::Generated => (document(i).into_bytes().into(), InputKind::Text),
            Corpus::Files(files) => {
                let (bytes, kind) = &files[(i % files.len() as u64) as usize];
                (bytes.as_slice().into(), *kind)
            }
        }
    }
}

/// What one run measured: bytes read, relations found, wall seconds, and
/// the seconds spent in ingest + extract and in `extract` alone (each summed
/// over threads; making the generated documents is not counted in either).
struct Measured {
    bytes: usize,
    relations: usize,
    secs: f64,
    extract_secs: f64,
    pipeline_secs: f64,
}

fn run(resources: &Resources, corpus: &Corpus, target_bytes: usize, threads: usize) -> Measured {
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let relations = AtomicUsize::new(0);
    let extract_nanos = AtomicUsize::new(0);
    let pipeline_nanos = AtomicUsize::new(0);
    let config = IngestConfig { date: None };
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while bytes.load(Ordering::Relaxed) < target_bytes {
                    let seed = next.fetch_add(1, Ordering::Relaxed) as u64;
                    // Making the document is the corpus generator's work, not
                    // the pipeline's: the clock starts once it exists.
                    let (text, kind) = corpus.document(seed);
                    let t0 = Instant::now();
                    let (doc, _) = parse_document("bench", "bench", &text, kind, &config);
                    let t1 = Instant::now();
                    let found = doc.map(|doc| extract(&doc, resources));
                    let found_relations = found.as_ref().map_or(0, |f| f.relations.len());
                    // Freeing the results is part of the work per document.
                    drop(found);
                    let t2 = Instant::now();
                    pipeline_nanos.fetch_add((t2 - t0).as_nanos() as usize, Ordering::Relaxed);
                    extract_nanos.fetch_add((t2 - t1).as_nanos() as usize, Ordering::Relaxed);
                    relations.fetch_add(found_relations, Ordering::Relaxed);
                    bytes.fetch_add(text.len(), Ordering::Relaxed);
                }
            });
        }
    });
    Measured {
        bytes: bytes.into_inner(),
        relations: relations.into_inner(),
        secs: start.elapsed().as_secs_f64(),
        extract_secs: extract_nanos.into_inner() as f64 / 1e9,
        pipeline_secs: pipeline_nanos.into_inner() as f64 / 1e9,
    }
}

#[expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let megabytes: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(100);
    let mut files = Vec::new();
    for a in args.iter().filter(|a| a.parse::<usize>().is_err()) {
        let path = Path::new(a);
        let Some(kind) = InputKind::from_path(path) else {
            println!("extract: skipping {a}: not a .txt, .md or .html file");
            continue;
        };
        match std::fs::read(path) {
            Ok(bytes) => files.push((bytes, kind)),
            Err(e) => println!("extract: skipping {a}: {e}"),
        }
    }
    let corpus = if files.is_empty() {
        println!("extract: generated corpus");
        Corpus::Generated
    } else {
        let size: usize = files.iter().map(|f| f.0.len()).sum();
        println!("extract: {} file(s), {:.1} KB, read in turn", files.len(), size as f64 / 1024.0);
        Corpus::Files(files)
    };
    let (resources, _) = Resources::builtin();
    let target = megabytes << 20;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        let m = run(&resources, &corpus, target, threads);
        let mb = m.bytes as f64 / (1 << 20) as f64;
        if threads == 1 {
            println!(
                "extract: 1 thread: {mb:.1} MB in {:.2} s = {:.1} MB/s (ingest + extract), {} relations",
                m.pipeline_secs,
                mb / m.pipeline_secs,
                m.relations
            );
            println!(
                "extract: of which extract() alone: {:.2} s = {:.1} MB/s",
                m.extract_secs,
                mb / m.extract_secs
            );
            println!(
                "extract: wall clock with the corpus generator: {:.2} s = {:.1} MB/s",
                m.secs,
                mb / m.secs
            );
        } else {
            println!(
                "extract: {threads} threads: {mb:.1} MB in {:.2} s wall clock = {:.1} MB/s (generator + ingest + extract), {} relations",
                m.secs,
                mb / m.secs,
                m.relations
            );
        }
    }
    if let Some(kib) = peak_rss_kib() {
        println!("extract: peak memory {:.1} MiB", kib as f64 / 1024.0);
    }
}
