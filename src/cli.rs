//! The command line: clap arguments parsed into plain configs, and one function per
//! subcommand. The only file that imports clap.

use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use migraph::diagnostic::Diagnostic;
use migraph::eval;
use migraph::export::gexf::EdgeTypes;
use migraph::export::{self, GraphFormat, ViewOptions};
use migraph::extract;
use migraph::ingest::IngestConfig;
use migraph::model::{EntityKind, IsoDate, KnowledgeGraph, RelationKind};
use migraph::pipeline::{self, BuildConfig, OntologySource};
use migraph::push::{self, Auth, Protocol, PushConfig, PushError, PushEvent, PushState};
use migraph::serve::{self, ServeConfig};
use migraph::store::{GraphStore, RdfDumpFormat, ResultFormat};

/// Build a knowledge graph of EU migration externalisation from news bulletins.
///
/// Text files in, typed entities and relations out (with amounts, dates, evidence
/// quotes and sources), loaded into an on-disk Oxigraph RDF store, exported for
/// Gephi and queryable with SPARQL.
#[derive(Debug, Parser)]
#[command(name = "migraph", version, propagate_version = true, max_term_width = 100)]
#[command(
    after_help = "Examples:\n  migraph build\n  migraph build ~/bulletins --store ./store\n  migraph query 'SELECT * WHERE { ?s ?p ?o } LIMIT 10'\n  migraph serve --bind 127.0.0.1:7878"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Print less: no progress bar, no summary (errors still go to stderr).
    #[arg(short, long, global = true)]
    quiet: bool,

    /// Print more log lines (-v info, -vv debug, -vvv trace); MIGRAPH_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

