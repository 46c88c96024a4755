//! SPARQL query evaluation on the store and serialisation of the results.
//!
//! Shared by `GraphStore::query` (the CLI) and the HTTP endpoint, so that both give
//! the same answers: the default graph is the union of all graphs unless the query
//! (`FROM`) or the protocol (`default-graph-uri`) names a dataset, results are
//! written in the requested format, and a format that does not fit the query form
//! is an error before anything is evaluated. This module never picks a format from
//! HTTP headers; content negotiation belongs to `serve`.

use std::fmt;
use std::io::Write;
use std::str::FromStr;

use migraph_core::model::vocab::PREFIXES;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolution, SparqlEvaluator,
};
use oxigraph::store::Store;

use super::StoreError;

/// The four forms of a SPARQL query, which decide the family of result formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryForm {
    /// `SELECT`: a table of solutions.
    Select,
    /// `ASK`: a boolean.
    Ask,
    /// `CONSTRUCT`: an RDF graph.
    Construct,
    /// `DESCRIBE`: an RDF graph.
    Describe,
}

impl QueryForm {
    /// The keyword, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryForm::Select => "SELECT",
            QueryForm::Ask => "ASK",
            QueryForm::Construct => "CONSTRUCT",
            QueryForm::Describe => "DESCRIBE",
        }
    }

    /// Whether the results are an RDF graph rather than solutions or a boolean.
    pub fn returns_graph(self) -> bool {
        matches!(self, QueryForm::Construct | QueryForm::Describe)
    }

    /// The format used when the caller asks for none: JSON for solutions and
    /// booleans, Turtle for graphs.
    pub fn default_format(self) -> ResultFormat {
        if self.returns_graph() { ResultFormat::Turtle } else { ResultFormat::Json }
    }

    /// The formats this form can be written in, default first.
    pub fn formats(self) -> &'static [ResultFormat] {
        if self.returns_graph() { ResultFormat::GRAPH } else { ResultFormat::SOLUTIONS }
    }
}

impl fmt::Display for QueryForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format for query results: the four SPARQL results formats for `SELECT`/`ASK`,
/// the RDF formats for `CONSTRUCT`/`DESCRIBE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// SPARQL 1.1 Query Results JSON.
    Json,
    /// SPARQL Query Results XML.
    Xml,
    /// SPARQL 1.1 Query Results CSV.
    Csv,
    /// SPARQL 1.1 Query Results TSV.
    Tsv,
    /// Turtle.
    Turtle,
    /// N-Triples.
    NTriples,
    /// N-Quads (graph results are written in the default graph).
    NQuads,
    /// TriG (graph results are written in the default graph).
    TriG,
    /// RDF/XML.
    RdfXml,
    /// JSON-LD.
    JsonLd,
}

