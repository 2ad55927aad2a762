#!/usr/bin/env bash
# Starts the action server, the Rasa server (REST + socket.io) and the web page; Ctrl-C stops
# all of them. `scripts/run.sh shell` starts the action server and `rasa shell` instead.
# Configuration comes from the environment (defaults in the Makefile; see README).
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:-server}
mkdir -p var
: "${RASA_HOST:=127.0.0.1}" "${RASA_PORT:=5005}" "${ACTIONS_HOST:=127.0.0.1}" "${ACTIONS_PORT:=5055}"
: "${WEB_PORT:=8080}" "${WEB_ORIGIN:=http://localhost:$WEB_PORT}" "${RASA_PROFILE:=sqlite}"
# The web page (web/serve.py) reaches Rasa at RASA_PUBLIC_URL, with socket.io tokens signed by
# RASA_SOCKET_JWT_SECRET, which Rasa's socket.io channel checks (credentials.yml). When unset,
# the secret is random for this run (a restart then starts new web conversations).
: "${RASA_PUBLIC_URL:=http://localhost:$RASA_PORT}"
if [ -z "${RASA_SOCKET_JWT_SECRET:-}" ]; then
  RASA_SOCKET_JWT_SECRET=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')
fi
export WEB_ORIGIN RASA_PUBLIC_URL RASA_SOCKET_JWT_SECRET
: "${ACTION_ENDPOINT_URL:=http://127.0.0.1:$ACTIONS_PORT/webhook}" "${SQLITE_DB:=var/rasa.db}"
export ACTION_ENDPOINT_URL SQLITE_DB RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2

endpoints=endpoints.yml
if [ "$RASA_PROFILE" = "postgres" ]; then
  # PostgreSQL tracker store + Redis lock store (docs/deployment.md). Rasa fails on an unset
  # ${VAR} in the endpoints file, so every one gets a default here (no password by default).
  endpoints=endpoints.postgres.yml
  : "${DB_HOST:=127.0.0.1}" "${DB_PORT:=5432}" "${DB_NAME:=rasa}" "${DB_USER:=rasa}" "${DB_PASSWORD:=}"
  : "${REDIS_HOST:=127.0.0.1}" "${REDIS_PORT:=6379}" "${REDIS_DB:=1}" "${REDIS_PASSWORD:=}"
  : "${REDIS_KEY_PREFIX:=ald}"
  export DB_HOST DB_PORT DB_NAME DB_USER DB_PASSWORD
  export REDIS_HOST REDIS_PORT REDIS_DB REDIS_PASSWORD REDIS_KEY_PREFIX
elif [ "$RASA_PROFILE" != "sqlite" ]; then
  echo "RASA_PROFILE must be sqlite (default) or postgres, not '$RASA_PROFILE'" >&2
  exit 2
fi

pids=()
stop() { trap - INT TERM EXIT; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap stop INT TERM EXIT

SANIC_HOST=$ACTIONS_HOST .venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT" &
pids+=($!)

if [ "$mode" = shell ]; then
  .venv/bin/rasa shell --model models/ald.tar.gz --endpoints "$endpoints" --port "$RASA_PORT"
  exit $?
fi

api=()
# The HTTP API is only ever enabled with a secret: JWT (sent in the Authorization header).
if [ -n "${RASA_JWT_SECRET:-}" ]; then
  api=(--enable-api --jwt-secret "$RASA_JWT_SECRET" --jwt-method HS256)
fi
.venv/bin/rasa run --model models/ald.tar.gz --endpoints "$endpoints" --credentials credentials.yml \
  --interface "$RASA_HOST" --port "$RASA_PORT" --cors "$WEB_ORIGIN" "${api[@]}" &
pids+=($!)

if [ -f web/serve.py ]; then
  .venv/bin/python web/serve.py --host "${WEB_HOST:-127.0.0.1}" --port "$WEB_PORT" &
  pids+=($!)
  echo "Web page: http://localhost:$WEB_PORT"
fi
echo "REST: http://localhost:$RASA_PORT/webhooks/rest/webhook  (Ctrl-C stops everything)"
wait -n "${pids[@]}"
