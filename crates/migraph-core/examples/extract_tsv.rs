//! Runs the extractor over files and prints the relations as gold-format TSV,
//! for scoring with `shared/tools/score.py`.
//!
//! ```text
//! cargo run -p migraph-core --release --example extract_tsv -- \
//!     [--ontology DIR] [--date YYYY-MM-DD] [--dates SOURCES.tsv] [--explain] FILES... > out.tsv
//! ```
//!
//! `--dates` reads a table with `file` and `publication_date` columns (the dev
//! set's `SOURCES.tsv`); `--date` is the date of every other file. `--explain`
//! prints the rule and matched span of every relation to stderr.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use migraph_core::extract::{Resources, explain, extract, write_tsv};
use migraph_core::ingest::{IngestConfig, read_document};
use migraph_core::model::{Entity, IsoDate};

/// Writes a line to stderr (diagnostics and `--explain` output); stdout carries the TSV.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut files = Vec::new();
    let mut ontology: Option<PathBuf> = None;
    let mut default_date: Option<IsoDate> = None;
    let mut dates: HashMap<String, IsoDate> = HashMap::new();
    let mut show = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--ontology" => ontology = args.next().map(PathBuf::from),
            "--date" => default_date = args.next().and_then(|d| d.parse().ok()),
            "--explain" => show = true,
            "--dates" => {
                let Some(p) = args.next() else { continue };
                let Ok(text) = std::fs::read_to_string(&p) else {
                    say!("cannot read {p}");
                    return ExitCode::FAILURE;
                };
                let mut lines = text.lines();
                let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
                let fc = header.iter().position(|c| *c == "file");
                let dc = header.iter().position(|c| *c == "publication_date");
                if let (Some(fc), Some(dc)) = (fc, dc) {
                    for l in lines {
                        let cols: Vec<&str> = l.split('\t').collect();
                        let (Some(f), Some(d)) = (cols.get(fc), cols.get(dc)) else { continue };
                        // A range ("2024-04-29/2024-05-05") counts from its start.
                        if let Ok(d) = d.split('/').next().unwrap_or("").parse() {
                            dates.insert((*f).to_owned(), d);
                        }
                    }
                }
            }
            _ => files.push(PathBuf::from(a)),
        }
    }
    let (res, diags) = match &ontology {
        Some(dir) => match Resources::load(dir) {
            Ok(r) => r,
            Err(e) => {
                say!("error: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => Resources::builtin(),
    };
    for d in diags {
        say!("{d}");
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut header = true;
    for f in files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let date = dates.get(&name).copied().or(default_date);
        let config = IngestConfig { date };
        let doc = match read_document(&f, &config) {
            Ok((Some(doc), _)) => doc,
            Ok((None, diags)) => {
                for d in diags {
                    say!("{d}");
                }
                continue;
            }
            Err(e) => {
                say!("error: {e}");
                continue;
            }
        };
        let x = extract(&doc, &res);
        if show {
            for r in &x.relations {
                say!("{}", explain(r, &x.entities));
            }
        }
        let mut buf = Vec::new();
        if let Err(e) = write_tsv(&mut buf, &x.relations, &x.entities as &[Entity]) {
            say!("error: {e}");
            return ExitCode::FAILURE;
        }
        let text = String::from_utf8_lossy(&buf);
        let body =
            if header { &text[..] } else { text.split_once('\n').map(|(_, b)| b).unwrap_or("") };
        header = false;
        if out.write_all(body.as_bytes()).is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
