"""``make run``: gunicorn with webapp/gunicorn_conf.py — pre-forked gthread workers, a dead
worker replaced, SIGTERM a graceful stop."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from webapp import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]
ZONG = "api/search?q=%E5%AE%97%E5%BA%86%E5%90%8E"


def test_settings_are_preforked_gthread_workers_one_per_core():
    assert gunicorn_conf.worker_class == "gthread"
    assert gunicorn_conf.workers == min(os.cpu_count(), 4)
    assert gunicorn_conf.preload_app is True


def test_no_module_of_the_web_app_forks_by_hand():
    sources = {path.name: path.read_text() for path in (ROOT / "webapp").rglob("*.py")}
    assert [name for name, text in sources.items() if "os.fork" in text] == []


@pytest.fixture
def server(built_index, tmp_path):
    """gunicorn as ``make run`` starts it (2 workers, a free port); yields (process, url,
    log path) once a worker has logged its address."""
    log = tmp_path / "server.log"
    env = dict(os.environ, YEARBOOK_INDEX_DIR=str(built_index))
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:webapp.gunicorn_conf",
             "--bind", "127.0.0.1:0", "--workers", "2"],
            cwd=ROOT, stdout=out, stderr=out, env=env)
    url = _wait_for(lambda: re.search(r"Serving yearbook search on (http://\S+/)",
                                      log.read_text()), process)
    yield process, url.group(1), log
    if process.poll() is None:
        process.kill()
        process.wait()


def test_serves_the_site_and_replaces_a_dead_worker(server):
    process, url, log = server
    with urllib.request.urlopen(url + ZONG) as reply:
        assert reply.headers["Server"] == "gunicorn"
        assert json.load(reply)["total"] == 6
    with urllib.request.urlopen(url + "?lang=en") as reply:
        assert '<html lang="en">' in reply.read().decode()
    workers = _wait_for(lambda: len(_children(process.pid)) == 2 and _children(process.pid),
                        process)
    os.kill(workers[0], signal.SIGKILL)
    replaced = _wait_for(lambda: (len(kids := _children(process.pid)) == 2
                                  and workers[0] not in kids and kids), process)
    assert workers[1] in replaced
    for _ in range(4):
        with urllib.request.urlopen(url + ZONG) as reply:
            assert json.load(reply)["total"] == 6


def test_sigterm_stops_gracefully_with_the_workers(server):
    process, url, log = server
    workers = _wait_for(lambda: len(_children(process.pid)) == 2 and _children(process.pid),
                        process)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    assert "Shutting down: Master" in log.read_text()


def _wait_for(condition, process, timeout: float = 120):
    """Poll ``condition`` until it returns something true (and return that)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except OSError:
            continue
    return sorted(found)
