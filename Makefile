# The README's contract: `make run` and `make test` each do all the set-up themselves.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: all venv index run test lint bench load eval clean cluster cluster-stop test-cluster \
	cluster-load eval-cluster

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
test-cluster: index $(OS_BIN)
	@if $(PY) -m cluster status >/dev/null 2>&1; then started=; else \
	    $(PY) -m cluster start || { $(PY) -m cluster stop; exit 1; }; started=1; fi; \
	$(PY) -m pytest -m cluster; rc=$$?; \
	if [ -n "$$started" ]; then $(PY) -m cluster stop; fi; exit $$rc

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
