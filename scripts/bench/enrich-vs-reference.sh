#!/usr/bin/env bash
# `decoy enrich` side by side with the reference enrichment script of seed document 000, in one run.
#
#   scripts/bench/enrich-vs-reference.sh [ROUNDS] [PYTHON]
#
# Builds the release binary the way it is deployed on Linux (scripts/bench/release-binary.sh: the
# Swift runtime linked in, so a run starts in ~5 ms instead of ~15). Writes a 203,049-row claims export with
# `decoy generate claims-breach --patients 38500 --seed 7`, extracts the reference script from the
# seed document (Tests/Fixtures), and runs, ROUNDS times in turn: the reference, decoy (clean) and
# decoy --compat pandas. Every output is deleted before each run (replacing a 40 MB file costs the
# kernel ~20 ms of page freeing, which is not enrichment work). Prints wall time and peak RSS per
# run, the best and median ratio, and checks the compat output against the reference's with cmp.
# PYTHON must have pandas (default: .build/test-venv/bin/python, made by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-5}
PY=${2:-.build/test-venv/bin/python}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

DECOY=$(scripts/bench/release-binary.sh)
$DECOY generate claims-breach --patients 38500 --seed 7 --out "$DIR" --quiet >/dev/null
"$PY" - "$DIR/ref.py" <<'PYEOF'
import sys
text = open("Tests/Fixtures/seed-000_bea93e792bfd91e0.txt", encoding="utf-8").read()
after = text.index("## Additional PII Generation Script")
start = text.index("```\n", after) + 4
end = text.index("\n```", start)
open(sys.argv[1], "w", encoding="utf-8").write(text[start:end])
PYEOF
IN="$DIR/claims_export.csv"
echo "input: $(($(wc -l <"$IN") - 1)) rows, $(stat -c %s "$IN") bytes; $(nproc) cores"

# run NAME OUTPUT CMD...: wall seconds and peak RSS of one run, output removed first.
run() {
  local name=$1 out=$2; shift 2
  rm -f "$out"
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$DIR/time" "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
  rss=$(cat "$DIR/time")
  printf '%-8s %8.3f s %7d KiB\n' "$name" "$wall" "$rss"
  echo "$name $wall $rss" >>"$DIR/results"
}

for r in $(seq "$ROUNDS"); do
  echo "round $r"
  TODAY=$(date +%F)   # the reference reads the wall clock; compat mode is given the same day
  run reference "$DIR/ref.csv" "$PY" "$DIR/ref.py" --claims_export "$IN" --seed 7 --out_enriched "$DIR/ref.csv"
  run clean "$DIR/clean.csv" $DECOY enrich "$IN" --seed 7 --out-enriched "$DIR/clean.csv" --quiet
  run compat "$DIR/compat.csv" $DECOY enrich "$IN" --seed 7 --compat pandas --identifiers realistic --today "$TODAY" --out-enriched "$DIR/compat.csv" --quiet
  cmp -s "$DIR/ref.csv" "$DIR/compat.csv" && echo "compat output identical to the reference's" || echo "COMPAT OUTPUT DIFFERS"
done

"$PY" - "$DIR/results" <<'PYEOF'
import sys, statistics
runs = {}
for line in open(sys.argv[1]):
    name, wall, rss = line.split()
    runs.setdefault(name, []).append((float(wall), int(rss)))
ref = [w for w, _ in runs["reference"]]
for name in ("reference", "clean", "compat"):
    walls = [w for w, _ in runs[name]]
    rss = max(r for _, r in runs[name]) / 1024
    line = f"{name:9} wall {min(walls):.3f}–{max(walls):.3f} s (median {statistics.median(walls):.3f}), peak RSS {rss:.0f} MiB"
    if name != "reference":
        line += f"; throughput vs reference: median {statistics.median(ref) / statistics.median(walls):.0f}×, per round {min(r / w for r, w in zip(ref, walls)):.0f}–{max(r / w for r, w in zip(ref, walls)):.0f}×"
    print(line)
PYEOF
