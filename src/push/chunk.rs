//! Cutting an N-Triples stream into bounded chunks while it is written.
//!
//! The store dumps a graph into an `io::Write`; [`ChunkWriter`] is that writer. It keeps
//! at most one chunk of whole lines in memory, hands each full chunk to a sink (which
//! sends it), and hashes and counts everything on the way, so pushing a graph of any
//! size needs memory for one chunk only. It must not know about HTTP: the sink decides
//! what a chunk becomes.
//!
//! Blank nodes need care: a blank node label is scoped to one request, so a graph whose
//! blank node appears in two chunks would arrive as two different nodes. The writer
//! therefore stops cutting a graph as soon as it sees a blank node, and reports
//! [`ChunkError::BlankNodeAfterCut`] when one shows up after a chunk was already sent, so
//! the caller can send that graph again in one piece.

use std::io::{self, Write};

use sha2::{Digest, Sha256};

/// One chunk of whole N-Triples lines, ready to send.
#[derive(Debug)]
pub(crate) struct Chunk<'a> {
    /// Position of the chunk in its graph; chunk 0 replaces the graph, later ones append.
    pub(crate) index: usize,
    /// Whole N-Triples lines, each ending with `\n`.
    pub(crate) body: &'a [u8],
    /// Number of lines (triples) in `body`.
    pub(crate) triples: u64,
}

/// Why writing stopped.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ChunkError<E: std::error::Error + 'static> {
    /// The sink failed to send a chunk.
    #[error(transparent)]
    Sink(E),
    /// A blank node appeared after a chunk had been sent; the graph must be sent whole.
    #[error("blank node after a chunk was sent")]
    BlankNodeAfterCut,
}

/// What was written in total, once [`ChunkWriter::finish`] has sent the last chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Written {
    pub(crate) triples: u64,
    pub(crate) bytes: u64,
    pub(crate) chunks: usize,
    /// Hex SHA-256 of all bytes written (see [`HashWriter`]).
    pub(crate) hash: String,
}