impl ResultFormat {
    /// Formats for `SELECT` and `ASK` results, default first.
    pub const SOLUTIONS: &'static [ResultFormat] =
        &[ResultFormat::Json, ResultFormat::Xml, ResultFormat::Csv, ResultFormat::Tsv];
    /// Formats for `CONSTRUCT` and `DESCRIBE` results, default first.
    pub const GRAPH: &'static [ResultFormat] = &[
        ResultFormat::Turtle,
        ResultFormat::NTriples,
        ResultFormat::NQuads,
        ResultFormat::TriG,
        ResultFormat::RdfXml,
        ResultFormat::JsonLd,
    ];

    /// The short name, also the usual file extension: `json`, `xml`, `csv`, `tsv`,
    /// `ttl`, `nt`, `nq`, `trig`, `rdf`, `jsonld`.
    pub fn name(self) -> &'static str {
        match self {
            ResultFormat::Json => "json",
            ResultFormat::Xml => "xml",
            ResultFormat::Csv => "csv",
            ResultFormat::Tsv => "tsv",
            ResultFormat::Turtle => "ttl",
            ResultFormat::NTriples => "nt",
            ResultFormat::NQuads => "nq",
            ResultFormat::TriG => "trig",
            ResultFormat::RdfXml => "rdf",
            ResultFormat::JsonLd => "jsonld",
        }
    }

    /// The IANA media type.
    pub fn media_type(self) -> &'static str {
        match self.kind() {
            FormatKind::Results(f) => f.media_type(),
            FormatKind::Rdf(f) => f.media_type(),
        }
    }

    /// The format's IRI in the W3C registry <https://www.w3.org/ns/formats/>.
    pub fn iri(self) -> &'static str {
        match self.kind() {
            FormatKind::Results(f) => f.iri(),
            FormatKind::Rdf(f) => f.iri(),
        }
    }

    /// The format whose media type is `media_type` (parameters ignored), if any.
    pub fn from_media_type(media_type: &str) -> Option<ResultFormat> {
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        ResultFormat::SOLUTIONS
            .iter()
            .chain(ResultFormat::GRAPH)
            .copied()
            .find(|f| {
                let own = f.media_type().split(';').next().unwrap_or_default();
                own.eq_ignore_ascii_case(essence)
            })
            .or_else(|| match essence.to_ascii_lowercase().as_str() {
                // Common aliases that clients send.
                "application/json" => Some(ResultFormat::Json),
                "application/xml" | "text/xml" => Some(ResultFormat::Xml),
                "text/plain" => Some(ResultFormat::NTriples),
                "application/x-turtle" => Some(ResultFormat::Turtle),
                "application/trig" | "application/x-trig" => Some(ResultFormat::TriG),
                _ => None,
            })
    }

    /// The RDF format of a graph format, `None` for the SPARQL results formats.
    pub(crate) fn rdf_format(self) -> Option<RdfFormat> {
        match self.kind() {
            FormatKind::Rdf(f) => Some(f),
            FormatKind::Results(_) => None,
        }
    }

    /// Whether `SELECT`/`ASK` results (`false`) or graphs (`true`) are written in it.
    pub fn is_graph_format(self) -> bool {
        matches!(self.kind(), FormatKind::Rdf(_))
    }

    fn kind(self) -> FormatKind {
        match self {
            ResultFormat::Json => FormatKind::Results(QueryResultsFormat::Json),
            ResultFormat::Xml => FormatKind::Results(QueryResultsFormat::Xml),
            ResultFormat::Csv => FormatKind::Results(QueryResultsFormat::Csv),
            ResultFormat::Tsv => FormatKind::Results(QueryResultsFormat::Tsv),
            ResultFormat::Turtle => FormatKind::Rdf(RdfFormat::Turtle),
            ResultFormat::NTriples => FormatKind::Rdf(RdfFormat::NTriples),
            ResultFormat::NQuads => FormatKind::Rdf(RdfFormat::NQuads),
            ResultFormat::TriG => FormatKind::Rdf(RdfFormat::TriG),
            ResultFormat::RdfXml => FormatKind::Rdf(RdfFormat::RdfXml),
            ResultFormat::JsonLd => {
                FormatKind::Rdf(RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() })
            }
        }
    }
}

enum FormatKind {
    Results(QueryResultsFormat),
    Rdf(RdfFormat),
}

impl fmt::Display for ResultFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error for a result format name that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown result format {0:?}: expected one of json, xml, csv, tsv, ttl, nt, nq, trig, rdf, jsonld"
)]
pub struct UnknownFormat(pub String);

impl FromStr for ResultFormat {
    type Err = UnknownFormat;

