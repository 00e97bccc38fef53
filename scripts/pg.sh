# Sourced by scripts/test.sh and scripts/bench.sh: finds the PostgreSQL
# server binaries and starts a throwaway cluster on a free 127.0.0.1 port,
# exporting COLMENA_TEST_POSTGRES; the cluster is removed on exit.

# find_postgres sets pgbin to the directory holding initdb and pg_ctl.
find_postgres() {
  pgbin=""
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    pgbin="$(dirname "$(command -v initdb)")"
    return 0
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then pgbin="$d"; return 0; fi
  done
  return 1
}

start_postgres() {
  pgtmp="$(mktemp -d -t colmena-pg.XXXXXX)"
  chmod 755 "$pgtmp"
  as_pg=()
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root.
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$pgtmp" --shell /usr/sbin/nologin postgres
    chown postgres "$pgtmp"
    as_pg=(runuser -u postgres --)
  fi
  trap stop_postgres EXIT
  "${as_pg[@]}" "$pgbin/initdb" -D "$pgtmp/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$pgtmp/initdb.log" 2>&1 \
    || { cat "$pgtmp/initdb.log" >&2; echo "initdb failed" >&2; return 1; }
  # A port that looks free can still be taken by the time PostgreSQL binds
  # it: try the next free one a few times.
  local port="" p tries=0
  for p in $(seq 55432 55532); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then continue; fi
    local opts="-p $p -k $pgtmp -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgtmp/data" -o "$opts" -l "$pgtmp/postgres.log" -w -t 60 start >/dev/null; then
      port="$p"
      break
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ]; then
      cat "$pgtmp/postgres.log" >&2
      echo "PostgreSQL did not start" >&2
      return 1
    fi
  done
  [ -n "$port" ] || { echo "no free port in 55432-55532 for PostgreSQL" >&2; return 2; }
  echo "$("$pgbin/postgres" --version) on 127.0.0.1:$port (throwaway, fsync off)"
  export COLMENA_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

stop_postgres() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgtmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pgtmp"
}
