//! The on-disk store through the public API: write, reopen, read back, dump, check
//! dumps against the SHACL shapes of `ontology/shapes.ttl`, and survive a build
//! killed half way.

use std::path::Path;
use std::process::Command;

use migraph::model::{
    DocumentMeta, Entity, EntityKind, Evidence, IsoDate, KnowledgeGraph, Money, Relation,
    RelationKind, When,
};
use migraph::store::{GraphStore, ONTOLOGY_TTL, RdfDumpFormat, ResultFormat};

use crate::support::{TestEnv, python_with, root, s, seed};

/// Two documents in the team's own words: money, periods, a symmetric relation.
pub(crate) fn sample() -> Vec<(DocumentMeta, Vec<Entity>, Vec<Relation>)> {
    let mut eu = Entity::new("European Union", EntityKind::EUInstitution, "gazetteer:t.tsv");
    eu.wikidata = Some("Q458".to_owned());
    eu.aliases = vec!["EU".to_owned()];
    let mut mauritania = Entity::new("Mauritania", EntityKind::Country, "gazetteer:t.tsv");
    mauritania.iso2 = Some("MR".to_owned());
    mauritania.iso3 = Some("MRT".to_owned());
    let spain = Entity::new("Spain", EntityKind::Country, "gazetteer:t.tsv");
    let frontex = Entity::new("Frontex", EntityKind::EUAgency, "gazetteer:t.tsv");
    let relation = |doc: &str, s: &Entity, kind, o: &Entity, at: usize, money, when| {
        let quote = format!("{} and {} ({kind})", s.name, o.name);
        Relation {
            subject: s.id.clone(),
            kind,
            object: o.id.clone(),
            money,
            when,
            evidence: Evidence {
                doc: doc.to_owned(),
                article: Some("Migration notes".to_owned()),
                sentence: format!("We read that {quote}."),
                sentence_start: at,
                sentence_end: at + quote.len() + 14,
                quote_start: at + 13,
                quote_end: at + 13 + quote.len(),
                quote,
                rule: format!("{kind}.it"),
            },
        }
    };
    let meta = |id: &str, date| DocumentMeta {
        id: id.to_owned(),
        source: format!("bulletins/{id}"),
        title: Some(format!("Notes {id}")),
        date,
        content_hash: format!("{:064x}", id.len()),
        n_articles: 2,
        n_sentences: 12,
    };
    let a = "a.txt";
    let b = "b.html";
    vec![
        (
            meta(a, Some(IsoDate::month(2024, 2))),
            vec![eu.clone(), mauritania.clone(), spain.clone()],
            vec![
                relation(
                    a,
                    &eu,
                    RelationKind::Funds,
                    &mauritania,
                    0,
                    Some(Money::eur(210_000_000)),
                    Some(When::At { date: IsoDate::month(2024, 2) }),
                ),
                relation(a, &mauritania, RelationKind::CooperatesWith, &spain, 80, None, None),
            ],
        ),
        (
            meta(b, None),
            vec![frontex.clone(), mauritania.clone(), eu.clone()],
            vec![
                relation(
                    b,
                    &frontex,
                    RelationKind::DeploysTo,
                    &mauritania,
                    10,
                    None,
                    Some(When::Between { start: IsoDate::year(2024), end: IsoDate::year(2026) }),
                ),
                relation(
                    b,
                    &eu,
                    RelationKind::NegotiatesAgreementWith,
                    &mauritania,
                    90,
                    None,
                    None,
                ),
            ],
        ),
    ]
}

/// Writes the sample into a new on-disk store at `path` and returns the quad count.
pub(crate) fn build_store(path: &Path) -> usize {
    let store = GraphStore::open(path).expect("a new store opens");
    store.load_ontology(ONTOLOGY_TTL).expect("the ontology loads");
    let n = sample()
        .iter()
        .map(|(m, e, r)| store.replace_document(m, e, r).expect("the sample is consistent"))
        .sum();
    store.flush().expect("the store flushes");
    n
}

