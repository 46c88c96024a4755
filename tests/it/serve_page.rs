//! The query page at `/` in a real browser: headless Chromium, driven by
//! playwright-core from tests/js/check_page.mjs, loads the page served by the
//! `migraph serve` binary, picks an example, runs it and counts the result rows.
//!
//! Skips with a message when Chromium, Node or the npm packages are missing, except
//! under `CI=true`, where their absence is a failure (scripts/test installs them).

use std::process::Command;

use crate::serve_process::{Server, ingest_sample};
use crate::support::{TestEnv, have, root};

/// Whether `npm ci` has been run in tests/js (a failure under CI).
#[expect(clippy::print_stderr, reason = "a skipped test says why in the test output")]
fn have_playwright() -> bool {
    let found = root().join("tests/js/node_modules/playwright-core").is_dir();
    if !found {
        assert!(std::env::var("CI").is_err(), "CI must have tests/js/node_modules (npm ci)");
        eprintln!("skipping: playwright-core is not installed; run `npm ci` in tests/js");
    }
    found
}

#[test]
fn serve_page_runs_an_example_query_in_chromium() {
    if !have("chromium", true) || !have("node", true) || !have_playwright() {
        return;
    }
    let env = TestEnv::new();
    let store = ingest_sample(&env);
    let server = Server::start(&store, &[]);
    for example in ["Most connected entities", "Relations by document"] {
        let out = Command::new("node")
            .arg(root().join("tests/js/check_page.mjs"))
            .arg(format!("{}/", server.base))
            .arg(example)
            .output()
            .expect("node runs");
        assert!(
            out.status.success(),
            "check_page.mjs failed on {example:?}:\n{}\n{}\nserver log:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            server.log()
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        let rows = report["rows"].as_u64().expect("a row count");
        assert!(rows > 0, "the example {example:?} shows rows on the sample: {report}");
        // The status line reports the same number of rows as the table shows.
        let status = report["status"].as_str().unwrap_or_default();
        assert!(status.starts_with(&format!("{rows} result")), "{report}");
        assert!(report["downloads"].as_u64().unwrap_or_default() >= 4, "{report}");
    }
}
