//! The canned queries of `ontology/queries/*.rq`, run by the real binary the way a
//! user runs them (`migraph query @ontology/queries/x.rq`) on a store built from
//! the sample corpus.
//!
//! Expectations are facts the sample corpus states plainly (the EU's €7.4 billion
//! package for Egypt, the Frontex liaison officer sent to Mauritania) and
//! structural properties (ordering, sums that match an independent query, columns
//! that hold what they claim); never a total count of rows, which changes whenever
//! extraction improves.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{TestEnv, root, s};

const MG: &str = "PREFIX mg: <https://w3id.org/migraph/ontology#>\nPREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n";
const ENTITY: &str = "https://w3id.org/migraph/id/entity/";

/// A header-keyed result table.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or_else(|| {
            panic!("no column {name} in {:?}", self.header);
        })
    }

    fn get<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        &row[self.col(name)]
    }

    fn number(&self, row: &[String], name: &str) -> u64 {
        let text = self.get(row, name);
        text.parse().unwrap_or_else(|_| panic!("{name} {text:?} is not a whole number"))
    }
}

/// A store built by `migraph build` from the sample corpus.
fn sample_store() -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    let store = env.path("store");
    env.ok(&["build", "--store", s(&store), "--exports", s(&env.path("exports"))]);
    (env, store)
}

/// Runs a query file (`@path`) as CSV and parses the result with its header.
fn run_file(env: &TestEnv, store: &Path, file: &str) -> Table {
    let out = env.ok(&["query", "--store", s(store), "--format", "csv", &format!("@{file}")]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header = reader.headers().expect("a csv header").iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| r.expect("valid csv").iter().map(str::to_owned).collect())
        .collect();
    Table { header, rows }
}

/// Runs a canned query by name.
fn canned(env: &TestEnv, store: &Path, name: &str) -> Table {
    run_file(env, store, &format!("ontology/queries/{name}.rq"))
}

/// A copy of a canned query with its example IRI replaced, as a user edits the
/// VALUES line; returns the path of the edited file.
fn edited(env: &TestEnv, name: &str, from: &str, to: &str) -> PathBuf {
    let text = fs::read_to_string(root().join(format!("ontology/queries/{name}.rq")))
        .expect("the query file");
    assert!(text.contains(from), "{name}.rq no longer mentions {from}");
    let path = env.path(&format!("{name}-edited.rq"));
    fs::write(&path, text.replace(from, to)).expect("write the edited query");
    path
}

fn single_number(env: &TestEnv, store: &Path, query: &str) -> u64 {
    let rows = env.select(store, query);
    rows[0][0].parse().unwrap_or_else(|_| panic!("{:?} is not a count", rows[0][0]))
}

#[test]
fn queries_every_file_is_compiled_in_and_documented() {
    let mut on_disk: Vec<String> = fs::read_dir(root().join("ontology/queries"))
        .expect("ontology/queries")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rq"))
        .map(|p| p.file_stem().expect("a file stem").to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut compiled: Vec<String> =
        migraph::store::canned_queries().iter().map(|q| q.name.to_owned()).collect();
    compiled.sort();
    assert_eq!(on_disk, compiled, "every .rq file is listed in src/store/queries.rs");
    for query in migraph::store::canned_queries() {
        let text = fs::read_to_string(root().join(format!("ontology/queries/{}.rq", query.name)))
            .expect("the query file");
        assert!(text.starts_with("# title: "), "{} lacks # title:", query.name);
        assert!(text.lines().nth(1).is_some_and(|l| l.starts_with("# description: ")));
    }
}

#[test]
fn queries_funding_by_year_sums_the_stated_amounts() {
    let (env, store) = sample_store();
    let table = canned(&env, &store, "funding-by-year");
    let egypt = table.rows.iter().find(|r| {
        table.get(r, "funder") == "European Union" && table.get(r, "recipient") == "Egypt"
    });
    let egypt = egypt.unwrap_or_else(|| panic!("no EU → Egypt row in {:?}", table.rows));
    assert_eq!(table.get(egypt, "year"), "2024");
    assert_eq!(table.get(egypt, "currency"), "EUR");
    assert_eq!(table.number(egypt, "total"), 7_400_000_000);
    // Years ascend and, within a year, totals descend.
    for pair in table.rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (ya, yb) = (table.get(a, "year"), table.get(b, "year"));
        assert!(ya.is_empty() || yb.is_empty() || ya <= yb, "{ya} before {yb}");
        if ya == yb {
            assert!(table.number(a, "total") >= table.number(b, "total"), "{pair:?}");
        }
    }
    // Each statement with an amount is counted once, in some row.
    let total: u64 = table.rows.iter().map(|r| table.number(r, "total")).sum();
    let statements: u64 = table.rows.iter().map(|r| table.number(r, "statements")).sum();
    let sum = single_number(
        &env,
        &store,
        &format!("{MG}SELECT (SUM(?a) AS ?n) WHERE {{ GRAPH ?g {{ ?st mg:amount ?a }} }}"),
    );
    let count = single_number(
        &env,
        &store,
        &format!("{MG}SELECT (COUNT(?st) AS ?n) WHERE {{ GRAPH ?g {{ ?st mg:amount ?a }} }}"),
    );
    assert_eq!((total, statements), (sum, count));
}

