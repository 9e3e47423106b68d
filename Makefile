# The README's contract: `make run` and `make test` each do all the set-up themselves.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: all venv index catalogs messages run test lint bench load eval clean

all: test

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# The interface catalogs: webapp/translations/<lang>/LC_MESSAGES/messages.po → .mo.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard webapp/translations/*/LC_MESSAGES/messages.po))

%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel -q compile -i $< -o $@

catalogs: $(CATALOGS)

# After adding or removing a message: extract the msgids and merge them into both catalogs
# (new ones arrive empty: tests/webapp/test_i18n.py fails until both languages word them).
messages: $(STAMP)
	$(VENV)/bin/pybabel -q extract -F webapp/babel.cfg -k BadParam --add-location=file --sort-output -o webapp/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -i webapp/translations/messages.pot -d webapp/translations --no-fuzzy-matching --no-wrap

# Parses corpus/ and builds the Whoosh index; a no-op when nothing changed.
index: $(STAMP)
	$(PY) -m indexer build

# gunicorn with the settings of webapp/gunicorn_conf.py (workers, threads, preload).
run: index catalogs
	$(VENV)/bin/gunicorn -c python:webapp.gunicorn_conf --bind $(HOST):$(PORT)

test: index catalogs
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

# ruff, and the import contracts of .importlinter (no cycles, webapp over indexer, the
# indexer's steps in order).
lint: $(STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

# SCALE=200: bench measures ×1, ×50 and ×200 (default ×1 and ×50); load serves a ×SCALE archive.
SCALE ?=

bench: index catalogs
	$(PY) -m bench $(if $(SCALE),--scale $(SCALE))

load: index catalogs
	$(PY) -m bench.load $(if $(SCALE),--scale $(SCALE))

eval: index
	$(PY) -m bench.evaluate

clean:
	rm -rf var .pytest_cache .hypothesis