impl Cli {
    /// The log filter implied by -q / -v.
    pub(crate) fn log_level(&self) -> &'static str {
        // A server's request log and "listening on" line are its output.
        let serving = matches!(self.command, Command::Serve { .. });
        match (self.quiet, self.verbose) {
            (true, _) => "error",
            (false, 0) if serving => "info",
            (false, 0) => "warn",
            (false, 1) => "info",
            (false, 2) => "debug",
            (false, _) => "trace",
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest, extract, load into the store and write every export.
    ///
    /// Reads PATHs (files or folders of .txt, .md, .html; default: the sample corpus in
    /// examples/corpus), loads one named graph per document into the store and writes
    /// graph.gexf, graph.graphml, nodes.csv, edges.csv, graph.dot, graph.ttl and graph.nq
    /// into the exports folder. Documents already loaded with the same content are skipped.
    #[command(
        after_help = "Examples:\n  migraph build\n  migraph build ../bulletins --store ./store --exports ./out\n  migraph build notes.md --memory --date 2025-06-01"
    )]
    Build {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        store: StoreArgs,
        /// Folder for the exports.
        #[arg(long, default_value = "exports")]
        exports: PathBuf,
        /// Use an in-memory store instead of the on-disk one (nothing persists).
        #[arg(long)]
        memory: bool,
    },
    /// Ingest, extract and load into the store, without exporting.
    #[command(after_help = "Example:\n  migraph ingest ../bulletins --store ./store")]
    Ingest {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Print the relations extracted from PATHs; no store involved.
    ///
    /// `tsv` is the gold format of the annotation guide (doc, subject, relation, object,
    /// amount_eur, date, evidence), ready for shared/tools/score.py.
    #[command(
        after_help = "Examples:\n  migraph extract bulletin.txt > out.tsv\n  migraph extract --format jsonl --explain bulletin.txt"
    )]
    Extract {
        /// Files or folders to read.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExtractFormat::Tsv)]
        format: ExtractFormat,
        /// Show, for every relation, the rule that made it and the matched span.
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        options: ExtractArgs,
    },
    /// Score extraction against gold relations (per-relation precision, recall, F1).
    #[command(
        after_help = "Example:\n  migraph eval --gold ../shared/gold/seed.tsv --aliases ../shared/gold/aliases.tsv ../shared/seeds/"
    )]
    Eval {
        /// Gold relations (TSV with header doc, subject, relation, object, amount_eur, date, evidence).
        #[arg(long, required = true)]
        gold: Vec<PathBuf>,
        /// Alias tables (canonical, |-separated aliases); repeatable.
        #[arg(long)]
        aliases: Vec<PathBuf>,
        /// List missed and spurious relations.
        #[arg(long)]
        verbose_report: bool,
        /// Files or folders to extract from.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        options: ExtractArgs,
    },
    /// Run a SPARQL query against the store (all named graphs form the default graph).
    #[command(
        after_help = "Examples:\n  migraph query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'\n  migraph query @ontology/queries/funding-by-year.rq --format csv"
    )]
    Query {
        /// The query text, or @FILE to read it from a file.
        query: String,
        /// Result format: json, xml, csv, tsv for SELECT/ASK; ttl, nt, nq for CONSTRUCT/DESCRIBE.
        #[arg(long, value_enum)]
        format: Option<QueryFormat>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Export the graph in the store to a file (or stdout).
    #[command(
        after_help = "Examples:\n  migraph export --format gexf --out graph.gexf\n  migraph export --format csv --out exports/ --relation funds --since 2024\n  migraph export --format nq --graph 000_4c29bab22beb8e5e.txt"
    )]
    Export {
        /// Format: graph formats for Gephi and friends, or RDF dumps.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Output file (a folder for csv); default stdout (csv: the exports folder).
        #[arg(long)]
        out: Option<PathBuf>,
        /// RDF dumps only (ttl, nt, nq, trig, jsonld): dump one document's named graph (document id = file name).
        #[arg(long)]
        graph: Option<String>,
        #[command(flatten)]
        view: ViewArgs,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Publish the store's named graphs to a remote triple store (GraphDB, Virtuoso,
    /// Neptune, Stardog, QLever, Oxigraph) with the W3C Graph Store Protocol or SPARQL
    /// Update.
    ///
    /// Each graph is replaced on the server, so pushing twice changes nothing. The store
    /// is opened read-only (`serve` may keep running). Credentials come from the
    /// environment: MIGRAPH_PUSH_PASSWORD for --user, otherwise MIGRAPH_PUSH_TOKEN as a
    /// Bearer token. Exits with 1 and lists the graphs to push again when some failed.
    #[command(
        after_help = "Examples:\n  migraph push http://localhost:7200/repositories/kg/rdf-graphs/service --user admin\n  migraph push http://localhost:8890/sparql-auth --protocol update --user dba --digest\n  migraph push https://qlever.example.org/ --protocol update --only-changed"
    )]
    Push {
        /// Graph store service URL (gsp) or update endpoint URL (update).
        endpoint: String,
        /// How graphs are written: gsp (PUT/POST per graph) or update (DROP + INSERT DATA).
        #[arg(long, value_enum, default_value_t = PushProtocol::Gsp)]
        protocol: PushProtocol,
        /// User for HTTP Basic authentication (Digest with --digest); the password is
        /// read from MIGRAPH_PUSH_PASSWORD.
        #[arg(long)]
        user: Option<String>,
        /// Use HTTP Digest instead of Basic (Virtuoso's -auth endpoints).
        #[arg(long, requires = "user")]
        digest: bool,
        /// Rename graphs under https://w3id.org/migraph/ to this prefix on the server.
        #[arg(long)]
        graph_prefix: Option<String>,
        /// Send only the graphs changed since the last successful push to this endpoint.
        #[arg(long)]
        only_changed: bool,
        /// Most triples per request.
        #[arg(long, default_value_t = migraph::push::DEFAULT_CHUNK_TRIPLES)]
        chunk_triples: usize,
        /// Graphs sent at once, each over its own connection.
        #[arg(long, default_value_t = migraph::push::default_jobs(),
              value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=64))]
        jobs: usize,
        /// Retries of a request after a server error or a lost connection.
        #[arg(long, default_value_t = migraph::push::DEFAULT_RETRIES)]
        retries: u32,
        /// Longest time one request may take, in seconds.
        #[arg(long, default_value_t = migraph::push::DEFAULT_TIMEOUT.as_secs())]
        timeout: u64,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Serve the store over the SPARQL 1.1 Protocol (read-only by default).
    #[command(
        after_help = "Examples:\n  migraph serve\n  curl 'http://127.0.0.1:7878/query?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D'"
    )]
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: SocketAddr,
        /// Per-query time limit in seconds.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// Queries evaluated at once; more get 503 at once.
        #[arg(long, default_value_t = 8)]
        max_concurrent: usize,
        /// Largest accepted request body, in bytes.
        #[arg(long, default_value_t = 1 << 20)]
        max_body: usize,
        /// Largest result, in bytes; a larger one is refused with an error status.
        #[arg(long, default_value_t = 64 << 20)]
        max_result: usize,
        /// Enable SPARQL Update and Graph Store writes for requests with `Authorization: Bearer TOKEN`.
        #[arg(long)]
        write_token: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Remove documents (their named graphs and catalogue entries) from the store.
    #[command(after_help = "Example:\n  migraph remove old-bulletin.txt")]
    Remove {
        /// Document ids (file names) to remove.
        #[arg(required = true)]
        docs: Vec<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Print what the store holds: documents, entities, statements, quads.
    #[command(after_help = "Example:\n  migraph stats --store ./migraph-store")]
    Stats {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `--protocol` of `migraph push`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PushProtocol {
    /// SPARQL 1.1 Graph Store HTTP Protocol.
    Gsp,
    /// SPARQL 1.1 Update.
    Update,
}

#[derive(Debug, Args)]
struct StoreArgs {
    /// The on-disk store folder (created when missing).
    #[arg(long, default_value = "migraph-store")]
    store: PathBuf,
}

#[derive(Debug, Args)]
struct InputArgs {
    /// Files or folders (.txt, .md, .html) to read; default: the sample corpus.
    paths: Vec<PathBuf>,
    /// Re-extract documents even when their content is unchanged.
    #[arg(long)]
    force: bool,
    /// Exit with status 1 when any input produced a warning or error.
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    options: ExtractArgs,
}

#[derive(Debug, Args)]
struct ExtractArgs {
    /// Publication date for all documents (YYYY, YYYY-MM or YYYY-MM-DD), for relative dates.
    #[arg(long, value_parser = parse_date)]
    date: Option<IsoDate>,
    /// Folder with gazetteer/ and patterns to use instead of ./ontology or the built-in copy.
    #[arg(long)]
    ontology: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    jobs: Option<usize>,
}

#[derive(Debug, Args)]
struct ViewArgs {
    /// Keep only these relations (comma-separated names, e.g. funds,deploysTo).
    #[arg(long, value_delimiter = ',', value_parser = parse_relation)]
    relation: Vec<RelationKind>,
    /// Keep statements dated on or after this date (undated ones are dropped).
    #[arg(long, value_parser = parse_date)]
    since: Option<IsoDate>,
    /// Keep statements dated on or before this date (undated ones are dropped).
    #[arg(long, value_parser = parse_date)]
    until: Option<IsoDate>,
    /// Keep the ego network of this entity (name, alias or id).
    #[arg(long)]
    entity: Option<String>,
    /// Depth of the ego network.
    #[arg(long, default_value_t = 1)]
    depth: usize,
    /// Drop edges supported by fewer statements.
    #[arg(long, default_value_t = 1)]
    min_weight: usize,
    /// Keep only entities of these types (comma-separated, e.g. Country,EUAgency).
    #[arg(long = "type", value_delimiter = ',', value_parser = parse_kind)]
    types: Vec<EntityKind>,
    /// One edge per statement instead of one per (subject, relation, object).
    #[arg(long)]
    multi: bool,
    /// GEXF only: write cooperatesWith and meetsWith as undirected edges of a mixed
    /// graph (Gephi reads it; networkx does not). By default every edge is directed and
    /// symmetric ones carry the attribute directed=false.
    #[arg(long)]
    mixed: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Tsv,
    Jsonl,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum QueryFormat {
    Json,
    Xml,
    Csv,
    Tsv,
    Ttl,
    Nt,
    Nq,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    Gexf,
    Graphml,
    Csv,
    Dot,
    Ttl,
    Nt,
    Nq,
    Trig,
    Jsonld,
}

fn parse_date(s: &str) -> Result<IsoDate, String> {
    s.parse::<IsoDate>().map_err(|e| e.to_string())
}

fn parse_relation(s: &str) -> Result<RelationKind, String> {
    s.trim().parse::<RelationKind>().map_err(|e| e.to_string())
}

fn parse_kind(s: &str) -> Result<EntityKind, String> {
    s.trim().parse::<EntityKind>().map_err(|e| e.to_string())
}

/// Bad input from the user (missing files, unparsable gold, unknown entity): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct BadInput(pub(crate) String);

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> Result<()> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Build { input, store, exports, memory } => {
            let started = Instant::now();
            let graph_store = open_store(&store.store, memory)?;
            let summary = run_build(&graph_store, &input, quiet)?;
            let graph =
                graph_store.read_graph().context("reading the graph back from the store")?;
            let mut written = export_all(&graph, &graph_store, &exports)?;
            written.sort();
            let stats = graph_store.stats()?;
            if !quiet {
                print_summary(
                    &summary,
                    &stats,
                    &written,
                    started.elapsed(),
                    if memory { None } else { Some(&store.store) },
                );
            }
            strict_check(input.strict, &summary.diagnostics)
        }
        Command::Ingest { input, store } => {
            let started = Instant::now();
            let graph_store = open_store(&store.store, false)?;
            let summary = run_build(&graph_store, &input, quiet)?;
            let stats = graph_store.stats()?;
            if !quiet {
                print_summary(&summary, &stats, &[], started.elapsed(), Some(&store.store));
            }
            strict_check(input.strict, &summary.diagnostics)
        }
        Command::Extract { paths, format, explain, options } => {
            run_extract(&paths, format, explain, &options)
        }
        Command::Eval { gold, aliases, verbose_report, paths, options } => {
            run_eval(&gold, &aliases, verbose_report, &paths, &options)
        }
        Command::Query { query, format, store } => run_query(&query, format, &store.store),
        Command::Export { format, out, graph, view, store } => {
            run_export(format, out, graph, &view, &store.store)
        }
        Command::Serve {
            bind,
            timeout,
            max_concurrent,
            max_body,
            max_result,
            write_token,
            store,
        } => {
            let graph_store = open_existing_store(&store.store, write_token.is_none())?;
            let config = ServeConfig {
                bind,
                timeout: Duration::from_secs(timeout),
                max_concurrent,
                max_body_bytes: max_body,
                max_result_bytes: max_result,
                write_token,
            };
            serve::run(graph_store, config).context("running the SPARQL server")
        }
        Command::Push {
            endpoint,
            protocol,
            user,
            digest,
            graph_prefix,
            only_changed,
            chunk_triples,
            jobs,
            retries,
            timeout,
            store,
        } => {
            let graph_store = open_existing_store(&store.store, true)?;
            let auth = match user {
                Some(user) => {
                    let password = std::env::var("MIGRAPH_PUSH_PASSWORD").map_err(|_| {
                        BadInput("--user needs the password in MIGRAPH_PUSH_PASSWORD".into())
                    })?;
                    if digest {
                        Auth::Digest { user, password }
                    } else {
                        Auth::Basic { user, password }
                    }
                }
                None => match std::env::var("MIGRAPH_PUSH_TOKEN") {
                    Ok(token) => Auth::Bearer(token),
                    Err(_) => Auth::None,
                },
            };
            let mut config = PushConfig::new(endpoint);
            config.protocol = match protocol {
                PushProtocol::Gsp => Protocol::Gsp,
                PushProtocol::Update => Protocol::Update,
            };
            config.auth = auth;
            config.graph_prefix = graph_prefix;
            config.only_changed = only_changed;
            config.chunk_triples = chunk_triples;
            config.jobs = jobs;
            config.retries = retries;
            config.timeout = Duration::from_secs(timeout);
            config.state_file = Some(PushState::path_in(&store.store));
            run_push(&graph_store, &config, quiet)
        }
        Command::Remove { docs, store } => {
            let graph_store = open_existing_store(&store.store, false)?;
            let mut missing = Vec::new();
            for doc in &docs {
                if !graph_store.remove_document(doc)? {
                    missing.push(doc.as_str());
                }
            }
            graph_store.refresh_description().context("refreshing the dataset description")?;
            if !missing.is_empty() {
                return Err(BadInput(format!(
                    "not in the store {}: {}; `migraph stats` lists the documents",
                    store.store.display(),
                    missing.join(", ")
                ))
                .into());
            }
            Ok(())
        }
        Command::Stats { store } => {
            let graph_store = open_existing_store(&store.store, true)?;
            let stats = graph_store.stats()?;
            let mut out = io::stdout().lock();
            writeln!(out, "documents\t{}", stats.documents)?;
            writeln!(out, "entities\t{}", stats.entities)?;
            writeln!(out, "statements\t{}", stats.statements)?;
            writeln!(out, "quads\t{}", stats.quads)?;
            for doc in graph_store.documents()? {
                writeln!(
                    out,
                    "document\t{}\t{}\t{}",
                    doc.id,
                    doc.date.map(|d| d.to_string()).unwrap_or_default(),
                    doc.title.unwrap_or_default()
                )?;
            }
            Ok(())
        }
    }
}

#[expect(
    clippy::print_stdout,
    reason = "the summary and the graphs to push again are the command's output"
)]
fn run_push(store: &GraphStore, config: &PushConfig, quiet: bool) -> Result<()> {
    let bar = progress_bar(quiet);
    let result = push::push(store, config, &mut |event| match event {
        PushEvent::Started { graphs } => bar.set_length(graphs as u64),
        PushEvent::GraphSent { .. } | PushEvent::GraphSkipped { .. } => bar.inc(1),
        PushEvent::GraphFailed { graph, error } => {
            bar.inc(1);
            bar.println(format!("migraph: {graph} not pushed: {error}"));
        }
        PushEvent::Retrying { graph, attempt, delay, reason } => {
            bar.println(format!("migraph: retry {attempt} of {graph} in {delay:?}: {reason}"));
        }
        _ => {}
    });
    bar.finish_and_clear();
    match result {
        Ok(summary) => {
            if !quiet {
                println!(
                    "pushed {} graphs ({} triples, {} bytes, {} requests) to {}; {} unchanged, {} removed",
                    summary.graphs_sent,
                    summary.triples,
                    summary.bytes,
                    summary.requests,
                    config.endpoint,
                    summary.graphs_skipped,
                    summary.graphs_deleted
                );
            }
            Ok(())
        }
        Err(PushError::Incomplete { summary, first_error, .. }) => {
            // The graphs to push again, one per line on stdout, for scripts.
            for graph in &summary.failed {
                println!("{graph}");
            }
            Err(anyhow::anyhow!(
                "push incomplete: {} graph(s) failed, {} sent; first error: {first_error}",
                summary.failed.len(),
                summary.graphs_sent
            ))
        }
        Err(err) => Err(err).context("pushing the store"),
    }
}

