#!/usr/bin/env bash
# Measures what Colmena's federation endpoints cost: starts `colmena demo`
# (three nodes in one process, SQLite) in a throwaway directory, runs wrk
# against SoberaniaX's node for each endpoint and divides the process's CPU
# time (user + system, from /proc) by the requests served. CPU per request
# is steadier than requests per second on a shared machine.
#
# Needs wrk (Debian: apt-get install wrk). Environment:
#   COLMENA_FEDBENCH_SECONDS  seconds per endpoint (default 15)
#   COLMENA_FEDBENCH_CONNS    connections (default 32)
#   COLMENA_FEDBENCH_PORTS    the demo's three ports (default 18181,18182,18183)
#   COLMENA_FEDBENCH_BIN      a colmena binary to measure (default: built from here)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null 2>&1 || { echo "scripts/fedbench.sh: wrk not found (apt-get install wrk)" >&2; exit 2; }
secs=${COLMENA_FEDBENCH_SECONDS:-15}
conns=${COLMENA_FEDBENCH_CONNS:-32}
ports=${COLMENA_FEDBENCH_PORTS:-18181,18182,18183}
port=${ports%%,*}
base="http://127.0.0.1:$port"

work=$(mktemp -d -t colmena-fedbench.XXXXXX)
bin=${COLMENA_FEDBENCH_BIN:-$work/colmena}
[ -n "${COLMENA_FEDBENCH_BIN:-}" ] || go build -o "$bin" ./cmd/colmena
"$bin" demo --dir "$work/demo" --ports "$ports" >"$work/demo.out" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

started=$(date +%s.%N)
for _ in $(seq 1 2400); do
  if grep -q "^Ready in\|still exchanging" "$work/demo.out" 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$work/demo.out" >&2; exit 1; }
  sleep 0.1
done
grep -q "^Ready in\|still exchanging" "$work/demo.out" || { echo "scripts/fedbench.sh: the demo was not ready within 4 minutes" >&2; cat "$work/demo.out" >&2; exit 1; }
ready=$(date +%s.%N)
grep "^Ready in" "$work/demo.out" || true
sleep 2 # let the first round of federation settle

host="127.0.0.1:$port"
coop=$(sed -n "s/.*fediverse account: @\([^@]*\)@127.0.0.1:$port (a co-op).*/\1/p" "$work/demo.out")
[ -n "$coop" ] || { echo "scripts/fedbench.sh: no co-op found on $base" >&2; exit 1; }
tick=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %12s %16s %s\n' endpoint req/s "CPU µs/request" "load after"
run() { # name url [header]
  local name=$1 url=$2 hdr=${3:-} before after out reqs rps
  before=$(cpu)
  if [ -n "$hdr" ]; then
    out=$(wrk -t2 -c"$conns" -d"${secs}s" -H "$hdr" "$url")
  else
    out=$(wrk -t2 -c"$conns" -d"${secs}s" "$url")
  fi
  after=$(cpu)
  reqs=$(echo "$out" | awk '/requests in/{print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  if echo "$out" | grep -q "Non-2xx"; then
    echo "$name: some answers were not 2xx:" >&2
    echo "$out" >&2
  fi
  printf '%-22s %12s %16.0f %s\n' "$name" "$rps" "$(echo "($after - $before) * 1000000 / $tick / $reqs" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
run webfinger "$base/.well-known/webfinger?resource=acct:$coop@$host"
run nodeinfo-2.1 "$base/nodeinfo/2.1"
run actor-as-json "$base/coops/$coop" "Accept: application/activity+json"
run search-page "$base/"
