//! The `migraph` binary: parse arguments, set up logging, run, map errors to exit codes.
//!
//! Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

mod cli;

/// mimalloc serves the extractor's many small per-document allocations faster
/// than the system allocator; the extraction benchmark uses it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let filter =
        EnvFilter::try_from_env("MIGRAPH_LOG").unwrap_or_else(|_| EnvFilter::new(args.log_level()));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if err.chain().any(is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            #[expect(clippy::print_stderr, reason = "the one place that reports a fatal error")]
            {
                eprintln!("migraph: {err:#}");
            }
            if err.chain().any(|e| e.is::<cli::BadInput>()) {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn is_broken_pipe(err: &(dyn std::error::Error + 'static)) -> bool {
    err.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
