//! The HTTP seam of `migraph push`: one request in, one status and body out.
//!
//! [`Transport`] is the only thing the push logic knows about HTTP, so the protocol
//! code (which method, which URL, which body, when to retry) is unit-tested against a
//! recording fake, and [`UreqTransport`] is the one real implementation. This module
//! must not decide anything about retries or protocols: it sends exactly one request
//! and reports what came back, answering an HTTP Digest challenge on the way when it
//! holds Digest credentials (ureq has no Digest support, and Virtuoso's authenticated
//! endpoints accept nothing else).

use std::fmt;
use std::time::Duration;

use md5::Digest as _;

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

/// The real transport: a `ureq` agent with a keep-alive connection pool. Clones share
/// the pool (each request in flight has its own connection, reused afterwards) and
/// start from the last Digest challenge seen.
#[derive(Clone)]
pub(crate) struct UreqTransport {
    agent: ureq::Agent,
    digest: Option<Digest>,
}

impl UreqTransport {
    /// An agent whose every request (connect, send, receive) must end within `timeout`,
    /// keeping up to `connections` idle connections to the server for reuse (one per
    /// job); with `digest` credentials (user, password), it answers Digest challenges.
    pub(crate) fn new(
        timeout: Duration,
        connections: usize,
        digest: Option<(String, String)>,
    ) -> UreqTransport {
        let config = ureq::Agent::config_builder()
            .max_idle_connections_per_host(connections.max(1))
            .max_idle_connections(connections.max(10))
            // Statuses are data here: the push logic decides what a 4xx or 5xx means.
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .user_agent(concat!("migraph/", env!("CARGO_PKG_VERSION")))
            .build();
        let digest = digest.map(|(user, password)| Digest { user, password, challenge: None });
        UreqTransport { agent: ureq::Agent::new_with_config(config), digest }
    }
}

impl Transport for UreqTransport {
    fn send(&mut self, request: &Request<'_>) -> Result<Response, TransportError> {
        let Some(digest) = &mut self.digest else {
            return send_once(&self.agent, request).map(|(response, _)| response);
        };
        // Answer the last challenge at once, so a large body is not sent twice. A first
        // request, or one whose nonce expired, gets a 401 with a new challenge: answer
        // that once; a second 401 means the credentials are wrong.
        let mut answered_fresh = false;
        loop {
            let authorization = digest.authorization(request);
            let attempt = Request { authorization: authorization.as_deref(), ..*request };
            let (response, challenge) = send_once(&self.agent, &attempt)?;
            if response.status != 401 || answered_fresh {
                return Ok(response);
            }
            let Some(challenge) = challenge.as_deref().and_then(DigestChallenge::parse) else {
                return Ok(response);
            };
            digest.challenge = Some(challenge);
            answered_fresh = true;
        }
    }
}

/// Sends one request; returns the response and its Digest challenge, if any.
fn send_once(
    agent: &ureq::Agent,
    request: &Request<'_>,
) -> Result<(Response, Option<String>), TransportError> {
    {
        let failed = |err: ureq::Error| TransportError { message: err.to_string() };
        let mut response = match request.method {
            Method::Put | Method::Post => {
                let mut builder = if request.method == Method::Put {
                    agent.put(request.url)
                } else {
                    agent.post(request.url)
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
                let mut builder = agent.delete(request.url);
                if let Some(authorization) = request.authorization {
                    builder = builder.header("Authorization", authorization);
                }
                builder.call().map_err(failed)?
            }
        };
        let status = response.status().as_u16();
        let challenge = response
            .headers()
            .get_all("www-authenticate")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("digest "))
            .map(str::to_owned);
        // Reading the body also returns the connection to the pool; a body that cannot
        // be read does not change the status the server gave.
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_ERROR_BODY)
            .lossy_utf8(true)
            .read_to_string()
            .unwrap_or_default();
        Ok((Response { status, body }, challenge))
    }
}

/// Digest credentials and the server's last challenge.
#[derive(Clone)]
struct Digest {
    user: String,
    password: String,
    challenge: Option<DigestChallenge>,
}

/// The parameters of a `WWW-Authenticate: Digest …` challenge (RFC 7616 §3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
struct DigestChallenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    /// Whether the server offers `qop=auth` (otherwise the RFC 2069 form is used).
    qop_auth: bool,
    sha256: bool,
    /// Requests answered with this nonce so far (the `nc` parameter).
    count: u32,
}

