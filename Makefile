# ALD protocole de soins assistant. `make run` and `make test` do all the set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Every default (paths, ports, profile, database...) is in ald/settings.py, each overridable by
# the environment variable of the same name (`python3 -m ald.settings` lists them). Any python3
# runs it (standard library only), so this works before the venv exists.
SETTINGS := python3 -m ald.settings
# Runs a command with every setting exported (scripts/settings.sh, from `ald.settings --shell`).
RUN := scripts/settings.sh
# The settings make itself needs (make cannot handle paths with spaces anyway).
PATHS := $(shell $(SETTINGS) --get PYTHON_BIN RASA_BIN MODEL DOMAIN CONFIG DATA RESULTS_DIR)
ifneq ($(words $(PATHS)),7)
$(error python3 -m ald.settings failed: python3 (any 3.x) is needed on the PATH)
endif
PY     := $(word 1,$(PATHS))
RASA   := $(word 2,$(PATHS))
MODEL  := $(word 3,$(PATHS))
DOMAIN := $(word 4,$(PATHS))
CONFIG := $(word 5,$(PATHS))
DATA   := $(word 6,$(PATHS))
RESULTS := $(word 7,$(PATHS))

NLU_DATA := $(shell find $(DATA) -name '*.yml' 2>/dev/null)
# What the model is trained from: config, domain (a file or a folder), data and the custom NLU
# components. Not content/: the action server reads it at run time (the FAQ answers of
# content/faq/ are read again when their file changes), so editing it never retrains.
MODEL_INPUTS := $(CONFIG) $(shell find $(DOMAIN) -name '*.yml' 2>/dev/null) $(NLU_DATA) \
                components/guard.py components/dates.py components/base.py \
                components/faq_selector.py components/answer_model.py components/sentence_encoder.py \
                components/tokenizer.py

.PHONY: help install lock train run shell test test-unit test-stories validate evaluate bench \
        purge review services lint generate clean

help:
	@echo "make run      install if needed, train if needed, start the assistant (Ctrl-C stops it)"
	@echo "make test     install, lint, train, start PostgreSQL/Redis if needed, validate the data,"
	@echo "              run pytest and the conversation tests"
	@echo "make shell    talk to the assistant in the terminal"
	@echo "make review   what the assistant could not answer or did not help with, the last REVIEW_DAYS"
	@echo "              days (7): results/review/review.html and to_annotate.yml (RASA_PROFILE's store)"
	@echo "make install | train | validate | lint | evaluate | bench | purge | services | generate | lock | clean"

install:
	@scripts/install.sh

# Regenerates requirements.lock from requirements.in in a throw-away venv.
lock:
	@scripts/lock.sh

$(MODEL): $(MODEL_INPUTS) | install
	@mkdir -p $(dir $(MODEL))
	$(RUN) $(RASA) train --domain $(DOMAIN) --config $(CONFIG) --data $(DATA) \
	  --out $(dir $(MODEL)) --fixed-model-name $(basename $(basename $(notdir $(MODEL)))) --quiet
	@touch $(MODEL)

train: install $(MODEL)

# The generated data files (their sources and generators: tools/gen_*.py).
generate: install
	$(RUN) $(PY) -m tools.gen_vocabulary
	$(RUN) $(PY) -m tools.gen_dialogue

validate: install
	$(RUN) $(PY) -m tools.validate

# ruff (lint and format) and mypy, configured in pyproject.toml.
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# Local PostgreSQL and Redis for the integration tests (started when needed; see the script).
services:
	@scripts/services.sh

run: install $(MODEL)
	@scripts/run.sh

shell: install $(MODEL)
	@scripts/run.sh shell

test: install lint $(MODEL)
	@scripts/services.sh
	$(RUN) $(PY) -m tools.validate
	$(RUN) $(PY) -m pytest -q tests
	@scripts/conversation-tests.sh

test-unit: install
	$(RUN) $(PY) -m pytest -q tests --ignore=tests/integration --ignore=tests/browser

test-stories: install $(MODEL)
	@scripts/conversation-tests.sh

# NLU on the held-out set and 5-fold cross-validation, conversation tests, data checks:
# reports in $(RESULTS)/, summary in docs/evaluation.md (CV_EPOCHS=n lightens the cross-validation).
evaluate: install $(MODEL)
	$(RUN) $(PY) -m tools.evaluate

# Latency (REST and /model/parse), throughput, training times, memory: appended to
# docs/benchmarks.md. Starts its own servers on free ports; trains in a temporary copy.
bench: install $(MODEL)
	$(RUN) $(PY) -m tools.bench

clean:
	rm -rf $(MODEL) $(RESULTS) .rasa .pytest_cache

# Retention: deletes conversations whose last event is older than RETENTION_DAYS (default 90)
# from the tracker store of the current profile (RASA_PROFILE). See docs/deployment.md.
purge: install
	$(RUN) $(PY) -m tools.purge

# The editors' review: the conversations of the last REVIEW_DAYS days (default 7) in the tracker
# store of the current profile (RASA_PROFILE), read on this machine only: an HTML report and the
# unanswered messages to annotate in $(RESULTS)/review/. Options: ARGS="--since 2026-11-01".
review: install
	$(RUN) $(PY) -m tools.review $(ARGS)