/// An `io::Write` that buffers whole lines and calls `sink` with each chunk of
/// `chunk_triples` lines (or with the whole graph, when it holds a blank node).
pub(crate) struct ChunkWriter<F, E>
where
    F: FnMut(Chunk<'_>) -> Result<(), E>,
    E: std::error::Error + 'static,
{
    sink: F,
    chunk_triples: u64,
    /// Whole lines not sent yet.
    buffer: Vec<u8>,
    lines_in_buffer: u64,
    /// The end of a line cut by the previous `write` call.
    partial: Vec<u8>,
    chunks_sent: usize,
    saw_blank_node: bool,
    triples: u64,
    bytes: u64,
    hasher: Sha256,
    /// The first error; once set, every `write` fails so the dump stops.
    error: Option<ChunkError<E>>,
}

impl<F, E> ChunkWriter<F, E>
where
    F: FnMut(Chunk<'_>) -> Result<(), E>,
    E: std::error::Error + 'static,
{
    /// A writer cutting chunks of `chunk_triples` lines (at least 1); with `whole`, the
    /// graph is sent as one chunk whatever its size.
    pub(crate) fn new(chunk_triples: usize, whole: bool, sink: F) -> ChunkWriter<F, E> {
        let chunk_triples = if whole { u64::MAX } else { chunk_triples.max(1) as u64 };
        ChunkWriter {
            sink,
            chunk_triples,
            buffer: Vec::new(),
            lines_in_buffer: 0,
            partial: Vec::new(),
            chunks_sent: 0,
            saw_blank_node: false,
            triples: 0,
            bytes: 0,
            hasher: Sha256::new(),
            error: None,
        }
    }

    /// The error that stopped writing, if any. The store only sees an `io::Error`, so
    /// the caller asks here for the real cause.
    pub(crate) fn take_error(&mut self) -> Option<ChunkError<E>> {
        self.error.take()
    }

    /// Sends what is left (always at least one chunk, so an empty graph is still
    /// replaced by an empty one) and returns the totals.
    pub(crate) fn finish(mut self) -> Result<Written, ChunkError<E>> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        if !self.partial.is_empty() {
            // A dump always ends its last line; this only happens with a truncated
            // stream, whose last line is still a line.
            let mut last = std::mem::take(&mut self.partial);
            last.push(b'\n');
            self.take_line(&last);
            if let Some(error) = self.error.take() {
                return Err(error);
            }
        }
        if self.lines_in_buffer > 0 || self.chunks_sent == 0 {
            self.send_buffer()?;
        }
        let hash = hex(&self.hasher.finalize());
        Ok(Written { triples: self.triples, bytes: self.bytes, chunks: self.chunks_sent, hash })
    }

    fn send_buffer(&mut self) -> Result<(), ChunkError<E>> {
        let chunk =
            Chunk { index: self.chunks_sent, body: &self.buffer, triples: self.lines_in_buffer };
        (self.sink)(chunk).map_err(ChunkError::Sink)?;
        self.chunks_sent += 1;
        self.buffer.clear();
        self.lines_in_buffer = 0;
        Ok(())
    }

    /// Takes one whole line (with its `\n`); records an error instead of returning it.
    fn take_line(&mut self, line: &[u8]) {
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        if !self.saw_blank_node && has_blank_node(line) {
            self.saw_blank_node = true;
            if self.chunks_sent > 0 {
                self.error = Some(ChunkError::BlankNodeAfterCut);
                return;
            }
            self.chunk_triples = u64::MAX;
        }
        self.triples += 1;
        self.bytes += line.len() as u64;
        self.buffer.extend_from_slice(line);
        self.lines_in_buffer += 1;
        if self.lines_in_buffer >= self.chunk_triples
            && let Err(error) = self.send_buffer()
        {
            self.error = Some(error);
        }
    }
}

impl<F, E> Write for ChunkWriter<F, E>
where
    F: FnMut(Chunk<'_>) -> Result<(), E>,
    E: std::error::Error + 'static,
{
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let len = data.len();
        // The hash covers the bytes exactly as dumped, so that it equals the one
        // computed by [`HashWriter`] without cutting anything.
        if self.error.is_none() {
            self.hasher.update(data);
        }
        while self.error.is_none() {
            let Some(end) = data.iter().position(|&b| b == b'\n') else {
                self.partial.extend_from_slice(data);
                break;
            };
            let (line, rest) = data.split_at(end + 1);
            data = rest;
            if self.partial.is_empty() {
                self.take_line(line);
            } else {
                let mut whole = std::mem::take(&mut self.partial);
                whole.extend_from_slice(line);
                self.take_line(&whole);
            }
        }
        match &self.error {
            None => Ok(len),
            Some(error) => Err(io::Error::other(error.to_string())),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// An `io::Write` that only hashes: the content hash of a graph without sending it,
/// for `--only-changed`.
pub(crate) struct HashWriter {
    hasher: Sha256,
}

impl HashWriter {
    /// An empty hash.
    pub(crate) fn new() -> HashWriter {
        HashWriter { hasher: Sha256::new() }
    }

    /// Hex SHA-256 of everything written.
    pub(crate) fn finish(self) -> String {
        hex(&self.hasher.finalize())
    }
}

impl Write for HashWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.hasher.update(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut acc, b| {
        // Writing to a String cannot fail.
        let _ = write!(acc, "{b:02x}");
        acc
    })
}

/// Whether an N-Triples line has a blank node as subject or object (predicates cannot
/// be blank nodes). Literals may contain the text `_:`, so the terms are located
/// instead of searched for.
pub(crate) fn has_blank_node(line: &[u8]) -> bool {
    let line = line.trim_ascii_start();
    if line.starts_with(b"_:") {
        return true;
    }
    // Skip the subject IRI (IRIs cannot contain `>`), then the predicate IRI.
    let mut rest = line;
    for _ in 0..2 {
        let Some(close) = rest.iter().position(|&b| b == b'>') else {
            return false;
        };
        rest = rest[close + 1..].trim_ascii_start();
    }
    rest.starts_with(b"_:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("sink refused")]
    struct Refused;

    fn lines(n: usize) -> String {
        (0..n).map(|i| format!("<http://e/s{i}> <http://e/p> \"o {i}\" .\n")).collect()
    }

    /// Writes `text` in pieces of `piece` bytes and returns the chunks the sink got.
    fn cut(text: &str, chunk: usize, piece: usize) -> (Vec<(usize, u64, String)>, Written) {
        let mut chunks = Vec::new();
        let mut writer = ChunkWriter::new(chunk, false, |c: Chunk<'_>| {
            chunks.push((c.index, c.triples, String::from_utf8_lossy(c.body).into_owned()));
            Ok::<(), Refused>(())
        });
        for part in text.as_bytes().chunks(piece) {
            writer.write_all(part).expect("the sink accepts everything");
        }
        let written = writer.finish().expect("the sink accepts everything");
        (chunks, written)
    }

    #[test]
    fn chunk_writer_cuts_whole_lines_whatever_the_write_sizes() {
        let text = lines(7);
        for piece in [1, 3, 17, 4096] {
            let (chunks, written) = cut(&text, 3, piece);
            let counts: Vec<u64> = chunks.iter().map(|c| c.1).collect();
            assert_eq!(counts, [3, 3, 1], "piece size {piece}");
            assert_eq!(chunks.iter().map(|c| c.2.as_str()).collect::<String>(), text);
            assert!(chunks.iter().all(|c| c.2.ends_with('\n')));
            assert_eq!(written.triples, 7);
            assert_eq!(written.bytes, text.len() as u64);
            assert_eq!(written.chunks, 3);
        }
    }

    #[test]
    fn chunk_writer_sends_one_empty_chunk_for_an_empty_graph() {
        let (chunks, written) = cut("", 10, 10);
        assert_eq!(chunks, [(0, 0, String::new())]);
        assert_eq!(written.triples, 0);
    }

    #[test]
    fn chunk_writer_hash_depends_on_content_only() {
        let (_, a) = cut(&lines(5), 2, 7);
        let (_, b) = cut(&lines(5), 4, 100);
        let (_, c) = cut(&lines(6), 2, 7);
        assert_eq!(a.hash, b.hash);
        assert_ne!(a.hash, c.hash);
        assert_eq!(a.hash.len(), 64);
        let mut alone = HashWriter::new();
        alone.write_all(lines(5).as_bytes()).expect("hashing cannot fail");
        assert_eq!(alone.finish(), a.hash);
    }

    #[test]
    fn chunk_writer_keeps_a_graph_whole_once_it_sees_a_blank_node_early() {
        let text = format!("_:b1 <http://e/p> <http://e/o> .\n{}", lines(5));
        let (chunks, _) = cut(&text, 2, 9);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].1, 6);
    }

    #[test]
    fn chunk_writer_reports_a_blank_node_after_a_cut() {
        let text = format!("{}<http://e/s> <http://e/p> _:b1 .\n", lines(4));
        let mut writer = ChunkWriter::new(2, false, |_: Chunk<'_>| Ok::<(), Refused>(()));
        assert!(writer.write_all(text.as_bytes()).is_err());
        assert!(matches!(writer.finish(), Err(ChunkError::BlankNodeAfterCut)));
    }

    #[test]
    fn chunk_writer_stops_at_the_first_sink_error() {
        let mut calls = 0;
        let mut writer = ChunkWriter::new(1, false, |_: Chunk<'_>| {
            calls += 1;
            Err(Refused)
        });
        assert!(writer.write_all(lines(3).as_bytes()).is_err());
        assert!(matches!(writer.take_error(), Some(ChunkError::Sink(Refused))));
        drop(writer);
        assert_eq!(calls, 1);
    }

    #[test]
    fn has_blank_node_finds_subjects_and_objects_not_literals() {
        assert!(has_blank_node(b"_:a <http://e/p> <http://e/o> .\n"));
        assert!(has_blank_node(b"<http://e/s> <http://e/p> _:x .\n"));
        assert!(!has_blank_node(b"<http://e/s> <http://e/p> \"_:x\" .\n"));
        assert!(!has_blank_node(b"<http://e/s> <http://e/p> <http://e/_:o> .\n"));
    }
}
