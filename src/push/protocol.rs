//! The two W3C ways of writing a named graph to a remote store, with retries.
//!
//! - [SPARQL 1.1 Graph Store HTTP Protocol](https://www.w3.org/TR/sparql11-http-rdf-update/):
//!   `PUT {endpoint}?graph={iri}` replaces the graph with the first chunk, `POST` appends
//!   each further chunk, `DELETE` removes the graph.
//! - [SPARQL 1.1 Update](https://www.w3.org/TR/sparql11-update/) over the
//!   [SPARQL 1.1 Protocol](https://www.w3.org/TR/sparql11-protocol/#update-operation):
//!   `POST` of `application/sparql-update` with `DROP SILENT GRAPH <g>` and the first
//!   `INSERT DATA` in one request, then one `INSERT DATA` per further chunk.
//!
//! [`Sender`] turns one chunk into one request, retries server errors (5xx, 408, 429)
//! and failed connections with exponential backoff, and turns every other status into
//! an error that carries the server's own message. It must not read the store or
//! decide which graphs to send.

use std::time::Duration;

use super::http::{Method, Request, Response, Transport, TransportError};
use super::{Protocol, PushEvent};

/// N-Triples, the media type of every Graph Store Protocol body.
const N_TRIPLES: &str = "application/n-triples";
/// Turtle, sent instead when a server answers 415 to N-Triples (N-Triples is a subset
/// of Turtle, so the bytes are the same).
const TURTLE: &str = "text/turtle";
/// The media type of a SPARQL Update request body.
const SPARQL_UPDATE: &str = "application/sparql-update";
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// A request that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SendError {
    /// The server answered with a status that retrying will not change.
    #[error("{method} {url} was rejected with HTTP {status}: {}", server_message(body))]
    Rejected { method: Method, url: String, status: u16, body: String },
    /// The server kept failing (5xx, 408, 429) or could not be reached, up to the last
    /// attempt.
    #[error("{method} {url} failed after {attempts} attempt(s): {last}")]
    Unavailable { method: Method, url: String, attempts: u32, last: String, reached: bool },
}

impl SendError {
    /// Whether this error will hit every other graph too, so the push stops instead of
    /// trying each remaining graph with the same backoff: the server is unreachable,
    /// the credentials are refused, or the endpoint URL is wrong.
    pub(crate) fn stops_push(&self) -> bool {
        match self {
            SendError::Rejected { status, .. } => matches!(status, 401 | 403 | 404 | 405),
            SendError::Unavailable { reached, .. } => !reached,
        }
    }
}

/// The server's message, on one line and without surrounding space; servers often
/// answer errors with a multi-line stack trace or HTML.
fn server_message(body: &str) -> String {
    let message = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if message.is_empty() { "(empty response body)".to_owned() } else { message }
}

/// Sends chunks and deletions to one endpoint.
pub(crate) struct Sender<T: Transport> {
    transport: T,
    endpoint: String,
    protocol: Protocol,
    authorization: Option<String>,
    retries: u32,
    backoff: Duration,
    /// The media type of Graph Store Protocol bodies; switches to Turtle once on 415.
    gsp_media_type: &'static str,
    sleep: fn(Duration),
    /// Number of requests that got a 2xx answer.
    pub(crate) requests: u64,
}

impl<T: Transport> Sender<T> {
    /// A sender that retries up to `retries` times, waiting `backoff`, then twice that,
    /// and so on (at most [`MAX_BACKOFF`]), using `sleep` to wait.
    pub(crate) fn new(
        transport: T,
        endpoint: &str,
        protocol: Protocol,
        authorization: Option<String>,
        retries: u32,
        backoff: Duration,
        sleep: fn(Duration),
    ) -> Sender<T> {
        Sender {
            transport,
            endpoint: endpoint.to_owned(),
            protocol,
            authorization,
            retries,
            backoff,
            gsp_media_type: N_TRIPLES,
            sleep,
            requests: 0,
        }
    }

    /// A sender to the same endpoint over a clone of the transport (for a concurrent
    /// job), knowing what this one learned (a server that wants Turtle), with its own
    /// request count starting at 0.
    pub(crate) fn fork(&self) -> Sender<T>
    where
        T: Clone,
    {
        Sender {
            transport: self.transport.clone(),
            endpoint: self.endpoint.clone(),
            protocol: self.protocol,
            authorization: self.authorization.clone(),
            retries: self.retries,
            backoff: self.backoff,
            gsp_media_type: self.gsp_media_type,
            sleep: self.sleep,
            requests: 0,
        }
    }

