#!/usr/bin/env bash
# Measures issue 15's goal 5: how long a fresh `colmena demo` (three nodes,
# SQLite, full size, a new data directory) takes from its start until it
# prints "Ready in" (every node lists every co-op and job), and the CPU
# time (user + system, from /proc) it has used by then. One line per run,
# with the load average before and after it, then the best and worst.
#
# Environment:
#   COLMENA_DEMOBENCH_RUNS   runs (default 3)
#   COLMENA_DEMOBENCH_PORTS  the demo's three ports (default 18281,18282,18283)
#   COLMENA_DEMOBENCH_BIN    a colmena binary to time instead of building
#                            this checkout (to compare with another build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${COLMENA_DEMOBENCH_RUNS:-3}
ports=${COLMENA_DEMOBENCH_PORTS:-18281,18282,18283}
work=$(mktemp -d -t colmena-demobench.XXXXXX)
bin="$work/colmena"
pid=
cleanup() { [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$work"; }
trap cleanup EXIT
if [ -n "${COLMENA_DEMOBENCH_BIN:-}" ]; then
  bin=$COLMENA_DEMOBENCH_BIN
else
  go build -o "$bin" ./cmd/colmena
fi
tick=$(getconf CLK_TCK)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
printf '%-4s %10s %10s %-16s %s\n' run "ready s" "CPU s" "load before" "load after"
results=()
for i in $(seq 1 "$runs"); do
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  rm -rf "$work/demo" "$work/demo.out"
  start=$(date +%s.%N)
  "$bin" demo --dir "$work/demo" --ports "$ports" >"$work/demo.out" 2>&1 &
  pid=$!
  ready=
  for _ in $(seq 1 6000); do # at most ten minutes
    if grep -q "^Ready in" "$work/demo.out" 2>/dev/null; then ready=$(date +%s.%N); break; fi
    grep -q "still exchanging" "$work/demo.out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  cpu=$(awk -v t="$tick" '{printf "%.1f", ($14 + $15) / t}' "/proc/$pid/stat" 2>/dev/null || echo "?")
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
  [ -n "$ready" ] || { echo "scripts/demobench.sh: run $i was not ready:" >&2; cat "$work/demo.out" >&2; exit 1; }
  secs=$(awk -v a="$start" -v b="$ready" 'BEGIN{printf "%.1f", b - a}')
  results+=("$secs")
  printf '%-4s %10s %10s %-16s %s\n' "$i" "$secs" "$cpu" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
printf '%s\n' "${results[@]}" | sort -n | awk -v runs="$runs" '
{ v[NR] = $1 } END { ok = (v[1] < 5) ? "met" : "missed"
  printf "demo ready (goal 5)   best %s s  worst %s s over %d runs  goal < 5 s  %s\n", v[1], v[NR], runs, ok }'
