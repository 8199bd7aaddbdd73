# ml-connector: two commands on a fresh machine (Python 3.11, package registries only).
#   make demo   set everything up, start the sandbox, run the main job, print the run summary
#   make test   set everything up and run the whole test suite
SHELL := /bin/bash
# Plugin venvs get their .pyc files at install time: uv (Meltano's installer) writes none by default, and
# without them every plugin start compiles its whole dependency tree again (target-snowflake: ~1,650 modules,
# several CPU seconds per `meltano run`). Some shells export PYTHONDONTWRITEBYTECODE=1, which would also stop
# Python from caching them at the first run: not in our recipes.
unexport PYTHONDONTWRITEBYTECODE
export UV_COMPILE_BYTECODE := 1
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= 5000
PACKAGES := -e libs/ml-connector-core -e sandbox -e taps/tap-infor-cloudsuite -e taps/tap-ifs-cloud \
	-e taps/tap-ledger-replay -e targets/target-servicenow-s2p -e mappers/mapper-audit -e mappers/mapper-gl-vendor
SETUP_INPUTS := requirements-dev.txt $(wildcard libs/*/pyproject.toml sandbox/pyproject.toml taps/*/pyproject.toml targets/*/pyproject.toml mappers/*/pyproject.toml)
# target-snowflake pins its own SDK and heavy connector: its tests get a venv of their own
SNOWFLAKE_VENV := .venvs/snowflake
export MELTANO_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: setup plugins postgres demo sandbox-up sandbox-down run test test-fast test-snowflake bench clean

$(BIN)/.setup-done: $(SETUP_INPUTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(PACKAGES) -r requirements-dev.txt
	touch $@

setup: $(BIN)/.setup-done

.meltano/.plugins-done: $(BIN)/.setup-done meltano.yml
	$(BIN)/meltano install
	touch $@

plugins: .meltano/.plugins-done

postgres:
	bash scripts/ensure-postgres.sh

$(SNOWFLAKE_VENV)/.setup-done: libs/ml-connector-core/pyproject.toml sandbox/pyproject.toml mappers/mapper-audit/pyproject.toml targets/target-snowflake-fakesnow/pyproject.toml
	$(PYTHON) -m venv $(SNOWFLAKE_VENV)
	$(SNOWFLAKE_VENV)/bin/pip install --quiet --upgrade pip
	$(SNOWFLAKE_VENV)/bin/pip install --quiet -e libs/ml-connector-core -e sandbox -e mappers/mapper-audit \
		-e "targets/target-snowflake-fakesnow[test]" pytest==9.2.0
	touch $@

test-snowflake: $(SNOWFLAKE_VENV)/.setup-done
	$(SNOWFLAKE_VENV)/bin/python -m pytest -p no:cacheprovider -W ignore::UserWarning \
		targets/target-snowflake-fakesnow/tests tests/snowflake mappers/mapper-audit/tests

sandbox-up: setup
	$(BIN)/ml-connector sandbox up --scale $(SCALE)

sandbox-down: setup
	$(BIN)/ml-connector sandbox down

run: plugins sandbox-up
	$(BIN)/meltano run infor-to-servicenow
	$(BIN)/meltano run ifs-to-servicenow
	$(BIN)/meltano run infor-to-snowflake-sandbox

demo: run
	@for job in infor-to-servicenow ifs-to-servicenow infor-to-snowflake; do \
		echo; echo "== $$job =="; $(BIN)/ml-connector audit run --last --job $$job; done
	@echo
	@echo "The sandbox is still running: inspect it with"
	@echo "  $(BIN)/ml-connector sandbox status"
	@echo "  sqlite3 .sandbox/servicenow.db 'select count(*) from sn_shop_invoice'"
	@echo "Stop it with: make sandbox-down"

test: plugins postgres test-snowflake
	ML_CONNECTOR_REQUIRE_POSTGRES=1 $(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not e2e"

# e.g. make bench BENCH_ARGS='--pair snowflake --sizes 100000,1000000'
bench: plugins
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	-$(BIN)/ml-connector sandbox down
	rm -rf $(VENV) .venvs .meltano .sandbox .ml-connector output
