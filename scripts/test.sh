#!/usr/bin/env bash
# Runs Colmena's whole test suite against both stores: starts a throwaway
# PostgreSQL cluster on a free 127.0.0.1 port, runs `go test -race ./...`
# with COLMENA_TEST_POSTGRES pointing at it, and removes the cluster after.
# Extra arguments go to `go test` (e.g. scripts/test.sh -run Search -v).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  PATH="/usr/local/go/bin:$PATH"
fi

missing=()
command -v go >/dev/null 2>&1 || missing+=("Go 1.26 or newer (https://go.dev/dl/)")

pgbin=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  pgbin="$(dirname "$(command -v initdb)")"
else
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then pgbin="$d"; break; fi
  done
fi
[ -n "$pgbin" ] || missing+=("the PostgreSQL server (Debian: apt-get install postgresql)")

if [ "${#missing[@]}" -gt 0 ]; then
  echo "scripts/test.sh: cannot run the tests; missing:" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  exit 2
fi

tmp="$(mktemp -d -t colmena-test.XXXXXX)"
chmod 755 "$tmp"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root.
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$tmp" --shell /usr/sbin/nologin postgres
  chown postgres "$tmp"
  as_pg=(runuser -u postgres --)
fi

port=""
for p in $(seq 55432 55532); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port="$p"; break; fi
done
[ -n "$port" ] || { echo "scripts/test.sh: no free port in 55432-55532 for PostgreSQL" >&2; exit 2; }

cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"${as_pg[@]}" "$pgbin/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 \
  || { cat "$tmp/initdb.log" >&2; echo "scripts/test.sh: initdb failed" >&2; exit 1; }
opts="-p $port -k $tmp -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -o "$opts" -l "$tmp/postgres.log" -w -t 60 start >/dev/null \
  || { cat "$tmp/postgres.log" >&2; echo "scripts/test.sh: PostgreSQL did not start" >&2; exit 1; }
echo "scripts/test.sh: $("$pgbin/postgres" --version) on 127.0.0.1:$port"

export COLMENA_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
args=("$@")
[ "${#args[@]}" -gt 0 ] || args=(-race -timeout 20m)
go test "${args[@]}" ./...
