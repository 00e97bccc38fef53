#!/usr/bin/env bash
# Runs the store and search-page benchmarks on SQLite and on a throwaway
# PostgreSQL.
# COLMENA_BENCH_JOBS sets the number of jobs (default 100000); extra
# arguments go to `go test` (default: -benchtime 200x).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg.sh
find_postgres || { echo "scripts/bench.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 2; }
start_postgres
args=("$@")
[ "${#args[@]}" -gt 0 ] || args=(-benchtime 200x)
nproc_=$(nproc); mem=$(free -g | awk '/Mem:/{print $2}')
echo "machine: $nproc_ cores, ${mem} GiB, $(uname -m); load: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
go test -p 1 -run '^$' -bench . -timeout 90m "${args[@]}" ./directory/sqlite/ ./directory/postgres/ ./web/ | tee "$out"
# The store's searches (not the service's cache) against issue 15's goal:
# p50 <= 20 ms and p99 <= 50 ms at 100,000 jobs, p50 <= 150 ms at 1,000,000.
jobs=${COLMENA_BENCH_JOBS:-100000}
echo
echo "store search, $jobs jobs; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v jobs="$jobs" '
/^pkg: / { engine = ($2 ~ /postgres/) ? "PostgreSQL" : ($2 ~ /sqlite/) ? "SQLite" : "" }
/^BenchmarkStore\/Search\// && engine != "" {
	name = $1; sub(/^BenchmarkStore\/Search\//, "", name); sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i++) { if ($(i+1) == "p50-ms") p50 = $i; if ($(i+1) == "p99-ms") p99 = $i; if ($(i+1) == "cpu-ms/op") cpu = $i }
	goal = (jobs >= 1000000) ? "p50 <= 150" : "p50 <= 20, p99 <= 50"
	ok = (jobs >= 1000000) ? (p50 <= 150) : (p50 <= 20 && p99 <= 50)
	printf "%-11s %-18s p50 %8s ms  p99 %8s ms  cpu %7s ms  goal %-20s %s\n", engine, name, p50, p99, cpu, goal, ok ? "met" : "missed"
}' "$out"
# One job to 10,000 followers on 1,000 hosts, with slow and hanging hosts.
go test -p 1 -run '^$' -bench FanOut -benchtime 1x -timeout 30m ./federation/
# Goal 5: a fresh `colmena demo` until it is ready, three runs, with the
# CPU it used and the load (scripts/demobench.sh).
echo
scripts/demobench.sh
