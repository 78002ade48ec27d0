# aimath: two commands on a fresh machine with Python >= 3.11 and make.
#   make verify   create .venv, install aimath, run every registered theorem
#   make test     create .venv with the test extra, run ruff and pytest
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip

.PHONY: verify test install install-test figures bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

install: $(BIN)/python
	$(PIP) install --quiet -e .

install-test: $(BIN)/python
	$(PIP) install --quiet -e ".[test]"

verify: install
	$(BIN)/aimath verify

test: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

figures: install
	$(BIN)/aimath figures --out build/figures

bench: install-test
	$(BIN)/aimath bench

clean:
	rm -rf build .pytest_cache
