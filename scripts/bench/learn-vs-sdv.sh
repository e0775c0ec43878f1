#!/usr/bin/env bash
# Decoy's learned synthesis against SDV 2.0's GaussianCopula: quality on the public fixture tables,
# fit + sample speed at 10,000 rows, a 1,000,000 x 20 fit, and evaluate against SDMetrics.
# Never in CI: SDV pulls PyTorch with CUDA wheels (about 6 GB). The venv lives in
# .venv/bench-sdv (git-ignored) or $SDV_VENV.
#
#   scripts/bench/learn-vs-sdv.sh [--seeds 1,2,3] [--only quality,speed,scale,evaluate] [--json FILE]
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${SDV_VENV:-.venv/bench-sdv}
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import sdv, sdmetrics" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q sdv==2.0.0 sdmetrics==0.32.0
fi
swift build -c release --product decoy >&2
exec "$venv/bin/python" scripts/bench/learn_vs_sdv.py --decoy "$PWD/.build/release/decoy" "$@"
