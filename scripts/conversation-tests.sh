#!/usr/bin/env bash
# Rasa's conversation tests (tests/stories/*.yml): fails if any story fails.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${RESULTS_DIR:-results}/stories
mkdir -p "$out"
.venv/bin/rasa test core --model models/ald.tar.gz --stories tests/stories --out "$out" \
  --fail-on-prediction-errors --quiet
echo "conversation tests: all stories passed (report in $out)"