#[test]
fn store_on_disk_round_trip_survives_reopen_and_reload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    build_store(&path);
    let mut expected = KnowledgeGraph::new();
    for (m, e, r) in sample() {
        expected.insert_document(m, e, r);
    }
    let quads = {
        let store = GraphStore::open(&path).unwrap();
        assert_eq!(store.read_graph().unwrap(), expected);
        let before = store.stats().unwrap();
        // A rebuild of the same documents writes the same quads.
        for (m, e, r) in sample() {
            store.replace_document(&m, &e, &r).unwrap();
        }
        assert_eq!(store.stats().unwrap(), before);
        before.quads
    };
    let store = GraphStore::open_read_only(&path).unwrap();
    assert_eq!(store.stats().unwrap().quads, quads);
    assert_eq!(store.read_graph().unwrap(), expected);
    let mut csv = Vec::new();
    store
        .query(
            "PREFIX mg: <https://w3id.org/migraph/ontology#>
             SELECT ?amount WHERE { ?st mg:amount ?amount }",
            Some(ResultFormat::Csv),
            &mut csv,
        )
        .unwrap();
    assert_eq!(String::from_utf8(csv).unwrap(), "amount\r\n210000000\r\n");
}

#[test]
fn store_dumps_are_identical_across_builds() {
    let dir = tempfile::tempdir().unwrap();
    let dump = |name: &str, format| {
        let path = dir.path().join(name);
        build_store(&path);
        let store = GraphStore::open_read_only(&path).unwrap();
        let mut out = Vec::new();
        store.dump(format, None, &mut out).unwrap();
        out
    };
    for format in RdfDumpFormat::ALL {
        assert_eq!(
            dump(&format!("one-{format}"), *format),
            dump(&format!("two-{format}"), *format)
        );
    }
}

/// Runs pySHACL with `ontology/shapes.ttl` on a Turtle file; returns whether the
/// data conforms and the report.
fn shacl(python: &Path, data: &Path) -> (bool, String) {
    let report = Command::new(python)
        .args(["-m", "pyshacl", "-s"])
        .arg(root().join("ontology/shapes.ttl"))
        .arg(data)
        .output()
        .expect("pyshacl runs");
    (report.status.success(), String::from_utf8_lossy(&report.stdout).into_owned())
}

/// Dumps a store (after refreshing its description) as Turtle into `out`.
fn dump_described(path: &Path, out: &Path) {
    let store = GraphStore::open(path).expect("the built store opens");
    store.refresh_description().expect("the description is computed");
    let mut ttl = Vec::new();
    store.dump(RdfDumpFormat::Turtle, None, &mut ttl).expect("the store dumps");
    std::fs::write(out, ttl).expect("write the dump");
}

#[test]
fn store_built_by_the_binary_conforms_to_shacl_shapes() {
    let Some(python) = python_with(&["pyshacl"]) else { return };
    let env = TestEnv::new();
    let mut inputs = vec![("sample", root().join("examples/corpus"))];
    if let Some(seed) = seed() {
        inputs.push(("seed", seed));
    }
    for (name, input) in inputs {
        let store = env.path(&format!("{name}-store"));
        env.ok(&["ingest", s(&input), "--store", s(&store)]);
        let data = env.path(&format!("{name}.ttl"));
        dump_described(&store, &data);
        let text = std::fs::read_to_string(&data).expect("the dump");
        // The shapes have something to check: statements, money, authority links.
        for needle in ["mg:Statement", "mg:amount", "skos:exactMatch", "void:classPartition"] {
            assert!(text.contains(needle), "{name}: the dump has no {needle}");
        }
        let (conforms, report) = shacl(&python, &data);
        assert!(conforms, "{name}: {report}");
    }
}

