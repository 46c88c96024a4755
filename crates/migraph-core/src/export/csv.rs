//! CSV node and edge tables (RFC 4180) for Gephi's spreadsheet import.
//!
//! `nodes.csv` columns: `Id,Label,Type,Wikidata,ISO3,Degree,WeightedDegree,PageRank,
//! Component,Community,Color`.
//! `edges.csv` columns: `Source,Target,Type,Label,Weight,Interval,Relation,AmountEUR,
//! FirstDate,LastDate,Sources,Evidence`, where `Type` is `Directed` or `Undirected`
//! (symmetric relations) and `Interval` holds the edge's spells in Gephi's
//! `<[start, end]; [start, end]>` form with `-inf`/`inf` for open ends, or nothing.
//! Missing values are empty cells. Values mean what the [`super`] module docs say.
//! This module formats a [`Projection`]; it filters nothing.

use std::io::{self, Write};

use super::palette::color_of;
use super::{ExportError, PAGERANK_DECIMALS, Projection, Spell, fixed};

/// Writes `nodes.csv`.
pub fn write_nodes_csv(p: &Projection, w: impl Write) -> Result<(), ExportError> {
    nodes(p, w).map_err(ExportError::write("nodes.csv"))
}

/// Writes `edges.csv`.
pub fn write_edges_csv(p: &Projection, w: impl Write) -> Result<(), ExportError> {
    edges(p, w).map_err(ExportError::write("edges.csv"))
}

fn nodes(p: &Projection, w: impl Write) -> io::Result<()> {
    let mut out = ::csv::Writer::from_writer(w);
    out.write_record([
        "Id",
        "Label",
        "Type",
        "Wikidata",
        "ISO3",
        "Degree",
        "WeightedDegree",
        "PageRank",
        "Component",
        "Community",
        "Color",
    ])?;
    for n in p.nodes() {
        let m = &n.metrics;
        out.write_record([
            n.iri.as_str(),
            &n.label,
            n.kind.as_str(),
            n.wikidata.as_deref().unwrap_or(""),
            n.iso3.as_deref().unwrap_or(""),
            &m.degree.to_string(),
            &m.weighted_degree.to_string(),
            &fixed(m.pagerank, PAGERANK_DECIMALS),
            &m.component.to_string(),
            &m.community.to_string(),
            &color_of(n.kind).hex(),
        ])?;
    }
    out.flush()
}

fn edges(p: &Projection, w: impl Write) -> io::Result<()> {
    let mut out = ::csv::Writer::from_writer(w);
    out.write_record([
        "Source",
        "Target",
        "Type",
        "Label",
        "Weight",
        "Interval",
        "Relation",
        "AmountEUR",
        "FirstDate",
        "LastDate",
        "Sources",
        "Evidence",
    ])?;
    for (source, target, e) in p.edges() {
        let date = |d: Option<crate::model::IsoDate>| d.map(|d| d.to_string()).unwrap_or_default();
        out.write_record([
            source.iri.as_str(),
            &target.iri,
            if e.directed() { "Directed" } else { "Undirected" },
            e.relation.as_str(),
            &e.weight.to_string(),
            &interval(&e.spells),
            e.relation.as_str(),
            &e.amount_eur.map(|a| a.to_string()).unwrap_or_default(),
            &date(e.first_date),
            &date(e.last_date),
            &e.sources.join(";"),
            &e.evidence,
        ])?;
    }
    out.flush()
}

/// Gephi's interval set syntax: `<[2024-01-01, 2024-12-31]; [2025-03-01, inf]>`.
fn interval(spells: &[Spell]) -> String {
    if spells.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = spells
        .iter()
        .map(|s| {
            let start = s.start_day().unwrap_or_else(|| "-inf".to_owned());
            let end = s.end_day().unwrap_or_else(|| "inf".to_owned());
            format!("[{start}, {end}]")
        })
        .collect();
    format!("<{}>", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{ViewOptions, project};
    use crate::model::{Entity, EntityKind, KnowledgeGraph, RelationKind, When};

    fn projection() -> Projection {
        let mut g = KnowledgeGraph::new();
        let a = Entity::new("Alpha, Inc.", EntityKind::Company, "test");
        let b = Entity::new("Beta", EntityKind::Country, "test");
        for (kind, when) in [
            (RelationKind::CooperatesWith, Some(When::Until { date: "2026".parse().unwrap() })),
            (RelationKind::ContractedBy, None),
        ] {
            g.relations.push(crate::export::test_relation(
                &a,
                kind,
                &b,
                None,
                when,
                "he said \"fine\", then left",
            ));
        }
        g.entities.insert(a.id.clone(), a);
        g.entities.insert(b.id.clone(), b);
        project(&g, &ViewOptions::all()).unwrap()
    }

    #[test]
    fn csv_nodes_quote_commas() {
        let mut out = Vec::new();
        write_nodes_csv(&projection(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let first = text.lines().nth(1).unwrap();
        assert!(
            first.starts_with(
                "https://w3id.org/migraph/id/entity/alpha-inc,\"Alpha, Inc.\",Company,,,2,2,"
            ),
            "{first}"
        );
        assert!(first.ends_with(",0,0,#F0E442"), "{first}");
    }

    #[test]
    fn csv_edges_give_type_and_interval() {
        let mut out = Vec::new();
        write_edges_csv(&projection(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), 3);
        // Relations sort in declaration order: cooperatesWith before contractedBy.
        assert!(rows[2].contains(",Directed,contractedBy,1,,contractedBy,"), "{}", rows[2]);
        assert!(
            rows[1].contains(
                ",Undirected,cooperatesWith,1,\"<[-inf, 2026-12-31]>\",cooperatesWith,,,2026,d,"
            ),
            "{}",
            rows[1]
        );
        assert!(rows[1].ends_with("\"he said \"\"fine\"\", then left\""), "{}", rows[1]);
    }

    #[test]
    fn csv_interval_joins_spells() {
        let d = |s: &str| Some(s.parse().unwrap());
        let spells = [
            Spell { start: d("2024"), end: d("2024-02") },
            Spell { start: d("2025-03-09"), end: None },
        ];
        assert_eq!(interval(&spells), "<[2024-01-01, 2024-02-29]; [2025-03-09, inf]>");
        assert_eq!(interval(&[]), "");
    }
}
