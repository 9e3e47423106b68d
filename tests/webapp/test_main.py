"""``python -m webapp`` (webapp/__main__.py): waitress serves the site and prints its URL."""

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_serves_with_waitress_and_prints_the_url(built_index):
    server = subprocess.Popen(
        [sys.executable, "-m", "webapp", "--host", "127.0.0.1", "--port", "0",
         "--index", str(built_index)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        match = re.fullmatch(r"Serving yearbook search on (http://127\.0\.0\.1:\d+/) .*\n", line)
        assert match, line
        url = match.group(1)
        with urllib.request.urlopen(url + "api/search?q=%E5%AE%97%E5%BA%86%E5%90%8E") as reply:
            assert reply.headers["Server"] == "yearbook"
            assert json.load(reply)["total"] == 6
        with urllib.request.urlopen(url + "?lang=en") as reply:
            assert '<html lang="en">' in reply.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_workers_share_the_port_and_stop_with_the_server(built_index):
    """``--workers 2`` forks two waitress processes on one socket; stopping the server
    (SIGTERM, as a service manager does) stops them too."""
    server = subprocess.Popen(
        [sys.executable, "-m", "webapp", "--host", "127.0.0.1", "--port", "0",
         "--workers", "2", "--index", str(built_index)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"http://\S+/", server.stdout.readline()).group(0)
        workers = _children(server.pid)
        assert len(workers) == 2
        for _ in range(4):
            with urllib.request.urlopen(url + "api/search?q=%E5%AE%97%E5%BA%86%E5%90%8E") as reply:
                assert json.load(reply)["total"] == 6
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert server.returncode == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except OSError:
            continue
    return found