#[test]
fn store_shacl_shapes_reject_broken_data() {
    let Some(python) = python_with(&["pyshacl"]) else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    build_store(&path);
    let data = dir.path().join("dump.ttl");
    dump_described(&path, &data);
    let (conforms, report) = shacl(&python, &data);
    assert!(conforms, "{report}");

    // Each update breaks one rule; the report must name what is wrong.
    let mg = "PREFIX mg: <https://w3id.org/migraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>";
    let breakages = [
        ("DELETE WHERE { GRAPH ?g { ?s prov:wasDerivedFrom ?o } }", "wasDerivedFrom"),
        (
            "INSERT { GRAPH ?g { ?e a mg:Person } } WHERE { GRAPH ?g { ?e a mg:Country } }",
            "exactly one entity type",
        ),
        (
            "DELETE { GRAPH ?g { ?e rdfs:label ?l } } WHERE { GRAPH ?g { ?e a mg:EUAgency ; rdfs:label ?l } }",
            "exactly one label",
        ),
        (
            "DELETE { GRAPH ?g { ?st mg:amount ?a } } INSERT { GRAPH ?g { ?st mg:amount \"a lot\" } } WHERE { GRAPH ?g { ?st mg:amount ?a } }",
            "xsd:decimal",
        ),
        ("DELETE WHERE { GRAPH ?g { ?st mg:currency ?c } }", "currency"),
        ("DELETE WHERE { GRAPH ?g { ?e skos:exactMatch ?m } }", "exactMatch"),
    ];
    for (update, expected) in breakages {
        let memory = GraphStore::memory().unwrap();
        for (m, e, r) in sample() {
            memory.replace_document(&m, &e, &r).unwrap();
        }
        memory.update(&format!("{mg} {update}")).unwrap();
        let mut broken = Vec::new();
        memory.dump(RdfDumpFormat::Turtle, None, &mut broken).unwrap();
        let broken_path = dir.path().join("broken.ttl");
        std::fs::write(&broken_path, broken).unwrap();
        let (conforms, report) = shacl(&python, &broken_path);
        assert!(!conforms, "{update} must break conformance");
        assert!(report.contains(expected), "{update}: report lacks {expected:?}:\n{report}");
    }
}

/// Another process holding the store's lock (as a running `migraph serve` or
/// `build` does) makes `open` fail with the "in use" message. A Python one-liner
/// takes the same POSIX record lock on `LOCK` that RocksDB takes.
#[cfg(unix)]
#[test]
fn store_open_reports_a_lock_held_by_another_process() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    drop(GraphStore::open(&path).unwrap());
    let script = "import fcntl, sys\nf = open(sys.argv[1], 'r+')\nfcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\nprint('locked', flush=True)\nsys.stdin.read()\n";
    let Ok(mut child) = Command::new("python3")
        .args(["-c", script])
        .arg(path.join("LOCK"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    else {
        assert!(std::env::var("CI").is_err(), "CI must have python3");
        eprintln!("skipping: python3 is not installed");
        return;
    };
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "locked");
    let err = GraphStore::open(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "store {} is in use by another migraph process; stop it or use --store",
            path.display()
        )
    );
    // Closing its stdin lets the lock holder exit.
    drop(child.stdin.take());
    child.wait().unwrap();
    assert!(GraphStore::open(&path).is_ok());
}

/// Writes `n` generated bulletins into `dir`, each with the same number of funding,
/// deployment, readmission and return sentences (own wording), so that every
/// document yields relations and has a named graph.
fn generate_corpus(dir: &Path, n: usize) {
    const COUNTRIES: &[&str] = &[
        "Tunisia",
        "Egypt",
        "Senegal",
        "Mauritania",
        "Morocco",
        "Libya",
        "Niger",
        "Mali",
        "Pakistan",
        "Nigeria",
        "Jordan",
        "Lebanon",
        "Turkey",
        "Albania",
        "Ghana",
        "Algeria",
    ];
    const ACTORS: &[&str] =
        &["European Union", "Italy", "Germany", "Spain", "Netherlands", "France"];
    std::fs::create_dir_all(dir).expect("create the corpus folder");
    for d in 0..n {
        let mut text = format!("Generated Bulletin {d}\nPublished {} March 2024\n\n", 1 + d % 28);
        for item in 0..24 {
            let country = COUNTRIES[(d + item) % COUNTRIES.len()];
            let other = COUNTRIES[(3 * d + item + 5) % COUNTRIES.len()];
            let actor = ACTORS[(d + item) % ACTORS.len()];
            text.push_str(&format!(
                "Item {item}\n{actor} gave {country} €{} million for border equipment in 2024. \
                 Frontex will deploy two officers to {other} from May. \
                 {actor} signed a readmission agreement with {country} on {} June 2024. \
                 {actor} returned {} people to {other} in April 2024.\n\n",
                d + item + 1,
                1 + item,
                d + item + 2,
            ));
        }
        std::fs::write(dir.join(format!("gen-{d:03}.txt")), text).expect("write a bulletin");
    }
}

