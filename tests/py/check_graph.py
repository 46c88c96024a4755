#!/usr/bin/env python3
"""Check a migraph export directory with the readers users have.

Reads graph.gexf and graph.graphml with networkx and nodes.csv/edges.csv with the
csv module, prints a JSON report of counts and attribute checks on stdout, and exits
with status 1 when the files disagree with each other or with the export contract
(see crates/migraph-core/src/export/mod.rs), 2 when a file cannot be read at all.

Usage: python3 tests/py/check_graph.py EXPORT_DIR
"""

import csv
import json
import math
import sys
from pathlib import Path

try:
    import networkx as nx
except ImportError:  # pragma: no cover - depends on the machine
    print("check_graph.py: networkx is required (pip install networkx)", file=sys.stderr)
    sys.exit(2)

ENTITY_BASE = "https://w3id.org/migraph/id/entity/"
NODE_COLUMNS = ["Id", "Label", "Type", "Wikidata", "ISO3", "Degree", "WeightedDegree",
                "PageRank", "Component", "Community", "Color"]
EDGE_COLUMNS = ["Source", "Target", "Type", "Label", "Weight", "Interval", "Relation",
                "AmountEUR", "FirstDate", "LastDate", "Sources", "Evidence"]
SYMMETRIC = {"cooperatesWith", "meetsWith"}


def edge_rows(graph):
    """(source, target, data) for every edge, whether or not the graph is a multigraph."""
    if graph.is_multigraph():
        return [(s, t, d) for s, t, _k, d in graph.edges(keys=True, data=True)]
    return list(graph.edges(data=True))


def read_csv(path, columns, errors):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != columns:
            errors.append(f"{path.name}: columns {reader.fieldnames} != {columns}")
        return list(reader)