    /// Sends chunk `index` of graph `graph`: chunk 0 replaces the graph, later chunks
    /// append to it. `body` holds whole N-Triples lines.
    pub(crate) fn send_chunk(
        &mut self,
        graph: &str,
        index: usize,
        body: &[u8],
        triples: u64,
        progress: &mut dyn FnMut(PushEvent),
    ) -> Result<(), SendError> {
        match self.protocol {
            Protocol::Gsp => {
                let url = gsp_url(&self.endpoint, graph);
                let method = if index == 0 { Method::Put } else { Method::Post };
                self.send(graph, method, &url, Content::Triples, body, progress)
            }
            Protocol::Update => {
                let mut update = Vec::with_capacity(body.len() + 2 * graph.len() + 64);
                if index == 0 {
                    update.extend_from_slice(format!("DROP SILENT GRAPH <{graph}>").as_bytes());
                    if triples > 0 {
                        update.extend_from_slice(b" ;\n");
                    }
                }
                if triples > 0 {
                    update.extend_from_slice(
                        format!("INSERT DATA {{ GRAPH <{graph}> {{\n").as_bytes(),
                    );
                    update.extend_from_slice(body);
                    update.extend_from_slice(b"} }");
                }
                update.push(b'\n');
                let endpoint = self.endpoint.clone();
                self.send(graph, Method::Post, &endpoint, Content::Update, &update, progress)
            }
        }
    }

    /// Removes graph `graph` from the server; a graph that is already absent is fine.
    pub(crate) fn delete_graph(
        &mut self,
        graph: &str,
        progress: &mut dyn FnMut(PushEvent),
    ) -> Result<(), SendError> {
        match self.protocol {
            Protocol::Gsp => {
                let url = gsp_url(&self.endpoint, graph);
                match self.send(graph, Method::Delete, &url, Content::Empty, b"", progress) {
                    Err(SendError::Rejected { status: 404, .. }) => Ok(()),
                    other => other,
                }
            }
            Protocol::Update => {
                let update = format!("DROP SILENT GRAPH <{graph}>\n");
                let endpoint = self.endpoint.clone();
                self.send(
                    graph,
                    Method::Post,
                    &endpoint,
                    Content::Update,
                    update.as_bytes(),
                    progress,
                )
            }
        }
    }

    /// Sends one request, retrying what may succeed later.
    fn send(
        &mut self,
        graph: &str,
        method: Method,
        url: &str,
        content: Content,
        body: &[u8],
        progress: &mut dyn FnMut(PushEvent),
    ) -> Result<(), SendError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let content_type = match content {
                Content::Empty => None,
                Content::Triples => Some(self.gsp_media_type),
                Content::Update => Some(SPARQL_UPDATE),
            };
            let request = Request {
                method,
                url,
                content_type,
                authorization: self.authorization.as_deref(),
                body,
            };
            let (reason, reached) = match self.transport.send(&request) {
                Ok(Response { status, .. }) if (200..300).contains(&status) => {
                    self.requests += 1;
                    return Ok(());
                }
                Ok(Response { status: 415, .. })
                    if content_type == Some(N_TRIPLES) && self.gsp_media_type == N_TRIPLES =>
                {
                    // Same bytes, another name: does not count as an attempt.
                    tracing::info!(%url, "server refuses N-Triples, sending Turtle instead");
                    self.gsp_media_type = TURTLE;
                    attempt -= 1;
                    continue;
                }
                Ok(Response { status, body }) if is_retryable(status) => {
                    (format!("HTTP {status}: {}", server_message(&body)), true)
                }
                Ok(Response { status, body }) => {
                    return Err(SendError::Rejected { method, url: url.to_owned(), status, body });
                }
                Err(TransportError { message }) => (message, false),
            };
            if attempt > self.retries {
                return Err(SendError::Unavailable {
                    method,
                    url: url.to_owned(),
                    attempts: attempt,
                    last: reason,
                    reached,
                });
            }
            let delay = backoff(self.backoff, attempt);
            tracing::warn!(%method, %url, attempt, ?delay, %reason, "retrying");
            progress(PushEvent::Retrying { graph: graph.to_owned(), attempt, delay, reason });
            (self.sleep)(delay);
        }
    }
}

