"""Fixtures of the web app tests: app → client → runner on the real corpus index.

The index is the session-wide ``built_index`` of tests/conftest.py (the real corpus built
once into a temporary folder), so every expectation here is about the real yearbook.
"""

import pytest

from webapp import create_app


@pytest.fixture(scope="session")
def app(built_index):
    """The app serving the real corpus index (without the response cache: every request
    runs its view; tests/webapp/test_cache.py covers the cache)."""
    return create_app({"INDEX_DIR": str(built_index), "TESTING": True, "CACHE_SIZE": 0})


@pytest.fixture
def client(app):
    """A Flask test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A Flask CLI runner."""
    return app.test_cli_runner()
