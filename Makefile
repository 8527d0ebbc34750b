# Every target creates .venv on its own, so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test
RUN_STAMP := $(VENV)/.installed

.PHONY: run test check lint typecheck imports bench monkey clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/wallet-wizard --demo

# Two workers: CI's two cores (every test starts its own servers on free ports).
test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check wizard tests benchmarks
	$(BIN)/ruff format --check wizard tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# The import contracts of pyproject.toml: the layers hold, the engine never imports Textual.
imports: $(STAMP)
	$(BIN)/lint-imports

check: lint typecheck imports test

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# The monkey test for long: SEEDS runs in total, spread evenly over its 36 combinations
# (scenario × language × mode), ACTIONS random actions each. `make test` runs 36 short ones.
SEEDS ?= 500
ACTIONS ?= 40
FIRST_SEED ?= 1
monkey: $(STAMP)
	MONKEY_SEEDS=$(SEEDS) MONKEY_ACTIONS=$(ACTIONS) MONKEY_FIRST_SEED=$(FIRST_SEED) \
		$(BIN)/python -m pytest -q -p no:cacheprovider --timeout=0 tests/ui/test_monkey.py

clean:
	rm -rf $(VENV) build dist *.egg-info
