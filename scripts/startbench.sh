#!/usr/bin/env bash
# Measures issue 15's goal 6: `colmena serve` on a new SQLite database
# (migrations included) from its start until /healthz answers, and its
# resident memory (VmRSS, from /proc) three seconds later, idle. One line
# per run, with the load average, then the worst of each.
#
# Environment:
#   COLMENA_STARTBENCH_RUNS  runs (default 3)
#   COLMENA_STARTBENCH_PORT  the port to serve on (default 18381)
#   COLMENA_STARTBENCH_BIN   a colmena binary to measure instead of building
#                            this checkout
set -euo pipefail
cd "$(dirname "$0")/.."
command -v curl >/dev/null 2>&1 || { echo "scripts/startbench.sh: curl not found (apt-get install curl)" >&2; exit 2; }
runs=${COLMENA_STARTBENCH_RUNS:-3}
port=${COLMENA_STARTBENCH_PORT:-18381}
work=$(mktemp -d -t colmena-startbench.XXXXXX)
bin="$work/colmena"
pid=
cleanup() { [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$work"; }
trap cleanup EXIT
if [ -n "${COLMENA_STARTBENCH_BIN:-}" ]; then
  bin=$COLMENA_STARTBENCH_BIN
else
  go build -o "$bin" ./cmd/colmena
fi
printf '%-4s %12s %12s %-16s\n' run "ready s" "idle RSS MB" "load"
starts=() rss=()
for i in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  start=$(date +%s.%N)
  "$bin" serve --listen "127.0.0.1:$port" --database "sqlite:$work/data/colmena.db" >"$work/serve.log" 2>&1 &
  pid=$!
  ready=
  for _ in $(seq 1 2000); do # at most about 20 s
    if curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"; then ready=$(date +%s.%N); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  [ -n "$ready" ] || { echo "scripts/startbench.sh: run $i did not answer /healthz:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 3
  kb=$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status")
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
  secs=$(awk -v a="$start" -v b="$ready" 'BEGIN{printf "%.2f", b - a}')
  mb=$(awk -v k="$kb" 'BEGIN{printf "%.1f", k / 1024}')
  starts+=("$secs") rss+=("$mb")
  printf '%-4s %12s %12s %-16s\n' "$i" "$secs" "$mb" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
worst_start=$(printf '%s\n' "${starts[@]}" | sort -n | tail -1)
worst_rss=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
awk -v s="$worst_start" -v r="$worst_rss" -v runs="$runs" 'BEGIN {
  printf "start to ready (goal 6)  worst %s s over %d runs  goal < 0.5 s  %s\n", s, runs, (s < 0.5) ? "met" : "missed"
  printf "idle RSS (goal 6)        worst %s MB over %d runs  goal <= 40 MB  %s\n", r, runs, (r <= 40) ? "met" : "missed" }'
