//! The HTTP seam of `migraph push`: one request in, one status and body out.
//!
//! [`Transport`] is the only thing the push logic knows about HTTP, so the protocol
//! code (which method, which URL, which body, when to retry) is unit-tested against a
//! recording fake, and [`UreqTransport`] is the one real implementation. This module
//! must not decide anything about retries or protocols: it sends exactly one request
//! and reports what came back.

use std::fmt;
use std::time::Duration;

/// The largest part of an error response body that is kept for the error message;
/// servers sometimes answer a bad request with a whole HTML page.
const MAX_ERROR_BODY: u64 = 4 * 1024;

/// An HTTP method used by the push protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// Replace a graph (Graph Store Protocol).
    Put,
    /// Append to a graph (Graph Store Protocol) or run an update (SPARQL Protocol).
    Post,
    /// Remove a graph (Graph Store Protocol).
    Delete,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        })
    }
}

/// One request: everything is borrowed so a chunk buffer is sent without a copy and can
/// be sent again on retry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'a> {
    pub(crate) method: Method,
    pub(crate) url: &'a str,
    /// `Content-Type` of the body; `None` for a request without a body.
    pub(crate) content_type: Option<&'a str>,
    /// Value of the `Authorization` header, if any.
    pub(crate) authorization: Option<&'a str>,
    pub(crate) body: &'a [u8],
}

/// The status code and (the beginning of) the body of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// A request that got no HTTP response at all: refused or reset connection, timeout,
/// DNS or TLS failure. Always worth a retry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct TransportError {
    pub(crate) message: String,
}

/// Sends one HTTP request.
pub(crate) trait Transport {
    /// Sends `request` and returns the response, whatever its status.
    fn send(&mut self, request: &Request<'_>) -> Result<Response, TransportError>;
}

/// The real transport: a `ureq` agent with a keep-alive connection pool.
pub(crate) struct UreqTransport {
    agent: ureq::Agent,
}

impl UreqTransport {
    /// An agent whose every request (connect, send, receive) must end within `timeout`.
    pub(crate) fn new(timeout: Duration) -> UreqTransport {
        let config = ureq::Agent::config_builder()
            // Statuses are data here: the push logic decides what a 4xx or 5xx means.
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .user_agent(concat!("migraph/", env!("CARGO_PKG_VERSION")))
            .build();
        UreqTransport { agent: ureq::Agent::new_with_config(config) }
    }
}

impl Transport for UreqTransport {
    fn send(&mut self, request: &Request<'_>) -> Result<Response, TransportError> {
        let failed = |err: ureq::Error| TransportError { message: err.to_string() };
        let mut response = match request.method {
            Method::Put | Method::Post => {
                let mut builder = if request.method == Method::Put {
                    self.agent.put(request.url)
                } else {
                    self.agent.post(request.url)
                };
                if let Some(content_type) = request.content_type {
                    builder = builder.header("Content-Type", content_type);
                }
                if let Some(authorization) = request.authorization {
                    builder = builder.header("Authorization", authorization);
                }
                builder.send(request.body).map_err(failed)?
            }
            Method::Delete => {
                let mut builder = self.agent.delete(request.url);
                if let Some(authorization) = request.authorization {
                    builder = builder.header("Authorization", authorization);
                }
                builder.call().map_err(failed)?
            }
        };
        let status = response.status().as_u16();
        // Reading the body also returns the connection to the pool; a body that cannot
        // be read does not change the status the server gave.
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_ERROR_BODY)
            .lossy_utf8(true)
            .read_to_string()
            .unwrap_or_default();
        Ok(Response { status, body })
    }
}

/// Standard base64 (RFC 4648 §4, with padding) of `bytes`, for HTTP Basic credentials.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [group[0], *group.get(1).unwrap_or(&0), *group.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= group.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        // The test vectors of RFC 4648 §10.
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64(input.as_bytes()), expected, "input {input:?}");
        }
        assert_eq!(base64(b"dba:dba"), "ZGJhOmRiYQ==");
    }
}
