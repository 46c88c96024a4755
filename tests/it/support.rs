//! Helpers for the integration tests: a temp folder, the binary, the shared folder,
//! the Python interpreter with the format readers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, or `None` (a failure under CI).
#[expect(clippy::print_stderr, reason = "skip messages belong in the test log")]
pub(crate) fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.join("seeds").is_dir() {
        return Some(dir);
    }
    assert!(std::env::var("CI").is_err(), "CI must have ../shared beside the repository");
    eprintln!("skipping: ../shared (seed, gold, schemas) is not beside the repository");
    None
}

/// The seed bulletin.
pub(crate) fn seed() -> Option<PathBuf> {
    shared().map(|s| s.join("seeds/000_4c29bab22beb8e5e.txt"))
}

/// A Python interpreter that can import `modules`, or `None` (a failure under CI).
#[expect(clippy::print_stderr, reason = "skip messages belong in the test log")]
pub(crate) fn python_with(modules: &[&str]) -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("MIGRAPH_TEST_PYTHON").map(PathBuf::from),
        Some(root().join(".venv/bin/python")),
        Some(PathBuf::from("python3")),
    ];
    let probe = if modules.is_empty() {
        "pass".to_owned()
    } else {
        format!("import {}", modules.join(", "))
    };
    for python in candidates.into_iter().flatten() {
        let ok =
            Command::new(&python).args(["-c", &probe]).output().is_ok_and(|o| o.status.success());
        if ok {
            return Some(python);
        }
    }
    assert!(
        std::env::var("CI").is_err(),
        "CI must provide Python with {modules:?} (scripts/test installs them)"
    );
    eprintln!("skipping: no Python with {modules:?}; run scripts/test to install them");
    None
}

/// Whether an external command exists (a failure under CI when `required_in_ci`).
#[expect(clippy::print_stderr, reason = "skip messages belong in the test log")]
pub(crate) fn have(cmd: &str, required_in_ci: bool) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(!(required_in_ci && std::env::var("CI").is_ok()), "CI must have {cmd}");
        eprintln!("skipping: {cmd} is not installed");
    }
    found
}

/// A scratch folder with the binary at hand.
pub(crate) struct TestEnv {
    pub(crate) dir: tempfile::TempDir,
}

impl TestEnv {
    pub(crate) fn new() -> TestEnv {
        TestEnv { dir: tempfile::tempdir().expect("a temp dir") }
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs `migraph ARGS` in the repository root (so `ontology/` and the sample corpus are found).
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_migraph"))
            .args(args)
            .current_dir(root())
            .env_remove("MIGRAPH_LOG")
            .output()
            .expect("the binary runs")
    }

    /// Runs and asserts success, returning stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "migraph {args:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// A SELECT query's CSV result rows (header dropped).
    pub(crate) fn select(&self, store: &Path, query: &str) -> Vec<Vec<String>> {
        let out = self.ok(&[
            "query",
            "--store",
            store.to_str().expect("utf-8 path"),
            "--format",
            "csv",
            query,
        ]);
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        reader
            .records()
            .map(|r| r.expect("valid csv").iter().map(str::to_owned).collect())
            .collect()
    }
}

pub(crate) fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Runs a Python script (`-c`) with one path argument; asserts success, returns stdout.
pub(crate) fn run_python(python: &Path, script: &str, arg: &Path) -> String {
    let out = Command::new(python).args(["-c", script, s(arg)]).output().expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}
