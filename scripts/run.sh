#!/usr/bin/env bash
# Starts the action server, the Rasa server (REST + socket.io) and the web page under
# supervisord, which restarts any of them that dies and logs it; Ctrl-C stops all of them.
# `scripts/run.sh shell` starts the action server and `rasa shell` instead.
# Configuration: the settings of ald/settings.py, each overridable by the environment
# (`python3 -m ald.settings` lists them; see README "Configuration").
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/settings.sh
mode=${1:-server}
mkdir -p var

# The web page (web/serve.py) reaches Rasa at RASA_PUBLIC_URL, with socket.io tokens signed by
# RASA_SOCKET_JWT_SECRET, which Rasa's socket.io channel checks (credentials.yml). When unset,
# the secret is random for this run (a restart then starts new web conversations).
if [ -z "${RASA_SOCKET_JWT_SECRET:-}" ]; then
  RASA_SOCKET_JWT_SECRET=$("$PYTHON_BIN" -c 'import secrets; print(secrets.token_urlsafe(48))')
fi
export RASA_SOCKET_JWT_SECRET

# The endpoints file of the profile: Rasa fails on an unset ${VAR} in it, and every one is a
# setting (exported above, no password by default).
if [ -z "$ENDPOINTS" ]; then
  echo "RASA_PROFILE must be sqlite (default) or postgres, not '$RASA_PROFILE'" >&2
  exit 2
fi

if [ "$mode" = shell ]; then
  # Interactive: the action server in the background, `rasa shell` in the foreground.
  "$PYTHON_BIN" -m tools.supervisor --exec actions &   # the same command as under supervisord
  actions=$!
  trap 'kill "$actions" 2>/dev/null; wait 2>/dev/null' INT TERM EXIT
  "$RASA_BIN" shell --model "$MODEL" --endpoints "$ENDPOINTS" --port "$RASA_PORT"
  exit $?
fi

# supervisord (tools/supervisor.py writes its configuration from the settings into RUN_DIR)
# starts the three parts, restarts any that dies within seconds and logs it; Ctrl-C stops it
# and them. exec: supervisord gets the signals itself.
conf=$("$PYTHON_BIN" -m tools.supervisor) || exit 2
[ -f web/serve.py ] && echo "Web page: http://localhost:$WEB_PORT"
echo "REST: http://localhost:$RASA_PORT/webhooks/rest/webhook  (Ctrl-C stops everything)"
echo "Exits and restarts are logged here and in $RUN_DIR/supervisord.log ($VENV/bin/supervisorctl -c $conf status)"
exec "$VENV/bin/supervisord" -c "$conf"