fn open_store(path: &Path, memory: bool) -> Result<GraphStore> {
    if memory {
        return GraphStore::memory().context("creating the in-memory store");
    }
    GraphStore::open(path).with_context(|| format!("opening the store {}", path.display()))
}

fn open_existing_store(path: &Path, read_only: bool) -> Result<GraphStore> {
    if !path.exists() {
        return Err(BadInput(format!(
            "no store at {}; run `migraph build` first or pass --store DIR",
            path.display()
        ))
        .into());
    }
    let store = if read_only { GraphStore::open_read_only(path) } else { GraphStore::open(path) };
    store.with_context(|| format!("opening the store {}", path.display()))
}

/// The sample corpus: `examples/corpus` in the working folder or in the source tree.
fn default_inputs() -> Result<Vec<PathBuf>> {
    let local = PathBuf::from("examples/corpus");
    if local.is_dir() {
        return Ok(vec![local]);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/corpus");
    if built.is_dir() {
        return Ok(vec![built]);
    }
    Err(BadInput(
        "no PATH given and no sample corpus (examples/corpus) found; pass files or folders to read"
            .into(),
    )
    .into())
}

fn load_resources(options: &ExtractArgs) -> Result<extract::Resources> {
    let source = OntologySource::resolve(options.ontology.clone());
    let (resources, diagnostics) = source.load().context("loading the extraction resources")?;
    report(&diagnostics);
    Ok(resources)
}

fn jobs(options: &ExtractArgs) -> usize {
    options.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

fn run_build(store: &GraphStore, input: &InputArgs, quiet: bool) -> Result<pipeline::BuildSummary> {
    let paths = if input.paths.is_empty() { default_inputs()? } else { input.paths.clone() };
    for path in &paths {
        if !path.exists() {
            return Err(BadInput(format!("{}: no such file or folder", path.display())).into());
        }
    }
    let resources = load_resources(&input.options)?;
    let config = BuildConfig {
        inputs: paths,
        ingest: IngestConfig { date: input.options.date },
        jobs: jobs(&input.options),
        force: input.force,
    };
    let bar = progress_bar(quiet);
    let summary = pipeline::build(store, &resources, &config, |path| {
        bar.set_message(
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        );
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    report(&summary.diagnostics);
    Ok(summary)
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} {pos} documents {per_sec} {wide_msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar
}

#[expect(clippy::print_stderr, reason = "diagnostics are messages for the user, on stderr")]
fn report(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("migraph: {d}");
    }
}

fn strict_check(strict: bool, diagnostics: &[Diagnostic]) -> Result<()> {
    if strict && !diagnostics.is_empty() {
        bail!("{} input problem(s) reported and --strict is set", diagnostics.len());
    }
    Ok(())
}

fn export_all(graph: &KnowledgeGraph, store: &GraphStore, dir: &Path) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)
        .with_context(|| format!("creating the exports folder {}", dir.display()))?;
    let mut written = export::write_all(graph, &ViewOptions::all(), dir)
        .with_context(|| format!("writing exports into {}", dir.display()))?;
    for (name, format) in
        [("graph.ttl", RdfDumpFormat::Turtle), ("graph.nq", RdfDumpFormat::NQuads)]
    {
        let path = dir.join(name);
        let mut out = create(&path)?;
        store
            .dump(format, None, &mut out)
            .with_context(|| format!("writing {}", path.display()))?;
        out.flush().with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::new(file))
}

#[expect(clippy::print_stdout, reason = "the summary is the command's output")]
fn print_summary(
    summary: &pipeline::BuildSummary,
    stats: &migraph::store::StoreStats,
    written: &[PathBuf],
    elapsed: Duration,
    store: Option<&Path>,
) {
    let problems = summary.diagnostics.len();
    println!(
        "read {} file(s): {} loaded, {} unchanged, {} skipped; {} sentences, {} entities, {} relations, {} quads written",
        summary.n_files,
        summary.n_loaded,
        summary.n_unchanged,
        summary.n_skipped,
        summary.n_sentences,
        summary.n_entities,
        summary.n_relations,
        summary.n_quads_written
    );
    match store {
        Some(path) => println!(
            "store {}: {} documents, {} entities, {} statements, {} quads",
            path.display(),
            stats.documents,
            stats.entities,
            stats.statements,
            stats.quads
        ),
        None => println!(
            "in-memory store: {} documents, {} entities, {} statements, {} quads",
            stats.documents, stats.entities, stats.statements, stats.quads
        ),
    }
    if !written.is_empty() {
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        println!("wrote {}", names.join(", "));
    }
    if problems > 0 {
        println!("{problems} input problem(s) reported above");
    }
    println!("done in {:.2}s", elapsed.as_secs_f64());
}

/// Reads and extracts `paths` on all cores (no store), calling `sink` per file in
/// input order, then prints the diagnostics.
fn extract_each(
    paths: &[PathBuf],
    options: &ExtractArgs,
    mut sink: impl FnMut(pipeline::Processed),
) -> Result<()> {
    let inputs = collect(paths)?;
    let resources = load_resources(options)?;
    let config = IngestConfig { date: options.date };
    let mut diagnostics = Vec::new();
    pipeline::process_files(
        &inputs,
        &config,
        &resources,
        jobs(options),
        |_| false,
        |mut processed| {
            diagnostics.append(&mut processed.diagnostics);
            sink(processed);
        },
    );
    report(&diagnostics);
    Ok(())
}

fn run_extract(
    paths: &[PathBuf],
    format: ExtractFormat,
    explain: bool,
    options: &ExtractArgs,
) -> Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if let ExtractFormat::Tsv = format {
        eval::write_header(&mut out)?;
    }
    let mut failure: Option<io::Error> = None;
    extract_each(paths, options, |processed| {
        if failure.is_some() {
            return;
        }
        let extraction = &processed.extraction;
        let res = match format {
            ExtractFormat::Tsv => eval::write_rows(
                &mut out,
                &eval::relations_to_rows(&extraction.relations, &extraction.entities),
                explain,
            ),
            ExtractFormat::Jsonl => write_jsonl(&mut out, extraction, explain),
        };
        if let Err(err) = res {
            failure = Some(err);
        }
    })?;
    if let Some(err) = failure {
        return Err(err).context("writing to stdout");
    }
    out.flush().context("writing to stdout")?;
    Ok(())
}

