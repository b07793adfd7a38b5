"""A host that cannot be reached (its name does not resolve, it refuses connections, it
never answers in time, its TLS fails) is not asked again in this run: the site's other
feeds, listings and articles fail at once, counted as failures for the same reason
(`dns`, `refused`...), so an offline crawl of every paper ends in seconds with one
reason per site instead of minutes of polite retries. The reason is `classify`'s, the
one the spiders count and `check` reports."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from ...ground.outcomes import Reason
from ..outcomes import RequestRefused, classify
from ..stats import stat

log = logging.getLogger(__name__)

# Worth a retry: a timeout may be one slow answer. The others say the host is gone.
DEAD = frozenset({Reason.DNS, Reason.REFUSED, Reason.TLS, Reason.CONNECT})


class UnreachableMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.dead: dict[str, Reason] = {}  # host -> why

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        host = urlsplit(request.url).hostname or ""
        if host in self.dead:
            site = request.meta.get("site") or "unknown"
            kind = "article" if request.meta.get("known") is not None else "discovery"
            self.crawler.stats.inc_value(stat(site, "failed"))
            self.crawler.stats.inc_value(stat(site, f"errors/{kind}-{self.dead[host]}"))
            raise RequestRefused(self.dead[host], f"{host} unreachable")
        return None

    def process_exception(self, request, exception, spider=None):
        why = classify(exception).reason
        if why in DEAD:
            host = urlsplit(request.url).hostname or ""
            if host not in self.dead:
                self.dead[host] = why
                log.debug("%s cannot be reached (%s): nothing more asked of it", host, why)
        return None