    /// Parses a short name (`json`, `ttl`…), a long name (`turtle`, `ntriples`,
    /// `rdfxml`…) or a media type.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let format = match s.trim().to_ascii_lowercase().as_str() {
            "json" | "srj" => ResultFormat::Json,
            "xml" | "srx" => ResultFormat::Xml,
            "csv" => ResultFormat::Csv,
            "tsv" => ResultFormat::Tsv,
            "ttl" | "turtle" => ResultFormat::Turtle,
            "nt" | "ntriples" | "n-triples" => ResultFormat::NTriples,
            "nq" | "nquads" | "n-quads" => ResultFormat::NQuads,
            "trig" => ResultFormat::TriG,
            "rdf" | "rdfxml" | "rdf/xml" | "owl" => ResultFormat::RdfXml,
            "jsonld" | "json-ld" => ResultFormat::JsonLd,
            _ => {
                return ResultFormat::from_media_type(s).ok_or_else(|| UnknownFormat(s.to_owned()));
            }
        };
        Ok(format)
    }
}

/// A parsed query with the dataset it will run on.
#[derive(Debug, Clone)]
pub struct ParsedQuery {
    query: spargebra::Query,
    form: QueryForm,
    protocol_dataset: Option<(Vec<NamedNode>, Vec<NamedNode>)>,
}

impl ParsedQuery {
    /// Parses a SPARQL 1.1 query.
    ///
    /// # Errors
    /// [`StoreError::Query`] with the parser's message (line and column) and the
    /// offending line marked.
    pub fn parse(sparql: &str) -> Result<ParsedQuery, StoreError> {
        let query =
            spargebra::SparqlParser::new().parse_query(sparql).map_err(|e| StoreError::Query {
                what: "query",
                message: readable_syntax_error(sparql, &e.to_string()),
            })?;
        let form = match &query {
            spargebra::Query::Select { .. } => QueryForm::Select,
            spargebra::Query::Ask { .. } => QueryForm::Ask,
            spargebra::Query::Construct { .. } => QueryForm::Construct,
            spargebra::Query::Describe { .. } => QueryForm::Describe,
        };
        Ok(ParsedQuery { query, form, protocol_dataset: None })
    }

    /// The query form.
    pub fn form(&self) -> QueryForm {
        self.form
    }

    /// Sets the dataset from the SPARQL Protocol's `default-graph-uri` and
    /// `named-graph-uri` parameters; when either list is non-empty it replaces the
    /// query's own `FROM` / `FROM NAMED` and the union default graph.
    ///
    /// # Errors
    /// [`StoreError::InvalidIri`] for a graph name that is not an absolute IRI.
    pub fn set_protocol_dataset(
        &mut self,
        default_graphs: &[String],
        named_graphs: &[String],
    ) -> Result<(), StoreError> {
        if default_graphs.is_empty() && named_graphs.is_empty() {
            self.protocol_dataset = None;
            return Ok(());
        }
        let parse = |iri: &String| {
            NamedNode::new(iri.as_str())
                .map_err(|e| StoreError::InvalidIri { iri: iri.clone(), message: e.to_string() })
        };
        let default = default_graphs.iter().map(parse).collect::<Result<_, _>>()?;
        let named = named_graphs.iter().map(parse).collect::<Result<_, _>>()?;
        self.protocol_dataset = Some((default, named));
        Ok(())
    }

    /// Checks that `format` can hold this query's results.
    ///
    /// # Errors
    /// [`StoreError::FormatMismatch`] naming the formats that fit.
    pub fn check_format(&self, format: ResultFormat) -> Result<(), StoreError> {
        if format.is_graph_format() == self.form.returns_graph() {
            return Ok(());
        }
        let expected = self.form.formats().iter().map(|f| f.name()).collect::<Vec<_>>().join(", ");
        Err(StoreError::FormatMismatch { form: self.form, format, expected })
    }
}

