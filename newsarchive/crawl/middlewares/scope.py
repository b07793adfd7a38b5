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


class ScopeMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("NEWSARCHIVE_ALLOW_PRIVATE")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        spider = spider or self.crawler.spider
        site_id = request.meta.get("site")
        registry = spider.registry
        if site_id:
            hosts = registry.get(site_id).all_hosts
        else:  # robots.txt and the like: any chosen site's hosts
            hosts = tuple(h for site in spider.sites for h in site.all_hosts)
        if not in_scope(request.url, hosts):
            self._refuse(request, site_id, Reason.OUT_OF_SCOPE)
        host = urlsplit(request.url).hostname or ""
        if not self.allow_private and is_private(host):
            self._refuse(request, site_id, Reason.PRIVATE_ADDRESS)
        return None

    def _refuse(self, request, site_id: str | None, reason: Reason) -> None:
        self.crawler.stats.inc_value(stat(site_id or "unknown", f"errors/{reason}"))
        log.warning("refused %s (%s)", request.url, reason)
        raise RequestRefused(reason)
