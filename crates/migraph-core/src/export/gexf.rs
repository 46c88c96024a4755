//! GEXF 1.3 writer (<https://gexf.net/schema.html>), Gephi's own format.
//!
//! Namespaces are the spec's `http://gexf.net/1.3` and `http://gexf.net/1.3/viz`
//! (networkx does not read Gephi's `http://www.gexf.net/1.3`). The graph is
//! `mode="dynamic"` with `timeformat="date"`; nodes carry `viz:color` (the type's
//! colour, as `r`/`g`/`b`, which every reader parses) and `viz:size`; edges carry
//! `kind` = relation so that Gephi keeps parallel edges of different relations apart.
//! Output validates against the GEXF 1.3 RELAX NG schema. The attribute contract is in
//! the [`super`] module docs. This module formats a [`Projection`]; it filters nothing.

use std::io::Write;

use super::palette::{color_of, node_size};
use super::xml::Xml;
use super::{
    AttrType, EDGE_ATTRS, ExportError, NODE_ATTRS, Projection, Spell, Value, description,
    edge_values, node_values,
};

/// How edge directions are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeTypes {
    /// Every edge is directed; symmetric relations only say `directed = false` in an
    /// attribute. Readable by every GEXF reader, networkx included.
    Directed,
    /// Symmetric relations get `type="undirected"` in the directed graph (a mixed
    /// graph). Gephi and graphology read it; `networkx.read_gexf` refuses it.
    Mixed,
}

const fn gexf_type(ty: AttrType) -> &'static str {
    match ty {
        AttrType::String => "string",
        AttrType::Integer => "integer",
        AttrType::Long => "long",
        AttrType::Double => "double",
        AttrType::Boolean => "boolean",
    }
}

/// Writes the projection as GEXF 1.3 with every edge directed
/// ([`EdgeTypes::Directed`]).
pub fn write_gexf(p: &Projection, w: impl Write) -> Result<(), ExportError> {
    write_gexf_with(p, w, EdgeTypes::Directed)
}

/// Writes the projection as GEXF 1.3 with the given edge direction style.
pub fn write_gexf_with(
    p: &Projection,
    w: impl Write,
    edge_types: EdgeTypes,
) -> Result<(), ExportError> {
    write(p, w, edge_types).map_err(ExportError::write("gexf"))
}

fn write(p: &Projection, w: impl Write, edge_types: EdgeTypes) -> std::io::Result<()> {
    let mut x = Xml::new(w)?;
    x.start(
        "gexf",
        &[
            ("xmlns", "http://gexf.net/1.3"),
            ("xmlns:viz", "http://gexf.net/1.3/viz"),
            ("version", "1.3"),
        ],
    )?;
    // No lastmodifieddate: it would make the bytes depend on the clock.
    x.start("meta", &[])?;
    x.text_element("creator", &[], "migraph")?;
    x.text_element("description", &[], &description(p))?;
    x.end("meta")?;
    x.start(
        "graph",
        &[
            ("defaultedgetype", "directed"),
            ("idtype", "string"),
            ("mode", "dynamic"),
            ("timeformat", "date"),
        ],
    )?;
    for (class, attrs) in [("node", &NODE_ATTRS[..]), ("edge", &EDGE_ATTRS[..])] {
        x.start("attributes", &[("class", class), ("mode", "static")])?;
        for a in attrs {
            x.empty("attribute", &[("id", a.name), ("title", a.name), ("type", gexf_type(a.ty))])?;
        }
        x.end("attributes")?;
    }

    let n_nodes = p.node_count().to_string();
    x.start("nodes", &[("count", &n_nodes)])?;
    for node in p.nodes() {
        x.start("node", &[("id", &node.iri), ("label", &node.label)])?;
        attvalues(&mut x, NODE_ATTRS.iter().map(|a| a.name).zip(node_values(node)))?;
        spells(&mut x, &node.spells)?;
        let c = color_of(node.kind);
        x.open("viz:color")?;
        x.attr_u64("r", c.r.into())?;
        x.attr_u64("g", c.g.into())?;
        x.attr_u64("b", c.b.into())?;
        x.close_empty()?;
        x.open("viz:size")?;
        x.attr_value("value", &Value::Fixed(node_size(node.metrics.weighted_degree), 6))?;
        x.close_empty()?;
        x.end("node")?;
    }
    x.end("nodes")?;

    let n_edges = p.edge_count().to_string();
    x.start("edges", &[("count", &n_edges)])?;
    for (source, target, edge) in p.edges() {
        x.open("edge")?;
        x.attr("id", &edge.id)?;
        x.attr("source", &source.iri)?;
        x.attr("target", &target.iri)?;
        x.attr("label", edge.relation.as_str())?;
        x.attr("kind", edge.relation.as_str())?;
        x.attr_u64("weight", u64::try_from(edge.weight).unwrap_or(u64::MAX))?;
        if edge_types == EdgeTypes::Mixed && !edge.directed() {
            x.attr("type", "undirected")?;
        }
        x.close_start()?;
        attvalues(&mut x, EDGE_ATTRS.iter().map(|a| a.name).zip(edge_values(edge)))?;
        spells(&mut x, &edge.spells)?;
        x.end("edge")?;
    }
    x.end("edges")?;
    x.end("graph")?;
    x.end("gexf")?;
    x.finish()
}

