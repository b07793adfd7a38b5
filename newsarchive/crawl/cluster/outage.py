"""How long a worker has been without its Redis: one line when it is lost, one when it
is back, and, once it has been away `wait` seconds, the verdict that the worker stops
(exit 1) rather than crawl forever for nobody."""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)

REDIS_LOST = "redis-lost"  # the worker's finish reason once it gave up


class Outage:
    """Redis failures as the worker's parts meet them (pushing items, heartbeats)."""

    def __init__(self, worker: str, url_shown: str, wait: float) -> None:
        self.worker, self.url, self.wait = worker, url_shown, wait
        self.since: float | None = None
        self.over = False  # gave up: stop

    def failed(self, exc: Exception) -> bool:
        """Note a failure; True once Redis has been unreachable for `wait` seconds."""
        now = time.monotonic()
        if self.since is None:
            self.since = now
            log.error("%s: lost redis at %s (%s); retrying for up to %.0f s", self.worker,
                      self.url, exc, self.wait)
        elif not self.over and now - self.since >= self.wait:
            self.over = True
            log.error("%s: redis at %s unreachable for %.0f s: stopping", self.worker,
                      self.url, now - self.since)
        return self.over

    def ok(self) -> None:
        if self.since is not None and not self.over:
            log.warning("%s: redis at %s back after %.0f s", self.worker, self.url,
                        time.monotonic() - self.since)
            self.since = None
