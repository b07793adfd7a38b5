"""Crawling on several machines: workers share a Redis (scrapy-redis's scheduler and
duplicate filter, items pushed to a list), one writer stores into SQLite.

Every key lives under `newsarchive:` in the Redis database named by the URL:

- `requests:<site>` pending requests of a site (a sorted set, scrapy-redis's format);
- `seen:<site>` request fingerprints of the site's current crawl (the dupefilter);
- `lease:<site>` the worker crawling the site (SET NX PX, renewed; expires if it dies);
- `done:<site>` set when a worker finished the site, for a round (skip it meanwhile);
- `items` pages and what workers extracted from them, as JSON, for the writer;
- `processing` items the writer took and has not committed yet (requeued on restart);
- `failed` items the writer could not read (set aside rather than retried forever);
- `known:<site>` url_key -> when an archived article was published and last seen,
  written by the writer, read by workers to decide revisits without the archive;
- `workers`, `writer` heartbeats for `newsarchive cluster status`.
"""

from __future__ import annotations

import logging
import os
import socket
import time

log = logging.getLogger(__name__)

PREFIX = "newsarchive"


def key(*parts: str) -> str:
    """`newsarchive:<part>:<part>...`"""
    return ":".join((PREFIX, *parts))


ITEMS, PROCESSING, WORKERS, WRITER = key("items"), key("processing"), key("workers"), \
    key("writer")


def worker_id() -> str:
    """Who this process is, in leases and logs: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def connect(url: str, wait: float | None = None):
    """A Redis client for `url`, after a successful PING. Unreachable: retry with
    backoff (logging each attempt) for `wait` seconds (None: forever), then raise
    `redis.ConnectionError`."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=5,
                                  retry_on_timeout=True, health_check_interval=30)
    deadline = None if wait is None else time.monotonic() + wait
    delay = 0.5
    while True:
        try:
            client.ping()
            return client
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            if deadline is not None and time.monotonic() + delay > deadline:
                raise redis.ConnectionError(f"redis at {url} unreachable: {exc}") from exc
            log.warning("redis at %s unreachable (%s); retrying in %.0f s", url, exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, 30.0)
