#!/usr/bin/env bash
# Benchmarks (not tests): installs what they need, then runs them. Figures go to stdout and
# benchmarks/results/*.txt. Run: make bench   (or: bash scripts/bench.sh nightly|gate|search)
# Takes long: the nightly benchmark at 1,000 decisions builds about 20,000 PDFs (about an hour on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet -e ".[test]"
if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; fi
missing=()
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = "0" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mkdir -p benchmarks/results
which=${1:-all}
if [ "$which" = all ] || [ "$which" = gate ]; then
  .venv/bin/python benchmarks/gate_throughput.py | tee benchmarks/results/gate.txt
fi
if [ "$which" = all ] || [ "$which" = nightly ]; then
  .venv/bin/python benchmarks/nightly.py --sizes 100 1000 | tee benchmarks/results/nightly.txt
fi
if [ "$which" = all ] || [ "$which" = search ]; then
  [ -f site/index.html ] || .venv/bin/woo-publish build --decisions decisions --out site
  .venv/bin/python benchmarks/search_scale.py | tee benchmarks/results/search.txt
fi
