//! HTTP plumbing shared by the endpoints: request errors and their status codes,
//! form decoding, content negotiation, bounded bodies and bounded result buffers.
//!
//! Nothing here touches the store; every function is pure or works on one request,
//! so each rule (which status for which error, which format for which `Accept`)
//! is tested on its own.

use std::fmt;
use std::io;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use migraph_core::model::vocab::percent_decode;

use crate::store::{QueryForm, ResultFormat, StoreError, error_chain};

/// Why a request failed; [`status_for`] maps each variant to one status code.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RequestError {
    /// Malformed parameters, body or IRI.
    #[error("{0}")]
    BadRequest(String),
    /// The SPARQL text does not parse.
    #[error("{0}")]
    Syntax(String),
    /// No such graph.
    #[error("{0}")]
    NotFound(String),
    /// No format the client accepts fits the result.
    #[error("{0}")]
    NotAcceptable(String),
    /// The request body is larger than the configured limit.
    #[error("request body exceeds the limit of {0} bytes")]
    PayloadTooLarge(usize),
    /// The request body's media type is not one this endpoint reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A write without credentials.
    #[error("this operation needs an `Authorization: Bearer <token>` header")]
    Unauthorized,
    /// A write with the wrong credentials, or on a read-only endpoint.
    #[error("{0}")]
    Forbidden(String),
    /// All query slots are taken.
    #[error("too many concurrent queries (limit {0}); retry later")]
    Busy(usize),
    /// The query ran out of time and was cancelled.
    #[error("query exceeded the time limit of {} s and was cancelled", .0.as_secs_f64())]
    Timeout(Duration),
    /// The serialised result is larger than the configured limit.
    #[error("result exceeds the limit of {0} bytes; add a LIMIT or narrow the query")]
    ResultTooLarge(usize),
    /// Storage or another server-side failure.
    #[error("{0}")]
    Internal(String),
}

/// The one place that decides the status code of a failed request.
pub(crate) fn status_for(error: &RequestError) -> StatusCode {
    match error {
        RequestError::BadRequest(_) | RequestError::Syntax(_) => StatusCode::BAD_REQUEST,
        RequestError::NotFound(_) => StatusCode::NOT_FOUND,
        RequestError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
        RequestError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        RequestError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        RequestError::Unauthorized => StatusCode::UNAUTHORIZED,
        RequestError::Forbidden(_) => StatusCode::FORBIDDEN,
        RequestError::Busy(_) | RequestError::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
        RequestError::ResultTooLarge(_) | RequestError::Internal(_) => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

impl From<StoreError> for RequestError {
    fn from(error: StoreError) -> RequestError {
        let message = error_chain(&error);
        match error {
            StoreError::Query { .. } => RequestError::Syntax(message),
            StoreError::InvalidIri { .. } | StoreError::InvalidRdf { .. } => {
                RequestError::BadRequest(message)
            }
            StoreError::FormatMismatch { .. } => RequestError::NotAcceptable(message),
            StoreError::ReadOnly { .. } => RequestError::Forbidden(message),
            StoreError::Io(ref e) => {
                match e.get_ref().and_then(|i| i.downcast_ref::<ResultTooLarge>()) {
                    Some(too_large) => RequestError::ResultTooLarge(too_large.limit),
                    None => RequestError::Internal(message),
                }
            }
            // A query that fails while evaluating (an unsupported SERVICE, a bad
            // custom function) is the client's to fix; storage trouble is ours.
            StoreError::QueryEvaluation(_) | StoreError::UpdateEvaluation(_) => {
                RequestError::BadRequest(message)
            }
            StoreError::Cancelled
            | StoreError::Locked { .. }
            | StoreError::Open { .. }
            | StoreError::Storage { .. }
            | StoreError::Ontology { .. }
            | StoreError::Corrupt { .. }
            | StoreError::ForeignRelation { .. }
            | StoreError::MissingEntity { .. }
            | StoreError::DuplicateStatement { .. }
            | StoreError::UnknownDocument { .. } => RequestError::Internal(message),
        }
    }
}

impl IntoResponse for RequestError {
    fn into_response(self) -> Response {
        let status = status_for(&self);
        if status.is_server_error() {
            tracing::warn!(%status, "{self}");
        } else {
            tracing::debug!(%status, "{self}");
        }
        let mut response = (status, format!("{self}\n")).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        match &self {
            RequestError::Busy(_) | RequestError::Timeout(_) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            RequestError::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            RequestError::BadRequest(_)
            | RequestError::Syntax(_)
            | RequestError::NotFound(_)
            | RequestError::NotAcceptable(_)
            | RequestError::PayloadTooLarge(_)
            | RequestError::UnsupportedMediaType(_)
            | RequestError::Forbidden(_)
            | RequestError::ResultTooLarge(_)
            | RequestError::Internal(_) => {}
        }
        response
    }
}

/// Decodes `application/x-www-form-urlencoded` text (a body or a URI query string).
pub(crate) fn parse_form(text: &[u8]) -> Result<Vec<(String, String)>, RequestError> {
    let malformed =
        || RequestError::BadRequest("malformed form or query-string encoding".to_owned());
    let text = std::str::from_utf8(text).map_err(|_| malformed())?;
    let mut pairs = Vec::new();
    for part in text.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let decode = |s: &str| percent_decode(&s.replace('+', " ")).ok_or_else(malformed);
        pairs.push((decode(key)?, decode(value)?));
    }
    Ok(pairs)
}

/// The values of one parameter, in order.
pub(crate) fn values<'a>(pairs: &'a [(String, String)], key: &str) -> Vec<&'a str> {
    pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
}