/// Shortens the parser's message and points at the error in the query text.
///
/// The parser lists every token it would have accepted, which can run to hundreds
/// of characters of Unicode ranges; the list is cut, and the line the error is on
/// is shown with a caret under the column (`error at LINE:COLUMN: …`).
pub(crate) fn readable_syntax_error(sparql: &str, message: &str) -> String {
    const MAX: usize = 160;
    let mut text = match message.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{} …", &message[..cut]),
        None => message.to_owned(),
    };
    let position = message
        .strip_prefix("error at ")
        .and_then(|rest| rest.split_once(':').zip(rest.split(':').nth(1)))
        .and_then(|((line, _), column)| {
            Some((line.parse::<usize>().ok()?, column.parse::<usize>().ok()?))
        });
    if let Some((line, column)) = position
        && let Some(source) = sparql.lines().nth(line.saturating_sub(1))
    {
        let pad: String = source
            .chars()
            .take(column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        text.push_str(&format!("\n  {source}\n  {pad}^"));
    }
    text
}

/// What a query evaluation wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryOutcome {
    /// Number of solutions, triples, or 1 for a boolean.
    pub results: u64,
}

/// Evaluates `query` on `store` and writes the results to `out` in `format`.
///
/// The whole evaluation is streamed into `out`; a caller that must not send partial
/// results (the HTTP endpoint) passes a buffer. `cancel` stops the evaluation between
/// two results with [`StoreError::Cancelled`].
pub(crate) fn evaluate(
    store: &Store,
    query: ParsedQuery,
    format: ResultFormat,
    out: &mut dyn Write,
    cancel: Option<CancellationToken>,
) -> Result<QueryOutcome, StoreError> {
    query.check_format(format)?;
    let mut evaluator = SparqlEvaluator::new();
    if let Some(token) = cancel {
        evaluator = evaluator.with_cancellation_token(token);
    }
    let mut prepared = evaluator.for_query(query.query);
    let dataset = prepared.dataset_mut();
    match query.protocol_dataset {
        Some((default, named)) => {
            dataset.set_default_graph(default.into_iter().map(GraphName::NamedNode).collect());
            dataset.set_available_named_graphs(
                named.into_iter().map(NamedOrBlankNode::NamedNode).collect(),
            );
        }
        // Like `oxigraph serve --union-default-graph`: documents live in named graphs,
        // and a query without FROM should see all of them.
        None if dataset.is_default_dataset() => dataset.set_default_graph_as_union(),
        None => {}
    }
    let results = prepared.on_store(store).execute().map_err(evaluation_error)?;
    let count = match (results, format.kind()) {
        (QueryResults::Solutions(solutions), FormatKind::Results(f)) => {
            let mut writer = QueryResultsSerializer::from_format(f)
                .serialize_solutions_to_writer(out, solutions.variables().to_vec())?;
            let mut count = 0;
            for solution in solutions {
                writer.serialize(&solution.map_err(evaluation_error)?)?;
                count += 1;
            }
            writer.finish()?;
            count
        }
        (QueryResults::Boolean(value), FormatKind::Results(f)) => {
            QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(out, value)?;
            1
        }
        (QueryResults::Graph(triples), FormatKind::Rdf(f)) => {
            let mut writer = rdf_serializer(f, &[]).for_writer(out);
            let mut count = 0;
            for triple in triples {
                writer.serialize_triple(&triple.map_err(evaluation_error)?)?;
                count += 1;
            }
            writer.finish()?;
            count
        }
        // `check_format` above rules these out; they are kept as errors rather than
        // panics should oxigraph ever return another result kind for a form.
        (QueryResults::Solutions(_) | QueryResults::Boolean(_), FormatKind::Rdf(_))
        | (QueryResults::Graph(_), FormatKind::Results(_)) => {
            let expected =
                query.form.formats().iter().map(|f| f.name()).collect::<Vec<_>>().join(", ");
            return Err(StoreError::FormatMismatch { form: query.form, format, expected });
        }
    };
    Ok(QueryOutcome { results: count })
}

