"""Writes a large N-Quads dataset for the endpoint benchmark (benches/serve.sh).

Usage: serve_gen.py SAMPLE.nq COPIES > BIG.nq

SAMPLE.nq is a dump of a store built from the sample corpus. Every document graph,
its statements and its catalogue entry are written COPIES times under new
document and statement IRIs (`.../doc/c7-name.txt`, `.../statement/c7-...`),
while entities and the ontology are shared, as they would be in a store built from
many bulletins that name the same countries and agencies. The output keeps the
shape the canned queries expect, at any size.
"""

import re
import sys

DOC = "https://w3id.org/migraph/id/doc/"
STATEMENT = "https://w3id.org/migraph/id/statement/"
ONTOLOGY = "<https://w3id.org/migraph/graph/ontology>"
RENAME = re.compile("<(" + re.escape(DOC) + "|" + re.escape(STATEMENT) + ")")


def main():
    sample, copies = sys.argv[1], int(sys.argv[2])
    shared, per_copy = [], []
    with open(sample, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            (shared if line.rstrip().endswith(ONTOLOGY + " .") else per_copy).append(line)
    out = sys.stdout
    out.writelines(shared)
    for copy in range(copies):
        prefix = f"c{copy}-"
        out.writelines(RENAME.sub(lambda m: "<" + m.group(1) + prefix, line) for line in per_copy)


if __name__ == "__main__":
    main()
