//! `migraph push`: publish the local store's named graphs to a remote triple store
//! (GraphDB, Virtuoso, Neptune, Stardog, QLever, Oxigraph…) using only W3C protocols.
//!
//! Each named graph (the ontology, one per document, the catalogue) is sent whole with
//! replace semantics, so pushing twice leaves the server as pushing once:
//!
//! - [`Protocol::Gsp`] (default), the SPARQL 1.1 Graph Store HTTP Protocol: `PUT` of the
//!   first chunk to `{endpoint}?graph={iri}`, `POST` (append) of each further chunk;
//! - [`Protocol::Update`], SPARQL 1.1 Update: `DROP SILENT GRAPH` plus `INSERT DATA`
//!   batches posted to the update endpoint.
//!
//! Bodies are N-Triples cut into chunks of [`PushConfig::chunk_triples`] lines while the
//! store dumps them, so memory stays flat whatever the graph size. Up to
//! [`PushConfig::jobs`] graphs are sent at once, each by one job over its own keep-alive
//! connection with its chunks in order (servers such as Oxigraph spend most of a push
//! in per-request transactions, which run side by side); memory is bounded by
//! `jobs × chunk_triples`. A push reads the store only (open it read-only; `migraph
//! serve` can keep running) and remembers in `<store>/push-state.json` what it sent
//! where ([`PushState`]), which drives `--only-changed` and the removal of graphs
//! deleted locally since the last push; a graph is recorded there only once all its
//! chunks went through.
//!
//! Graphs are independent: a graph that fails is listed in [`PushSummary::failed`] and
//! the push goes on with the next one, unless the failure would repeat for every graph
//! (server unreachable, credentials refused, wrong endpoint URL). Note that a graph sent
//! in several chunks is visible half-written to readers of the server while it is
//! being sent, as with any non-transactional bulk load.
//!
//! This module must not import oxigraph: the store is reached through [`GraphSource`]
//! ([`StoreSource`] for a [`GraphStore`]), and
//! HTTP through a small transport seam, so all protocol logic is unit-tested offline.

mod chunk;
mod http;
mod protocol;
mod source;
mod state;
mod store_source;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::Duration;

use chunk::{ChunkError, ChunkWriter, HashWriter, Written};
use http::{Transport, UreqTransport};
use protocol::{SendError, Sender};

pub use source::{GraphSource, MemorySource, SourceError};
pub use state::{PushState, STATE_FILE_NAME, StateError};
pub use store_source::StoreSource;

use crate::store::GraphStore;

/// The base of every migraph graph IRI, replaced by [`PushConfig::graph_prefix`].
pub const MIGRAPH_BASE: &str = "https://w3id.org/migraph/";
/// Default [`PushConfig::chunk_triples`]: about 10 MB of N-Triples per request.
pub const DEFAULT_CHUNK_TRIPLES: usize = 50_000;
/// Graphs [`default_jobs`] sends at once. The server's capacity, not the client's
/// cores, sets the useful number: on a 2-core machine 4 writers fed a local Oxigraph
/// faster than 2 (`cargo bench --bench push`); beyond a few concurrent writers a
/// triple store gains little and a shared one suffers.
pub const MAX_DEFAULT_JOBS: usize = 4;
/// Default [`PushConfig::retries`].
pub const DEFAULT_RETRIES: u32 = 4;
/// Default [`PushConfig::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// Default [`PushConfig::backoff`].
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(500);

/// How graphs are written to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// SPARQL 1.1 Graph Store HTTP Protocol: `PUT`/`POST`/`DELETE` on
    /// `{endpoint}?graph={iri}`. The endpoint is the store's graph store service, e.g.
    /// GraphDB's `/repositories/<repo>/rdf-graphs/service`.
    Gsp,
    /// SPARQL 1.1 Update posted as `application/sparql-update` to the update endpoint.
    Update,
}

impl Protocol {
    /// The name used on the command line and in the push state (`gsp`, `update`).
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Gsp => "gsp",
            Protocol::Update => "update",
        }
    }
}

/// Default [`PushConfig::jobs`]: [`MAX_DEFAULT_JOBS`], whatever the client's cores.
pub fn default_jobs() -> usize {
    MAX_DEFAULT_JOBS
}

