"""Shared test fixtures: the captured real pages, found or loudly missing under CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.fixtures import fixtures_dir, real_pages


@pytest.fixture(scope="session")
def fixtures_path() -> Path:
    folder = real_pages()
    if folder is None:
        message = f"real page fixtures not found at {fixtures_dir()} (set NEWSARCHIVE_FIXTURES)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return folder


from tests.support.redisrv import redis_server  # noqa: E402,F401  (a fixture)
