"""Shared test fixtures: the captured real pages, found or loudly missing under CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.peerpages import peer_pages_dir, real_peer_pages
from tests.support.fixtures import fixtures_dir, real_pages


def _required(folder: Path | None, where: Path, variable: str, what: str) -> Path:
    """`folder`, or a skip saying where it was looked for (a failure under CI)."""
    if folder is None:
        message = f"{what} not found at {where} (set {variable})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture(scope="session")
def fixtures_path() -> Path:
    return _required(real_pages(), fixtures_dir(), "NEWSARCHIVE_FIXTURES",
                     "real page fixtures")


@pytest.fixture(scope="session")
def peer_pages_path() -> Path:
    return _required(real_peer_pages(), peer_pages_dir(), "NEWSARCHIVE_PEER_PAGES",
                     "peer pages")


from tests.support.redisrv import redis_server  # noqa: E402,F401  (a fixture)
