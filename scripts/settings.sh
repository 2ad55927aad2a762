#!/usr/bin/env bash
# Exports every setting of ald/settings.py (its default, or the value the environment already
# gives it): sourced by the other scripts. `scripts/settings.sh COMMAND ARGS...` runs COMMAND
# with them (the Makefile does). Any python3 will do: ald/settings.py needs only the standard
# library, so this works before the virtual environment exists.
_ald_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! _ald_settings="$(cd "$_ald_root" && python3 -m ald.settings --shell)"; then
  echo "ERROR: python3 -m ald.settings failed (is python3 on the PATH?)" >&2
  exit 1
fi
eval "$_ald_settings"
unset _ald_root _ald_settings
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
  exec "$@"
fi
