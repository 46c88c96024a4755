//! The SPARQL 1.1 Protocol operations: query (GET and both POST encodings) and
//! update, plus the bounded, cancellable evaluation they share.
//!
//! See <https://www.w3.org/TR/sparql11-protocol/>. Parameters are `query` or
//! `update`, `default-graph-uri` and `named-graph-uri` (repeatable), and the
//! non-standard `format` (a name such as `csv`, or a media type) that overrides
//! `Accept` so that plain links can ask for a download format.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::sparql::CancellationToken;

use super::protocol::{
    LimitedBuffer, RequestError, content_type, negotiate_query, parse_form, read_body, same_secret,
    single, values,
};
use super::{SharedState, describe};
use crate::store::{GraphStore, ParsedQuery, ResultFormat, StoreError};

/// `GET /query?query=…`; without `query`, the service description.
pub(super) async fn query_get(State(state): State<SharedState>, request: Request) -> Response {
    respond(handle_get(&state, request).await)
}

/// `POST /query` with `application/x-www-form-urlencoded` or `application/sparql-query`.
pub(super) async fn query_post(State(state): State<SharedState>, request: Request) -> Response {
    respond(handle_post(&state, request).await)
}

/// `POST /update` with `application/x-www-form-urlencoded` or `application/sparql-update`.
pub(super) async fn update(State(state): State<SharedState>, request: Request) -> Response {
    respond(handle_update(&state, request).await)
}

pub(super) fn respond(result: Result<Response, RequestError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

pub(super) fn accept(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok())
}

async fn handle_get(state: &SharedState, request: Request) -> Result<Response, RequestError> {
    // Only the head is needed; `Parts` (unlike the body) may be shared across awaits.
    let (parts, _body) = request.into_parts();
    let params = parse_form(parts.uri.query().unwrap_or_default().as_bytes())?;
    let format = single(&params, "format")?;
    match single(&params, "query")? {
        Some(query) => {
            let base = endpoint_url(state, &parts);
            execute(state, query, &base, &params, accept(&parts.headers)).await
        }
        None => describe::service_description(state, &parts, format).await,
    }
}

async fn handle_post(state: &SharedState, request: Request) -> Result<Response, RequestError> {
    let (parts, body) = request.into_parts();
    let mut params = parse_form(parts.uri.query().unwrap_or_default().as_bytes())?;
    let limit = state.config.max_body_bytes;
    let query = match content_type(&parts.headers).as_deref() {
        Some("application/x-www-form-urlencoded") => {
            params.extend(parse_form(&read_body(body, limit).await?)?);
            single(&params, "query")?
                .ok_or_else(|| RequestError::BadRequest("missing query parameter".to_owned()))?
                .to_owned()
        }
        Some("application/sparql-query") => {
            if single(&params, "query")?.is_some() {
                return Err(RequestError::BadRequest(
                    "the query is given both in the URL and in the body".to_owned(),
                ));
            }
            let body = read_body(body, limit).await?;
            String::from_utf8(body.to_vec())
                .map_err(|_| RequestError::BadRequest("the query is not UTF-8".to_owned()))?
        }
        other => {
            return Err(RequestError::UnsupportedMediaType(format!(
                "cannot read a query from {}; send application/sparql-query or application/x-www-form-urlencoded",
                other.unwrap_or("a body without Content-Type")
            )));
        }
    };
    let base = endpoint_url(state, &parts);
    execute(state, &query, &base, &params, accept(&parts.headers)).await
}

/// The URL of the endpoint a request was sent to: the base IRI of its query or
/// update, as the SPARQL 1.1 Protocol asks (relative IRIs such as `<s>` resolve
/// against it).
fn endpoint_url(state: &SharedState, parts: &Parts) -> String {
    format!("{}{}", describe::base_url(state, &parts.headers), parts.uri.path())
}

/// `text` with a `BASE` declaration in front, on the same line so that the
/// positions of the user's own lines are unchanged.
fn with_base(text: &str, base: &str) -> String {
    format!("BASE <{base}> {text}")
}

