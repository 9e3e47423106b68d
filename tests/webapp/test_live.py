"""The per-process searcher and its swap on rebuild (webapp/live.py)."""

import threading
import time

import pytest
from micro_corpus import DOCS, RECORDS, YEARBOOK

from indexer.build import publish
from webapp import create_app
from webapp.live import IndexMissing, LiveSearcher


class Opened:
    """A fake searcher factory that records which build folders were opened."""

    def __init__(self):
        self.folders = []

    def __call__(self, folder):
        self.folders.append(folder)
        return ("searcher", folder)


def eventually(check, seconds: float = 10.0):
    """Poll ``check`` until it returns a true value (the new build opens in a thread)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError("condition not met in time")


def repoint(link, target):
    """Point symlink ``link`` at ``target`` the way indexer.build does (atomic replace)."""
    tmp = link.with_name(".tmp-link")
    tmp.symlink_to(target)
    tmp.replace(link)


def test_opens_once_and_reopens_when_the_link_moves(tmp_path):
    (tmp_path / "b1").mkdir()
    (tmp_path / "b2").mkdir()
    link = tmp_path / "index"
    link.symlink_to("b1")
    opened = Opened()
    live = LiveSearcher(link, factory=opened)
    first = live.get()
    assert live.get() is first and live.get() is first
    assert opened.folders == [str(tmp_path / "b1")]
    repoint(link, "b2")
    # The old searcher serves until the new one is open, then the new one.
    assert live.get() in (first, ("searcher", str(tmp_path / "b2")))
    eventually(lambda: live.get() == ("searcher", str(tmp_path / "b2")))
    assert opened.folders == [str(tmp_path / "b1"), str(tmp_path / "b2")]


def test_old_searcher_serves_while_the_new_one_opens(tmp_path):
    (tmp_path / "b1").mkdir()
    (tmp_path / "b2").mkdir()
    link = tmp_path / "index"
    link.symlink_to("b1")
    gate = threading.Event()

    def slow(folder):
        if folder.endswith("b2"):
            gate.wait(10)
        return folder

    live = LiveSearcher(link, factory=slow)
    assert live.get().endswith("b1")
    repoint(link, "b2")
    assert [live.get() for _ in range(3)] == [str(tmp_path / "b1")] * 3
    gate.set()
    eventually(lambda: live.get() == str(tmp_path / "b2"))


def test_a_failed_open_keeps_the_old_searcher(tmp_path):
    (tmp_path / "b1").mkdir()
    (tmp_path / "b2").mkdir()
    link = tmp_path / "index"
    link.symlink_to("b1")

    def fussy(folder):
        if folder.endswith("b2"):
            raise OSError("half-written")
        return folder

    live = LiveSearcher(link, factory=fussy)
    live.get()
    repoint(link, "b2")
    live.get()
    eventually(lambda: live._opening is None)
    assert live.get() == str(tmp_path / "b1")


def test_missing_index(tmp_path):
    with pytest.raises(IndexMissing):
        LiveSearcher(tmp_path / "index", factory=Opened()).get()


def test_concurrent_first_requests_open_one_searcher(tmp_path):
    (tmp_path / "b1").mkdir()
    opened = Opened()
    live = LiveSearcher(tmp_path / "b1", factory=opened)
    threads = [threading.Thread(target=live.get) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(opened.folders) == 1


def test_app_serves_the_new_build_after_a_rebuild(tmp_path, built_index):
    """Swap the real index for the micro-corpus: the next request sees the new build."""
    out = tmp_path / "var"
    out.mkdir()
    (out / "index").symlink_to(built_index.resolve())
    client = create_app({"INDEX_DIR": str(out / "index"), "TESTING": True}).test_client()
    assert len(client.get("/api/docs").get_json()["docs"]) == 23
    publish(out, RECORDS, DOCS, [YEARBOOK], fingerprint="micro")
    eventually(lambda: len(client.get("/api/docs").get_json()["docs"]) == 4)
    assert [d["id"] for d in client.get("/api/docs").get_json()["docs"]] == [
        "p1", "p2", "t22", "l1"]
    assert client.get("/api/search?q=宗庆后").get_json()["total"] == 3
