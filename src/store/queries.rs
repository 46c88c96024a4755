//! The canned SPARQL queries of `ontology/queries/*.rq`, compiled into the binary.
//!
//! Each file starts with `# title:` and `# description:` comment lines; the query
//! page of `serve` lists them and the CLI can run them by name. The files are data
//! a user may copy and edit: this module only reads their headers and never
//! rewrites the SPARQL.

/// One documented query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CannedQuery {
    /// File stem: `funding-by-year`.
    pub name: &'static str,
    /// The `# title:` line.
    pub title: &'static str,
    /// The `# description:` line.
    pub description: &'static str,
    /// The whole file, comments included (valid SPARQL).
    pub sparql: &'static str,
}

/// The query files, in the order a reader meets them.
const FILES: &[(&str, &str)] = &[
    ("funding-totals", include_str!("../../ontology/queries/funding-totals.rq")),
    ("funding-by-year", include_str!("../../ontology/queries/funding-by-year.rq")),
    ("country-timeline", include_str!("../../ontology/queries/country-timeline.rq")),
    ("deployments", include_str!("../../ontology/queries/deployments.rq")),
    (
        "readmission-visa-pressure",
        include_str!("../../ontology/queries/readmission-visa-pressure.rq"),
    ),
    ("evidence-for-edge", include_str!("../../ontology/queries/evidence-for-edge.rq")),
    ("most-connected", include_str!("../../ontology/queries/most-connected.rq")),
    ("relations-by-document", include_str!("../../ontology/queries/relations-by-document.rq")),
    ("funding-network", include_str!("../../ontology/queries/funding-network.rq")),
];

/// Every canned query, with its header read.
pub fn canned_queries() -> Vec<CannedQuery> {
    FILES
        .iter()
        .map(|(name, sparql)| CannedQuery {
            name,
            title: header(sparql, "title").unwrap_or(name),
            description: header(sparql, "description").unwrap_or_default(),
            sparql,
        })
        .collect()
}

/// The value of a `# key: value` line of the leading comment block.
fn header(sparql: &'static str, key: &str) -> Option<&'static str> {
    sparql
        .lines()
        .map_while(|line| line.strip_prefix('#'))
        .filter_map(|line| line.trim_start().strip_prefix(key)?.strip_prefix(':'))
        .map(str::trim)
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canned_queries_have_headers_and_parse() {
        let queries = canned_queries();
        assert_eq!(queries.len(), FILES.len());
        for q in &queries {
            assert_ne!(q.title, q.name, "{} lacks a # title: line", q.name);
            assert!(q.description.len() > 20, "{} lacks a # description: line", q.name);
            assert!(
                crate::store::ParsedQuery::parse(q.sparql).is_ok(),
                "{} does not parse: {:?}",
                q.name,
                crate::store::ParsedQuery::parse(q.sparql).err()
            );
        }
    }

    #[test]
    fn canned_query_header_stops_at_first_code_line() {
        let text = "# title: T\nSELECT * {}\n# description: late\n";
        assert_eq!(header(text, "title"), Some("T"));
        assert_eq!(header(text, "description"), None);
    }
}
