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
