//! `migraph build` end to end: sample corpus and seed in, store, exports and SPARQL out.

use std::fs;

use crate::support::{TestEnv, have, python_with, root, run_python, s, seed};

const MG: &str = "PREFIX mg: <https://w3id.org/migraph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n";

fn quads(env: &TestEnv, store: &std::path::Path) -> u64 {
    let rows = env.select(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }");
    rows[0][0].parse().expect("a count")
}

/// A temp folder with the sample corpus built into `store`, exports in `exports`.
fn built_sample() -> (TestEnv, std::path::PathBuf, std::path::PathBuf) {
    let env = TestEnv::new();
    let store = env.path("store");
    let exports = env.path("exports");
    env.ok(&["build", "--store", s(&store), "--exports", s(&exports)]);
    (env, store, exports)
}

#[test]
fn build_sample_corpus_writes_every_export_and_is_idempotent() {
    let env = TestEnv::new();
    let store = env.path("store");
    let exports = env.path("exports");
    let out = env.ok(&["build", "--store", s(&store), "--exports", s(&exports)]);
    assert!(
        out.contains("loaded") && out.contains("relations") && out.contains("done in"),
        "{out}"
    );
    for name in [
        "graph.gexf",
        "graph.graphml",
        "nodes.csv",
        "edges.csv",
        "graph.ttl",
        "graph.nq",
        "graph.dot",
    ] {
        let path = exports.join(name);
        let len = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        assert!(len > 0, "{} missing or empty", path.display());
    }
    let first = quads(&env, &store);
    assert!(first > 100, "only {first} quads");
    let gexf_before = fs::read(exports.join("graph.gexf")).expect("gexf");

    // A second build over the same input skips every document and changes nothing.
    let out = env.ok(&["build", "--store", s(&store), "--exports", s(&exports)]);
    assert!(out.contains(" 0 loaded"), "{out}");
    assert_eq!(quads(&env, &store), first);
    // A forced rebuild re-extracts and replaces: still the same triples.
    env.ok(&["build", "--force", "--store", s(&store), "--exports", s(&exports)]);
    assert_eq!(quads(&env, &store), first);
    assert_eq!(
        fs::read(exports.join("graph.gexf")).expect("gexf"),
        gexf_before,
        "exports are deterministic"
    );
}

#[test]
fn build_seed_finds_funding_and_deployment_by_sparql() {
    let Some(seed) = seed() else { return };
    let env = TestEnv::new();
    let store = env.path("store");
    env.ok(&["build", s(&seed), "--store", s(&store), "--exports", s(&env.path("exports"))]);
    let funds = format!(
        "{MG}SELECT ?amount ?currency WHERE {{ ?st rdf:subject ?s ; rdf:predicate mg:funds ; rdf:object ?o ; mg:amount ?amount ; mg:currency ?currency . ?s rdfs:label \"European Union\" . ?o rdfs:label \"Egypt\" . }}"
    );
    let rows = env.select(&store, &funds);
    assert!(rows.iter().any(|r| r[0] == "200000000" && r[1] == "EUR"), "{rows:?}");
    let direct = format!(
        "{MG}ASK {{ ?s mg:funds ?o . ?s rdfs:label \"European Union\" . ?o rdfs:label \"Egypt\" }}"
    );
    let out = env.ok(&["query", "--store", s(&store), "--format", "json", &direct]);
    assert!(out.contains("true"), "{out}");
    let deploys = format!(
        "{MG}SELECT ?date WHERE {{ ?st rdf:subject ?s ; rdf:predicate mg:deploysTo ; rdf:object ?o ; mg:date ?date . ?s rdfs:label \"Frontex\" . ?o rdfs:label \"Pakistan\" . }}"
    );
    let rows = env.select(&store, &deploys);
    assert!(rows.iter().any(|r| r[0] == "2025-05"), "{rows:?}");
    // Every statement names its source document, sentence and rule.
    let provenance = format!(
        "{MG}PREFIX prov: <http://www.w3.org/ns/prov#>\nSELECT (COUNT(?st) AS ?n) WHERE {{ ?st a mg:Statement . FILTER NOT EXISTS {{ ?st prov:wasDerivedFrom ?d ; mg:rule ?r ; mg:evidence ?e }} }}"
    );
    assert_eq!(env.select(&store, &provenance)[0][0], "0");
}

