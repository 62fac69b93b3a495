# Werkplaats intake assistant. The two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

BACKEND_VENV := .venv-backend
BOT_VENV     := .venv-bot
BPY := $(BACKEND_VENV)/bin/python
RPY := $(BOT_VENV)/bin/python
export RASA_TELEMETRY_ENABLED ?= false
export PYTHONPATH := $(CURDIR)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup run train test test-unit test-backend test-pg test-stack stories eval bench lint chromium clean

help:
	@echo "make run    set everything up, train if needed, start the product on http://127.0.0.1:$${PORT:-8000}"
	@echo "make test   run the whole test suite"
	@echo "make eval   NLU cross-validation report     make bench   latency benchmark"

$(BACKEND_VENV)/.installed: pyproject.toml scripts/deps.py
	@echo "== backend environment (python3) =="
	python3 -m venv $(BACKEND_VENV)
	$(BPY) -m pip install -q --upgrade pip
	$(BPY) -m pip install -q $$(python3 scripts/deps.py main dev | sed 's/.*/"&"/' | xargs)
	touch $@

$(BOT_VENV)/.installed: pyproject.toml scripts/deps.py
	@echo "== bot environment (Python 3.10, Rasa 3.6.21; takes a few minutes the first time) =="
	$$(bash scripts/find_python310.sh) -m venv $(BOT_VENV)
	$(RPY) -m pip install -q --upgrade "pip<24.1" wheel
	$(RPY) -m pip install -q $$(python3 scripts/deps.py bot | sed 's/.*/"&"/' | xargs)
	touch $@

setup: $(BACKEND_VENV)/.installed $(BOT_VENV)/.installed

train: setup
	@$(RPY) -m scripts.train

run: setup train
	@$(BPY) -m backend.stack

lint: $(BACKEND_VENV)/.installed
	$(BACKEND_VENV)/bin/ruff check backend actions bot scripts tests

# Headless Chromium for the browser tests comes from Debian's packages.
chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "== installing Debian chromium =="; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: setup chromium lint test-unit test-backend test-pg train test-stack

test-unit: setup
	@echo "== bot/actions unit tests (Python 3.10) =="
	$(RPY) -m pytest -q tests/bot tests/actions

test-backend: setup
	@echo "== backend tests on SQLite =="
	$(BPY) -m pytest -q tests/backend

test-pg: setup
	@echo "== backend tests on PostgreSQL (127.0.0.1:5432) =="
	TEST_DATABASE=postgresql $(BPY) -m pytest -q tests/backend

test-stack: setup train
	@mkdir -p results
	@echo "== rasa data validate (log: results/validate.log) =="
	@$(BOT_VENV)/bin/rasa data validate --data nlu_data >results/validate.log 2>&1 \
	  || { grep -vE "Warning|warn|declare_namespace" results/validate.log | tail -n 30; exit 1; }
	@echo "== Rasa test stories (tests/stories) =="
	$(BOT_VENV)/bin/rasa test core --stories tests/stories --model $$($(RPY) -c 'from scripts.model_hash import model_path; print(model_path())') \
	  --out results/stories --fail-on-prediction-errors >results/stories.log 2>&1 \
	  || { tail -n 40 results/stories.log; cat results/stories/failed_test_stories.yml; exit 1; }
	@grep -E "Correct:|F1-Score:" results/stories.log | head -n 2
	@echo "== whole stack: API conversations, contract check, browser =="
	$(BPY) -m pytest -q tests/e2e

# Re-record tests/stories from real conversations (needs `make run` in another terminal).
stories: setup
	$(BPY) -m scripts.record_stories

eval: setup
	$(RPY) -m scripts.evaluate

bench: setup train
	$(BPY) -m scripts.bench

clean:
	rm -rf $(BACKEND_VENV) $(BOT_VENV) models var/*.db var/spacy_nl results