/// Parses a query, resolving relative IRIs against `base`.
///
/// The text is first parsed as sent, so that a syntax error points at the user's
/// own line and column; only a query that fails for want of a base (a relative
/// IRI) is parsed again with the endpoint's URL as its `BASE`.
fn parse_query(sparql: &str, base: &str) -> Result<ParsedQuery, RequestError> {
    match ParsedQuery::parse(sparql) {
        Ok(query) => Ok(query),
        Err(first) => ParsedQuery::parse(&with_base(sparql, base)).map_err(|_| first.into()),
    }
}

/// Runs an update, resolving relative IRIs against `base` like [`parse_query`].
fn run_update(store: &GraphStore, update: &str, base: &str) -> Result<(), RequestError> {
    match store.update(update) {
        Ok(()) => Ok(()),
        // A syntax error means nothing ran, so trying again with a base is safe.
        Err(first @ StoreError::Query { .. }) => {
            store.update(&with_base(update, base)).map_err(|second| match second {
                StoreError::Query { .. } => first.into(),
                other => other.into(),
            })
        }
        Err(other) => Err(other.into()),
    }
}

/// Parses, negotiates, evaluates and answers one query.
async fn execute(
    state: &SharedState,
    sparql: &str,
    base: &str,
    params: &[(String, String)],
    accept: Option<&str>,
) -> Result<Response, RequestError> {
    let mut query = parse_query(sparql, base)?;
    let owned = |key| values(params, key).into_iter().map(str::to_owned).collect::<Vec<_>>();
    query.set_protocol_dataset(&owned("default-graph-uri"), &owned("named-graph-uri"))?;
    let format = negotiate_query(query.form(), accept, single(params, "format")?)?;
    let body = render_blocking(state, move |store, out, cancel| {
        store.evaluate(query, format, out, Some(cancel))?;
        Ok(())
    })
    .await?;
    Ok(formatted(format, body))
}