/// The single value of a parameter; an error when it is repeated.
pub(crate) fn single<'a>(
    pairs: &'a [(String, String)],
    key: &str,
) -> Result<Option<&'a str>, RequestError> {
    match values(pairs, key).as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        _ => Err(RequestError::BadRequest(format!("the {key} parameter must be given once"))),
    }
}

/// The media type of a request body, lowercase and without parameters.
pub(crate) fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

/// Reads a request body of at most `limit` bytes.
pub(crate) async fn read_body(body: Body, limit: usize) -> Result<Bytes, RequestError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        // axum reports the limit as an http-body-util `LengthLimitError` in the
        // error's source chain; anything else is a broken upload.
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(err) = source {
            if err.to_string() == "length limit exceeded" {
                return RequestError::PayloadTooLarge(limit);
            }
            source = err.source();
        }
        RequestError::BadRequest(format!("cannot read the request body: {e}"))
    })
}

/// One media range of an `Accept` header.
#[derive(Debug, PartialEq)]
struct MediaRange {
    essence: String,
    q: f32,
}

/// Parses an `Accept` header into media ranges, best first (stable for equal q).
fn parse_accept(accept: &str) -> Vec<MediaRange> {
    let mut ranges: Vec<MediaRange> = accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let essence = parts.next()?.trim().to_ascii_lowercase();
            if essence.is_empty() {
                return None;
            }
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .filter_map(|q| q.trim().parse::<f32>().ok())
                .next()
                .unwrap_or(1.0);
            Some(MediaRange { essence, q })
        })
        .collect();
    ranges.sort_by(|a, b| b.q.total_cmp(&a.q));
    ranges
}

/// Picks the format of a response among `offered` (default first).
///
/// A `format` parameter (a name such as `csv` or a media type) wins over the
/// `Accept` header; without either the default is used. `q=0` ranges are refused.
///
/// # Errors
/// [`RequestError::NotAcceptable`] listing the offered media types.
pub(crate) fn negotiate(
    offered: &[ResultFormat],
    accept: Option<&str>,
    format_param: Option<&str>,
    what: &dyn fmt::Display,
) -> Result<ResultFormat, RequestError> {
    let refuse = |asked: &str| {
        let names = offered.iter().map(|f| f.media_type()).collect::<Vec<_>>().join(", ");
        RequestError::NotAcceptable(format!(
            "{what} cannot be returned as {asked}; available: {names}"
        ))
    };
    if let Some(name) = format_param {
        return match name.parse::<ResultFormat>() {
            Ok(format) if offered.contains(&format) => Ok(format),
            // Clients such as SPARQLWrapper send `format=xml` or `format=json`
            // whatever the query form; for a graph result they mean RDF/XML or
            // JSON-LD, as for a solution result they mean the SPARQL results format.
            Ok(format) => match same_syntax(format) {
                Some(sibling) if offered.contains(&sibling) => Ok(sibling),
                Some(_) | None => Err(refuse(name)),
            },
            Err(_) => Err(refuse(name)),
        };
    }
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return offered.first().copied().ok_or_else(|| refuse("anything"));
    };
    for range in parse_accept(accept) {
        if range.q <= 0.0 {
            continue;
        }
        let found = if range.essence == "*/*" {
            offered.first().copied()
        } else if let Some(kind) = range.essence.strip_suffix("/*") {
            offered.iter().copied().find(|f| f.media_type().split('/').next() == Some(kind))
        } else {
            ResultFormat::from_media_type(&range.essence).filter(|f| offered.contains(f))
        };
        if let Some(format) = found {
            return Ok(format);
        }
    }
    Err(refuse(accept))
}

/// The format in the same base syntax (XML or JSON) for the other kind of result:
/// SPARQL results XML and RDF/XML, SPARQL results JSON and JSON-LD.
fn same_syntax(format: ResultFormat) -> Option<ResultFormat> {
    match format {
        ResultFormat::Xml => Some(ResultFormat::RdfXml),
        ResultFormat::RdfXml => Some(ResultFormat::Xml),
        ResultFormat::Json => Some(ResultFormat::JsonLd),
        ResultFormat::JsonLd => Some(ResultFormat::Json),
        ResultFormat::Csv
        | ResultFormat::Tsv
        | ResultFormat::Turtle
        | ResultFormat::NTriples
        | ResultFormat::NQuads
        | ResultFormat::TriG => None,
    }
}