def check(export_dir):
    errors = []
    gexf = nx.read_gexf(export_dir / "graph.gexf")
    graphml = nx.read_graphml(export_dir / "graph.graphml")
    nodes_csv = read_csv(export_dir / "nodes.csv", NODE_COLUMNS, errors)
    edges_csv = read_csv(export_dir / "edges.csv", EDGE_COLUMNS, errors)

    # Same nodes and edges everywhere.
    ids = {"gexf": set(gexf.nodes), "graphml": set(graphml.nodes),
           "csv": {row["Id"] for row in nodes_csv}}
    if not ids["gexf"] == ids["graphml"] == ids["csv"]:
        errors.append("node ids differ between GEXF, GraphML and nodes.csv")
    if len(nodes_csv) != len(ids["csv"]):
        errors.append("nodes.csv repeats a node id")
    bad_ids = sorted(n for n in ids["gexf"] if not n.startswith(ENTITY_BASE))
    if bad_ids:
        errors.append(f"node ids outside {ENTITY_BASE}: {bad_ids[:3]}")

    gexf_edges = edge_rows(gexf)
    graphml_edges = edge_rows(graphml)
    counts = {gexf.number_of_edges(), graphml.number_of_edges(), len(edges_csv)}
    if len(counts) != 1:
        errors.append(f"edge counts differ: gexf {gexf.number_of_edges()}, "
                      f"graphml {graphml.number_of_edges()}, csv {len(edges_csv)}")

    def key(s, t, relation):
        return (s, t, relation)

    gexf_by_key = {}
    for s, t, d in gexf_edges:
        gexf_by_key.setdefault(key(s, t, d.get("relation")), []).append(d)
    graphml_weights = sorted((s, t, d.get("relation"), float(d.get("weight", "nan")))
                             for s, t, d in graphml_edges)
    gexf_weights = sorted((s, t, d.get("relation"), float(d.get("weight", "nan")))
                          for s, t, d in gexf_edges)
    if graphml_weights != gexf_weights:
        errors.append("edge weights differ between GEXF and GraphML")

    # Each CSV edge matches a GEXF edge, and the direction flags agree.
    for row in edges_csv:
        found = gexf_by_key.get(key(row["Source"], row["Target"], row["Relation"]))
        if not found:
            errors.append(f"edges.csv row {row['Source']} {row['Relation']} {row['Target']} not in GEXF")
            continue
        if not any(float(d["weight"]) == float(row["Weight"]) for d in found):
            errors.append(f"weight of {row['Relation']} edge differs between CSV and GEXF")
        undirected = row["Relation"] in SYMMETRIC
        if row["Type"] != ("Undirected" if undirected else "Directed"):
            errors.append(f"edges.csv Type {row['Type']} for {row['Relation']}")
        if any(d.get("directed") is undirected for d in found):
            errors.append(f"GEXF directed flag wrong for {row['Relation']}")
        if row["Label"] != row["Relation"]:
            errors.append("edges.csv Label differs from Relation")

    # Node attributes: type, colour, metrics consistent with the graph itself.
    pagerank_sum = 0.0
    for node, d in gexf.nodes(data=True):
        for attr in ("label", "type", "degree", "weighted_degree", "pagerank", "component", "community"):
            if attr not in d:
                errors.append(f"GEXF node {node} lacks {attr}")
        if "color" not in d.get("viz", {}) or "size" not in d.get("viz", {}):
            errors.append(f"GEXF node {node} lacks viz:color or viz:size")
        if d.get("degree") != gexf.degree(node):
            errors.append(f"GEXF degree of {node} is {d.get('degree')}, graph says {gexf.degree(node)}")
        if d.get("weighted_degree") != gexf.degree(node, weight="weight"):
            errors.append(f"GEXF weighted_degree of {node} disagrees with edge weights")
        pagerank_sum += float(d.get("pagerank", 0.0))
        gml = graphml.nodes.get(node, {})
        if gml.get("type") != d.get("type") or gml.get("label") != d.get("label"):
            errors.append(f"GraphML type or label of {node} differs from GEXF")
    if gexf.number_of_nodes() and not math.isclose(pagerank_sum, 1.0, abs_tol=1e-5):
        errors.append(f"PageRank sums to {pagerank_sum}, not 1")
    for row in nodes_csv:
        d = gexf.nodes.get(row["Id"], {})
        if row["Type"] != d.get("type") or int(row["Degree"]) != d.get("degree"):
            errors.append(f"nodes.csv row {row['Id']} differs from GEXF")
        viz = d.get("viz", {}).get("color", {})
        hex_color = "#{:02X}{:02X}{:02X}".format(viz.get("r", 0), viz.get("g", 0), viz.get("b", 0))
        if row["Color"] != hex_color:
            errors.append(f"nodes.csv Color {row['Color']} != GEXF viz:color {hex_color}")

    dated = sum(1 for _s, _t, d in gexf_edges if d.get("spells"))
    intervals = sum(1 for row in edges_csv if row["Interval"])
    if dated != intervals:
        errors.append(f"{dated} GEXF edges have spells but {intervals} CSV rows have an Interval")

    report = {
        "gexf": {"nodes": gexf.number_of_nodes(), "edges": gexf.number_of_edges(),
                 "directed": gexf.is_directed(), "multigraph": gexf.is_multigraph(),
                 "mode": gexf.graph.get("mode"), "dated_edges": dated},
        "graphml": {"nodes": graphml.number_of_nodes(), "edges": graphml.number_of_edges(),
                    "directed": graphml.is_directed()},
        "csv": {"nodes": len(nodes_csv), "edges": len(edges_csv),
                "undirected_edges": sum(1 for r in edges_csv if r["Type"] == "Undirected")},
        "pagerank_sum": round(pagerank_sum, 6),
        "errors": errors,
    }
    return report


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    export_dir = Path(argv[1])
    try:
        report = check(export_dir)
    except (OSError, nx.NetworkXError, ValueError, KeyError) as err:
        print(f"check_graph.py: cannot read {export_dir}: {err}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2, sort_keys=True))
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
