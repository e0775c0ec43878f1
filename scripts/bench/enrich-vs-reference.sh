#!/usr/bin/env bash
# `decoy enrich` side by side with the reference enrichment script of seed document 000, in one run.
#
#   scripts/bench/enrich-vs-reference.sh [ROUNDS] [PYTHON]
#
# Builds the release binary the way it is deployed on Linux (scripts/bench/release-binary.sh: the
# Swift runtime linked in, so a run starts in ~5 ms instead of ~15). Writes a 203,049-row claims export with
# `decoy generate claims-breach --patients 38500 --seed 7`, extracts the reference script from the
# seed document (Tests/Fixtures), and runs, ROUNDS times in turn: the reference, decoy (clean) and
# decoy --compat pandas. Every output is deleted before each run. Prints wall time and peak RSS per
# run, the median ratio and the range over rounds, and checks the compat output against the
# reference's byte for byte.
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

# The rounds, timed in Python: each command is started with posix_spawn and reaped with wait4,
# which gives its wall time and its own peak RSS (ru_maxrss). A shell harness (date before and
# after, /usr/bin/time around the command) adds ~10 ms of its own process starts to every run,
# a tenth of decoy's time; this one adds well under a millisecond.
"$PY" - "$ROUNDS" "$DIR" "$PY" "$DECOY" "$IN" <<'PYEOF'
import filecmp, os, statistics, sys, time
rounds, d, py, decoy, inp = int(sys.argv[1]), *sys.argv[2:]
today = time.strftime("%Y-%m-%d")  # the reference reads the clock; compat mode is given its day
commands = {
    "reference": [py, f"{d}/ref.py", "--claims_export", inp, "--seed", "7", "--out_enriched", f"{d}/ref.csv"],
    "clean": [decoy, "enrich", inp, "--seed", "7", "--out-enriched", f"{d}/clean.csv", "--quiet"],
    "compat": [decoy, "enrich", inp, "--seed", "7", "--compat", "pandas", "--identifiers", "realistic", "--today", today,
               "--out-enriched", f"{d}/compat.csv", "--quiet"],
}
outputs = {"reference": f"{d}/ref.csv", "clean": f"{d}/clean.csv", "compat": f"{d}/compat.csv"}
devnull = os.open(os.devnull, os.O_WRONLY)
runs = {name: [] for name in commands}

def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 20):
            pass

def run(name):
    # Every output is deleted first: replacing a 40 MB file costs the kernel ~20 ms of page
    # freeing, which is not enrichment work. The input and the program are read just before (this
    # machine pages out file pages idle for a few seconds, and a 10 s reference run is enough):
    # both tools start with them in the page cache, as the reference's timing assumes.
    if os.path.exists(outputs[name]):
        os.remove(outputs[name])
    warm(inp)
    warm(commands[name][0])
    start = time.perf_counter()
    pid = os.posix_spawn(commands[name][0], commands[name], os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{name} failed: {' '.join(commands[name])}")
    runs[name].append((wall, usage.ru_maxrss))
    print(f"{name:8} {wall:8.3f} s {usage.ru_maxrss:7d} KiB", flush=True)

for r in range(1, rounds + 1):
    print(f"round {r}")
    commands["compat"][commands["compat"].index("--today") + 1] = time.strftime("%Y-%m-%d")
    for name in commands:
        run(name)
    # Compared in small chunks: this process stays small, since a child's ru_maxrss counts the
    # memory it had before exec, which is this process's.
    same = filecmp.cmp(outputs["reference"], outputs["compat"], shallow=False)
    print("compat output identical to the reference's" if same else "COMPAT OUTPUT DIFFERS")

ref = [w for w, _ in runs["reference"]]
for name in commands:
    walls = [w for w, _ in runs[name]]
    rss = max(r for _, r in runs[name]) / 1024
    line = f"{name:9} wall {min(walls):.3f}–{max(walls):.3f} s (median {statistics.median(walls):.3f}), peak RSS {rss:.0f} MiB"
    if name != "reference":
        # median: of the medians; overall: all rounds' rows over all rounds' time; per round: the spread.
        line += (f"; throughput vs reference: median {statistics.median(ref) / statistics.median(walls):.0f}×, "
                 f"overall {sum(ref) / sum(walls):.0f}×, "
                 f"per round {min(r / w for r, w in zip(ref, walls)):.0f}–{max(r / w for r, w in zip(ref, walls)):.0f}×")
    print(line)
PYEOF