/// Picks the result format of a query of `form`.
pub(crate) fn negotiate_query(
    form: QueryForm,
    accept: Option<&str>,
    format_param: Option<&str>,
) -> Result<ResultFormat, RequestError> {
    negotiate(form.formats(), accept, format_param, &format_args!("a {form} result"))
}

/// Marker error for a result that outgrew its buffer.
#[derive(Debug, thiserror::Error)]
#[error("result exceeds {limit} bytes")]
pub(crate) struct ResultTooLarge {
    pub(crate) limit: usize,
}

/// A `Vec<u8>` writer that fails once it would grow past a limit, so that a result
/// is either complete or an error, never a truncated 200 response.
pub(crate) struct LimitedBuffer {
    buffer: Vec<u8>,
    limit: usize,
}

impl LimitedBuffer {
    pub(crate) fn new(limit: usize) -> LimitedBuffer {
        LimitedBuffer { buffer: Vec::new(), limit }
    }

    pub(crate) fn into_inner(self) -> Vec<u8> {
        self.buffer
    }
}

impl io::Write for LimitedBuffer {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buffer.len().saturating_add(data.len()) > self.limit {
            return Err(io::Error::other(ResultTooLarge { limit: self.limit }));
        }
        self.buffer.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Compares two secrets in time independent of where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn protocol_parse_form_decodes_plus_and_escapes() {
        let pairs = parse_form(b"query=SELECT+*+%7B%7D&format=csv&&flag").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("query".to_owned(), "SELECT * {}".to_owned()),
                ("format".to_owned(), "csv".to_owned()),
                ("flag".to_owned(), String::new()),
            ]
        );
        assert_eq!(parse_form(b"a=%2B").unwrap()[0].1, "+");
        assert!(parse_form(b"a=%zz").is_err());
        assert!(single(&parse_form(b"q=1&q=2").unwrap(), "q").is_err());
    }

    #[test]
    fn protocol_negotiate_follows_accept_and_format() {
        let select = QueryForm::Select;
        assert_eq!(negotiate_query(select, None, None).unwrap(), ResultFormat::Json);
        assert_eq!(negotiate_query(select, Some("text/csv"), None).unwrap(), ResultFormat::Csv);
        assert_eq!(
            negotiate_query(select, Some("text/csv;q=0.5, application/sparql-results+xml"), None)
                .unwrap(),
            ResultFormat::Xml
        );
        assert_eq!(negotiate_query(select, Some("text/*"), None).unwrap(), ResultFormat::Csv);
        assert_eq!(negotiate_query(select, Some("*/*;q=0.1"), None).unwrap(), ResultFormat::Json);
        assert_eq!(
            negotiate_query(select, Some("text/turtle"), Some("tsv")).unwrap(),
            ResultFormat::Tsv
        );
        let construct = QueryForm::Construct;
        assert_eq!(negotiate_query(construct, Some("*/*"), None).unwrap(), ResultFormat::Turtle);
        assert_eq!(
            negotiate_query(construct, Some("application/n-triples"), None).unwrap(),
            ResultFormat::NTriples
        );
        // `format=xml` and `format=json` name the syntax, whatever the query form.
        assert_eq!(negotiate_query(construct, None, Some("xml")).unwrap(), ResultFormat::RdfXml);
        assert_eq!(negotiate_query(construct, None, Some("json")).unwrap(), ResultFormat::JsonLd);
        assert_eq!(negotiate_query(select, None, Some("rdfxml")).unwrap(), ResultFormat::Xml);
        for (accept, format) in
            [(Some("text/csv"), None), (Some("text/csv;q=0"), None), (None, Some("tsv"))]
        {
            let err = negotiate_query(construct, accept, format).unwrap_err();
            assert_eq!(status_for(&err), StatusCode::NOT_ACCEPTABLE, "{accept:?} {format:?}");
        }
    }

    #[test]
    fn protocol_limited_buffer_refuses_to_grow_past_limit() {
        let mut buffer = LimitedBuffer::new(4);
        buffer.write_all(b"abcd").unwrap();
        let err = buffer.write_all(b"e").unwrap_err();
        let store_error = RequestError::from(StoreError::Io(err));
        assert!(matches!(store_error, RequestError::ResultTooLarge(4)));
        assert_eq!(buffer.into_inner(), b"abcd");
    }

    #[test]
    fn protocol_same_secret_compares_whole_strings() {
        assert!(same_secret("token", "token"));
        assert!(!same_secret("token", "tokem"));
        assert!(!same_secret("token", "token2"));
    }
}