/// An RDF serializer with the migraph prefixes and `extra` ones (used by Turtle,
/// TriG and RDF/XML).
pub(crate) fn rdf_serializer(format: RdfFormat, extra: &[(&str, &str)]) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, iri) in PREFIXES.iter().chain(extra) {
        // The prefixes are constant absolute IRIs; `with_prefix` only fails on a
        // malformed IRI, in which case the serializer simply goes without that prefix.
        serializer = match serializer.clone().with_prefix(*prefix, *iri) {
            Ok(with) => with,
            Err(_) => serializer,
        };
    }
    serializer
}

/// Runs a `SELECT` query on the union default graph and collects its solutions.
pub(crate) fn select(store: &Store, sparql: &str) -> Result<Vec<QuerySolution>, StoreError> {
    let mut prepared = SparqlEvaluator::new()
        .parse_query(sparql)
        .map_err(|e| StoreError::Query { what: "query", message: e.to_string() })?;
    prepared.dataset_mut().set_default_graph_as_union();
    match prepared.on_store(store).execute().map_err(evaluation_error)? {
        QueryResults::Solutions(solutions) => {
            solutions.collect::<Result<_, _>>().map_err(evaluation_error)
        }
        QueryResults::Boolean(_) | QueryResults::Graph(_) => {
            Err(StoreError::Query { what: "query", message: "expected a SELECT query".to_owned() })
        }
    }
}

fn evaluation_error(error: QueryEvaluationError) -> StoreError {
    match error {
        QueryEvaluationError::Cancelled => StoreError::Cancelled,
        other => StoreError::QueryEvaluation(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_format_parses_names_and_media_types() {
        for format in ResultFormat::SOLUTIONS.iter().chain(ResultFormat::GRAPH) {
            assert_eq!(format.name().parse::<ResultFormat>(), Ok(*format));
            assert_eq!(ResultFormat::from_media_type(format.media_type()), Some(*format));
        }
        assert_eq!("Turtle".parse::<ResultFormat>(), Ok(ResultFormat::Turtle));
        assert_eq!(
            "application/sparql-results+json; charset=utf-8".parse::<ResultFormat>(),
            Ok(ResultFormat::Json)
        );
        assert!("yaml".parse::<ResultFormat>().is_err());
    }

    #[test]
    fn parsed_query_knows_form_and_checks_format() {
        let q = ParsedQuery::parse("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").unwrap();
        assert_eq!(q.form(), QueryForm::Construct);
        assert!(q.check_format(ResultFormat::NTriples).is_ok());
        let err = q.check_format(ResultFormat::Tsv).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a CONSTRUCT query cannot be written as tsv: use one of ttl, nt, nq, trig, rdf, jsonld"
        );
        let ask = ParsedQuery::parse("ASK {}").unwrap();
        assert_eq!(ask.form().default_format(), ResultFormat::Json);
        assert!(ask.check_format(ResultFormat::Turtle).is_err());
    }

    #[test]
    fn parsed_query_reports_syntax_error_position() {
        let err = ParsedQuery::parse("SELECT * WHERE { ?s ?p }").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("invalid SPARQL query: "), "{text}");
        assert!(text.contains("1:"), "the message names the line: {text}");
    }

    #[test]
    fn readable_syntax_error_cuts_and_points() {
        let long = format!("error at 2:3: expected one of {}", "\"x\", ".repeat(80));
        let text = readable_syntax_error("SELECT *\nWH {", &long);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].ends_with(" …") && lines[0].chars().count() < 170, "{text}");
        assert_eq!(lines[1], "  WH {");
        assert_eq!(lines[2], "    ^");
        assert_eq!(readable_syntax_error("q", "plain message"), "plain message");
    }

    #[test]
    fn parsed_query_rejects_relative_protocol_graph() {
        let mut q = ParsedQuery::parse("SELECT * {}").unwrap();
        assert!(q.set_protocol_dataset(&["not an iri".to_owned()], &[]).is_err());
        assert!(q.set_protocol_dataset(&["https://example.org/g".to_owned()], &[]).is_ok());
    }
}