/// A 200 response with the format's media type.
pub(super) fn formatted(format: ResultFormat, body: Vec<u8>) -> Response {
    let disposition = format!("inline; filename=\"result.{}\"", format.name());
    (
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (header::VARY, "Accept".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// Cancels the evaluation when the request is dropped: on timeout, or when the
/// client goes away before the result is ready.
struct CancelOnDrop(CancellationToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Runs `work` on a blocking thread, holding one of the `max_concurrent` slots.
///
/// Fails fast with 503 when no slot is free. With a `timeout`, the work is cancelled
/// through its token when time runs out and the client gets 503; the slot is only
/// released once the work has really stopped.
pub(super) async fn run_blocking<T, F>(
    state: &SharedState,
    timeout: Option<Duration>,
    work: F,
) -> Result<T, RequestError>
where
    T: Send + 'static,
    F: FnOnce(&GraphStore, CancellationToken) -> Result<T, RequestError> + Send + 'static,
{
    let permit = state
        .slots
        .clone()
        .try_acquire_owned()
        .map_err(|_| RequestError::Busy(state.config.max_concurrent))?;
    let token = CancellationToken::new();
    let guard = CancelOnDrop(token.clone());
    let store = state.store.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&store, token)
    });
    let joined = match timeout {
        Some(limit) => match tokio::time::timeout(limit, task).await {
            Ok(joined) => joined,
            Err(_elapsed) => return Err(RequestError::Timeout(limit)),
        },
        None => task.await,
    };
    // The work has finished: cancelling now is a no-op.
    drop(guard);
    joined.map_err(|e| RequestError::Internal(format!("query task failed: {e}")))?
}

/// Like [`run_blocking`] for work that writes a response body: the output goes to
/// a buffer bounded by `max_result_bytes` and is returned whole.
pub(super) async fn render_blocking<F>(
    state: &SharedState,
    work: F,
) -> Result<Vec<u8>, RequestError>
where
    F: FnOnce(&GraphStore, &mut LimitedBuffer, CancellationToken) -> Result<(), RequestError>
        + Send
        + 'static,
{
    let limit = state.config.max_result_bytes;
    run_blocking(state, Some(state.config.timeout), move |store, token| {
        let mut buffer = LimitedBuffer::new(limit);
        work(store, &mut buffer, token)?;
        Ok(buffer.into_inner())
    })
    .await
}

async fn handle_update(state: &SharedState, request: Request) -> Result<Response, RequestError> {
    authorize(state, request.headers())?;
    let (parts, body) = request.into_parts();
    let mut params = parse_form(parts.uri.query().unwrap_or_default().as_bytes())?;
    let limit = state.config.max_body_bytes;
    let update = match content_type(&parts.headers).as_deref() {
        Some("application/x-www-form-urlencoded") => {
            params.extend(parse_form(&read_body(body, limit).await?)?);
            single(&params, "update")?
                .ok_or_else(|| RequestError::BadRequest("missing update parameter".to_owned()))?
                .to_owned()
        }
        Some("application/sparql-update") => {
            let body = read_body(body, limit).await?;
            String::from_utf8(body.to_vec())
                .map_err(|_| RequestError::BadRequest("the update is not UTF-8".to_owned()))?
        }
        other => {
            return Err(RequestError::UnsupportedMediaType(format!(
                "cannot read an update from {}; send application/sparql-update or application/x-www-form-urlencoded",
                other.unwrap_or("a body without Content-Type")
            )));
        }
    };
    if !values(&params, "using-graph-uri").is_empty()
        || !values(&params, "using-named-graph-uri").is_empty()
    {
        return Err(RequestError::BadRequest(
            "using-graph-uri and using-named-graph-uri are not supported; use USING in the update"
                .to_owned(),
        ));
    }
    // An update cannot be cancelled half-way without leaving the caller unsure of
    // what was written, so it runs to completion (still bounded by the slots).
    let base = endpoint_url(state, &parts);
    run_blocking(state, None, move |store, _cancel| run_update(store, &update, &base)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Checks the bearer token of a write request.
pub(super) fn authorize(state: &SharedState, headers: &HeaderMap) -> Result<(), RequestError> {
    let Some(token) = &state.config.write_token else {
        return Err(RequestError::Forbidden(
            "this endpoint is read-only; start `migraph serve` with a write token to allow writes"
                .to_owned(),
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        None => Err(RequestError::Unauthorized),
        Some(given) if same_secret(given.trim(), token) => Ok(()),
        Some(_) => Err(RequestError::Forbidden("wrong write token".to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://www.example/query";

    #[test]
    fn sparql_parse_query_resolves_relative_iris_against_the_endpoint() {
        let query = parse_query("SELECT * WHERE { <s> <p> ?o }", BASE).unwrap();
        let text = format!("{query:?}");
        assert!(text.contains("http://www.example/s"), "{text}");
        // Absolute IRIs are untouched and need no second parse.
        assert!(parse_query("ASK { <urn:x:a> ?p ?o }", BASE).is_ok());
    }

    #[test]
    fn sparql_parse_query_reports_errors_in_the_users_own_text() {
        let err = parse_query("SELECT * WHERE { <s> ?p }", BASE).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, RequestError::Syntax(_)), "{message}");
        assert!(!message.contains("BASE"), "the retry's text never shows: {message}");
    }

    #[test]
    fn sparql_run_update_resolves_relative_iris() {
        let store = GraphStore::memory().unwrap();
        run_update(&store, "INSERT DATA { <urn:x:s> <urn:x:p> <doc> }", BASE).unwrap();
        let ask = ParsedQuery::parse("ASK { <urn:x:s> <urn:x:p> <http://www.example/doc> }");
        let mut out = Vec::new();
        store.evaluate(ask.unwrap(), ResultFormat::Csv, &mut out, None).unwrap();
        assert_eq!(String::from_utf8(out).unwrap().trim(), "true");
        let err = run_update(&store, "INSERT DATA { <s> }", BASE).unwrap_err();
        assert!(matches!(err, RequestError::Syntax(_)), "{err}");
    }
}
