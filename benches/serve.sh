#!/usr/bin/env bash
# Endpoint benchmark: `migraph serve` against `oxigraph serve-read-only` on the same
# ≥ 1 M quads and the same query mixes, under wrk on loopback. Prints requests/s,
# p50/p99 latency, errors and the servers' peak memory. Nothing here asserts a
# number: it measures (timed assertions belong nowhere in the test suite).
#
# Data: the sample corpus is ingested and dumped, then multiplied by
# benches/serve_gen.py (new documents and statements, shared entities) and loaded
# once with `oxigraph load`; both servers get a copy of the same store files.
#
# Mixes: "canned" = the eight example queries of ontology/queries (analytical:
# group-bys over every statement); "lookup" = a label lookup and an ASK, which
# measures the HTTP and serialisation path rather than query evaluation.
#
# Needs: wrk (Debian), the oxigraph CLI (`.venv/bin/pip install oxigraph==0.5.13`,
# listed in tests/py/requirements.txt), curl.
#
# Usage: benches/serve.sh
# Env:   BENCH_DIR (work folder, reused when it has the data), BENCH_COPIES (560 ≈
#        1.04 M quads), BENCH_DURATION (30s), BENCH_CONNECTIONS (4), OXIGRAPH, PYTHON
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

copies=${BENCH_COPIES:-560}
duration=${BENCH_DURATION:-30s}
connections=${BENCH_CONNECTIONS:-4}
work=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/migraph-bench.XXXXXX")}
oxigraph=${OXIGRAPH:-$root/.venv/bin/oxigraph}
python=${PYTHON:-$root/.venv/bin/python}
[ -x "$python" ] || python=python3

command -v wrk >/dev/null || { echo "benches/serve.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "benches/serve.sh needs curl" >&2; exit 1; }
[ -x "$oxigraph" ] || {
  echo "benches/serve.sh needs the oxigraph CLI: .venv/bin/pip install oxigraph==0.5.13" >&2
  exit 1
}

cargo build --release -q -p migraph --bin migraph
bin=${CARGO_TARGET_DIR:-$root/target}/release/migraph
echo "work folder: $work"

if [ ! -s "$work/big.nq" ]; then
  "$bin" ingest examples/corpus --store "$work/sample" -q
  "$bin" export --format nq --store "$work/sample" --out "$work/sample.nq" -q
  "$python" benches/serve_gen.py "$work/sample.nq" "$copies" >"$work/big.nq.part"
  mv "$work/big.nq.part" "$work/big.nq"
fi
if [ ! -d "$work/data-ox" ]; then
  rm -rf "$work/data-mg"
  "$oxigraph" load --location "$work/data-mg" --file "$work/big.nq"
  cp -a "$work/data-mg" "$work/data-ox"
fi
echo "quads: $(wc -l <"$work/big.nq")"

cat >"$work/lookup-label.rq" <<'RQ'
SELECT ?label WHERE { <https://w3id.org/migraph/id/entity/frontex> <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 1
RQ
cat >"$work/lookup-ask.rq" <<'RQ'
ASK { ?s <https://w3id.org/migraph/ontology#subject> <https://w3id.org/migraph/id/entity/frontex> }
RQ
canned=$(ls "$root"/ontology/queries/*.rq | tr '\n' ' ')
lookup="$work/lookup-label.rq $work/lookup-ask.rq"

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
trap stop_server EXIT

wait_ready() {
  for _ in $(seq 600); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "server at $1 did not start" >&2
  exit 1
}

# bench NAME URL: both mixes against one running server.
bench() {
  local name=$1 url=$2 mix label
  for label in canned lookup; do
    mix=$canned
    [ "$label" = lookup ] && mix=$lookup
    # Warm-up: every query once, so both servers start with a warm page cache.
    for q in $mix; do
      curl -sf -o /dev/null -H 'Content-Type: application/sparql-query' \
        -H 'Accept: application/sparql-results+json, application/n-triples;q=0.9' \
        --data-binary @"$q" "$url/query"
    done
    result=$(BENCH_QUERIES="$mix" wrk -t2 -c"$connections" -d"$duration" --timeout 120s \
      -s benches/serve_mix.lua "$url" | grep '^RESULT' | sed 's/^RESULT //')
    printf '%-9s %-7s %s\n' "$name" "$label" "$result"
  done
  printf '%-9s peak RSS %s\n' "$name" "$(grep VmHWM /proc/"$server_pid"/status | awk '{print $2, $3}')"
}

port=$(free_port)
"$bin" serve --store "$work/data-mg" --bind "127.0.0.1:$port" --max-concurrent 16 \
  >"$work/migraph-serve.log" 2>&1 &
server_pid=$!
wait_ready "http://127.0.0.1:$port/health"
bench migraph "http://127.0.0.1:$port"
stop_server

port=$(free_port)
"$oxigraph" serve-read-only --location "$work/data-ox" --bind "127.0.0.1:$port" \
  --union-default-graph >"$work/oxigraph-serve.log" 2>&1 &
server_pid=$!
wait_ready "http://127.0.0.1:$port/query?query=ASK%7B%7D"
bench oxigraph "http://127.0.0.1:$port"
stop_server
