"""Crawling on several machines: workers share a Redis (scrapy-redis's scheduler and
duplicate filter, items pushed to a list), one writer stores into SQLite.

Every key lives under `newsarchive:` in the Redis database named by the URL:

- `requests:<site>` pending requests of a site (a sorted set, scrapy-redis's format);
- `seen:<site>` request fingerprints of the site's current crawl (the dupefilter);
- `lease:<site>` the worker crawling the site (SET NX PX, renewed; expires if it dies);
- `done:<site>` set when a worker finished the site, for a round (skip it meanwhile);
- `interrupted` a hash: site -> the round a stopped worker left unfinished (who, when,
  which signal, requests left), until a worker leases the site again;
- `items` pages and what workers extracted from them, as JSON, for the writer;
- `processing` items the writer took and has not committed yet (requeued on restart);
- `failed` what the writer refused or could not store, one short JSON line each (reason,
  worker named, size, first bytes), the newest FAILED_MAX kept;
- `refused` a hash: messages refused (by the writer or a worker's scheduler) by reason;
- `known:<site>` url_key -> when an archived article was published and last seen,
  written by the writer, read by workers to decide revisits without the archive;
- `workers`, `writer` heartbeats for `newsarchive cluster status`.

Everything on it is signed (`signing.py`) and checked (`messages.py`) before use: Redis
is a boundary, not a trusted part of the process.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

PREFIX = "newsarchive"


def key(*parts: str) -> str:
    """`newsarchive:<part>:<part>...`"""
    return ":".join((PREFIX, *parts))


ITEMS, PROCESSING, WORKERS, WRITER = key("items"), key("processing"), key("workers"), \
    key("writer")
FAILED, REFUSED, INTERRUPTED_ROUNDS = key("failed"), key("refused"), key("interrupted")
FAILED_MAX = 1000


class CredentialsRefused(Exception):
    """Redis refused the user or password of the URL (or wants one)."""


def shown(url: str) -> str:
    """`url` fit for a log line: its password replaced by `***`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = f"{parts.username}:" if parts.username else ":"
    return parts._replace(netloc=f"{user}***@{parts.hostname}"
                          + (f":{parts.port}" if parts.port else "")).geturl()


def worker_id() -> str:
    """Who this process is, in leases and logs: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def connect(url: str, wait: float | None = None):
    """A Redis client for `url` (`redis://[user:password@]host:port/db`), after a
    successful PING. Unreachable: retry with backoff (logging each attempt) for `wait`
    seconds (None: forever), then raise `redis.ConnectionError`. Credentials refused
    or wanted: `CredentialsRefused` at once. The password is never logged."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=5,
                                  retry_on_timeout=True, health_check_interval=30)
    deadline = None if wait is None else time.monotonic() + wait
    delay = 0.5
    while True:
        try:
            client.ping()
            return client
        except (redis.exceptions.AuthenticationError,
                redis.exceptions.AuthorizationError) as exc:
            raise CredentialsRefused(f"redis at {shown(url)} refused the credentials "
                                     f"({exc}); give them in the URL, "
                                     "redis://USER:PASSWORD@HOST:PORT/DB") from None
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            if deadline is not None and time.monotonic() + delay > deadline:
                raise redis.ConnectionError(f"redis at {shown(url)} unreachable: {exc}") \
                    from None
            log.warning("redis at %s unreachable (%s); retrying in %.0f s", shown(url), exc,
                        delay)
            time.sleep(delay)
            delay = min(delay * 2, 30.0)
