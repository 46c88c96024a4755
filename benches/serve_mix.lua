-- wrk script for benches/serve.sh: POSTs SPARQL queries (application/sparql-query)
-- read from the files named in $BENCH_QUERIES (space-separated), each thread cycling
-- through them from a different starting point, and prints one RESULT line with
-- requests/s, latency percentiles and error counts when the run ends.

local queries = {}
for path in string.gmatch(os.getenv("BENCH_QUERIES") or "", "%S+") do
  local file = assert(io.open(path, "r"))
  queries[#queries + 1] = file:read("*a")
  file:close()
end
assert(#queries > 0, "BENCH_QUERIES names no query file")

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("start", counter)
  table.insert(threads, thread)
end

local next_query

function init(args)
  next_query = start or 1
end

function request()
  local body = queries[(next_query - 1) % #queries + 1]
  next_query = next_query + 1
  return wrk.format("POST", "/query", {
    ["Content-Type"] = "application/sparql-query",
    ["Accept"] = "application/sparql-results+json, application/n-triples;q=0.9",
  }, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.2f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f non2xx=%d timeouts=%d socket_errors=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, errors.timeout, errors.connect + errors.read + errors.write))
end
