"""Faults on the real 3-node cluster under load (``make test-cluster`` only).

Twenty client threads search the real corpus through one :class:`OpenSearchSearcher` given
every node's address, for a bounded time. While they do, a data node is killed (SIGKILL)
and later restarted, or the alias is swapped to a freshly loaded index. No request may
fail, every answer must equal the one given before the fault, and the cluster must come
back to green with three nodes. The figures go to ``var/cluster/faults.json``.
"""

import json
import statistics
import threading
import time

import pytest

import cluster
from indexer import VAR_DIR
from indexer.opensearch import client
from indexer.opensearch.backend import OpenSearchSearcher
from indexer.opensearch.load import live_index, read_build, rebuild

pytestmark = pytest.mark.cluster

ALIAS = "pytest-faults"
CLIENTS = 20
#: Queries of the load: words, phrases, English, filters, browsing.
QUERIES = ("垃圾分类", "教育", '"生活垃圾分类"', "卫星班", "waste sorting", "先进 kind:award",
           "", "医教结合 -上门", "year:2018 学校", "宗庆后")
REPORT = VAR_DIR / "cluster" / "faults.json"


class Load:
    """``CLIENTS`` threads searching until stopped (or ``limit`` seconds); every answer is
    compared with ``expected`` (query → ranked ids and total)."""

    def __init__(self, searcher: OpenSearchSearcher, expected: dict, limit: float = 120.0):
        """Prepare the threads; nothing runs before :meth:`start`."""
        self.searcher = searcher
        self.expected = expected
        self.limit = limit
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True)
                        for n in range(CLIENTS)]

    def _run(self, n: int) -> None:
        """One client: the queries in turn, from a different starting point per client."""
        deadline = time.monotonic() + self.limit
        k = n
        while not self.stop.is_set() and time.monotonic() < deadline:
            query = QUERIES[k % len(QUERIES)]
            k += 1
            started = time.perf_counter()
            try:
                result = self.searcher.search(query)
                answer = ([h["id"] for h in result["hits"]], result["total"])
                problem = None if answer == self.expected[query] else f"{query!r}: {answer}"
            except Exception as err:  # every kind of failure counts, none may happen
                problem = f"{query!r}: {type(err).__name__}: {err}"
            with self.lock:
                self.latencies.append((time.perf_counter() - started) * 1000)
                if problem:
                    self.failures.append(problem)

    def start(self) -> "Load":
        """Start every client."""
        for thread in self.threads:
            thread.start()
        return self

    def finish(self) -> dict:
        """Stop the clients; return the figures."""
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        ordered = sorted(self.latencies)
        return {"requests": len(ordered), "failed": len(self.failures),
                "failures": self.failures[:10],
                "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
                "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1) if ordered else None}


@pytest.fixture(scope="module")
def loaded(built_index):
    """The real build behind the test's own alias; the build's data for reloading."""
    data = read_build(built_index)
    rebuild(client(cluster.urls()), *data, ALIAS)
    return data


@pytest.fixture(scope="module")
def searcher(loaded) -> OpenSearchSearcher:
    """A searcher that knows every node (a request to a dead one is retried elsewhere)."""
    return OpenSearchSearcher(urls=cluster.urls(), alias=ALIAS)


@pytest.fixture(scope="module")
def expected(searcher) -> dict:
    """Each query's ranked ids and total on the healthy cluster."""
    answers = {}
    for query in QUERIES:
        result = searcher.search(query)
        answers[query] = ([h["id"] for h in result["hits"]], result["total"])
    return answers


def _report(name: str, figures: dict) -> None:
    """Add one test's figures to the report file."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    data[name] = figures
    REPORT.write_text(json.dumps(data, ensure_ascii=False, indent=1))


def test_killing_a_data_node_under_load_fails_no_request(searcher, expected):
    load = Load(searcher, expected).start()
    time.sleep(3)
    killed_at = time.monotonic()
    assert cluster.kill_node(2)
    time.sleep(10)
    figures = load.finish()
    during = cluster.health()
    cluster.start_node(2)
    health = cluster.wait_for("green", timeout=240)
    figures |= {"status_while_down": during["status"],
                "nodes_while_down": during["number_of_nodes"],
                "seconds_back_to_green": round(time.monotonic() - killed_at, 1),
                "status_after": health["status"], "nodes_after": health["number_of_nodes"]}
    _report("kill_node", figures)
    assert figures["failed"] == 0, figures["failures"]
    assert figures["requests"] > CLIENTS
    assert during["number_of_nodes"] == 2 and during["status"] == "yellow"
    assert health["status"] == "green" and health["number_of_nodes"] == 3


def test_an_alias_swap_under_load_fails_no_request(searcher, expected, loaded):
    es = client(cluster.urls())
    before = live_index(es, ALIAS)
    load = Load(searcher, expected).start()
    time.sleep(2)
    result = rebuild(es, *loaded, ALIAS)
    time.sleep(3)
    figures = load.finish()
    figures |= {"from": before, "to": result["index"]}
    _report("alias_swap", figures)
    assert figures["failed"] == 0, figures["failures"]
    assert result["previous"] == before and live_index(es, ALIAS) == result["index"] != before
    assert searcher.meta["index"] == result["index"]
