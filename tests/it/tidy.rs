//! Tidy checks on the source tree (rust-analyzer style): module docs, dependency
//! boundaries between stages, no ignored tests, relation names equal to the guide.

use std::fs;
use std::path::{Path, PathBuf};

use migraph::model::RelationKind;

use crate::support::{root, shared};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "target" || name.starts_with('.') || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, out);
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in ["src", "crates", "tests", "benches", "examples"] {
        rust_files(&root().join(dir), &mut files);
    }
    files
        .into_iter()
        .map(|p| {
            let rel =
                p.strip_prefix(root()).expect("under root").to_string_lossy().replace('\\', "/");
            (rel, fs::read_to_string(&p).expect("utf-8 source"))
        })
        .collect()
}

#[test]
fn tidy_every_file_starts_with_a_module_doc() {
    let missing: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| !text.trim_start().starts_with("//!"))
        .map(|(p, _)| p)
        .collect();
    assert!(missing.is_empty(), "files without a `//!` module doc: {missing:?}");
}

#[test]
fn tidy_stage_boundaries_hold() {
    for (path, text) in sources() {
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        // Library code only: tests and benches may drive the store directly.
        let library = path.starts_with("src/") || path.starts_with("crates/migraph-core/src/");
        let oxigraph = ["oxi", "graph"].concat();
        let uses_oxigraph =
            code.contains(&format!("{oxigraph}::")) || code.contains(&format!("use {oxigraph}"));
        let store_side = path.starts_with("src/store") || path.starts_with("src/serve");
        assert!(
            !library || !uses_oxigraph || store_side,
            "{path} uses oxigraph; only src/store and src/serve may"
        );
        let clap = ["cl", "ap"].concat();
        let uses_clap =
            code.contains(&format!("{clap}::")) || code.contains(&format!("use {clap}"));
        assert!(
            !uses_clap || path == "src/cli.rs" || path == "src/main.rs",
            "{path} uses clap; only src/cli.rs may"
        );
        let marker_ignore = ["#[", "ignore"].concat();
        let marker_panic = ["#[", "should_panic"].concat();
        assert!(
            !code.contains(&marker_ignore) && !code.contains(&marker_panic),
            "{path} has an ignored or should-panic test"
        );
    }
}

#[test]
fn tidy_relation_names_equal_the_annotation_guide() {
    let Some(shared) = shared() else { return };
    let guide = fs::read_to_string(shared.join("annotation-guide.md")).expect("guide");
    let mut names: Vec<&str> = guide
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    names.sort_unstable();
    let mut ours: Vec<&str> = RelationKind::ALL.iter().map(|k| k.as_str()).collect();
    ours.sort_unstable();
    assert_eq!(ours, names);
}
