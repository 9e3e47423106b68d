# The README's contract: `make run` and `make test` each do all the set-up themselves.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: all venv index catalogs messages run test lint bench load eval clean \
	cluster cluster-stop test-cluster cluster-load eval-cluster

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

# --- OpenSearch cluster (issue 14) -------------------------------------------------------
# The integ-test distribution (no security plugin) comes from Maven Central through Maven,
# cached under var/cluster/dist; 2.19.x is the last line that runs on Java 17.
OPENSEARCH_VERSION ?= 2.19.6
export OPENSEARCH_VERSION
CLUSTER_DIR := var/cluster
OS_ZIP      := $(CLUSTER_DIR)/dist/opensearch-$(OPENSEARCH_VERSION).zip
OS_BIN      := $(CLUSTER_DIR)/opensearch-$(OPENSEARCH_VERSION)/bin/opensearch
MVN_DEPENDENCY := org.apache.maven.plugins:maven-dependency-plugin:3.8.1

$(OS_ZIP):
	mvn -q -B $(MVN_DEPENDENCY):copy \
	    -Dartifact=org.opensearch.distribution.integ-test-zip:opensearch:$(OPENSEARCH_VERSION):zip \
	    -DoutputDirectory=$(CLUSTER_DIR)/dist

$(OS_BIN): $(OS_ZIP)
	unzip -q -o $< -d $(CLUSTER_DIR)
	touch $@

# Three nodes on 127.0.0.1 (HTTP 9251-9253), one JVM each; waits for yellow or green.
cluster: $(STAMP) $(OS_BIN)
	$(PY) -m cluster start

cluster-stop: $(STAMP)
	$(PY) -m cluster stop

# The embedded build (var/index) into a new cluster index behind the alias `yearbook`.
cluster-load: index
	$(PY) -m indexer.opensearch load

# make eval against the cluster (SEARCH_BACKEND=opensearch); the cluster must be running.
eval-cluster: cluster-load
	SEARCH_BACKEND=opensearch $(PY) -m bench.evaluate

# The contract tests against the cluster (pytest -m cluster). Stops the cluster afterwards
# unless it was already running.
test-cluster: index catalogs $(OS_BIN)
	@if $(PY) -m cluster status >/dev/null 2>&1; then started=; else \
	    $(PY) -m cluster start || { $(PY) -m cluster stop; exit 1; }; started=1; fi; \
	$(PY) -m pytest -m cluster; rc=$$?; \
	if [ -n "$$started" ]; then $(PY) -m cluster stop; fi; exit $$rc

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
