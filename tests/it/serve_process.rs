//! The real `migraph serve` process for the client tests: a store built by
//! `migraph ingest` on the sample corpus, a free loopback port, a bounded wait for
//! `/health`, and a guard that kills the server when the test ends (also on panic).
//!
//! Nothing here asserts on results; it only starts, reaches and stops the server.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{TestEnv, root, s};

/// How long a starting server may take to answer `/health`.
const READY_WITHIN: Duration = Duration::from_secs(60);

/// Builds a store from the sample corpus with `migraph ingest` and returns its path.
pub(crate) fn ingest_sample(env: &TestEnv) -> PathBuf {
    let store = env.path("store");
    env.ok(&["ingest", "examples/corpus", "--store", s(&store), "--quiet"]);
    store
}

/// A free loopback port: bind port 0, read the port, release it for the server.
pub(crate) fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port can be bound");
    listener.local_addr().expect("a bound socket has an address").port()
}

/// A running `migraph serve`; dropping it kills the process.
pub(crate) struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: String,
    /// `127.0.0.1:PORT`.
    pub(crate) addr: String,
    log: PathBuf,
}

impl Server {
    /// Starts `migraph serve --store STORE --bind 127.0.0.1:PORT EXTRA…` and waits
    /// until `/health` answers 200. The server's log goes to a file next to the store
    /// (a pipe nobody reads would fill up and block the server).
    pub(crate) fn start(store: &Path, extra: &[&str]) -> Server {
        let addr = format!("127.0.0.1:{}", free_port());
        let log = store.with_file_name(format!("serve-{}.log", addr.replace([':', '.'], "-")));
        let log_file = std::fs::File::create(&log).expect("the log file can be created");
        let child = Command::new(env!("CARGO_BIN_EXE_migraph"))
            .args(["serve", "--store", s(store), "--bind", &addr])
            .args(extra)
            .current_dir(root())
            .env_remove("MIGRAPH_LOG")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("the log file handle can be cloned"))
            .stderr(log_file)
            .spawn()
            .expect("the binary starts");
        let mut server = Server { child, base: format!("http://{addr}"), addr, log };
        server.wait_ready();
        server
    }

    fn wait_ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("the child can be polled") {
                panic!("migraph serve exited early with {status}:\n{}", self.log());
            }
            if raw_get(&self.addr, "/health").is_some_and(|r| r.starts_with("HTTP/1.1 200")) {
                return;
            }
            assert!(
                started.elapsed() < READY_WITHIN,
                "migraph serve did not answer /health within {READY_WITHIN:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the process is still running.
    pub(crate) fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("the child can be polled").is_none()
    }

    /// The server's log so far (for failure messages).
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The process may already be gone; either way it must not outlive the test.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `GET` over a fresh connection; `None` when the server cannot be reached.
pub(crate) fn raw_get(addr: &str, target: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}
