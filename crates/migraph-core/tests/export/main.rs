//! Export integration tests: goldens of a fixture graph, compared byte for byte, and
//! checks that outside tools read the files (xmllint with the GEXF 1.3 RELAX NG
//! schema, networkx via `tests/py/check_graph.py`, graphology via
//! `tests/js/check_gexf.mjs`, Graphviz's `sfdp`).
//!
//! Goldens live in `crates/migraph-core/tests/golden/`; run with `UPDATE_EXPECT=1` to
//! rewrite them after an intended change, then review the diff. Tools that are not
//! installed (or a missing `shared/` folder) skip their test with a message; nothing
//! here touches the network, and files are written only in temp dirs.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions fail the test on setup errors"
)]

mod fixture;

use std::path::{Path, PathBuf};
use std::process::Command;

use migraph_core::export::gexf::{EdgeTypes, write_gexf_with};
use migraph_core::export::{
    GraphFormat, ViewOptions, project, write_all, write_dot, write_edges_csv, write_format,
    write_gexf, write_graphml, write_nodes_csv,
};
use migraph_core::model::{IsoDate, KnowledgeGraph, RelationKind};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Compares `actual` with the golden file, or rewrites it under `UPDATE_EXPECT=1`.
fn check_golden(name: &str, actual: &[u8]) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!("cannot read {} ({e}); run with UPDATE_EXPECT=1", path.display())
    });
    if expected != actual {
        panic!(
            "{} differs from the export; run with UPDATE_EXPECT=1 and review the diff\n--- actual ---\n{}",
            path.display(),
            String::from_utf8_lossy(actual)
        );
    }
}

fn render(write: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out);
    out
}

/// The `shared/` folder: `../shared` beside the repository, or beside a parent folder
/// (worktrees live one level deeper than the main checkout).
fn shared_dir() -> Option<PathBuf> {
    let root = repo_root().canonicalize().ok()?;
    root.ancestors().map(|dir| dir.join("shared")).find(|dir| dir.join("schemas").is_dir())
}

/// Writes every export of the fixture into a fresh temp dir: the five files of
/// [`write_all`], `graph.mixed.gexf` and `multi-funds-deploys.gexf`.
///
/// Reader checks use fresh files rather than the goldens, so that they test the
/// current code even while `UPDATE_EXPECT=1` rewrites the goldens.
fn fresh_exports() -> tempfile::TempDir {
    let g = fixture::knowledge_graph();
    let dir = tempfile::tempdir().unwrap();
    write_all(&g, &ViewOptions::all(), dir.path()).unwrap();
    let p = project(&g, &ViewOptions::all()).unwrap();
    let mixed = render(|w| write_gexf_with(&p, w, EdgeTypes::Mixed).unwrap());
    std::fs::write(dir.path().join("graph.mixed.gexf"), mixed).unwrap();
    let p = project(&g, &multi_view()).unwrap();
    std::fs::write(
        dir.path().join("multi-funds-deploys.gexf"),
        render(|w| write_gexf(&p, w).unwrap()),
    )
    .unwrap();
    dir
}

fn multi_view() -> ViewOptions {
    ViewOptions {
        multi: true,
        relations: Some([RelationKind::Funds, RelationKind::DeploysTo].into()),
        ..ViewOptions::all()
    }
}

/// Says why a reader check did not run; the test then passes without checking.
#[expect(clippy::print_stderr, reason = "tells the developer why a reader check was skipped")]
fn skip(reason: &str) {
    eprintln!("skipped: {reason}");
}

fn tool_exists(name: &str, version_arg: &str) -> bool {
    Command::new(name).arg(version_arg).output().is_ok_and(|o| o.status.success())
}

#[test]
fn golden_all_formats() {
    let g = fixture::knowledge_graph();
    let p = project(&g, &ViewOptions::all()).unwrap();
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    check_golden("graph.gexf", &render(|w| write_gexf(&p, w).unwrap()));
    check_golden("graph.graphml", &render(|w| write_graphml(&p, w).unwrap()));
    check_golden("nodes.csv", &render(|w| write_nodes_csv(&p, w).unwrap()));
    check_golden("edges.csv", &render(|w| write_edges_csv(&p, w).unwrap()));
    check_golden("graph.dot", &render(|w| write_dot(&p, w).unwrap()));
    check_golden(
        "graph.mixed.gexf",
        &render(|w| write_gexf_with(&p, w, EdgeTypes::Mixed).unwrap()),
    );
}

#[test]
fn golden_filtered_views() {
    let g = fixture::knowledge_graph();
    let ego = ViewOptions {
        entity: Some("mauritania".into()),
        since: Some(IsoDate::year(2024)),
        ..ViewOptions::all()
    };
    let p = project(&g, &ego).unwrap();
    check_golden(
        "ego-mauritania-since-2024.edges.csv",
        &render(|w| write_edges_csv(&p, w).unwrap()),
    );
    let p = project(&g, &multi_view()).unwrap();
    check_golden("multi-funds-deploys.gexf", &render(|w| write_gexf(&p, w).unwrap()));
}