/// Credentials sent with every request.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// No `Authorization` header.
    None,
    /// `Authorization: Bearer <token>` (QLever access tokens, Stardog/GraphDB tokens,
    /// a pre-signed gateway).
    Bearer(String),
    /// HTTP Basic (RFC 7617), as GraphDB and Stardog accept.
    Basic {
        /// User name.
        user: String,
        /// Password.
        password: String,
    },
    /// HTTP Digest (RFC 7616, MD5 or SHA-256, `qop=auth`), as Virtuoso's
    /// `/sparql-auth` and `/sparql-graph-crud-auth` require.
    Digest {
        /// User name.
        user: String,
        /// Password.
        password: String,
    },
}

impl std::fmt::Debug for Auth {
    // Secrets must not end up in logs or error chains.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Bearer(_) => f.write_str("Bearer(***)"),
            Auth::Basic { user, .. } => write!(f, "Basic {{ user: {user:?}, password: *** }}"),
            Auth::Digest { user, .. } => write!(f, "Digest {{ user: {user:?}, password: *** }}"),
        }
    }
}

impl Auth {
    /// The value of the `Authorization` header sent with every request, if any
    /// (Digest answers each challenge in the transport instead).
    fn header(&self) -> Option<String> {
        match self {
            Auth::None | Auth::Digest { .. } => None,
            Auth::Bearer(token) => Some(format!("Bearer {token}")),
            Auth::Basic { user, password } => {
                Some(format!("Basic {}", http::base64(format!("{user}:{password}").as_bytes())))
            }
        }
    }
}

/// Settings of one push.
#[derive(Debug, Clone)]
pub struct PushConfig {
    /// The graph store service URL (GSP) or the update endpoint URL (update),
    /// `http://` or `https://`, without credentials.
    pub endpoint: String,
    /// How graphs are written. [`PushConfig::new`] sets [`Protocol::Gsp`].
    pub protocol: Protocol,
    /// Credentials. [`PushConfig::new`] sets none.
    pub auth: Auth,
    /// When set, graph names under `https://w3id.org/migraph/` are renamed under this
    /// prefix instead (`{prefix}graph/catalogue`, `{prefix}id/doc/…`), so that several
    /// producers can share one store. Only graph names change, not the triples. Unset
    /// by default.
    pub graph_prefix: Option<String>,
    /// Send only the graphs whose content hash differs from the one recorded at the
    /// last successful push to this endpoint. Off by default (every graph is sent).
    pub only_changed: bool,
    /// Most triples per request. Default [`DEFAULT_CHUNK_TRIPLES`].
    pub chunk_triples: usize,
    /// Graphs sent at once, each over its own connection (at least 1). The chunks of one
    /// graph are always sent in order by one job. Memory grows with `jobs ×
    /// chunk_triples`, not with graph size. Default [`default_jobs`].
    pub jobs: usize,
    /// Retries of a request after a 5xx, 408, 429 or a failed connection. Default
    /// [`DEFAULT_RETRIES`].
    pub retries: u32,
    /// Wait before the first retry; doubled at each further one, at most 30 s.
    /// Default [`DEFAULT_BACKOFF`].
    pub backoff: Duration,
    /// Longest time one request may take, from connecting to the end of the answer.
    /// Default [`DEFAULT_TIMEOUT`].
    pub timeout: Duration,
    /// The push state file ([`PushState::path_in`] of the store folder). `None` (an
    /// in-memory store) disables `only_changed` and remote removal of deleted graphs.
    pub state_file: Option<PathBuf>,
}

impl PushConfig {
    /// A GSP push to `endpoint` with no credentials, no state file and the defaults
    /// documented on each field.
    pub fn new(endpoint: impl Into<String>) -> PushConfig {
        PushConfig {
            endpoint: endpoint.into(),
            protocol: Protocol::Gsp,
            auth: Auth::None,
            graph_prefix: None,
            only_changed: false,
            chunk_triples: DEFAULT_CHUNK_TRIPLES,
            jobs: default_jobs(),
            retries: DEFAULT_RETRIES,
            backoff: DEFAULT_BACKOFF,
            timeout: DEFAULT_TIMEOUT,
            state_file: None,
        }
    }

    /// The key of this endpoint in the push state: protocol and URL, since the same URL
    /// reached by another protocol may be another service.
    fn state_key(&self) -> String {
        format!("{} {}", self.protocol.as_str(), self.endpoint)
    }

