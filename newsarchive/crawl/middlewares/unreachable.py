"""A host that cannot be reached (its name does not resolve, or it refuses connections)
is not asked again in this run: the site's other feeds, listings and articles fail at
once, counted as failures for the same reason (`dns`, `refused`), so an offline crawl of
every paper ends in seconds with one reason per site instead of minutes of polite
retries."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy.exceptions import CannotResolveHostError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError

from ..stats import stat
from .scope import Refused

log = logging.getLogger(__name__)
DEAD = (DNSLookupError, CannotResolveHostError, ConnectionRefusedError)


class UnreachableMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.dead: dict[str, str] = {}  # host -> why

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
            raise Refused(f"{host} unreachable ({self.dead[host]})")
        return None

    def process_exception(self, request, exception, spider=None):
        if isinstance(exception, DEAD):
            host = urlsplit(request.url).hostname or ""
            if host not in self.dead:
                why = "dns" if not isinstance(exception, ConnectionRefusedError) else "refused"
                self.dead[host] = why
                log.debug("%s cannot be reached (%s): nothing more asked of it", host, why)
        return None
