"""Fixtures of the web app tests: app → client → runner on the real corpus index, and
the real server + headless Chromium for the browser tests.

The index is the session-wide ``built_index`` of tests/conftest.py (the real corpus built
once into a temporary folder), so every expectation here is about the real yearbook.
"""

import shutil
import tempfile
import threading

import pytest
from webtools import CHROMEDRIVER, CHROMIUM

from webapp import create_app


@pytest.fixture(scope="session")
def app(request, built_index, backend):
    """The app serving the real corpus index (without the response cache: every request
    runs its view; tests/webapp/test_cache.py covers the cache), per backend."""
    if backend == "opensearch":
        request.getfixturevalue("cluster_real")
    return create_app({"INDEX_DIR": str(built_index), "TESTING": True, "CACHE_SIZE": 0,
                       "SEARCH_BACKEND": backend})


@pytest.fixture
def client(app):
    """A Flask test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A Flask CLI runner."""
    return app.test_cli_runner()


@pytest.fixture(scope="module")
def base_url(built_index):
    """Serve the real index with waitress in a background thread; yield its URL."""
    from waitress.server import create_server

    server = create_server(create_app({"INDEX_DIR": str(built_index)}), host="127.0.0.1",
                           port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1200,900",
                f"--user-data-dir={profile}", "--lang=zh-CN"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
