//! GraphML writer (<http://graphml.graphdrawing.org/specification.html>) for networkx,
//! igraph, Cytoscape and yEd.
//!
//! Every attribute has a typed `<key>` (`attr.type` string, int, long, double or
//! boolean) whose id is `n_<name>` or `e_<name>` and whose `attr.name` is the
//! attribute name of the [`super`] module docs; nodes also get `label`, `color`
//! (`#RRGGBB`) and `size`, edges `label` and `weight`. The graph is
//! `edgedefault="directed"` with no per-edge `directed` attribute, because networkx
//! rejects mixed graphs; symmetric relations carry `directed = false` as data. This
//! module formats a [`Projection`]; it filters nothing.

use std::io::Write;

use super::palette::{color_of, node_size};
use super::xml::Xml;
use super::{
    AttrType, EDGE_ATTRS, ExportError, NODE_ATTRS, Projection, Value, description, edge_values,
    node_values, uint,
};

const fn graphml_type(ty: AttrType) -> &'static str {
    match ty {
        AttrType::String => "string",
        AttrType::Integer => "int",
        AttrType::Long => "long",
        AttrType::Double => "double",
        AttrType::Boolean => "boolean",
    }
}

/// Writes the projection as GraphML.
pub fn write_graphml(p: &Projection, w: impl Write) -> Result<(), ExportError> {
    write(p, w).map_err(ExportError::write("graphml"))
}

fn write(p: &Projection, w: impl Write) -> std::io::Result<()> {
    let mut x = Xml::new(w)?;
    x.start(
        "graphml",
        &[
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns \
                 http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ),
        ],
    )?;
    let node_keys = [("label", AttrType::String)]
        .into_iter()
        .chain(NODE_ATTRS.iter().map(|a| (a.name, a.ty)))
        .chain([("color", AttrType::String), ("size", AttrType::Double)]);
    for (name, ty) in node_keys {
        key(&mut x, "node", "n_", name, ty)?;
    }
    let edge_keys = [("label", AttrType::String), ("weight", AttrType::Double)]
        .into_iter()
        .chain(EDGE_ATTRS.iter().map(|a| (a.name, a.ty)));
    for (name, ty) in edge_keys {
        key(&mut x, "edge", "e_", name, ty)?;
    }
    x.start("graph", &[("id", "migraph"), ("edgedefault", "directed")])?;
    x.text_element("desc", &[], &description(p))?;
    // Key ids are built once, not per node and edge.
    let node_keys = NODE_ATTRS.map(|a| format!("n_{}", a.name));
    let edge_keys = EDGE_ATTRS.map(|a| format!("e_{}", a.name));
    for node in p.nodes() {
        x.start("node", &[("id", &node.iri)])?;
        data(&mut x, "n_label", &Value::Str(&node.label))?;
        for (key, value) in node_keys.iter().zip(node_values(node)) {
            if let Some(value) = value {
                data(&mut x, key, &value)?;
            }
        }
        data(&mut x, "n_color", &Value::Owned(color_of(node.kind).hex()))?;
        data(&mut x, "n_size", &Value::Fixed(node_size(node.metrics.weighted_degree), 6))?;
        x.end("node")?;
    }
    for (source, target, edge) in p.edges() {
        x.start("edge", &[("id", &edge.id), ("source", &source.iri), ("target", &target.iri)])?;
        data(&mut x, "e_label", &Value::Str(edge.relation.as_str()))?;
        data(&mut x, "e_weight", &uint(edge.weight))?;
        for (key, value) in edge_keys.iter().zip(edge_values(edge)) {
            if let Some(value) = value {
                data(&mut x, key, &value)?;
            }
        }
        x.end("edge")?;
    }
    x.end("graph")?;
    x.end("graphml")?;
    x.finish()
}

fn key<W: Write>(
    x: &mut Xml<W>,
    domain: &str,
    prefix: &str,
    name: &str,
    ty: AttrType,
) -> std::io::Result<()> {
    let id = format!("{prefix}{name}");
    x.empty(
        "key",
        &[("id", &id), ("for", domain), ("attr.name", name), ("attr.type", graphml_type(ty))],
    )
}

fn data<W: Write>(x: &mut Xml<W>, key: &str, value: &Value<'_>) -> std::io::Result<()> {
    x.text_value_element("data", &[("key", key)], value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{ViewOptions, project};
    use crate::model::{Entity, EntityKind, KnowledgeGraph, Money, RelationKind};

    #[test]
    fn graphml_declares_typed_keys_and_writes_values() {
        let mut g = KnowledgeGraph::new();
        let a = Entity::new("Alpha", EntityKind::EUAgency, "test");
        let b = Entity::new("Bêta", EntityKind::Country, "test");
        g.relations.push(crate::export::test_relation(
            &a,
            RelationKind::Funds,
            &b,
            Some(Money { amount: 5, currency: "USD".into() }),
            None,
            "a < b",
        ));
        g.entities.insert(a.id.clone(), a);
        g.entities.insert(b.id.clone(), b);
        let p = project(&g, &ViewOptions::all()).unwrap();
        let mut out = Vec::new();
        write_graphml(&p, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for key in [
            r#"<key id="n_pagerank" for="node" attr.name="pagerank" attr.type="double"/>"#,
            r#"<key id="e_amount_eur" for="edge" attr.name="amount_eur" attr.type="long"/>"#,
            r#"<key id="e_directed" for="edge" attr.name="directed" attr.type="boolean"/>"#,
            r#"<data key="e_amounts">5 USD</data>"#,
            r#"<data key="e_evidence">a &lt; b</data>"#,
            r#"<data key="n_label">Bêta</data>"#,
            r#"<graph id="migraph" edgedefault="directed">"#,
        ] {
            assert!(text.contains(key), "missing {key} in {text}");
        }
        assert!(!text.contains("e_amount_eur\">"), "no EUR amount, no value");
    }
}
