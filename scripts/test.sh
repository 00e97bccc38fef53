#!/usr/bin/env bash
# Runs Colmena's whole test suite against both stores and in a headless
# Chromium: starts a throwaway PostgreSQL cluster on a free 127.0.0.1 port,
# runs `go test -race ./...` with COLMENA_TEST_POSTGRES pointing at it, and
# removes the cluster after. Screenshots of the pages go to
# $COLMENA_ARTIFACTS (default: a new directory under /tmp, printed).
# Extra arguments go to `go test` (e.g. scripts/test.sh -run Search -v).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  PATH="/usr/local/go/bin:$PATH"
fi

missing=()
command -v go >/dev/null 2>&1 || missing+=("Go 1.26 or newer (https://go.dev/dl/)")

. scripts/pg.sh
find_postgres || missing+=("the PostgreSQL server (Debian: apt-get install postgresql)")
if [ -z "${COLMENA_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 \
  && ! command -v google-chrome >/dev/null 2>&1; then
  missing+=("Chromium, for the browser tests (Debian: apt-get install chromium; or set COLMENA_CHROMIUM)")
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "scripts/test.sh: cannot run the tests; missing:" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  exit 2
fi

start_postgres
if [ -z "${COLMENA_ARTIFACTS:-}" ]; then
  COLMENA_ARTIFACTS="$(mktemp -d -t colmena-screenshots.XXXXXX)"
  export COLMENA_ARTIFACTS
fi
echo "screenshots of the pages: $COLMENA_ARTIFACTS"
args=("$@")
[ "${#args[@]}" -gt 0 ] || args=(-race -timeout 20m)
go test "${args[@]}" ./...