#[test]
fn build_exports_are_read_by_networkx_with_store_counts() {
    let Some(python) = python_with(&["networkx"]) else { return };
    let (env, store, exports) = built_sample();
    let n_entities = &env.select(
        &store,
        &format!("{MG}SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?st a mg:Statement . {{ ?st rdf:subject ?e }} UNION {{ ?st rdf:object ?e }} }}"),
    )[0][0];
    let n_edges = &env.select(
        &store,
        &format!("{MG}SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ ?st a mg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }} }}"),
    )[0][0];
    let n_statements = &env
        .select(&store, &format!("{MG}SELECT (COUNT(?st) AS ?n) WHERE {{ ?st a mg:Statement }}"))
        [0][0];
    let eur = &env.select(
        &store,
        &format!("{MG}SELECT (SUM(?a) AS ?n) WHERE {{ ?st a mg:Statement ; mg:amount ?a ; mg:currency \"EUR\" }}"),
    )[0][0];
    // Node and edge counts, the sum of edge weights (= statements) and of EUR amounts,
    // as networkx reads them from each file.
    let script = "import sys, networkx as nx\n\
        for name in ('graph.gexf', 'graph.graphml'):\n\
        \x20   path = sys.argv[1] + '/' + name\n\
        \x20   g = nx.read_gexf(path) if name.endswith('gexf') else nx.read_graphml(path)\n\
        \x20   weight = sum(int(d.get('weight', 0)) for _, _, d in g.edges(data=True))\n\
        \x20   eur = sum(int(float(d.get('amount_eur') or 0)) for _, _, d in g.edges(data=True))\n\
        \x20   print(name, g.number_of_nodes(), g.number_of_edges(), weight, eur)\n";
    let text = run_python(&python, script, &exports);
    let eur_total: f64 = eur.parse().expect("a sum");
    for line in text.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts[1], n_entities, "{line}: nodes");
        assert_eq!(parts[2], n_edges, "{line}: edges");
        assert_eq!(parts[3], n_statements, "{line}: edge weights add up to the statements");
        assert_eq!(parts[4].parse::<f64>().expect("a sum"), eur_total, "{line}: EUR amounts");
    }
    assert_eq!(text.lines().count(), 2, "{text}");

    // graphology-gexf (the parser behind sigma.js) reads the same counts.
    let js = root().join("tests/js");
    if have("node", true) && js.join("node_modules/graphology-gexf").is_dir() {
        let out = std::process::Command::new("node")
            .args([s(&js.join("check_gexf.mjs")), s(&exports.join("graph.gexf"))])
            .output()
            .expect("node runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(report["nodes"].to_string(), *n_entities);
        assert_eq!(report["edges"].to_string(), *n_edges);
    } else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must have tests/js/node_modules (scripts/test runs npm ci)"
        );
    }
}

