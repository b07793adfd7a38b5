"""A fresh Redis for a test, as the fixture `redis_server`: the server itself is
`bench.redisrv.RedisServer` (bench stands on its own, issue #25)."""

from __future__ import annotations

import shutil

import pytest

from bench.redisrv import RedisServer, free_port

__all__ = ["RedisServer", "free_port", "redis_server"]


@pytest.fixture
def redis_server(tmp_path):
    """A fresh redis-server for one test (CI installs it; elsewhere a missing one skips,
    under CI=true it fails)."""
    import os

    if shutil.which("redis-server") is None:
        message = "redis-server not installed (apt-get install redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(tmp_path)
    yield server
    server.stop()
