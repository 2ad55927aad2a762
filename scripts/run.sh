#!/usr/bin/env bash
# Starts the action server, the Rasa server (REST + socket.io) and the web page; Ctrl-C stops
# all of them. `scripts/run.sh shell` starts the action server and `rasa shell` instead.
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

pids=()
stop() { trap - INT TERM EXIT; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap stop INT TERM EXIT

SANIC_HOST=$ACTIONS_HOST "$RASA_BIN" run actions --actions actions --port "$ACTIONS_PORT" &
pids+=($!)

if [ "$mode" = shell ]; then
  "$RASA_BIN" shell --model "$MODEL" --endpoints "$ENDPOINTS" --port "$RASA_PORT"
  exit $?
fi

api=()
# The HTTP API is only ever enabled with a secret: JWT (sent in the Authorization header).
# (--jwt-secret=VALUE: a secret may start with "-", which would otherwise read as an option)
if [ -n "${RASA_JWT_SECRET:-}" ]; then
  api=(--enable-api "--jwt-secret=$RASA_JWT_SECRET" --jwt-method HS256)
fi
"$RASA_BIN" run --model "$MODEL" --endpoints "$ENDPOINTS" --credentials "$CREDENTIALS" \
  --interface "$RASA_HOST" --port "$RASA_PORT" --cors "$WEB_ORIGIN" "${api[@]}" &
pids+=($!)

if [ -f web/serve.py ]; then
  "$PYTHON_BIN" -m web.serve --host "$WEB_HOST" --port "$WEB_PORT" &
  pids+=($!)
  echo "Web page: http://localhost:$WEB_PORT"
fi
echo "REST: http://localhost:$RASA_PORT/webhooks/rest/webhook  (Ctrl-C stops everything)"
wait -n "${pids[@]}"