#[test]
fn write_all_is_byte_stable() {
    let g = fixture::knowledge_graph();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = write_all(&g, &ViewOptions::all(), a.path()).unwrap();
    let names: Vec<String> =
        first.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["graph.gexf", "graph.graphml", "nodes.csv", "edges.csv", "graph.dot"]);
    // Shuffling the statement order must not change a byte.
    let mut shuffled = g.clone();
    shuffled.relations.reverse();
    write_all(&shuffled, &ViewOptions::all(), b.path()).unwrap();
    for name in &names {
        let x = std::fs::read(a.path().join(name)).unwrap();
        let y = std::fs::read(b.path().join(name)).unwrap();
        assert!(x == y, "{name} depends on statement order");
        if std::env::var_os("UPDATE_EXPECT").is_none() {
            let golden = std::fs::read(golden_dir().join(name)).unwrap();
            assert!(x == golden, "{name} differs from its golden");
        }
    }
}

#[test]
fn write_format_reports_unwritable_dir() {
    let g = fixture::knowledge_graph();
    let p = project(&g, &ViewOptions::all()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let err = write_format(&p, GraphFormat::Gexf, &blocker.join("sub")).unwrap_err();
    assert!(err.to_string().starts_with("cannot write "), "{err}");
}

fn xmllint(args: &[&str], file: &Path) -> Option<std::process::Output> {
    if !tool_exists("xmllint", "--version") {
        skip("xmllint is not installed (apt-get install libxml2-utils)");
        return None;
    }
    Some(Command::new("xmllint").args(args).arg(file).output().unwrap())
}

#[test]
fn gexf_validates_against_relaxng_schema() {
    let Some(shared) = shared_dir() else {
        skip("no shared/schemas folder beside the repository");
        return;
    };
    let rng = shared.join("schemas/gexf-1.3/gexf.rng");
    let rng = rng.to_str().unwrap();
    let dir = fresh_exports();
    for name in ["graph.gexf", "graph.mixed.gexf", "multi-funds-deploys.gexf"] {
        let Some(out) = xmllint(&["--noout", "--relaxng", rng], &dir.path().join(name)) else {
            return;
        };
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn gexf_schema_rejects_broken_file() {
    // Guards the test above against a schema path that validates anything.
    let Some(shared) = shared_dir() else {
        skip("no shared/schemas folder beside the repository");
        return;
    };
    let rng = shared.join("schemas/gexf-1.3/gexf.rng");
    let dir = fresh_exports();
    let text = std::fs::read_to_string(dir.path().join("graph.gexf")).unwrap();
    let broken = text.replacen("mode=\"dynamic\"", "mode=\"sometimes\"", 1);
    let file = dir.path().join("broken.gexf");
    std::fs::write(&file, broken).unwrap();
    let Some(out) = xmllint(&["--noout", "--relaxng", rng.to_str().unwrap()], &file) else {
        return;
    };
    assert!(!out.status.success(), "schema accepted an unknown graph mode");
}

#[test]
fn graphml_is_well_formed() {
    let dir = fresh_exports();
    let Some(out) = xmllint(&["--noout"], &dir.path().join("graph.graphml")) else { return };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Runs `tests/py/check_graph.py` on an export directory and returns its report, or
/// `None` (with a message) when Python or networkx is missing. The interpreter is
/// `$MIGRAPH_TEST_PYTHON`, else `python3`.
fn check_graph(dir: &Path) -> Option<serde_json::Value> {
    // scripts/test points this at the venv that holds networkx.
    let python = std::env::var("MIGRAPH_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let has_networkx = Command::new(&python)
        .args(["-c", "import networkx"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_networkx {
        skip(&format!("{python} cannot import networkx (pip install networkx)"));
        return None;
    }
    let out = Command::new(&python)
        .arg(repo_root().join("tests/py/check_graph.py"))
        .arg(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    Some(serde_json::from_str(&stdout).unwrap())
}

#[test]
fn exports_read_by_networkx() {
    let dir = fresh_exports();
    let Some(report) = check_graph(dir.path()) else { return };
    assert_eq!(report["gexf"]["nodes"], 9);
    assert_eq!(report["gexf"]["edges"], 12);
    assert_eq!(report["gexf"]["dated_edges"], 10);
    assert_eq!(report["graphml"]["edges"], 12);
    assert_eq!(report["csv"]["edges"], 12);
    assert_eq!(report["csv"]["undirected_edges"], 3);
}

#[test]
fn multi_and_empty_views_read_by_networkx() {
    let g = fixture::knowledge_graph();
    let dir = tempfile::tempdir().unwrap();
    write_all(&g, &multi_view(), dir.path()).unwrap();
    let Some(report) = check_graph(dir.path()) else { return };
    // Funds: 4 statements, deploysTo: 2, each its own edge.
    assert_eq!(report["gexf"]["edges"], 6);
    assert_eq!(report["csv"]["edges"], 6);

    let empty = tempfile::tempdir().unwrap();
    write_all(&KnowledgeGraph::new(), &ViewOptions::all(), empty.path()).unwrap();
    let report = check_graph(empty.path()).unwrap();
    assert_eq!(
        (report["gexf"]["nodes"].as_u64(), report["gexf"]["edges"].as_u64()),
        (Some(0), Some(0))
    );
    if let Some(shared) = shared_dir() {
        let rng = shared.join("schemas/gexf-1.3/gexf.rng");
        let args = ["--noout", "--relaxng", rng.to_str().unwrap()];
        if let Some(out) = xmllint(&args, &empty.path().join("graph.gexf")) {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
    }
}

/// A graph with everything that could break a writer: control characters and XML
/// specials in names, an empty name, a self-loop, amounts that overflow, a period
/// stated backwards, an odd currency and a relation to an unknown entity.
fn hostile_graph() -> KnowledgeGraph {
    use migraph_core::model::{Entity, EntityId, EntityKind, Evidence, Money, Relation, When};
    let mut g = KnowledgeGraph::new();
    let names = ["Bell\u{7}\u{0}s & <Whistles>", "\u{1}\u{2}", "Zoë \"Quoted\" \\ Back'slash"];
    let ids: Vec<EntityId> = names
        .iter()
        .map(|name| {
            let e = Entity::new(name, EntityKind::Person, "test");
            let id = e.id.clone();
            g.entities.insert(id.clone(), e);
            id
        })
        .collect();
    let relation = |s: &EntityId, o: &EntityId, money, when, quote: &str| Relation {
        subject: s.clone(),
        kind: RelationKind::Funds,
        object: o.clone(),
        money,
        when,
        evidence: Evidence {
            doc: "weird\tdoc\u{FFFF}.txt".into(),
            article: None,
            sentence: quote.into(),
            sentence_start: 0,
            sentence_end: quote.len(),
            quote: quote.into(),
            quote_start: 0,
            quote_end: quote.len(),
            rule: "r]]>".into(),
        },
    };
    let huge = Some(Money::eur(u64::MAX));
    g.relations.push(relation(&ids[0], &ids[0], huge.clone(), None, "self\u{b}loop ]]> --"));
    g.relations.push(relation(&ids[0], &ids[0], huge, None, "again"));
    let backwards = Some(When::Between { start: IsoDate::year(2030), end: IsoDate::year(2020) });
    let odd = Some(Money { amount: 7, currency: "US$\n".into() });
    g.relations.push(relation(&ids[1], &ids[2], odd, backwards, "<![CDATA[x]]> & \"y\""));
    g.relations.push(relation(&ids[2], &EntityId::from_slug("ghost"), None, None, "ghost"));
    g
}

#[test]
fn hostile_graph_exports_stay_valid() {
    let g = hostile_graph();
    let p = project(&g, &ViewOptions::all()).unwrap();
    assert_eq!(p.diagnostics.len(), 1, "the relation to an unknown entity is reported");
    let dir = tempfile::tempdir().unwrap();
    write_all(&g, &ViewOptions::all(), dir.path()).unwrap();
    let gexf = std::fs::read_to_string(dir.path().join("graph.gexf")).unwrap();
    assert!(gexf.contains(r#"<attvalue for="amount_eur" value="9223372036854775807"/>"#));
    assert!(gexf.contains(r#"<spell start="2020-01-01" end="2030-12-31"/>"#));
    if let Some(shared) = shared_dir() {
        let rng = shared.join("schemas/gexf-1.3/gexf.rng");
        let args = ["--noout", "--relaxng", rng.to_str().unwrap()];
        if let Some(out) = xmllint(&args, &dir.path().join("graph.gexf")) {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
    }
    if let Some(out) = xmllint(&["--noout"], &dir.path().join("graph.graphml")) {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    if let Some(report) = check_graph(dir.path()) {
        assert_eq!(report["gexf"]["edges"], 2);
    }
    if tool_exists("dot", "-V") {
        let out =
            Command::new("dot").args(["-Tsvg"]).arg(dir.path().join("graph.dot")).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn gexf_read_by_graphology() {
    let js = repo_root().join("tests/js");
    if !js.join("node_modules/graphology-gexf").is_dir() || !tool_exists("node", "--version") {
        skip("node or tests/js/node_modules is missing (cd tests/js && npm ci)");
        return;
    }
    let dir = fresh_exports();
    for (name, nodes, edges) in [("graph.gexf", 9, 12), ("graph.mixed.gexf", 9, 12)] {
        let out = Command::new("node")
            .arg(js.join("check_gexf.mjs"))
            .arg(dir.path().join(name))
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            (report["nodes"].as_u64(), report["edges"].as_u64()),
            (Some(nodes), Some(edges)),
            "{name}"
        );
    }
}

#[test]
fn dot_renders_with_sfdp() {
    if !tool_exists("sfdp", "-V") {
        skip("Graphviz sfdp is not installed (apt-get install graphviz)");
        return;
    }
    let dir = fresh_exports();
    let png = dir.path().join("graph.png");
    let out = Command::new("sfdp")
        .args(["-Tpng", "-o"])
        .arg(&png)
        .arg(dir.path().join("graph.dot"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "sfdp wrote no PNG");
}