fn write_jsonl(
    out: &mut impl Write,
    extraction: &extract::Extraction,
    explain: bool,
) -> io::Result<()> {
    let names: std::collections::BTreeMap<_, _> =
        extraction.entities.iter().map(|e| (&e.id, e)).collect();
    for r in &extraction.relations {
        let subject = names.get(&r.subject);
        let object = names.get(&r.object);
        let mut value = serde_json::json!({
            "doc": r.evidence.doc,
            "subject": subject.map_or(r.subject.as_str(), |e| e.name.as_str()),
            "subject_type": subject.map(|e| e.kind.as_str()),
            "relation": r.kind.as_str(),
            "object": object.map_or(r.object.as_str(), |e| e.name.as_str()),
            "object_type": object.map(|e| e.kind.as_str()),
            "amount": r.money.as_ref().map(|m| m.amount),
            "currency": r.money.as_ref().map(|m| m.currency.as_str()),
            "date": r.when.map(|w| w.to_gold()),
            "date_role": r.when.map(|w| w.role()),
            "evidence": r.evidence.quote,
            "article": r.evidence.article,
        });
        if explain {
            value["rule"] = r.evidence.rule.clone().into();
            value["quote_span"] = serde_json::json!([r.evidence.quote_start, r.evidence.quote_end]);
            value["sentence"] = r.evidence.sentence.clone().into();
            value["sentence_span"] =
                serde_json::json!([r.evidence.sentence_start, r.evidence.sentence_end]);
        }
        serde_json::to_writer(&mut *out, &value)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let inputs = migraph::ingest::collect_inputs(paths);
    report(&inputs.diagnostics);
    if inputs.files.is_empty() {
        return Err(
            BadInput("no .txt, .md or .html files to read in the given paths".into()).into()
        );
    }
    Ok(inputs.files)
}

fn run_eval(
    gold: &[PathBuf],
    aliases: &[PathBuf],
    verbose: bool,
    paths: &[PathBuf],
    options: &ExtractArgs,
) -> Result<()> {
    let mut gold_rows = Vec::new();
    for path in gold {
        gold_rows.extend(eval::read_rows(path).map_err(|e| BadInput(e.to_string()))?);
    }
    let aliases = eval::read_aliases(aliases).map_err(|e| BadInput(e.to_string()))?;
    let mut pred = Vec::new();
    extract_each(paths, options, |processed| {
        let extraction = &processed.extraction;
        pred.extend(eval::relations_to_rows(&extraction.relations, &extraction.entities));
    })?;
    let report = eval::score(&gold_rows, &pred, &aliases, None);
    let mut out = io::stdout().lock();
    out.write_all(report.render(verbose).as_bytes())?;
    Ok(())
}

fn read_query(query: &str) -> Result<String> {
    match query.strip_prefix('@') {
        Some(path) => fs::read_to_string(path)
            .map_err(|e| BadInput(format!("cannot read query file {path}: {e}")).into()),
        None => Ok(query.to_owned()),
    }
}

fn run_query(query: &str, format: Option<QueryFormat>, store: &Path) -> Result<()> {
    let text = read_query(query)?;
    let graph_store = open_existing_store(store, true)?;
    let format = match format {
        None => None,
        Some(QueryFormat::Json) => Some(ResultFormat::Json),
        Some(QueryFormat::Xml) => Some(ResultFormat::Xml),
        Some(QueryFormat::Csv) => Some(ResultFormat::Csv),
        Some(QueryFormat::Tsv) => Some(ResultFormat::Tsv),
        Some(QueryFormat::Ttl) => Some(ResultFormat::Turtle),
        Some(QueryFormat::Nt) => Some(ResultFormat::NTriples),
        Some(QueryFormat::Nq) => Some(ResultFormat::NQuads),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    graph_store.query(&text, format, &mut out).map_err(|e| match e {
        migraph::store::StoreError::Query { .. }
        | migraph::store::StoreError::FormatMismatch { .. } => {
            anyhow::Error::new(BadInput(e.to_string()))
        }
        other => anyhow::Error::new(other),
    })?;
    out.flush()?;
    Ok(())
}

fn run_export(
    format: ExportFormat,
    out: Option<PathBuf>,
    graph: Option<String>,
    view: &ViewArgs,
    store: &Path,
) -> Result<()> {
    let graph_store = open_existing_store(store, true)?;
    let rdf = match format {
        ExportFormat::Ttl => Some(RdfDumpFormat::Turtle),
        ExportFormat::Nt => Some(RdfDumpFormat::NTriples),
        ExportFormat::Nq => Some(RdfDumpFormat::NQuads),
        ExportFormat::Trig => Some(RdfDumpFormat::TriG),
        ExportFormat::Jsonld => Some(RdfDumpFormat::JsonLd),
        ExportFormat::Gexf | ExportFormat::Graphml | ExportFormat::Csv | ExportFormat::Dot => None,
    };
    if let Some(rdf) = rdf {
        let mut sink: Box<dyn Write> = match &out {
            Some(path) => Box::new(create(path)?),
            None => Box::new(BufWriter::new(io::stdout().lock())),
        };
        graph_store.dump(rdf, graph.as_deref(), &mut sink).map_err(|e| match e {
            migraph::store::StoreError::UnknownDocument { .. } => {
                anyhow::Error::new(BadInput(e.to_string()))
            }
            other => anyhow::Error::new(other),
        })?;
        sink.flush()?;
        return Ok(());
    }
    if graph.is_some() {
        return Err(BadInput("--graph applies to RDF dumps (ttl, nt, nq, trig) only".into()).into());
    }
    let kg = graph_store.read_graph().context("reading the graph from the store")?;
    let options = ViewOptions {
        relations: (!view.relation.is_empty()).then(|| view.relation.iter().copied().collect()),
        since: view.since,
        until: view.until,
        entity: view.entity.clone(),
        depth: view.depth,
        min_weight: view.min_weight,
        types: (!view.types.is_empty()).then(|| view.types.iter().copied().collect()),
        multi: view.multi,
    };
    let projection = export::project(&kg, &options).map_err(|e| BadInput(e.to_string()))?;
    let graph_format = match format {
        ExportFormat::Gexf => GraphFormat::Gexf,
        ExportFormat::Graphml => GraphFormat::Graphml,
        ExportFormat::Csv => GraphFormat::Csv,
        ExportFormat::Dot => GraphFormat::Dot,
        ExportFormat::Ttl
        | ExportFormat::Nt
        | ExportFormat::Nq
        | ExportFormat::Trig
        | ExportFormat::Jsonld => {
            unreachable!("RDF formats returned above")
        }
    };
    if let GraphFormat::Csv = graph_format {
        let dir = out.unwrap_or_else(|| PathBuf::from("exports"));
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut nodes = create(&dir.join("nodes.csv"))?;
        export::write_nodes_csv(&projection, &mut nodes)?;
        nodes.flush()?;
        let mut edges = create(&dir.join("edges.csv"))?;
        export::write_edges_csv(&projection, &mut edges)?;
        edges.flush()?;
        return Ok(());
    }
    let mut sink: Box<dyn Write> = match &out {
        Some(path) => Box::new(create(path)?),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    match graph_format {
        GraphFormat::Gexf => {
            let edges = if view.mixed { EdgeTypes::Mixed } else { EdgeTypes::Directed };
            export::gexf::write_gexf_with(&projection, &mut sink, edges)?
        }
        GraphFormat::Graphml => export::write_graphml(&projection, &mut sink)?,
        GraphFormat::Dot => export::write_dot(&projection, &mut sink)?,
        GraphFormat::Csv => unreachable!("handled above"),
    }
    sink.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn cli_parses_build_defaults() {
        let cli = Cli::try_parse_from(["migraph", "build"]).unwrap();
        match cli.command {
            Command::Build { input, store, exports, memory } => {
                assert!(input.paths.is_empty());
                assert_eq!(store.store, PathBuf::from("migraph-store"));
                assert_eq!(exports, PathBuf::from("exports"));
                assert!(!memory);
            }
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn cli_parses_export_filters() {
        let cli = Cli::try_parse_from([
            "migraph",
            "export",
            "--format",
            "gexf",
            "--relation",
            "funds,deploysTo",
            "--since",
            "2024",
            "--type",
            "Country,EUAgency",
        ])
        .unwrap();
        match cli.command {
            Command::Export { view, .. } => {
                assert_eq!(view.relation, vec![RelationKind::Funds, RelationKind::DeploysTo]);
                assert_eq!(view.since, Some(IsoDate::year(2024)));
                assert_eq!(view.types, vec![EntityKind::Country, EntityKind::EUAgency]);
            }
            other => panic!("parsed as {other:?}"),
        }
        assert!(
            Cli::try_parse_from(["migraph", "export", "--format", "gexf", "--relation", "fund"])
                .is_err()
        );
    }

    #[test]
    fn cli_rejects_bad_dates() {
        assert!(Cli::try_parse_from(["migraph", "extract", "x.txt", "--date", "2025-13"]).is_err());
    }
}
