# ALD protocole de soins assistant. `make run` and `make test` do all the set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa
MODEL  := models/ald.tar.gz

# Configuration (environment variables with safe defaults; see README "Configuration").
export RASA_HOST           ?= 127.0.0.1
export RASA_PORT           ?= 5005
export ACTIONS_HOST        ?= 127.0.0.1
export ACTIONS_PORT        ?= 5055
export WEB_PORT            ?= 8080
export WEB_ORIGIN          ?= http://localhost:$(WEB_PORT)
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
export SQLITE_DB           ?= var/rasa.db
export RASA_PROFILE        ?= sqlite
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL   := 2
export PYTHONHASHSEED         := 0

NLU_DATA := $(shell find data -name '*.yml' 2>/dev/null)
# What the model is trained from: config, domain, data and the custom NLU components.
MODEL_INPUTS := config.yml domain.yml $(NLU_DATA) components/guard.py components/dates.py

.PHONY: help install lock train run shell test test-unit test-stories validate evaluate bench purge clean

help:
	@echo "make run      install if needed, train if needed, start the assistant (Ctrl-C stops it)"
	@echo "make test     install, train, validate the data, run pytest and the conversation tests"
	@echo "make shell    talk to the assistant in the terminal"
	@echo "make install | train | validate | evaluate | bench | purge | lock | clean"

install:
	@scripts/install.sh

# Regenerates requirements.lock from requirements.in in a throw-away venv.
lock:
	@scripts/lock.sh

$(MODEL): $(MODEL_INPUTS) | install
	@mkdir -p models
	$(RASA) train --fixed-model-name ald --out models --quiet
	@touch $(MODEL)

train: install $(MODEL)

validate: install
	$(PY) scripts/validate.py

run: install $(MODEL)
	@scripts/run.sh

shell: install $(MODEL)
	@scripts/run.sh shell

test: install $(MODEL)
	$(PY) scripts/validate.py
	$(PY) -m pytest -q tests
	@scripts/conversation-tests.sh

test-unit: install
	$(PY) -m pytest -q tests --ignore=tests/integration --ignore=tests/browser

test-stories: install $(MODEL)
	@scripts/conversation-tests.sh

# NLU on the held-out set and 5-fold cross-validation, conversation tests, data checks:
# reports in results/, summary in docs/evaluation.md (CV_EPOCHS=n lightens the cross-validation).
evaluate: install $(MODEL)
	$(PY) scripts/evaluate.py

# Latency (REST and /model/parse), throughput, training times, memory: appended to
# docs/benchmarks.md. Starts its own servers on free ports; trains in a temporary copy.
bench: install $(MODEL)
	$(PY) scripts/bench.py

clean:
	rm -rf models results .rasa .pytest_cache

# Retention: deletes conversations whose last event is older than RETENTION_DAYS (default 90)
# from the tracker store of the current profile (RASA_PROFILE). See docs/deployment.md.
purge: install
	$(PY) scripts/purge.py
