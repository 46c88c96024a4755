//! The SPARQL 1.1 endpoint over HTTP: query, optional update, Graph Store Protocol
//! reads, service and VoID descriptions, and a small query page.
//!
//! [`router`] builds an axum `Router` over a [`GraphStore`]; it is a plain value that
//! tests drive in process, without a socket. [`run`] binds it to an address and
//! serves until Ctrl-C or SIGTERM, letting requests in flight finish. Queries run on
//! blocking threads, at most `max_concurrent` at a time (more get 503 at once), each
//! cancelled after `timeout` and fully serialised into a bounded buffer before the
//! first byte is sent, so a client gets a complete result or an error status, never
//! a truncated 200. The endpoint is read-only unless a write token is configured.
//!
//! This module never writes to stdout: it logs with `tracing`.

mod describe;
mod graph_store;
mod page;
mod protocol;
mod sparql;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::Semaphore;

use crate::store::GraphStore;

/// How the endpoint is served. There are no defaults here: the CLI states them.
///
/// `Debug` shows whether a write token is set, never the token.
#[derive(Clone)]
pub struct ServeConfig {
    /// Address to listen on; port 0 picks a free port (logged at start).
    pub bind: SocketAddr,
    /// Longest a query may run before it is cancelled with 503.
    pub timeout: Duration,
    /// Queries evaluated at the same time; further requests get 503 at once.
    pub max_concurrent: usize,
    /// Largest accepted request body (POSTed query, update or graph), in bytes.
    pub max_body_bytes: usize,
    /// Largest serialised result, in bytes; a bigger result is an error, not truncated.
    pub max_result_bytes: usize,
    /// Enables `/update` and Graph Store writes for requests that send
    /// `Authorization: Bearer <token>`; `None` keeps the endpoint read-only.
    pub write_token: Option<String>,
}

impl std::fmt::Debug for ServeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeConfig")
            .field("bind", &self.bind)
            .field("timeout", &self.timeout)
            .field("max_concurrent", &self.max_concurrent)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_result_bytes", &self.max_result_bytes)
            .field("write_token", &self.write_token.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// Errors that stop the server (request errors become HTTP statuses instead).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The configuration cannot work.
    #[error("invalid serve configuration: {0}")]
    Config(String),
    /// The async runtime could not start.
    #[error("cannot start the async runtime")]
    Runtime(#[source] io::Error),
    /// The address could not be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// Accepting or serving connections failed.
    #[error("server failed")]
    Serve(#[source] io::Error),
}

/// What every handler shares.
struct AppState {
    store: GraphStore,
    config: ServeConfig,
    /// One permit per query that may run.
    slots: Arc<Semaphore>,
    /// The query page, rendered once.
    page: String,
}

type SharedState = Arc<AppState>;

/// Builds the endpoint's routes over `store`.
///
/// | path | methods | what |
/// |---|---|---|
/// | `/` | GET | HTML query page |
/// | `/query`, `/sparql` | GET, POST | SPARQL 1.1 Protocol query; GET without `query` → service description |
/// | `/update` | POST | SPARQL 1.1 Update (write token required) |
/// | `/store` | GET, PUT, POST, DELETE | Graph Store Protocol (`?graph=IRI`, `?default`; writes need the token) |
/// | `/void` | GET | VoID description with counts |
/// | `/health` | GET | liveness |
///
/// Every response carries `Access-Control-Allow-Origin: *`; `OPTIONS` answers CORS
/// preflight requests.
pub fn router(store: GraphStore, config: ServeConfig) -> Router {
    let slots = Arc::new(Semaphore::new(config.max_concurrent));
    let page = page::render(config.write_token.is_some());
    let state = Arc::new(AppState { store, config, slots, page });
    Router::new()
        .route("/", get(page::index))
        .route("/query", get(sparql::query_get).post(sparql::query_post))
        .route("/sparql", get(sparql::query_get).post(sparql::query_post))
        .route("/update", post(sparql::update))
        .route(
            "/store",
            get(graph_store::read)
                .put(graph_store::write)
                .post(graph_store::write)
                .delete(graph_store::write),
        )
        .route("/void", get(describe::void))
        .route("/health", get(health))
        .fallback(not_found)
        .with_state(state)
        .layer(middleware::from_fn(cors_and_log))
}

/// Serves the endpoint until Ctrl-C or SIGTERM (blocking; builds its own runtime).
///
/// Logs `listening on http://ADDR` once the socket is bound. On a signal it stops
/// accepting connections, lets requests in flight finish, and returns.
///
/// # Errors
/// [`ServeError`] when the configuration is unusable, the runtime cannot start, the
/// address cannot be bound, or serving fails.
pub fn run(store: GraphStore, config: ServeConfig) -> Result<(), ServeError> {
    check(&config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("migraph-serve")
        .build()
        .map_err(ServeError::Runtime)?;
    let grace = config.timeout + Duration::from_secs(1);
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|source| ServeError::Bind { addr: config.bind, source })?;
        serve(listener, store, config, shutdown_signal()).await
    });
    // Queries cancelled by their timeout stop at the next solution; give them that
    // long rather than blocking forever on a runaway evaluation.
    runtime.shutdown_timeout(grace);
    result
}

/// Serves on an already bound listener until `shutdown` completes.
///
/// [`run`] uses it with the process signals; tests use it with a channel.
///
/// # Errors
/// [`ServeError::Config`] for an unusable configuration, [`ServeError::Serve`] when
/// serving fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: GraphStore,
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    check(&config)?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    let read_only = config.write_token.is_none();
    let app = router(store, config);
    tracing::info!(read_only, "listening on http://{addr}");
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await.map_err(ServeError::Serve)?;
    tracing::info!("server stopped");
    Ok(())
}

fn check(config: &ServeConfig) -> Result<(), ServeError> {
    if config.max_concurrent == 0 {
        return Err(ServeError::Config("max_concurrent must be at least 1".to_owned()));
    }
    if config.timeout.is_zero() {
        return Err(ServeError::Config("the query timeout must be positive".to_owned()));
    }
    if config.write_token.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err(ServeError::Config("the write token must not be empty".to_owned()));
    }
    Ok(())
}

/// Completes on Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Adds CORS headers to every response, answers preflight requests, and logs each
/// request with its status and duration.
async fn cors_and_log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = if method == Method::OPTIONS {
        let mut preflight = StatusCode::NO_CONTENT.into_response();
        let headers = preflight.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, HEAD, POST, PUT, DELETE, OPTIONS"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Accept, Authorization, Content-Type"),
        );
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
        preflight
    } else {
        next.run(request).await
    };
    response
        .headers_mut()
        .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

async fn health() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], "{\"status\":\"ok\"}\n").into_response()
}

async fn not_found(request: Request) -> Response {
    let message = format!(
        "no resource at {}; try /query, /update, /store, /void or /health\n",
        request.uri().path()
    );
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message)
        .into_response()
}

#[cfg(test)]
mod tests;
