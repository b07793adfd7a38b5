"""Each site's scope: its registered hosts and their subdomains. Every request (a
redirect, a meta refresh, a sitemap-index entry, a feed link) outside it is refused
and counted (`out-of-scope`); so is one to a private, loopback or link-local address
(`private-address`), unless NEWSARCHIVE_ALLOW_PRIVATE is set (the tests' local sites
and `--replay` set it). Runs first, so that nothing out of scope is even replayed."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from ...archive.identity import in_scope
from ...ground.outcomes import Reason
from ...ground.urls import is_private
from ..outcomes import RequestRefused
from ..stats import stat

log = logging.getLogger(__name__)
VERDICTS_KEPT = 4096  # (site, host) pairs remembered; past that, forgotten and asked again


class ScopeMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("NEWSARCHIVE_ALLOW_PRIVATE")
        # (site, netloc) -> why refused, or None: the verdict depends on nothing else, and
        # a crawl asks a few hosts thousands of times (a name's address is cached anyway)
        self.verdicts: dict[tuple[str | None, str], Reason | None] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        site_id = request.meta.get("site")
        key = (site_id, urlsplit(request.url).netloc)
        if key not in self.verdicts:
            if len(self.verdicts) >= VERDICTS_KEPT:
                self.verdicts.clear()
            self.verdicts[key] = self._verdict(request.url, site_id,
                                               spider or self.crawler.spider)
        if (why := self.verdicts[key]) is not None:
            self._refuse(request, site_id, why)
        return None

    def _verdict(self, url: str, site_id: str | None, spider) -> Reason | None:
        registry = spider.registry
        if site_id:
            hosts = registry.get(site_id).all_hosts
        else:  # robots.txt and the like: any chosen site's hosts
            hosts = tuple(h for site in spider.sites for h in site.all_hosts)
        if not in_scope(url, hosts):
            return Reason.OUT_OF_SCOPE
        host = urlsplit(url).hostname or ""
        if not self.allow_private and is_private(host):
            return Reason.PRIVATE_ADDRESS
        return None

    def _refuse(self, request, site_id: str | None, reason: Reason) -> None:
        self.crawler.stats.inc_value(stat(site_id or "unknown", f"errors/{reason}"))
        log.warning("refused %s (%s)", request.url, reason)
        raise RequestRefused(reason)
