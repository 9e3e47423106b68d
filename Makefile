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

# gunicorn with the settings of webapp/gunicorn_conf.py (workers, threads, preload).
run: index
	$(VENV)/bin/gunicorn -c python:webapp.gunicorn_conf --bind $(HOST):$(PORT)

test: index
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .

bench: index
	$(PY) -m bench

load: index
	$(PY) -m bench.load

eval: index
	$(PY) -m bench.evaluate

clean:
	rm -rf var .pytest_cache .hypothesis
