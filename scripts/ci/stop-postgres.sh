#!/usr/bin/env bash
# Stops a cluster started by start-postgres.sh and removes its directory.
set -uo pipefail
dir=$1
bindir=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [[ $(id -u) -eq 0 ]]; then
  su postgres -s /bin/bash -c "'$bindir/pg_ctl' -D '$dir/data' -m fast -w stop" > /dev/null 2>&1
else
  "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null 2>&1
fi
rm -rf "$dir"