/// What a request body holds, which decides its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    /// No body (`DELETE`).
    Empty,
    /// N-Triples (or Turtle, after a 415) for the Graph Store Protocol.
    Triples,
    /// A SPARQL Update request.
    Update,
}

/// Statuses that mean "try again later": server errors, request timeout, rate limit.
fn is_retryable(status: u16) -> bool {
    status >= 500 || status == 408 || status == 429
}

/// The wait before attempt `attempt + 1`: `base`, `2 × base`, `4 × base`… capped.
fn backoff(base: Duration, attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

/// The Graph Store Protocol URL of a graph: `{endpoint}?graph={percent-encoded iri}`
/// (indirect graph identification, which every store supports).
pub(crate) fn gsp_url(endpoint: &str, graph: &str) -> String {
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{separator}graph={}", percent_encode(graph))
}

/// Percent-encodes every byte outside the RFC 3986 unreserved set.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request as recorded: method, URL, content type, authorization, body.
    type Seen = (Method, String, Option<String>, Option<String>, String);

    /// A transport that records requests and answers from a script.
    struct Scripted {
        answers: Vec<Result<Response, TransportError>>,
        seen: Vec<Seen>,
    }

    impl Transport for Scripted {
        fn send(&mut self, request: &Request<'_>) -> Result<Response, TransportError> {
            self.seen.push((
                request.method,
                request.url.to_owned(),
                request.content_type.map(str::to_owned),
                request.authorization.map(str::to_owned),
                String::from_utf8_lossy(request.body).into_owned(),
            ));
            if self.answers.is_empty() { Ok(ok()) } else { self.answers.remove(0) }
        }
    }

    fn ok() -> Response {
        Response { status: 204, body: String::new() }
    }

    fn status(status: u16, body: &str) -> Result<Response, TransportError> {
        Ok(Response { status, body: body.to_owned() })
    }

    fn sender(
        protocol: Protocol,
        answers: Vec<Result<Response, TransportError>>,
    ) -> Sender<Scripted> {
        let transport = Scripted { answers, seen: Vec::new() };
        Sender::new(
            transport,
            "http://127.0.0.1:1/store",
            protocol,
            Some("Bearer t".to_owned()),
            2,
            Duration::from_millis(1),
            |_| {},
        )
    }

    const G: &str = "https://w3id.org/migraph/id/doc/a%20b.txt";
    const LINE: &str = "<http://e/s> <http://e/p> <http://e/o> .\n";

    #[test]
    fn sender_gsp_puts_the_first_chunk_and_posts_the_rest() {
        let mut s = sender(Protocol::Gsp, vec![]);
        s.send_chunk(G, 0, LINE.as_bytes(), 1, &mut |_| {}).expect("sent");
        s.send_chunk(G, 1, LINE.as_bytes(), 1, &mut |_| {}).expect("sent");
        let url = "http://127.0.0.1:1/store?graph=https%3A%2F%2Fw3id.org%2Fmigraph%2Fid%2Fdoc%2Fa%2520b.txt";
        let seen = &s.transport.seen;
        assert_eq!(seen[0].0, Method::Put);
        assert_eq!(seen[1].0, Method::Post);
        for request in seen {
            assert_eq!(request.1, url);
            assert_eq!(request.2.as_deref(), Some(N_TRIPLES));
            assert_eq!(request.3.as_deref(), Some("Bearer t"));
            assert_eq!(request.4, LINE);
        }
        assert_eq!(s.requests, 2);
    }

    #[test]
    fn sender_update_drops_then_inserts_in_one_request() {
        let mut s = sender(Protocol::Update, vec![]);
        s.send_chunk(G, 0, LINE.as_bytes(), 1, &mut |_| {}).expect("sent");
        s.send_chunk(G, 1, LINE.as_bytes(), 1, &mut |_| {}).expect("sent");
        s.send_chunk("http://g/empty", 0, b"", 0, &mut |_| {}).expect("sent");
        let seen = &s.transport.seen;
        assert!(seen.iter().all(|r| r.0 == Method::Post && r.1 == "http://127.0.0.1:1/store"));
        assert!(seen.iter().all(|r| r.2.as_deref() == Some(SPARQL_UPDATE)));
        assert_eq!(
            seen[0].4,
            format!("DROP SILENT GRAPH <{G}> ;\nINSERT DATA {{ GRAPH <{G}> {{\n{LINE}}} }}\n")
        );
        assert_eq!(seen[1].4, format!("INSERT DATA {{ GRAPH <{G}> {{\n{LINE}}} }}\n"));
        assert_eq!(seen[2].4, "DROP SILENT GRAPH <http://g/empty>\n");
    }

    #[test]
    fn sender_retries_server_errors_and_lost_connections() {
        let lost = Err(TransportError { message: "connection reset".to_owned() });
        let mut s = sender(Protocol::Gsp, vec![status(503, "busy"), lost]);
        let mut retries = Vec::new();
        s.send_chunk(G, 0, LINE.as_bytes(), 1, &mut |e| retries.push(e)).expect("third try");
        assert_eq!(s.transport.seen.len(), 3);
        assert_eq!(retries.len(), 2);
        assert!(
            matches!(&retries[0], PushEvent::Retrying { attempt: 1, reason, .. } if reason == "HTTP 503: busy")
        );
    }

    #[test]
    fn sender_gives_up_after_the_last_retry() {
        let answers = vec![status(500, "a"), status(502, "b"), status(504, "c")];
        let mut s = sender(Protocol::Gsp, answers);
        let err = s.send_chunk(G, 0, LINE.as_bytes(), 1, &mut |_| {}).expect_err("3 failures");
        assert!(matches!(&err, SendError::Unavailable { attempts: 3, reached: true, .. }));
        assert!(err.to_string().contains("HTTP 504: c"), "{err}");
        assert!(!err.stops_push());
    }

    #[test]
    fn sender_reports_a_client_error_with_the_server_message_at_once() {
        let answers = vec![status(400, "Parse error\n  at line 1\n")];
        let mut s = sender(Protocol::Gsp, answers);
        let err = s.send_chunk(G, 0, LINE.as_bytes(), 1, &mut |_| {}).expect_err("400");
        assert_eq!(s.transport.seen.len(), 1);
        let message = err.to_string();
        assert!(message.contains("HTTP 400: Parse error at line 1"), "{message}");
        assert!(!err.stops_push());
        let mut s = sender(Protocol::Gsp, vec![status(401, "")]);
        let err = s.send_chunk(G, 0, LINE.as_bytes(), 1, &mut |_| {}).expect_err("401");
        assert!(err.stops_push());
        assert!(err.to_string().contains("(empty response body)"));
    }

    #[test]
    fn sender_falls_back_to_turtle_on_415() {
        let mut s = sender(Protocol::Gsp, vec![status(415, "no n-triples here")]);
        s.send_chunk(G, 0, LINE.as_bytes(), 1, &mut |_| {}).expect("sent as turtle");
        s.send_chunk(G, 1, LINE.as_bytes(), 1, &mut |_| {}).expect("sent as turtle");
        let types: Vec<_> = s.transport.seen.iter().map(|r| r.2.clone()).collect();
        assert_eq!(types, [Some(N_TRIPLES.into()), Some(TURTLE.into()), Some(TURTLE.into())]);
    }

    #[test]
    fn sender_delete_accepts_an_absent_graph() {
        let mut s = sender(Protocol::Gsp, vec![status(404, "no graph")]);
        s.delete_graph(G, &mut |_| {}).expect("404 means already gone");
        assert_eq!(s.transport.seen[0].0, Method::Delete);
        let mut s = sender(Protocol::Update, vec![]);
        s.delete_graph(G, &mut |_| {}).expect("dropped");
        assert_eq!(s.transport.seen[0].4, format!("DROP SILENT GRAPH <{G}>\n"));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_millis(100);
        assert_eq!(backoff(base, 1), base);
        assert_eq!(backoff(base, 2), base * 2);
        assert_eq!(backoff(base, 4), base * 8);
        assert_eq!(backoff(base, 40), MAX_BACKOFF);
    }

    #[test]
    fn gsp_url_appends_to_an_existing_query() {
        assert_eq!(gsp_url("http://h/s", "http://g"), "http://h/s?graph=http%3A%2F%2Fg");
        assert_eq!(gsp_url("http://h/s?x=1", "http://g"), "http://h/s?x=1&graph=http%3A%2F%2Fg");
    }
}