#[test]
fn queries_funding_totals_are_largest_first_and_match_by_year() {
    let (env, store) = sample_store();
    let totals = canned(&env, &store, "funding-totals");
    let first = totals.rows.first().expect("at least one funding row");
    // The €7.4 billion for Egypt is the largest sum the sample corpus states.
    assert_eq!(
        (totals.get(first, "funder"), totals.get(first, "recipient")),
        ("European Union", "Egypt")
    );
    assert_eq!(totals.number(first, "total"), 7_400_000_000);
    let amounts: Vec<u64> = totals.rows.iter().map(|r| totals.number(r, "total")).collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "{amounts:?}");
    // The same statements, summed by year, give the same grand total.
    let by_year = canned(&env, &store, "funding-by-year");
    let yearly: u64 = by_year.rows.iter().map(|r| by_year.number(r, "total")).sum();
    assert_eq!(amounts.iter().sum::<u64>(), yearly);
}

#[test]
fn queries_country_timeline_follows_the_edited_country() {
    let (env, store) = sample_store();
    // The query as shipped: every row involves Libya.
    let libya = canned(&env, &store, "country-timeline");
    assert!(!libya.rows.is_empty());
    for row in &libya.rows {
        assert!(
            libya.get(row, "subject") == "Libya" || libya.get(row, "object") == "Libya",
            "{row:?}"
        );
    }
    // Edited the way the description says: Mauritania instead.
    let query = edited(
        &env,
        "country-timeline",
        &format!("<{ENTITY}libya>"),
        &format!("<{ENTITY}mauritania>"),
    );
    let table = run_file(&env, &store, s(&query));
    let frontex = table
        .rows
        .iter()
        .find(|r| table.get(r, "subject") == "Frontex" && table.get(r, "relation") == "deploysTo");
    let frontex = frontex.unwrap_or_else(|| panic!("no Frontex deployment in {:?}", table.rows));
    assert_eq!(table.get(frontex, "object"), "Mauritania");
    assert_eq!(table.get(frontex, "when"), "2025-03");
    assert_eq!(table.get(frontex, "document"), "2025-02_north-africa-deals.txt");
    let whens: Vec<&str> = table.rows.iter().map(|r| table.get(r, "when")).collect();
    assert!(whens.windows(2).all(|w| w[0] <= w[1]), "oldest first: {whens:?}");
    for row in &table.rows {
        assert!(
            table.get(row, "subject") == "Mauritania" || table.get(row, "object") == "Mauritania",
            "{row:?}"
        );
    }
}

#[test]
fn queries_deployments_list_agencies_and_missions_only() {
    let (env, store) = sample_store();
    let table = canned(&env, &store, "deployments");
    let frontex = table.rows.iter().find(|r| {
        table.get(r, "actor") == "Frontex"
            && table.get(r, "relation") == "deploysTo"
            && table.get(r, "place") == "Mauritania"
    });
    let frontex = frontex.unwrap_or_else(|| panic!("no Frontex → Mauritania in {:?}", table.rows));
    assert_eq!(table.get(frontex, "first"), "2025-03");
    assert!(table.rows.iter().any(|r| table.get(r, "type") == "Mission"), "{:?}", table.rows);
    for row in &table.rows {
        assert!(["EUAgency", "Mission"].contains(&table.get(row, "type")), "{row:?}");
        assert!(["deploysTo", "operatesIn"].contains(&table.get(row, "relation")), "{row:?}");
        assert!(table.number(row, "statements") >= table.number(row, "documents"), "{row:?}");
        assert!(table.get(row, "first") <= table.get(row, "last"), "{row:?}");
    }
}

#[test]
fn queries_readmission_and_visa_pressure_count_by_country() {
    let (env, store) = sample_store();
    let table = canned(&env, &store, "readmission-visa-pressure");
    let total = |r: &[String]| {
        table.number(r, "negotiations") + table.number(r, "measures") + table.number(r, "returns")
    };
    let totals: Vec<u64> = table.rows.iter().map(|r| total(r)).collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "busiest country first: {totals:?}");
    assert!(totals.iter().all(|t| *t > 0));
    // The sample corpus reports a return to Pakistan and a visa measure somewhere.
    let pakistan = table.rows.iter().find(|r| table.get(r, "country") == "Pakistan");
    let pakistan = pakistan.unwrap_or_else(|| panic!("no Pakistan row in {:?}", table.rows));
    assert!(table.number(pakistan, "returns") >= 1);
    assert!(table.rows.iter().any(|r| table.number(r, "measures") >= 1), "{:?}", table.rows);
    let statements = single_number(
        &env,
        &store,
        &format!(
            "{MG}SELECT (COUNT(?st) AS ?n) WHERE {{ VALUES ?p {{ mg:negotiatesAgreementWith mg:imposesMeasureOn mg:returnsMigrantsTo }} GRAPH ?g {{ ?st rdf:predicate ?p ; rdf:object ?o . ?o a mg:Country }} }}"
        ),
    );
    assert_eq!(totals.iter().sum::<u64>(), statements);
}

