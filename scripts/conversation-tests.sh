#!/usr/bin/env bash
# Rasa's conversation tests (tests/stories/*.yml): fails if any story fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/settings.sh
out=$RESULTS_DIR/stories
mkdir -p "$out"
"$RASA_BIN" test core --model "$MODEL" --stories tests/stories --out "$out" \
  --fail-on-prediction-errors --quiet
echo "conversation tests: all stories passed (report in $out)"
