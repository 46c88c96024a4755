//! The on-disk store through the public API: write, reopen, read back, dump, and
//! check a dump against the SHACL shapes of `ontology/shapes.ttl`.

use std::path::{Path, PathBuf};
use std::process::Command;

use migraph::model::{
    DocumentMeta, Entity, EntityKind, Evidence, IsoDate, KnowledgeGraph, Money, Relation,
    RelationKind, When,
};
use migraph::store::{GraphStore, ONTOLOGY_TTL, RdfDumpFormat, ResultFormat};

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

/// A Python interpreter that can run pySHACL, if the machine has one.
fn python_with_pyshacl() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("MIGRAPH_TEST_PYTHON").map(PathBuf::from),
        Some(root.join(".venv/bin/python")),
        Some(PathBuf::from("python3")),
    ];
    candidates.into_iter().flatten().find(|python| {
        Command::new(python)
            .args(["-c", "import pyshacl"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn store_dump_conforms_to_shacl_shapes() {
    let Some(python) = python_with_pyshacl() else {
        assert!(std::env::var("CI").is_err(), "CI must provide Python with pyshacl");
        eprintln!("skipping: no Python with pyshacl (set MIGRAPH_TEST_PYTHON)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    build_store(&path);
    let store = GraphStore::open_read_only(&path).unwrap();
    let data = dir.path().join("dump.ttl");
    let mut out = Vec::new();
    store.dump(RdfDumpFormat::Turtle, None, &mut out).unwrap();
    std::fs::write(&data, &out).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let run = |data: &Path| {
        Command::new(&python)
            .args(["-m", "pyshacl", "-s"])
            .arg(root.join("ontology/shapes.ttl"))
            .arg(data)
            .output()
            .unwrap()
    };
    let report = run(&data);
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stdout));

    // The shapes do catch a broken statement: one without its provenance.
    let memory = GraphStore::memory().unwrap();
    for (m, e, r) in sample() {
        memory.replace_document(&m, &e, &r).unwrap();
    }
    memory
        .update("DELETE WHERE { GRAPH ?g { ?s <http://www.w3.org/ns/prov#wasDerivedFrom> ?o } }")
        .unwrap();
    let mut broken = Vec::new();
    memory.dump(RdfDumpFormat::Turtle, None, &mut broken).unwrap();
    let broken_path = dir.path().join("broken.ttl");
    std::fs::write(&broken_path, broken).unwrap();
    let report = run(&broken_path);
    assert!(!report.status.success(), "a statement without provenance must not conform");
    assert!(String::from_utf8_lossy(&report.stdout).contains("wasDerivedFrom"));
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
