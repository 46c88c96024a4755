#!/usr/bin/env python3
"""Reference timing: write a GEXF of the same size as the Rust export benchmark with networkx.

Builds a MultiDiGraph of N_ENTITIES nodes and N_STATEMENTS edges with attributes like
migraph's (type, pagerank, community on nodes; relation, weight, evidence, dates on
edges), generated with the same degree skew as the Rust benchmark, and times
networkx.write_gexf into memory (wall clock and process CPU time), best of RUNS
(default 3). It prints a human line and a
`RESULT key=value ...` line that `cargo bench -p migraph-core --bench export` parses;
peak_rss_bytes is the peak resident set of this process (graph plus writing).

Usage: python3 tests/py/bench_networkx_gexf.py [N_ENTITIES] [N_STATEMENTS] [--runs RUNS]
"""

import io
import random
import resource
import sys
import time

import networkx as nx

KINDS = ["Country", "Region", "EUInstitution", "EUAgency", "Mission", "InternationalOrganisation",
         "Authority", "Company", "NGO", "Person", "Programme", "Agreement"]
RELATIONS = ["funds", "cooperatesWith", "deploysTo", "supports", "negotiatesAgreementWith",
             "imposesMeasureOn", "returnsMigrantsTo", "operatesIn", "meetsWith", "presentsTo",
             "discusses", "contractedBy", "memberOf", "participatesIn", "usesForceAgainst", "partOf"]


def generate(n_entities, n_statements):
    rng = random.Random(42)
    g = nx.MultiDiGraph()
    for i in range(n_entities):
        g.add_node(f"https://w3id.org/migraph/id/entity/entity-{i}-unit",
                   label=f"Entity {i} Ünit", type=KINDS[i % len(KINDS)], degree=0,
                   pagerank=1.0 / n_entities, community=i % 17,
                   viz={"color": {"r": 0, "g": 114, "b": 178, "a": 1.0}, "size": 10.0})
    for i in range(n_statements):
        a = rng.randrange(n_entities)
        s = a * a // n_entities
        o = rng.randrange(n_entities)
        relation = RELATIONS[rng.randrange(len(RELATIONS))]
        year = 2015 + rng.randrange(11)
        g.add_edge(f"https://w3id.org/migraph/id/entity/entity-{s}-unit",
                   f"https://w3id.org/migraph/id/entity/entity-{o}-unit",
                   key=f"e{i}", label=relation, relation=relation, weight=1.0,
                   first_date=str(year), last_date=str(year + 2), n_sources=1,
                   evidence=f"statement {i} says entity {s} & entity {o} <{relation}>",
                   sources=f"doc-{i // 50}.txt", rules=f"{relation}.bench")
    return g


def parse_args(argv):
    runs = 3
    sizes = []
    args = iter(argv[1:])
    for arg in args:
        if arg == "--runs":
            runs = max(1, int(next(args, "1")))
        else:
            sizes.append(int(arg))
    n_entities = sizes[0] if sizes else 10_000
    n_statements = sizes[1] if len(sizes) > 1 else 50_000
    return n_entities, n_statements, runs


def main(argv):
    n_entities, n_statements, runs = parse_args(argv)
    start = time.perf_counter()
    g = generate(n_entities, n_statements)
    build = time.perf_counter() - start
    best = float("inf")
    best_cpu = float("inf")
    size = 0
    for _ in range(runs):
        out = io.BytesIO()
        start, start_cpu = time.perf_counter(), time.process_time()
        nx.write_gexf(g, out, version="1.2draft")
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
        size = out.tell()
        del out
    mb = size / 1e6
    # ru_maxrss is in kilobytes on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"networkx write_gexf: {n_entities} nodes, {n_statements} edges (graph built in "
          f"{build:.1f} s): {mb:.2f} MB in {best * 1e3:.1f} ms ({best_cpu * 1e3:.1f} ms CPU) = "
          f"{mb / best:.1f} MB/s, peak {peak / 1e6:.0f} MB")
    print(f"RESULT write_seconds={best:.3f} write_cpu_seconds={best_cpu:.3f} bytes={size} "
          f"peak_rss_bytes={peak}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
