//! Graphviz dot writer (<https://graphviz.org/doc/info/lang.html>), laid out for
//! `sfdp -Tpng graph.dot -o graph.png`.
//!
//! A `digraph` whose node ids are the quoted entity IRIs, labelled with the canonical
//! name, filled with the type colour and sized by weighted degree (inches =
//! [`node_size`] / 20); edges are labelled with the relation, drawn with a pen width
//! growing with the weight, and symmetric relations get `dir=none`. Every string is
//! quoted and escaped. This module formats a [`Projection`]; it filters nothing.

use std::io::{self, Write};

use super::palette::{color_of, node_size};
use super::{ExportError, Projection, description, fixed};

/// Writes the projection as a Graphviz digraph.
pub fn write_dot(p: &Projection, w: impl Write) -> Result<(), ExportError> {
    write(p, w).map_err(ExportError::write("dot"))
}

/// Quotes a string for dot: backslashes and double quotes are escaped, so that no
/// escape sequence of Graphviz's `escString` (`\n`, `\N`, `\G`…) is triggered by data.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn write(p: &Projection, mut w: impl Write) -> io::Result<()> {
    writeln!(w, "// {}", description(p))?;
    writeln!(w, "digraph migraph {{")?;
    writeln!(
        w,
        "  graph [overlap=prism, splines=true, outputorder=edgesfirst, fontname=\"Helvetica\"];"
    )?;
    writeln!(
        w,
        "  node [shape=ellipse, style=filled, fixedsize=false, fontname=\"Helvetica\", fontsize=10];"
    )?;
    writeln!(
        w,
        "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#777777\", fontcolor=\"#444444\"];"
    )?;
    for n in p.nodes() {
        let fill = color_of(n.kind);
        let size = fixed(node_size(n.metrics.weighted_degree) / 20.0, 3);
        writeln!(
            w,
            "  {} [label={}, fillcolor={}, fontcolor={}, width={size}, height={size}, tooltip={}];",
            quote(&n.iri),
            quote(&n.label),
            quote(&fill.hex()),
            quote(&fill.text_color().hex()),
            quote(n.kind.as_str()),
        )?;
    }
    for (source, target, e) in p.edges() {
        // Statement counts are small, so the conversion is exact.
        let pen = fixed(1.0 + (e.weight as f64).ln(), 3);
        let dir = if e.directed() { "" } else { ", dir=none" };
        writeln!(
            w,
            "  {} -> {} [label={}, penwidth={pen}, weight={}{dir}, tooltip={}];",
            quote(&source.iri),
            quote(&target.iri),
            quote(e.relation.as_str()),
            e.weight,
            quote(&e.evidence),
        )?;
    }
    writeln!(w, "}}")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{ViewOptions, project};
    use crate::model::{Entity, EntityKind, KnowledgeGraph, RelationKind};

    #[test]
    fn dot_quote_escapes_quotes_and_backslashes() {
        assert_eq!(quote(r#"a "b" \n"#), r#""a \"b\" \\n""#);
    }

    #[test]
    fn dot_marks_symmetric_edges_undirected() {
        let mut g = KnowledgeGraph::new();
        let a = Entity::new("A \"quoted\" name", EntityKind::Person, "test");
        let b = Entity::new("B", EntityKind::Mission, "test");
        g.relations.push(crate::export::test_relation(
            &b,
            RelationKind::MeetsWith,
            &a,
            None,
            None,
            "met \\ greeted",
        ));
        g.entities.insert(a.id.clone(), a);
        g.entities.insert(b.id.clone(), b);
        let p = project(&g, &ViewOptions::all()).unwrap();
        let mut out = Vec::new();
        write_dot(&p, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(
                r##"label="A \"quoted\" name", fillcolor="#000000", fontcolor="#FFFFFF""##
            ),
            "{text}"
        );
        assert!(
            text.contains(r#""https://w3id.org/migraph/id/entity/a-quoted-name" -> "https://w3id.org/migraph/id/entity/b" [label="meetsWith", penwidth=1.000, weight=1, dir=none, tooltip="met \\ greeted"];"#),
            "{text}"
        );
    }
}