#[test]
fn queries_evidence_for_edge_quotes_the_source_text() {
    let (env, store) = sample_store();
    let table = canned(&env, &store, "evidence-for-edge");
    let row = table.rows.first().unwrap_or_else(|| panic!("no evidence for EU funds Egypt"));
    assert_eq!(table.get(row, "document"), "2025-02_north-africa-deals.txt");
    assert_eq!(table.get(row, "title"), "Border Deals Monitor: February 2025");
    assert_eq!(table.number(row, "amount"), 7_400_000_000);
    assert_eq!(table.get(row, "currency"), "EUR");
    let source = fs::read_to_string(root().join("examples/corpus/2025-02_north-africa-deals.txt"))
        .expect("the sample bulletin");
    for row in &table.rows {
        let (evidence, sentence) = (table.get(row, "evidence"), table.get(row, "sentence"));
        assert!(sentence.contains(evidence), "{evidence:?} not in {sentence:?}");
        assert!(source.contains(evidence), "{evidence:?} is not in the bulletin");
        assert!(!table.get(row, "rule").is_empty());
    }
    // Edited to another edge, it answers for that edge only.
    let query = edited(
        &env,
        "evidence-for-edge",
        &format!("<{ENTITY}egypt>"),
        &format!("<{ENTITY}mauritania>"),
    );
    let table = run_file(&env, &store, s(&query));
    assert!(!table.rows.is_empty(), "the sample corpus reports EU money for Mauritania");
    assert!(
        table.rows.iter().any(|r| table.number(r, "amount") == 210_000_000),
        "{:?}",
        table.rows
    );
    assert!(table.rows.iter().all(|r| table.number(r, "amount") != 7_400_000_000));
}

#[test]
fn queries_most_connected_ranks_by_partners() {
    let (env, store) = sample_store();
    let table = canned(&env, &store, "most-connected");
    assert!(!table.rows.is_empty() && table.rows.len() <= 25);
    let partners: Vec<u64> = table.rows.iter().map(|r| table.number(r, "partners")).collect();
    assert!(partners.windows(2).all(|w| w[0] >= w[1]), "{partners:?}");
    let top: Vec<&str> = table.rows.iter().take(5).map(|r| table.get(r, "entity")).collect();
    for hub in ["European Union", "Frontex"] {
        assert!(top.contains(&hub), "{hub} not among the top five: {top:?}");
    }
    for row in &table.rows {
        assert!(table.get(row, "e").starts_with(ENTITY), "{row:?}");
        assert!(table.number(row, "partners") <= table.number(row, "statements"), "{row:?}");
        assert!(table.number(row, "documents") <= table.number(row, "statements"), "{row:?}");
        assert_ne!(table.get(row, "type"), "Entity", "the kind, not the superclass");
    }
}

#[test]
fn queries_relations_by_document_cover_every_document_and_statement() {
    let (env, store) = sample_store();
    let table = canned(&env, &store, "relations-by-document");
    let documents: BTreeSet<&str> = table.rows.iter().map(|r| table.get(r, "document")).collect();
    let corpus: BTreeSet<String> = fs::read_dir(root().join("examples/corpus"))
        .expect("the sample corpus")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(documents, corpus.iter().map(String::as_str).collect());
    let funds = table.rows.iter().find(|r| {
        table.get(r, "document") == "2025-02_north-africa-deals.txt"
            && table.get(r, "relation") == "funds"
    });
    assert!(funds.is_some(), "{:?}", table.rows);
    let listed: u64 = table.rows.iter().map(|r| table.number(r, "statements")).sum();
    let statements = single_number(
        &env,
        &store,
        &format!("{MG}SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE {{ ?st a mg:Statement }}"),
    );
    assert_eq!(listed, statements);
}

#[test]
fn queries_funding_network_constructs_labelled_edges() {
    let (env, store) = sample_store();
    let out = env.ok(&[
        "query",
        "--store",
        s(&store),
        "--format",
        "nt",
        "@ontology/queries/funding-network.rq",
    ]);
    let edge = format!(
        "<{ENTITY}european-union> <https://w3id.org/migraph/ontology#funds> <{ENTITY}egypt> ."
    );
    assert!(out.lines().any(|l| l == edge), "{out}");
    let label = format!("<{ENTITY}egypt> <http://www.w3.org/2000/01/rdf-schema#label> \"Egypt\" .");
    assert!(out.lines().any(|l| l == label), "{out}");
    // Nothing but funding edges and labels.
    for line in out.lines() {
        assert!(line.contains("#funds>") || line.contains("rdf-schema#label>"), "{line}");
    }
}