    /// The name a local graph gets on the server.
    fn target_graph(&self, iri: &str) -> String {
        match (&self.graph_prefix, iri.strip_prefix(MIGRAPH_BASE)) {
            (Some(prefix), Some(rest)) => format!("{prefix}{rest}"),
            _ => iri.to_owned(),
        }
    }
}

/// What happened, as it happens, for progress bars and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PushEvent {
    /// The push starts with this many local graphs.
    Started {
        /// Number of graphs in the local store.
        graphs: usize,
    },
    /// A graph is unchanged since its last push to this endpoint (`--only-changed`).
    GraphSkipped {
        /// Graph IRI on the server.
        graph: String,
    },
    /// One request with triples of a graph succeeded.
    ChunkSent {
        /// Graph IRI on the server.
        graph: String,
        /// Chunk number within the graph, from 0.
        chunk: usize,
        /// Triples in this chunk.
        triples: u64,
    },
    /// Every chunk of a graph was accepted.
    GraphSent {
        /// Graph IRI on the server.
        graph: String,
        /// Triples sent.
        triples: u64,
        /// N-Triples bytes sent.
        bytes: u64,
    },
    /// A graph pushed earlier but no longer in the local store was removed.
    GraphDeleted {
        /// Graph IRI on the server.
        graph: String,
    },
    /// A graph did not go through; it is listed in [`PushSummary::failed`].
    GraphFailed {
        /// Graph IRI on the server.
        graph: String,
        /// Why.
        error: String,
    },
    /// A request failed in a way that may pass, and is tried again after `delay`.
    Retrying {
        /// Graph IRI on the server.
        graph: String,
        /// The attempt that failed, from 1.
        attempt: u32,
        /// The wait before the next attempt.
        delay: Duration,
        /// The status and server message, or the connection error.
        reason: String,
    },
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushSummary {
    /// Graphs sent completely.
    pub graphs_sent: usize,
    /// Graphs not sent because unchanged (`--only-changed`).
    pub graphs_skipped: usize,
    /// Graphs removed from the server because they left the local store.
    pub graphs_deleted: usize,
    /// Triples sent.
    pub triples: u64,
    /// N-Triples bytes sent (request bodies, without protocol framing).
    pub bytes: u64,
    /// Requests that succeeded.
    pub requests: u64,
    /// Graph IRIs (as named on the server) that did not go through and must be pushed
    /// again; empty when the push succeeded.
    pub failed: Vec<String>,
}