#[test]
fn build_gexf_validates_against_the_gexf_schema() {
    let Some(shared) = crate::support::shared() else { return };
    if !have("xmllint", true) {
        return;
    }
    let env = TestEnv::new();
    let exports = env.path("exports");
    env.ok(&["build", "--memory", "--exports", s(&exports)]);
    let out = std::process::Command::new("xmllint")
        .args([
            "--noout",
            "--relaxng",
            s(&shared.join("schemas/gexf-1.3/gexf.rng")),
            s(&exports.join("graph.gexf")),
        ])
        .output()
        .expect("xmllint runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn build_rdf_dumps_parse_with_rdflib_to_the_store_counts() {
    let Some(python) = python_with(&["rdflib"]) else { return };
    let (env, store, exports) = built_sample();
    let n_quads = quads(&env, &store);
    let n_triples: u64 = env.select(&store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")[0][0]
        .parse()
        .expect("count");
    // Every RDF dump: the two `build` writes and the two only `export` writes.
    for format in ["nt", "trig", "jsonld"] {
        let out = exports.join(format!("graph.{format}"));
        env.ok(&["export", "--store", s(&store), "--format", format, "--out", s(&out)]);
    }
    let script = "import sys, rdflib\n\
        def quads(name, fmt):\n    d = rdflib.Dataset()\n    d.parse(sys.argv[1] + name, format=fmt)\n    return len(list(d.quads((None, None, None, None))))\n\
        def triples(name, fmt):\n    g = rdflib.Graph()\n    g.parse(sys.argv[1] + name, format=fmt)\n    return len(g)\n\
        print(quads('/graph.nq', 'nquads'), quads('/graph.trig', 'trig'), quads('/graph.jsonld', 'json-ld'), triples('/graph.ttl', 'turtle'), triples('/graph.nt', 'nt'))\n";
    let text = run_python(&python, script, &exports);
    let counts: Vec<u64> = text.split_whitespace().map(|n| n.parse().expect("count")).collect();
    assert_eq!(
        counts,
        vec![n_quads, n_quads, n_quads, n_triples, n_triples],
        "rdflib counts (nq, trig and jsonld quads, ttl and nt triples)"
    );
}

#[test]
fn build_reports_bad_inputs_and_keeps_going() {
    let Some(python) = python_with(&[]) else { return };
    let env = TestEnv::new();
    let bad = env.path("bad");
    let out = std::process::Command::new(python)
        .args([s(&root().join("tests/data/bad/make_bad.py")), s(&bad)])
        .output()
        .expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    fs::copy(
        root()
            .join("examples/corpus")
            .read_dir()
            .expect("corpus")
            .flatten()
            .next()
            .expect("a file")
            .path(),
        bad.join("good.txt"),
    )
    .expect("copy a good file");
    let store = env.path("store");
    let result =
        env.run(&["build", s(&bad), "--store", s(&store), "--exports", s(&env.path("exports"))]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(result.status.success(), "{stderr}");
    assert!(stderr.contains("empty file"), "{stderr}");
    assert!(stderr.contains("binary"), "{stderr}");
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    assert!(stdout.contains("skipped"), "{stdout}");
    assert!(!stdout.contains(" 0 loaded"), "{stdout}");
    // --strict turns the same problems into a failure, without touching what is stored.
    let strict = env.run(&["ingest", s(&bad), "--strict", "--store", s(&store)]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn build_replaces_changed_documents_and_remove_drops_them() {
    let env = TestEnv::new();
    let corpus = env.path("corpus");
    fs::create_dir_all(&corpus).expect("mkdir");
    let doc = corpus.join("note.txt");
    fs::write(&doc, "Weekly note\nPublished 2 June 2025\n\nFunding\nThe European Union gave €20m to Chad in May 2025.\n")
        .expect("write");
    let store = env.path("store");
    env.ok(&["ingest", s(&corpus), "--store", s(&store)]);
    let before = quads(&env, &store);
    fs::write(&doc, "Weekly note\nPublished 2 June 2025\n\nFunding\nThe European Union gave €30m to Niger in May 2025.\n")
        .expect("write");
    env.ok(&["ingest", s(&corpus), "--store", s(&store)]);
    let ask_old = format!("{MG}ASK {{ ?o rdfs:label \"Chad\" }}");
    assert!(
        env.ok(&["query", "--store", s(&store), "--format", "json", &ask_old]).contains("false")
    );
    assert!(quads(&env, &store) > 0 && before > 0);
    env.ok(&["remove", "note.txt", "--store", s(&store)]);
    let left = env.select(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://w3id.org/migraph/id/doc/\")) }",
    );
    assert_eq!(left[0][0], "0");
    let catalogue = env.select(&store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/migraph/graph/catalogue> { ?s ?p ?o } }");
    assert_eq!(catalogue[0][0], "0");
    assert_eq!(env.run(&["remove", "note.txt", "--store", s(&store)]).status.code(), Some(2));
}

/// Golden files: the exports of the sample corpus, byte for byte. Exports are
/// deterministic, so any change here is a real change of the graph (extraction or
/// export format) to review. Regenerate with `UPDATE_EXPECT=1 cargo test --release`.
#[test]
fn build_sample_corpus_exports_match_the_golden_files() {
    let env = TestEnv::new();
    let exports = env.path("exports");
    env.ok(&["build", "--memory", "--exports", s(&exports)]);
    let golden = root().join("tests/golden/sample");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut stale = Vec::new();
    for name in ["graph.gexf", "graph.graphml", "nodes.csv", "edges.csv", "graph.dot", "graph.ttl"]
    {
        let got = fs::read(exports.join(name)).expect("export written");
        let path = golden.join(name);
        if update {
            fs::create_dir_all(&golden).expect("golden folder");
            fs::write(&path, &got).expect("golden written");
            continue;
        }
        let want = fs::read(&path).unwrap_or_default();
        if got != want {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "exports differ from tests/golden/sample: {stale:?}; review the change and regenerate with UPDATE_EXPECT=1 cargo test --release"
    );
}
