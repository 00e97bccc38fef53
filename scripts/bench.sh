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
go test -p 1 -run '^$' -bench . -timeout 90m "${args[@]}" ./directory/sqlite/ ./directory/postgres/ ./web/
# One job to 10,000 followers on 1,000 hosts, with slow and hanging hosts.
go test -p 1 -run '^$' -bench FanOut -benchtime 1x -timeout 30m ./federation/