/// Statements per document graph, by document id.
fn statements_per_document(store: &GraphStore) -> std::collections::BTreeMap<String, u64> {
    let mut out = Vec::new();
    store
        .query(
            "PREFIX mg: <https://w3id.org/migraph/ontology#>
             SELECT ?id (COUNT(?st) AS ?n) WHERE {
               GRAPH <https://w3id.org/migraph/graph/catalogue> { ?doc mg:documentId ?id }
               OPTIONAL { GRAPH ?doc { ?st a mg:Statement } }
             } GROUP BY ?id",
            Some(ResultFormat::Csv),
            &mut out,
        )
        .expect("the count query runs");
    let mut reader = csv::Reader::from_reader(out.as_slice());
    reader
        .records()
        .map(|r| {
            let r = r.expect("valid csv");
            (r[0].to_owned(), r[1].parse().expect("a count"))
        })
        .collect()
}

/// `migraph ingest` killed with SIGKILL half way leaves a store that opens, answers
/// queries and holds only whole documents; a second ingest finishes the job with
/// exactly the quads of a clean run.
#[cfg(unix)]
#[test]
fn store_survives_an_ingest_killed_half_way() {
    use std::time::{Duration, Instant};

    const DOCS: usize = 200;
    let env = TestEnv::new();
    let corpus = env.path("corpus");
    generate_corpus(&corpus, DOCS);

    // The reference: one uninterrupted ingest.
    let clean = env.path("clean");
    env.ok(&["ingest", "-q", s(&corpus), "--store", s(&clean)]);
    let (clean_quads, clean_counts, clean_dump) = {
        let store = GraphStore::open_read_only(&clean).unwrap();
        let mut dump = Vec::new();
        store.dump(RdfDumpFormat::NQuads, None, &mut dump).unwrap();
        (store.stats().unwrap().quads, statements_per_document(&store), dump)
    };
    assert_eq!(clean_counts.len(), DOCS);
    assert!(clean_counts.values().all(|n| *n > 0), "every generated document yields relations");

    // The crash: kill the writer once some documents are in, polling the store
    // read-only (as `migraph stats` does) without waiting for the end.
    let crashed = env.path("crashed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_migraph"))
        .args(["ingest", "-q", "--jobs", "1", s(&corpus), "--store", s(&crashed)])
        .current_dir(root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        assert!(child.try_wait().unwrap().is_none(), "ingest ended before it could be killed");
        assert!(started.elapsed() < Duration::from_secs(120), "no document loaded in 2 minutes");
        let loaded = GraphStore::open_read_only(&crashed)
            .and_then(|store| store.documents())
            .map_or(0, |docs| docs.len());
        if loaded >= 5 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let store = GraphStore::open(&crashed).expect("the store opens after the crash");
    let counts = statements_per_document(&store);
    assert!(!counts.is_empty() && counts.len() < DOCS, "killed half way: {} docs", counts.len());
    for (doc, n) in &counts {
        assert_eq!(Some(n), clean_counts.get(doc), "{doc} is in the catalogue but not whole");
    }
    // It answers queries.
    let mut csv = Vec::new();
    store
        .query(
            "PREFIX mg: <https://w3id.org/migraph/ontology#> ASK { ?s mg:funds ?o }",
            Some(ResultFormat::Csv),
            &mut csv,
        )
        .unwrap();
    assert_eq!(String::from_utf8(csv).unwrap().trim(), "true");
    drop(store);

    // The second ingest completes it: the same quads as the clean run.
    let out = env.ok(&["ingest", s(&corpus), "--store", s(&crashed)]);
    let resumed = format!("{} loaded, {} unchanged", DOCS - counts.len(), counts.len());
    assert!(out.contains(&resumed), "expected {resumed:?} in {out}");
    let store = GraphStore::open_read_only(&crashed).unwrap();
    assert_eq!(store.stats().unwrap().quads, clean_quads);
    let mut dump = Vec::new();
    store.dump(RdfDumpFormat::NQuads, None, &mut dump).unwrap();
    assert!(dump == clean_dump, "the resumed store differs from a clean ingest");
}
