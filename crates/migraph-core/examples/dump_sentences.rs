//! Prints the sentences ingest finds in a file, one per line (debugging aid).

use migraph_core::ingest::{IngestConfig, read_document};

fn main() {
    for a in std::env::args().skip(1) {
        if let Ok((Some(doc), _)) = read_document(std::path::Path::new(&a), &IngestConfig { date: None }) {
            for s in &doc.sentences {
                println!("[{}] {:?}", s.article, doc.slice(s.span));
            }
        }
    }
}
