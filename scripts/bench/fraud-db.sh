#!/usr/bin/env bash
# Fraud database benchmark: `decoy fraud seed` then `decoy fraud materialize`, 100,000 users by default, into a
# SQLite file and (when a URL is given) PostgreSQL; `seed --no-graph` too (the reference's seed writes no graph).
# Prints wall time, peak RSS and records per second of every step. Every step runs after `sync` and, on
# PostgreSQL, a CHECKPOINT (when psql is installed); each PostgreSQL seed starts from empty tables.
#   scripts/bench/fraud-db.sh [USERS] [postgres://user@host:port/db]
set -euo pipefail
cd "$(dirname "$0")/../.."
users=${1:-100000}
pg=${2:-}
bin=$(scripts/bench/release-binary.sh)   # the deployed build: Swift runtime linked in
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
records=0
settle() {  # so one step's write-back does not slow the next: the page cache, and the server's checkpoint
  sync
  if [[ -n "$pg" ]] && command -v psql > /dev/null; then psql "$pg" -qc CHECKPOINT > /dev/null; fi
}
step() {  # label, command... (after settle)
  local label=$1; shift
  settle
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2> /dev/null
  read -r wall rss < "$work/time"
  local n
  n=$(grep -oE '^(Successfully generated|Materialized) [0-9,]+' "$work/out" | grep -oE '[0-9,]+$' | tr -d ',' || true)
  [[ -n "$n" ]] && records=$n
  printf '%-36s %8.2f s  %6d MiB  %8.0f records/s\n' "$label" "$wall" $((rss / 1024)) "$(echo "$records / $wall" | bc -l)"
}
lite="sqlite:///$work/fraud.db"
step "sqlite seed --no-graph ($users users)" "$bin" fraud seed --users "$users" --database-url "$lite" --no-graph --quiet
step "sqlite seed ($users users)" "$bin" fraud seed --users "$users" --database-url "$lite" --quiet
step "sqlite materialize" "$bin" fraud materialize --database-url "$lite" --quiet
if [[ -n "$pg" ]]; then
  # Each seed starts from empty tables: dropping the previous step's million rows and feature snapshots is
  # cleanup (up to 3 s of file unlinking), not seeding, so it happens before the timer starts.
  "$bin" fraud init-db --database-url "$pg" --drop-tables --quiet > /dev/null
  step "postgres seed --no-graph" "$bin" fraud seed --users "$users" --database-url "$pg" --drop-tables --no-graph --quiet
  "$bin" fraud init-db --database-url "$pg" --drop-tables --quiet > /dev/null
  step "postgres seed" "$bin" fraud seed --users "$users" --database-url "$pg" --drop-tables --quiet
  step "postgres materialize" "$bin" fraud materialize --database-url "$pg" --quiet
fi
