//! The pipeline: ingest → extract → store, one document at a time, on every core.
//!
//! The only place that knows the order of the stages. Workers read and extract
//! documents in parallel; results come back in input order through a bounded
//! channel, so memory stays flat in the corpus size and output is deterministic.
//! Writing to the store happens on the calling thread, in small batches of documents;
//! each document is whole or absent after a crash.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use migraph_core::diagnostic::{Diagnostic, Severity};
use migraph_core::extract::{self, Extraction, Resources};
use migraph_core::ingest::{self, Document, IngestConfig};
use migraph_core::model::{DocumentMeta, Entity};

use crate::store::{GraphStore, StoreError};

/// Where extraction resources come from.
#[derive(Debug, Clone)]
pub enum OntologySource {
    /// A folder laid out like the repository's `ontology/` (gazetteer/, patterns).
    Dir(PathBuf),
    /// The copy compiled into the binary.
    Builtin,
}

impl OntologySource {
    /// `--ontology DIR` when given; else `./ontology` when it holds a gazetteer; else builtin.
    pub fn resolve(explicit: Option<PathBuf>) -> OntologySource {
        if let Some(dir) = explicit {
            return OntologySource::Dir(dir);
        }
        let local = PathBuf::from("ontology");
        if local.join("gazetteer").is_dir() {
            OntologySource::Dir(local)
        } else {
            OntologySource::Builtin
        }
    }

    /// Loads the resources, with the diagnostics of bad dictionary lines.
    pub fn load(&self) -> Result<(Resources, Vec<Diagnostic>), extract::ResourceError> {
        match self {
            OntologySource::Dir(dir) => {
                tracing::info!(dir = %dir.display(), "loading extraction resources");
                Resources::load(dir)
            }
            OntologySource::Builtin => {
                tracing::info!("using the extraction resources compiled into the binary");
                Ok(Resources::builtin())
            }
        }
    }
}

/// One input after ingest and extraction.
#[derive(Debug)]
pub struct Processed {
    /// The file.
    pub path: PathBuf,
    /// The document, `None` when the file was skipped (empty, binary, unreadable).
    pub document: Option<Document>,
    /// What extraction found (empty when skipped).
    pub extraction: Extraction,
    /// Diagnostics of ingest and extraction, in that order.
    pub diagnostics: Vec<Diagnostic>,
    /// Extraction was skipped because `skip` said the document is unchanged.
    pub unchanged: bool,
}