impl DigestChallenge {
    /// Parses the header value; `None` when it lacks a realm or nonce, or asks for an
    /// algorithm other than MD5 or SHA-256.
    fn parse(header: &str) -> Option<DigestChallenge> {
        let params = header.get(7..)?;
        let mut fields = std::collections::HashMap::new();
        let mut rest = params.trim();
        while !rest.is_empty() {
            let (key, after) = rest.split_once('=')?;
            let after = after.trim_start();
            let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
                let end = quoted.find('"')?;
                (&quoted[..end], &quoted[end + 1..])
            } else {
                let end = after.find(',').unwrap_or(after.len());
                (after[..end].trim(), &after[end..])
            };
            fields.insert(key.trim().to_ascii_lowercase(), value.to_owned());
            rest = next.trim_start().trim_start_matches(',').trim_start();
        }
        let sha256 = match fields.get("algorithm").map(|a| a.to_ascii_uppercase()).as_deref() {
            None | Some("MD5") => false,
            Some("SHA-256") => true,
            Some(_) => return None,
        };
        Some(DigestChallenge {
            realm: fields.get("realm")?.clone(),
            nonce: fields.get("nonce")?.clone(),
            opaque: fields.get("opaque").cloned(),
            qop_auth: fields.get("qop").is_some_and(|q| q.split(',').any(|v| v.trim() == "auth")),
            sha256,
            count: 0,
        })
    }
}

impl Digest {
    /// The `Authorization` header answering the last challenge, if there was one.
    fn authorization(&mut self, request: &Request<'_>) -> Option<String> {
        let challenge = self.challenge.as_mut()?;
        challenge.count += 1;
        let hash = |text: String| -> String {
            if challenge.sha256 {
                hex(&sha2::Sha256::digest(text.as_bytes()))
            } else {
                hex(&md5::Md5::digest(text.as_bytes()))
            }
        };
        // The digest covers the request target: path and query, as sent.
        let uri = request_target(request.url);
        let ha1 = hash(format!("{}:{}:{}", self.user, challenge.realm, self.password));
        let ha2 = hash(format!("{}:{uri}", request.method));
        let nc = format!("{:08x}", challenge.count);
        let cnonce = hash(format!("{}:{nc}:{:?}", challenge.nonce, std::time::SystemTime::now()));
        let cnonce = &cnonce[..16];
        let (response, qop) = if challenge.qop_auth {
            let response = hash(format!("{ha1}:{}:{nc}:{cnonce}:auth:{ha2}", challenge.nonce));
            (response, format!(", qop=auth, nc={nc}, cnonce=\"{cnonce}\""))
        } else {
            (hash(format!("{ha1}:{}:{ha2}", challenge.nonce)), String::new())
        };
        let algorithm = if challenge.sha256 { "SHA-256" } else { "MD5" };
        let opaque =
            challenge.opaque.as_ref().map(|o| format!(", opaque=\"{o}\"")).unwrap_or_default();
        Some(format!(
            "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{uri}\", \
             algorithm={algorithm}, response=\"{response}\"{qop}{opaque}",
            self.user, challenge.realm, challenge.nonce
        ))
    }
}

/// The path and query of an absolute URL (`/sparql?x=1` of `http://h:1/sparql?x=1`).
fn request_target(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(start) => &after_scheme[start..],
        None => "/",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
    fn digest_challenge_parses_virtuoso_and_answers_rfc2617_example() {
        let header = "Digest realm=\"SPARQL\", domain=\"/x\", nonce=\"b2f9\", \
                      opaque=\"5ebe\", stale=\"false\", qop=\"auth\", algorithm=\"MD5\"";
        let parsed = DigestChallenge::parse(header).expect("a valid challenge");
        assert_eq!(parsed.realm, "SPARQL");
        assert_eq!(parsed.nonce, "b2f9");
        assert_eq!(parsed.opaque.as_deref(), Some("5ebe"));
        assert!(parsed.qop_auth && !parsed.sha256);
        assert_eq!(DigestChallenge::parse("Digest realm=\"r\", algorithm=SHA-512-256"), None);

        // RFC 2617 §3.5: Mufasa's request, with its cnonce replaced by ours, so only the
        // structure and the hashes without cnonce are checked against the RFC.
        let mut digest = Digest {
            user: "Mufasa".to_owned(),
            password: "Circle Of Life".to_owned(),
            challenge: DigestChallenge::parse(
                "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", \
                 nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", \
                 opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
            ),
        };
        let request = Request {
            method: Method::Put,
            url: "http://www.nowhere.org/dir/index.html",
            content_type: None,
            authorization: None,
            body: b"",
        };
        let header = digest.authorization(&request).expect("a challenge is known");
        assert!(header.starts_with("Digest username=\"Mufasa\", realm=\"testrealm@host.com\""));
        assert!(header.contains("uri=\"/dir/index.html\""), "{header}");
        assert!(header.contains("nc=00000001") && header.contains("qop=auth"), "{header}");
        let again = digest.authorization(&request).expect("a challenge is known");
        assert!(again.contains("nc=00000002"), "{again}");
        // HA1 of the RFC example.
        assert_eq!(
            hex(&md5::Md5::digest(b"Mufasa:testrealm@host.com:Circle Of Life")),
            "939e7578ed9e3c518a452acee763bce9"
        );
    }

    #[test]
    fn request_target_is_path_and_query() {
        assert_eq!(request_target("http://h:1/a/b?graph=x"), "/a/b?graph=x");
        assert_eq!(request_target("https://h"), "/");
    }

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
