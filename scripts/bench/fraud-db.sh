#!/usr/bin/env bash
# Fraud database benchmark: `decoy fraud seed` then `decoy fraud materialize`, 100,000 users by default, into a
# SQLite file and (when a URL is given) PostgreSQL. Prints wall time and peak RSS of every step.
#   scripts/bench/fraud-db.sh [USERS] [postgres://user@host:port/db]
set -euo pipefail
cd "$(dirname "$0")/../.."
users=${1:-100000}
pg=${2:-}
swift build -c release --product decoy > /dev/null
bin=$(swift build -c release --show-bin-path)/decoy
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step() {  # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2> /dev/null
  read -r wall rss < "$work/time"
  printf '%-28s %8.2f s  %6d MiB  %s\n' "$label" "$wall" $((rss / 1024)) "$(tr '\n' ' ' < "$work/out" | cut -c1-90)"
}
step "sqlite seed ($users users)" "$bin" fraud seed --users "$users" --database-url "sqlite:///$work/fraud.db" --quiet
step "sqlite materialize" "$bin" fraud materialize --database-url "sqlite:///$work/fraud.db" --quiet
if [[ -n "$pg" ]]; then
  step "postgres seed ($users users)" "$bin" fraud seed --users "$users" --database-url "$pg" --drop-tables --quiet
  step "postgres materialize" "$bin" fraud materialize --database-url "$pg" --quiet
fi
