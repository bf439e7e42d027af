# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck unit system-deps bench soak clean

run: $(VENV)/.installed
	$(BIN)/safetrail serve

test: system-deps $(VENV)/.installed-dev lint typecheck unit

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[heic]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[dev,msg,server,heic]'
	touch $@ $(VENV)/.installed

system-deps:
	sh scripts/install-system-deps.sh

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

unit: $(VENV)/.installed-dev
	$(BIN)/pytest -q

$(VENV)/.installed-bench: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[dev,msg,server,heic,bench]'
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed

bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks.run

# The long reliability run (RELIABILITY.md): kill points per operation, fuzz cases per format.
SOAK_KILL_POINTS ?= 35
SOAK_KILL_SEED ?= 20261124
SOAK_FUZZ_EXAMPLES ?= 3000
SOAK_OUT ?= reliability-run.jsonl

soak: $(VENV)/.installed-dev
	rm -f $(SOAK_OUT)
	SAFETRAIL_KILL_POINTS=$(SOAK_KILL_POINTS) SAFETRAIL_KILL_SEED=$(SOAK_KILL_SEED) \
	SAFETRAIL_FUZZ_EXAMPLES=$(SOAK_FUZZ_EXAMPLES) SAFETRAIL_FUZZ_RANDOM=1 SAFETRAIL_SOAK=1 \
	SAFETRAIL_RELIABILITY_OUT=$(abspath $(SOAK_OUT)) $(BIN)/pytest -q tests/reliability
	$(BIN)/python -m tests.reliability.figures $(SOAK_OUT)

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache
