# aimath: two commands on a fresh machine with Python >= 3.11 and make.
#   make book     create .venv, install aimath, build the companion book (build/book/index.html)
#   make test     create .venv with the test extra, run ruff and the whole pytest suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip

.PHONY: book verify test install install-test browser figures bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

install: $(BIN)/python
	$(PIP) install --quiet -e .

install-test: $(BIN)/python
	$(PIP) install --quiet -e ".[test]"

# Debian's Chromium for the book's browser test (skipped with a reason where it cannot be had)
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "chromium not installed: the browser test will be skipped"

book: install
	$(BIN)/aimath book --out build/book --bench-dir benchmarks/results

verify: install
	$(BIN)/aimath verify

test: install-test browser
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

figures: install
	$(BIN)/aimath figures --out build/figures

bench: $(BIN)/python
	$(PIP) install --quiet -e ".[bench]"
	$(BIN)/aimath bench --json-dir benchmarks/results

clean:
	rm -rf build .pytest_cache
