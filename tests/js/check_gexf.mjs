// Reads a GEXF file with graphology-gexf (the parser behind sigma.js) and prints
// {"nodes": n, "edges": m, "type": ..., "multi": ...} as JSON on stdout.
// Exits 1 with a message on stderr when the file cannot be read or parsed.
//
// Usage: node tests/js/check_gexf.mjs path/to/graph.gexf   (after `npm ci` in tests/js)

import { readFileSync } from "node:fs";
import Graph from "graphology";
import gexf from "graphology-gexf";

const path = process.argv[2];
if (!path) {
  console.error("usage: node check_gexf.mjs GRAPH.gexf");
  process.exit(2);
}

try {
  const graph = gexf.parse(Graph, readFileSync(path, "utf8"), { addMissingNodes: false });
  const report = {
    nodes: graph.order,
    edges: graph.size,
    directed_edges: graph.directedSize,
    undirected_edges: graph.undirectedSize,
    type: graph.type,
    multi: graph.multi,
  };
  console.log(JSON.stringify(report));
} catch (err) {
  console.error(`check_gexf.mjs: cannot parse ${path}: ${err.message}`);
  process.exit(1);
}
