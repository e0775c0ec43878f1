#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on a free loopback port and prints its URL on stdout.
# Stop it with: scripts/ci/stop-postgres.sh URL-DIR (the directory is printed on stderr).
# Runs the server as the `postgres` user when started as root (PostgreSQL refuses to run as root).
set -euo pipefail
bindir=$(pg_config --bindir 2>/dev/null || true)
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[[ -x "$bindir/initdb" ]] || { echo "PostgreSQL server binaries not found (install postgresql)" >&2; exit 1; }
dir=$(mktemp -d /tmp/decoy-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run() {
  if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
[[ $(id -u) -eq 0 ]] && chown postgres "$dir"
run "'$bindir/initdb' -D '$dir/data' -A trust -U postgres --no-sync" > "$dir/initdb.log" 2>&1
run "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off\" start" > /dev/null
echo "$dir" >&2
echo "postgres://postgres@127.0.0.1:$port/postgres"