/// Why a push failed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The endpoint URL is unusable.
    #[error("invalid push endpoint {endpoint:?}: {reason}")]
    Endpoint {
        /// The URL given.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A graph name (after `graph_prefix`) cannot be written in a request.
    #[error("invalid graph IRI {iri:?}: {reason}")]
    GraphIri {
        /// The graph IRI.
        iri: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The graphs of the local store cannot be listed.
    #[error("cannot list the graphs of the local store")]
    Source(#[from] SourceError),
    /// The push state file cannot be read or written.
    #[error(transparent)]
    State(#[from] StateError),
    /// Some graphs did not go through; `summary.failed` lists them.
    #[error(
        "push to {endpoint} incomplete: {} graph(s) to push again ({}); first error: {first_error}",
        summary.failed.len(),
        abbreviate(&summary.failed)
    )]
    Incomplete {
        /// The endpoint URL.
        endpoint: String,
        /// What did go through, and `failed`.
        summary: PushSummary,
        /// The error of the first failed graph.
        first_error: String,
    },
}

/// The first few IRIs of a list, for a one-line message.
fn abbreviate(iris: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = iris.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if iris.len() > SHOWN {
        text.push_str(&format!(" and {} more", iris.len() - SHOWN));
    }
    text
}

/// Pushes every named graph of the local store to the server described by `config`,
/// reporting each step to `progress`. The store is only read; open it with
/// [`GraphStore::open_read_only`] so `migraph serve` can keep running.
///
/// # Returns
/// The summary when every graph went through; [`PushError::Incomplete`] (holding the
/// summary and the graphs to push again) when some did not.
pub fn push(
    store: &GraphStore,
    config: &PushConfig,
    progress: &mut dyn FnMut(PushEvent),
) -> Result<PushSummary, PushError> {
    push_from(&StoreSource::new(store), config, progress)
}

/// Pushes every graph of `source` to the server described by `config`, reporting each
/// step to `progress`.
///
/// # Returns
/// The summary when every graph went through; [`PushError::Incomplete`] (holding the
/// summary and the graphs to push again) when some did not.
pub fn push_from(
    source: &dyn GraphSource,
    config: &PushConfig,
    progress: &mut dyn FnMut(PushEvent),
) -> Result<PushSummary, PushError> {
    check_endpoint(&config.endpoint)?;
    let digest = match &config.auth {
        Auth::Digest { user, password } => Some((user.clone(), password.clone())),
        Auth::None | Auth::Bearer(_) | Auth::Basic { .. } => None,
    };
    let transport = UreqTransport::new(config.timeout, config.jobs, digest);
    run(source, config, transport, std::thread::sleep, progress)
}

/// A failure of one graph.
#[derive(Debug, thiserror::Error)]
enum GraphError {
    #[error(transparent)]
    Send(#[from] SendError),
    #[error(transparent)]
    Source(#[from] SourceError),
}

impl GraphError {
    fn stops_push(&self) -> bool {
        match self {
            GraphError::Send(err) => err.stops_push(),
            GraphError::Source(_) => false,
        }
    }
}

/// The push itself, over any transport (the tests script one; each job sends through
/// its own clone of it) and sleep function.
///
/// Graphs go in three phases, in the source's order: the first graph alone (so an
/// unreachable server or refused credentials cost one request, not one per job), then
/// the others but the last, up to [`PushConfig::jobs`] at once, then the last graph once
/// every other one is done (migraph's catalogue, which readers must find only after the
/// documents it lists). Jobs send their events to this thread, which alone calls
/// `progress` and builds the summary; the push state is shared under a lock.
fn run<T: Transport + Clone + Send>(
    source: &dyn GraphSource,
    config: &PushConfig,
    transport: T,
    sleep: fn(Duration),
    progress: &mut dyn FnMut(PushEvent),
) -> Result<PushSummary, PushError> {
    let _span = tracing::info_span!("push", endpoint = %config.endpoint).entered();
    let local = source.graphs()?;
    let graphs: Vec<(String, String)> =
        local.into_iter().map(|iri| (config.target_graph(&iri), iri)).collect();
    for (target, _) in &graphs {
        check_graph_iri(target)?;
    }
    let key = config.state_key();
    if config.only_changed && config.state_file.is_none() {
        tracing::warn!("no push state file (in-memory store): every graph is sent");
    }
    let state = match &config.state_file {
        Some(path) => PushState::load(path)?,
        None => PushState::empty(),
    };
    let stale: Vec<String> = state
        .graphs(&key)
        .map(|known| {
            known.keys().filter(|g| !graphs.iter().any(|(t, _)| t == *g)).cloned().collect()
        })
        .unwrap_or_default();

    let mut sender = Sender::new(
        transport,
        &config.endpoint,
        config.protocol,
        config.auth.header(),
        config.retries,
        config.backoff,
        sleep,
    );
    let shared = Shared {
        source,
        config,
        key,
        state: Mutex::new(state),
        stopped: AtomicBool::new(false),
        requests: AtomicU64::new(0),
    };
    let mut tally = Tally::default();
    progress(PushEvent::Started { graphs: graphs.len() });

    let fatal = std::thread::scope(|scope| {
        let (events_tx, events_rx) = mpsc::channel::<PushEvent>();
        let shared = &shared;
        let graphs = &graphs;
        let sender = &mut sender;
        let phases = scope.spawn(move || -> Result<(), PushError> {
            let mut report = |event| {
                // The receiving end lives until every job has ended.
                let _ = events_tx.send(event);
            };
            let (first, rest) = graphs.split_at(graphs.len().min(1));
            let (middle, last) = rest.split_at(rest.len().saturating_sub(1));
            for (target, local) in first {
                shared.push_graph(sender, target, local, &mut report)?;
            }
            shared.push_concurrently(sender, middle, &events_tx)?;
            for (target, local) in last {
                shared.push_graph(sender, target, local, &mut report)?;
            }
            Ok(())
        });
        // Ends when the phases and every job have dropped their end of the channel.
        for event in events_rx {
            tally.count(&event);
            progress(event);
        }
        match phases.join() {
            Ok(result) => result.err(),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    if let Some(fatal) = fatal {
        return Err(fatal);
    }
    let Shared { state, stopped, requests, key, .. } = shared;
    let mut state = state.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut stopped = stopped.into_inner();

    for graph in stale {
        if stopped {
            tally.unsent.push(graph);
            continue;
        }
        match sender.delete_graph(&graph, progress) {
            Ok(()) => {
                state.forget(&key, &graph);
                save(&state, config)?;
                let event = PushEvent::GraphDeleted { graph };
                tally.count(&event);
                progress(event);
            }
            Err(err) => {
                let err = GraphError::from(err);
                stopped = err.stops_push();
                tracing::warn!(%graph, error = %err, "graph not deleted");
                tally.failed_deletions.push(graph.clone());
                let event = PushEvent::GraphFailed { graph, error: err.to_string() };
                tally.count(&event);
                progress(event);
            }
        }
    }

    let mut summary = tally.summary;
    summary.requests = requests.into_inner() + sender.requests;
    // Failed graphs in push order (whatever order the jobs finished in), then the
    // graphs never started because the push stopped, then failed deletions.
    let mut failed: Vec<(usize, String)> = Vec::new();
    for (position, (target, _)) in graphs.iter().enumerate() {
        if tally.errors.contains_key(target) || !tally.done.contains(target) {
            failed.push((position, target.clone()));
        }
    }
    let first_error = failed
        .iter()
        .find_map(|(_, g)| tally.errors.get(g))
        .or_else(|| tally.errors.values().next())
        .cloned();
    summary.failed = failed.into_iter().map(|(_, g)| g).collect();
    for graph in tally.unsent.into_iter().chain(tally.failed_deletions) {
        summary.failed.push(graph);
    }
    tracing::info!(
        sent = summary.graphs_sent,
        skipped = summary.graphs_skipped,
        deleted = summary.graphs_deleted,
        failed = summary.failed.len(),
        triples = summary.triples,
        "push finished"
    );
    match first_error {
        None if summary.failed.is_empty() => Ok(summary),
        first_error => Err(PushError::Incomplete {
            endpoint: config.endpoint.clone(),
            summary,
            first_error: first_error
                .unwrap_or_else(|| "the push stopped before these graphs".to_owned()),
        }),
    }
}

/// What every job of a push reads and writes.
struct Shared<'a> {
    source: &'a dyn GraphSource,
    config: &'a PushConfig,
    /// [`PushConfig::state_key`].
    key: String,
    /// The push state, saved after each change.
    state: Mutex<PushState>,
    /// Set when a failure would repeat for every graph: no job starts another graph.
    stopped: AtomicBool,
    /// Successful requests of the jobs that have ended.
    requests: AtomicU64,
}

impl Shared<'_> {
    fn state(&self) -> std::sync::MutexGuard<'_, PushState> {
        // A job that panicked while holding the lock is re-raised by the scope; the
        // state it left is still a valid value.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sends `graphs` with up to [`PushConfig::jobs`] jobs, each with its own
    /// [`Sender::fork`] of `sender` (its own connection), taking the next graph when
    /// done with one.
    fn push_concurrently<T: Transport + Clone + Send>(
        &self,
        sender: &Sender<T>,
        graphs: &[(String, String)],
        events: &mpsc::Sender<PushEvent>,
    ) -> Result<(), PushError> {
        let jobs = self.config.jobs.clamp(1, graphs.len().max(1));
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..jobs)
                .map(|_| {
                    let mut sender = sender.fork();
                    let events = events.clone();
                    let next = &next;
                    scope.spawn(move || -> Result<(), PushError> {
                        let mut report = |event| {
                            let _ = events.send(event);
                        };
                        let result = loop {
                            if self.stopped.load(Ordering::Relaxed) {
                                break Ok(());
                            }
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            let Some((target, local)) = graphs.get(index) else { break Ok(()) };
                            if let Err(fatal) =
                                self.push_graph(&mut sender, target, local, &mut report)
                            {
                                self.stopped.store(true, Ordering::Relaxed);
                                break Err(fatal);
                            }
                        };
                        self.requests.fetch_add(sender.requests, Ordering::Relaxed);
                        result
                    })
                })
                .collect();
            let mut first = Ok(());
            for worker in workers {
                let result = match worker.join() {
                    Ok(result) => result,
                    Err(panic) => std::panic::resume_unwind(panic),
                };
                if first.is_ok() {
                    first = result;
                }
            }
            first
        })
    }

    /// Sends one graph (or skips it when unchanged), reporting `GraphSkipped`,
    /// `GraphSent` or `GraphFailed`; does nothing once the push has stopped. A failed
    /// graph is reported, not returned: only a push state that cannot be saved is an
    /// error, and it ends the push.
    fn push_graph<T: Transport + Send>(
        &self,
        sender: &mut Sender<T>,
        target: &str,
        local: &str,
        report: &mut dyn FnMut(PushEvent),
    ) -> Result<(), PushError> {
        if self.stopped.load(Ordering::Relaxed) {
            return Ok(());
        }
        let config = self.config;
        let failed = |err: GraphError, report: &mut dyn FnMut(PushEvent)| {
            if err.stops_push() {
                self.stopped.store(true, Ordering::Relaxed);
            }
            tracing::warn!(graph = %target, error = %err, "graph not pushed");
            report(PushEvent::GraphFailed { graph: target.to_owned(), error: err.to_string() });
        };
        if config.only_changed && config.state_file.is_some() {
            let mut hasher = HashWriter::new();
            if let Err(err) = self.source.write_graph(local, &mut hasher) {
                failed(err.into(), report);
                return Ok(());
            }
            let hash = hasher.finish();
            if self.state().hash(&self.key, target) == Some(hash.as_str()) {
                tracing::debug!(graph = %target, "unchanged, skipped");
                report(PushEvent::GraphSkipped { graph: target.to_owned() });
                return Ok(());
            }
        }
        // Forget the graph before sending it: should this push stop half-way, the
        // next `--only-changed` run must not take the half-sent graph for unchanged.
        {
            let mut state = self.state();
            if state.hash(&self.key, target).is_some() {
                state.forget(&self.key, target);
                save(&state, config)?;
            }
        }
        match send_graph(self.source, config, sender, target, local, report) {
            Ok(written) => {
                tracing::debug!(graph = %target, triples = written.triples, "sent");
                {
                    let mut state = self.state();
                    state.record(&self.key, target, &written.hash);
                    save(&state, config)?;
                }
                report(PushEvent::GraphSent {
                    graph: target.to_owned(),
                    triples: written.triples,
                    bytes: written.bytes,
                });
            }
            Err(err) => failed(err, report),
        }
        Ok(())
    }
}

/// The summary as built from the events, on the thread that calls `progress`.
#[derive(Default)]
struct Tally {
    summary: PushSummary,
    /// Graphs that were sent, skipped or failed (every other one was not started).
    done: BTreeSet<String>,
    /// The error of each failed graph.
    errors: BTreeMap<String, String>,
    /// Graphs to delete that were not, because the push stopped.
    unsent: Vec<String>,
    /// Graphs whose deletion failed.
    failed_deletions: Vec<String>,
}

impl Tally {
    fn count(&mut self, event: &PushEvent) {
        match event {
            PushEvent::GraphSkipped { graph } => {
                self.summary.graphs_skipped += 1;
                self.done.insert(graph.clone());
            }
            PushEvent::GraphSent { graph, triples, bytes } => {
                self.summary.graphs_sent += 1;
                self.summary.triples += triples;
                self.summary.bytes += bytes;
                self.done.insert(graph.clone());
            }
            PushEvent::GraphDeleted { .. } => self.summary.graphs_deleted += 1,
            PushEvent::GraphFailed { graph, error } => {
                self.done.insert(graph.clone());
                self.errors.insert(graph.clone(), error.clone());
            }
            PushEvent::Started { .. }
            | PushEvent::ChunkSent { .. }
            | PushEvent::Retrying { .. } => {}
        }
    }
}

fn save(state: &PushState, config: &PushConfig) -> Result<(), PushError> {
    match &config.state_file {
        Some(path) => Ok(state.save(path)?),
        None => Ok(()),
    }
}

/// Dumps graph `local` through a [`ChunkWriter`] and sends each chunk as it fills.
///
/// Reading and sending overlap: a second thread sends chunk *n* while the store
/// streams chunk *n + 1*, through a channel holding one chunk, so at most three chunks
/// are in memory (being filled, queued, being sent). A graph whose blank node turns up
/// after a chunk was sent is sent again whole, since blank node labels do not carry
/// across requests.
fn send_graph<T: Transport + Send>(
    source: &dyn GraphSource,
    config: &PushConfig,
    sender: &mut Sender<T>,
    target: &str,
    local: &str,
    progress: &mut dyn FnMut(PushEvent),
) -> Result<Written, GraphError> {
    let mut whole = false;
    loop {
        let (written, sent) = std::thread::scope(|scope| {
            let (chunks_tx, chunks_rx) = mpsc::sync_channel::<(usize, Vec<u8>, u64)>(1);
            let (events_tx, events_rx) = mpsc::channel::<PushEvent>();
            let sender = &mut *sender;
            let sending = scope.spawn(move || -> Result<(), SendError> {
                // Events go back to the reading thread, which owns `progress`.
                let mut report = |event| {
                    let _ = events_tx.send(event);
                };
                for (index, body, triples) in chunks_rx {
                    sender.send_chunk(target, index, &body, triples, &mut report)?;
                    report(PushEvent::ChunkSent {
                        graph: target.to_owned(),
                        chunk: index,
                        triples,
                    });
                }
                Ok(())
            });
            let mut writer = ChunkWriter::new(config.chunk_triples, whole, |chunk| {
                for event in events_rx.try_iter() {
                    progress(event);
                }
                // A closed channel means the sending thread stopped on an error, which
                // `join` returns below.
                chunks_tx
                    .send((chunk.index, chunk.body.to_vec(), chunk.triples))
                    .map_err(|_| SenderStopped)
            });
            let dumped = source.write_graph(local, &mut writer);
            // The writer's own error explains a failed dump better than the io::Error
            // the store saw.
            let written = match (writer.take_error(), dumped) {
                (Some(err), _) => Err(WriteFailure::Chunk(err)),
                (None, Err(err)) => Err(WriteFailure::Source(err)),
                (None, Ok(())) => writer.finish().map_err(WriteFailure::Chunk),
            };
            drop(chunks_tx);
            let sent = match sending.join() {
                Ok(sent) => sent,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            for event in events_rx.try_iter() {
                progress(event);
            }
            (written, sent)
        });
        // A failed request explains everything that failed after it.
        sent?;
        match written {
            Ok(written) => return Ok(written),
            Err(WriteFailure::Source(err)) => return Err(err.into()),
            Err(WriteFailure::Chunk(ChunkError::BlankNodeAfterCut)) => {
                tracing::info!(graph = %target, "blank nodes: sending the graph in one request");
                whole = true;
            }
            Err(WriteFailure::Chunk(ChunkError::Sink(SenderStopped))) => {
                unreachable!("the sending thread stops early only on an error, returned above")
            }
        }
    }
}

/// Why writing a graph into the chunk writer stopped.
enum WriteFailure {
    Chunk(ChunkError<SenderStopped>),
    Source(SourceError),
}

/// The sending thread has stopped (on an error it reports itself).
#[derive(Debug, thiserror::Error)]
#[error("the sending thread stopped")]
struct SenderStopped;

/// Checks that the endpoint is an absolute `http(s)` URL without credentials or
/// fragment.
fn check_endpoint(endpoint: &str) -> Result<(), PushError> {
    let bad = |reason: &str| {
        Err(PushError::Endpoint { endpoint: endpoint.to_owned(), reason: reason.to_owned() })
    };
    let Some(rest) = endpoint.strip_prefix("http://").or_else(|| endpoint.strip_prefix("https://"))
    else {
        return bad("expected an http:// or https:// URL");
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.is_empty() {
        return bad("no host");
    }
    if authority.contains('@') {
        return bad("credentials belong in --user or --token, not in the URL");
    }
    if endpoint.contains('#') {
        return bad("a URL with a fragment");
    }
    if endpoint.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("a URL with spaces or control characters");
    }
    Ok(())
}

/// Checks that a graph name can be written between `<` and `>` in SPARQL and N-Triples
/// (the characters RFC 3987 and the SPARQL `IRIREF` rule exclude).
fn check_graph_iri(iri: &str) -> Result<(), PushError> {
    let bad = iri
        .chars()
        .find(|&c| c <= ' ' || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\'));
    let reason = match bad {
        _ if !iri.contains(':') => "not an absolute IRI".to_owned(),
        Some(c) => format!("contains {c:?}"),
        None => return Ok(()),
    };
    Err(PushError::GraphIri { iri: iri.to_owned(), reason })
}

#[cfg(test)]
mod tests;
