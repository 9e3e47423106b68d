# The README's contract: `make run` and `make test` each do all the set-up themselves.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: all venv index run test lint bench load eval clean

all: test

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Parses corpus/ and builds the Whoosh index; a no-op when nothing changed.
index: $(STAMP)
	$(PY) -m indexer build

run: index
	$(PY) -m webapp --host $(HOST) --port $(PORT)

test: index
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .

# SCALE=200: bench measures ×1, ×50 and ×200 (default ×1 and ×50); load serves a ×SCALE archive.
SCALE ?=

bench: index
	$(PY) -m bench $(if $(SCALE),--scale $(SCALE))

load: index
	$(PY) -m bench.load $(if $(SCALE),--scale $(SCALE))

eval: index
	$(PY) -m bench.evaluate

clean:
	rm -rf var .pytest_cache .hypothesis
