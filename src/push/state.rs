//! What was pushed where: the content hash of every graph at its last successful push,
//! per endpoint, kept in a small JSON file next to the store (`<store>/push-state.json`).
//!
//! The file lets `--only-changed` skip graphs whose content did not change, and lets a
//! push remove from the server the graphs it put there earlier that the local store no
//! longer has. It lives outside the RDF store on purpose: pushing opens the store
//! read-only (so `migraph serve` keeps running), and a push must never change the data
//! it publishes. This module must not send anything; it only reads and writes the file.
//!
//! Format (keys sorted, so the file diffs cleanly):
//!
//! ```json
//! {
//!   "version": 1,
//!   "endpoints": {
//!     "gsp http://127.0.0.1:7878/store": {
//!       "https://w3id.org/migraph/graph/catalogue": "<hex sha-256 of the N-Triples sent>"
//!     }
//!   }
//! }
//! ```

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file name of the push state inside a store folder.
pub const STATE_FILE_NAME: &str = "push-state.json";

/// The version written in the file; a file of another version is an error rather than
/// silently misread.
const VERSION: u32 = 1;

/// Why the push state file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The file exists but cannot be read.
    #[error("cannot read push state {path}: {source}")]
    Read {
        /// The state file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// The file is not a push state of this version.
    #[error("push state {path} is not valid: {message}")]
    Parse {
        /// The state file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The file cannot be written.
    #[error("cannot write push state {path}: {source}")]
    Write {
        /// The state file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
}

/// Content hashes of pushed graphs, by endpoint key and graph IRI (as sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushState {
    version: u32,
    endpoints: BTreeMap<String, BTreeMap<String, String>>,
}

impl PushState {
    /// The state file of a store folder: `<store>/push-state.json`.
    pub fn path_in(store_dir: &Path) -> PathBuf {
        store_dir.join(STATE_FILE_NAME)
    }

    /// A state that records nothing.
    pub fn empty() -> PushState {
        PushState { version: VERSION, endpoints: BTreeMap::new() }
    }

    /// Reads the state file; a missing file is an empty state.
    pub fn load(path: &Path) -> Result<PushState, StateError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Ok(PushState::empty());
            }
            Err(source) => return Err(StateError::Read { path: path.to_owned(), source }),
        };
        let state: PushState = serde_json::from_str(&text)
            .map_err(|err| StateError::Parse { path: path.to_owned(), message: err.to_string() })?;
        if state.version != VERSION {
            return Err(StateError::Parse {
                path: path.to_owned(),
                message: format!("version {} (expected {VERSION})", state.version),
            });
        }
        Ok(state)
    }

    /// Writes the state atomically (temp file, then rename), so an interrupted push
    /// leaves the previous or the new state, never half a file.
    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        let write_err = |source| StateError::Write { path: path.to_owned(), source };
        let mut text =
            serde_json::to_string_pretty(self).map_err(|err| write_err(io::Error::other(err)))?;
        text.push('\n');
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text).map_err(write_err)?;
        std::fs::rename(&tmp, path).map_err(write_err)
    }

    /// The hashes recorded for an endpoint, by graph IRI.
    pub fn graphs(&self, endpoint_key: &str) -> Option<&BTreeMap<String, String>> {
        self.endpoints.get(endpoint_key)
    }

    /// The hash of a graph at its last successful push to an endpoint.
    pub fn hash(&self, endpoint_key: &str, graph: &str) -> Option<&str> {
        self.endpoints.get(endpoint_key)?.get(graph).map(String::as_str)
    }

    /// Records a successful push of a graph.
    pub fn record(&mut self, endpoint_key: &str, graph: &str, hash: &str) {
        self.endpoints
            .entry(endpoint_key.to_owned())
            .or_default()
            .insert(graph.to_owned(), hash.to_owned());
    }

    /// Forgets a graph (before re-sending it, or after removing it from the server), so
    /// that an interrupted push can never leave a stale hash that hides a half-sent graph.
    pub fn forget(&mut self, endpoint_key: &str, graph: &str) {
        if let Some(graphs) = self.endpoints.get_mut(endpoint_key) {
            graphs.remove(graph);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_state_round_trips_and_missing_file_is_empty() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = PushState::path_in(dir.path());
        let mut state = PushState::load(&path).expect("a missing file is an empty state");
        assert_eq!(state.graphs("gsp http://x"), None);
        state.record("gsp http://x", "http://g/1", "aa");
        state.record("gsp http://x", "http://g/2", "bb");
        state.forget("gsp http://x", "http://g/2");
        state.save(&path).expect("save");
        let back = PushState::load(&path).expect("load");
        assert_eq!(back, state);
        assert_eq!(back.hash("gsp http://x", "http://g/1"), Some("aa"));
        assert_eq!(back.hash("gsp http://x", "http://g/2"), None);
        assert_eq!(back.hash("update http://x", "http://g/1"), None);
    }

    #[test]
    fn push_state_rejects_garbage_and_other_versions() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.json");
        std::fs::write(&path, "not json").expect("write");
        assert!(matches!(PushState::load(&path), Err(StateError::Parse { .. })));
        std::fs::write(&path, r#"{"version": 9, "endpoints": {}}"#).expect("write");
        let err = PushState::load(&path).expect_err("version 9 is unknown");
        assert!(err.to_string().contains("version 9"), "{err}");
    }
}
