//! Debugging aid: prints each sentence ingest finds in a file and the mentions
//! the extractor sees in it (`entity@how`).

use std::io::Write;

use migraph_core::extract::{Resources, extract};
use migraph_core::ingest::{IngestConfig, read_document};

fn main() {
    let (res, _) = Resources::builtin();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for a in std::env::args().skip(1) {
        let Ok((Some(doc), _)) =
            read_document(std::path::Path::new(&a), &IngestConfig { date: None })
        else {
            continue;
        };
        let x = extract(&doc, &res);
        for s in &doc.sentences {
            let _ = writeln!(out, "[{}] {:?}", s.article, doc.slice(s.span));
            let ms: Vec<String> = x
                .mentions
                .iter()
                .filter(|m| m.span.start >= s.span.start && m.span.end <= s.span.end)
                .map(|m| format!("{}={}@{}", doc.slice(m.span), m.entity, m.how))
                .collect();
            let _ = writeln!(out, "    {}", ms.join(" | "));
        }
    }
}
