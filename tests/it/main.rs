//! Integration tests: the real `migraph` binary on real files (one test binary,
//! ripgrep style, so the library is linked once).
//!
//! Tests that need `../shared` (the seed, gold relations, schemas) or the Python
//! readers skip with a message when those are absent, except under `CI=true`, where
//! their absence is a failure: CI always has them.

mod support;

mod build;
mod cli;
mod push;
mod queries;
mod serve;
mod serve_clients;
mod serve_page;
mod serve_process;
mod serve_protocol;
mod store;
mod tidy;