/// Reads and extracts `files` on `jobs` threads, calling `sink` for each file in input order.
///
/// # Arguments
/// * `skip` – called on a worker before extraction with the raw file's SHA-256; returning
///   true skips extraction (unchanged documents on rebuild).
///
/// # Complexity
/// Linear in the corpus; at most `2 * jobs` processed documents are held at once.
pub fn process_files<S, F>(
    files: &[PathBuf],
    config: &IngestConfig,
    resources: &Resources,
    jobs: usize,
    skip: S,
    mut sink: F,
) where
    S: Fn(&Document) -> bool + Sync,
    F: FnMut(Processed),
{
    let jobs = jobs.max(1).min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<(usize, Processed)>(2 * jobs);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let tx = tx.clone();
            let next = &next;
            let skip = &skip;
            scope.spawn(move || {
                loop {
                    let idx = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(idx) else { break };
                    let processed = process_one(path, config, resources, skip);
                    if tx.send((idx, processed)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Processed> = BTreeMap::new();
        let mut want = 0;
        for (idx, processed) in rx {
            pending.insert(idx, processed);
            while let Some(p) = pending.remove(&want) {
                sink(p);
                want += 1;
            }
        }
    });
}

fn process_one<S>(path: &Path, config: &IngestConfig, resources: &Resources, skip: &S) -> Processed
where
    S: Fn(&Document) -> bool,
{
    let _span = tracing::debug_span!("document", path = %path.display()).entered();
    let (document, mut diagnostics) = match ingest::read_document(path, config) {
        Ok(read) => read,
        Err(err) => (None, vec![Diagnostic::error(path.display().to_string(), err.to_string())]),
    };
    let unchanged = document.as_ref().is_some_and(skip);
    let extraction = match &document {
        Some(doc) if !unchanged => {
            let mut extraction = extract::extract(doc, resources);
            diagnostics.append(&mut extraction.diagnostics);
            extraction
        }
        _ => Extraction::default(),
    };
    Processed { path: path.to_owned(), document, extraction, diagnostics, unchanged }
}

/// What `build`/`ingest` should do.
#[derive(Debug, Clone)]
pub struct BuildConfig {
    /// Files and folders to read.
    pub inputs: Vec<PathBuf>,
    /// Ingest options (`--date`).
    pub ingest: IngestConfig,
    /// Worker threads for reading and extraction (default: the number of cores).
    pub jobs: usize,
    /// Re-extract documents whose content hash is already in the store (`--force`).
    /// Off by default: unchanged documents are skipped.
    pub force: bool,
}

/// Counts reported at the end of a build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildSummary {
    /// Input files found.
    pub n_files: usize,
    /// Documents extracted and (re)loaded in this run.
    pub n_loaded: usize,
    /// Documents already in the store with the same content hash.
    pub n_unchanged: usize,
    /// Inputs skipped because they could not be used (empty, binary, unreadable, wrong type).
    pub n_skipped: usize,
    /// Sentences in the documents loaded in this run.
    pub n_sentences: usize,
    /// Distinct entities mentioned in relations of the documents loaded in this run.
    pub n_entities: usize,
    /// Relations extracted in this run.
    pub n_relations: usize,
    /// Quads written in this run.
    pub n_quads_written: usize,
    /// Every diagnostic, in input order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Errors that stop a build.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The store failed; the document named was not loaded (earlier ones were).
    #[error("storing {doc}: {source}")]
    Store {
        /// The document being written.
        doc: String,
        /// The cause.
        #[source]
        source: StoreError,
    },
}

/// Ingests, extracts and loads `config.inputs` into `store`.
///
/// Documents are written in batches of [`STORE_BATCH`] (new ones through Oxigraph's
/// bulk loader, changed ones in a transaction that replaces their named graph); each
/// document is whole or absent after a crash, so an interrupted build leaves a
/// consistent store and the next build completes it. The VoID/DCAT description is
/// refreshed at the end. `progress` is called once per input file.
pub fn build(
    store: &GraphStore,
    resources: &Resources,
    config: &BuildConfig,
    mut progress: impl FnMut(&Path),
) -> Result<BuildSummary, BuildError> {
    let inputs = ingest::collect_inputs(&config.inputs);
    // The ontology lives in its own named graph, replaced on every build so that it
    // always matches the binary that wrote the statements.
    store
        .load_ontology(crate::store::ONTOLOGY_TTL)
        .map_err(|source| BuildError::Store { doc: "ontology".into(), source })?;
    let mut summary = BuildSummary {
        n_files: inputs.files.len(),
        n_skipped: inputs.diagnostics.iter().filter(|d| d.severity == Severity::Error).count(),
        diagnostics: inputs.diagnostics,
        ..BuildSummary::default()
    };
    if inputs.n_other_files > 0 {
        tracing::info!(
            n = inputs.n_other_files,
            "files of other types in the input folders were not read"
        );
    }
    let skip = |doc: &Document| {
        !config.force
            && matches!(store.document_hash(&doc.id), Ok(Some(hash)) if hash == doc.content_hash)
    };
    let mut entities = std::collections::BTreeSet::new();
    let mut failure = None;
    // Documents wait in a small batch so that one store write (and, for new
    // documents, one bulk load) covers several of them; each stays whole on a crash.
    let mut pending: Vec<Pending> = Vec::with_capacity(STORE_BATCH);
    let flush = |pending: &mut Vec<Pending>,
                 summary: &mut BuildSummary,
                 entities: &mut std::collections::BTreeSet<_>|
     -> Result<(), BuildError> {
        if pending.is_empty() {
            return Ok(());
        }
        let batch =
            pending.iter().map(|p| (&p.meta, p.entities.as_slice(), p.relations.as_slice()));
        let written = store.replace_documents(batch).map_err(|source| BuildError::Store {
            doc: pending.iter().map(|p| p.meta.id.as_str()).collect::<Vec<_>>().join(", "),
            source,
        })?;
        summary.n_quads_written += written;
        for p in pending.drain(..) {
            summary.n_loaded += 1;
            summary.n_sentences += p.meta.n_sentences;
            summary.n_relations += p.relations.len();
            entities.extend(p.entities.into_iter().map(|e| e.id));
        }
        Ok(())
    };
    process_files(&inputs.files, &config.ingest, resources, config.jobs, skip, |processed| {
        progress(&processed.path);
        summary.diagnostics.extend(processed.diagnostics);
        if failure.is_some() {
            return;
        }
        let Some(doc) = processed.document else {
            summary.n_skipped += 1;
            return;
        };
        if processed.unchanged {
            summary.n_unchanged += 1;
            return;
        }
        let used: Vec<Entity> = linked_entities(&processed.extraction);
        pending.push(Pending {
            meta: document_meta(&doc),
            entities: used,
            relations: processed.extraction.relations,
        });
        if pending.len() >= STORE_BATCH
            && let Err(err) = flush(&mut pending, &mut summary, &mut entities)
        {
            failure = Some(err);
        }
    });
    if failure.is_none()
        && let Err(err) = flush(&mut pending, &mut summary, &mut entities)
    {
        failure = Some(err);
    }
    summary.n_entities = entities.len();
    if let Some(err) = failure {
        return Err(err);
    }
    // The VoID/DCAT description counts the whole store, so it follows every build.
    store
        .refresh_description()
        .map_err(|source| BuildError::Store { doc: "dataset description".into(), source })?;
    Ok(summary)
}

/// Documents written per store call: enough to amortise the commit, few enough
/// that the extractions held meanwhile stay small.
const STORE_BATCH: usize = 32;

/// A document waiting for its batch to be written.
struct Pending {
    meta: DocumentMeta,
    entities: Vec<Entity>,
    relations: Vec<migraph_core::model::Relation>,
}

/// The catalogue record of a document.
pub fn document_meta(doc: &Document) -> DocumentMeta {
    DocumentMeta {
        id: doc.id.clone(),
        source: doc.source.clone(),
        title: doc.title.clone(),
        date: doc.date,
        content_hash: doc.content_hash.clone(),
        n_articles: doc.articles.len(),
        n_sentences: doc.sentences.len(),
    }
}

/// The entities that relations of the extraction mention, sorted by id.
pub fn linked_entities(extraction: &Extraction) -> Vec<Entity> {
    let mut used = std::collections::BTreeSet::new();
    for r in &extraction.relations {
        used.insert(&r.subject);
        used.insert(&r.object);
    }
    let mut out: Vec<Entity> =
        extraction.entities.iter().filter(|e| used.contains(&e.id)).cloned().collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}