/// Writes `<attvalues>` for the values that are present.
fn attvalues<'a, W: Write>(
    x: &mut Xml<W>,
    values: impl Iterator<Item = (&'static str, Option<Value<'a>>)>,
) -> std::io::Result<()> {
    x.start("attvalues", &[])?;
    for (name, value) in values {
        if let Some(value) = value {
            x.open("attvalue")?;
            x.attr("for", name)?;
            x.attr_value("value", &value)?;
            x.close_empty()?;
        }
    }
    x.end("attvalues")
}

/// Writes `<spells>` when there are any; an open end is left out.
fn spells<W: Write>(x: &mut Xml<W>, spells: &[Spell]) -> std::io::Result<()> {
    if spells.is_empty() {
        return Ok(());
    }
    x.start("spells", &[])?;
    for spell in spells {
        x.open("spell")?;
        if let Some(start) = spell.start_day() {
            x.attr_raw("start", start.as_bytes())?;
        }
        if let Some(end) = spell.end_day() {
            x.attr_raw("end", end.as_bytes())?;
        }
        x.close_empty()?;
    }
    x.end("spells")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{ViewOptions, project};
    use crate::model::{
        Entity, EntityKind, Evidence, KnowledgeGraph, Relation, RelationKind, When,
    };

    fn graph() -> KnowledgeGraph {
        let mut g = KnowledgeGraph::new();
        let a = Entity::new("Ämter & <Co>", EntityKind::Authority, "test");
        let b = Entity::new("Bravo", EntityKind::Country, "test");
        let relation = |kind, when| Relation {
            subject: b.id.clone(),
            kind,
            object: a.id.clone(),
            money: None,
            when,
            evidence: Evidence {
                doc: "doc\u{7}1".into(),
                article: None,
                sentence: String::new(),
                sentence_start: 0,
                sentence_end: 0,
                quote: "said \"yes\"\n& 'no'".into(),
                quote_start: 0,
                quote_end: 0,
                rule: "r".into(),
            },
        };
        g.relations.push(relation(RelationKind::MeetsWith, None));
        g.relations.push(relation(
            RelationKind::Supports,
            Some(When::Since { date: "2024-02".parse().unwrap() }),
        ));
        g.entities.insert(a.id.clone(), a);
        g.entities.insert(b.id.clone(), b);
        g
    }

    fn gexf(edge_types: EdgeTypes) -> String {
        let p = project(&graph(), &ViewOptions::all()).unwrap();
        let mut out = Vec::new();
        write_gexf_with(&p, &mut out, edge_types).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn gexf_escapes_and_strips_controls() {
        let text = gexf(EdgeTypes::Directed);
        assert!(text.contains(r#"label="Ämter &amp; &lt;Co&gt;""#), "{text}");
        assert!(text.contains(r#"value="said &quot;yes&quot; &amp; &apos;no&apos;""#), "{text}");
        assert!(text.contains(r#"value="doc 1""#), "{text}");
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn gexf_open_spell_has_only_start() {
        let text = gexf(EdgeTypes::Directed);
        assert!(text.contains(r#"<spell start="2024-02-01"/>"#), "{text}");
    }

    #[test]
    fn gexf_edge_types_mark_symmetric_edges() {
        let directed = gexf(EdgeTypes::Directed);
        assert!(!directed.contains("undirected"));
        assert!(directed.contains(r#"<attvalue for="directed" value="false"/>"#));
        let mixed = gexf(EdgeTypes::Mixed);
        assert_eq!(mixed.matches(r#"type="undirected""#).count(), 1);
    }

    #[test]
    fn gexf_declares_dynamic_graph_without_timestamp() {
        let text = gexf(EdgeTypes::Directed);
        assert!(text.contains(
            r#"<graph defaultedgetype="directed" idtype="string" mode="dynamic" timeformat="date">"#
        ));
        assert!(!text.contains("lastmodifieddate"));
        assert!(text.contains(r#"<viz:color r="136" g="34" b="85"/>"#), "{text}");
    }
}
