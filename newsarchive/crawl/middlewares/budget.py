"""Budgets, so that no site can keep the crawl busy forever: a feed, sitemap or listing
URL is fetched once per run (the spider asks with dont_filter, so a sitemap index that
lists itself would loop), and each site, and the run as a whole, has a budget of pages,
bytes and wall time (settings.py; a site overrides its own in `Site.settings`). A site
over budget gets no more requests (each refused one is counted `budget-<what>`, and its
run is recorded with status `budget`); a run over budget is closed cleanly, so the
lock is released and the runs are recorded.

Discovery has its own ceiling, kept by a backfill too (which has no page budget): a
site's feed, sitemap and listing pages may number NEWSARCHIVE_SITE_MAX_DISCOVERY, or
NEWSARCHIVE_DISCOVERY_PER_ARTICLE times the article URLs they have yielded if more; past
that, its discovery stops (`budget-discovery`, logged once) and its articles go on."""

from __future__ import annotations

import logging
import time
from collections import Counter

from scrapy.utils.defer import deferred_from_coro

from ...ground.outcomes import Reason
from ..outcomes import RequestRefused
from ..stats import stat

log = logging.getLogger(__name__)


class BudgetMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.started = time.monotonic()
        self.site_started: dict[str, float] = {}
        self.pages: Counter = Counter()
        self.bytes: Counter = Counter()
        self.run_pages = self.run_bytes = 0  # the sums of `pages` and `bytes`
        self._limits: dict[tuple[str, str, str | None], float] = {}
        self.discovery: set[str] = set()
        self.discovery_pages: Counter = Counter()
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def limit(self, scope: str, what: str, site: str | None = None) -> float:
        """NEWSARCHIVE_<SITE|RUN>_MAX_<what>, the site's own value first; 0 is no limit.
        Looked up once per scope, limit and site (settings and sites do not change
        during a crawl), not on every request."""
        key = (scope, what, site if scope == "SITE" else None)
        found = self._limits.get(key)
        if found is None:
            found = self._look_up(scope, what, site)
            if self.crawler.spider is not None:  # a site's own values are known
                self._limits[key] = found
        return found

    def _look_up(self, scope: str, what: str, site: str | None) -> float:
        name = f"NEWSARCHIVE_{scope}_MAX_{what}"
        spider = self.crawler.spider
        if site and scope == "SITE" and spider is not None:
            own = spider.registry.get(site).settings.get(name)
            if own is not None:
                return float(own)
        return self.crawler.settings.getfloat(name, 0)

    def _over(self, site: str) -> str | None:
        now = time.monotonic()
        started = self.site_started.setdefault(site, now)
        for what, used in (("PAGES", self.pages[site]), ("BYTES", self.bytes[site]),
                           ("SECONDS", now - started)):
            if (cap := self.limit("SITE", what, site)) and used >= cap:
                return what.lower()
        for what, used in (("PAGES", self.run_pages), ("BYTES", self.run_bytes),
                           ("SECONDS", now - self.started)):
            if (cap := self.limit("RUN", what)) and used >= cap:
                self._close_run(what.lower())
                return what.lower()
        return None

    def process_request(self, request, spider=None):
        site = request.meta.get("site")
        if not site:
            return None
        stats = self.crawler.stats
        retry = request.meta.get("retry_times") or request.meta.get("retry_after_times")
        if _is_discovery(request) and not retry:  # a retry is the same ask, not a repeat
            if request.url in self.discovery:
                stats.inc_value(stat(site, "errors/discovery-repeated"))
                raise RequestRefused(Reason.REPEATED)
            if self._discovery_over(site):
                stats.inc_value(stat(site, "errors/budget-discovery"))
                stats.set_value(stat(site, "budget"), "discovery")
                raise RequestRefused(Reason.BUDGET, "discovery")
            self.discovery.add(request.url)
            self.discovery_pages[site] += 1
        if over := self._over(site):
            stats.inc_value(stat(site, f"errors/budget-{over}"))
            stats.set_value(stat(site, "budget"), over)
            raise RequestRefused(Reason.BUDGET, over)
        self.pages[site] += 1
        self.run_pages += 1
        return None

    def _discovery_over(self, site: str) -> bool:
        """Has the site's discovery fetched its share of pages for what it yielded?"""
        floor = self.limit("SITE", "DISCOVERY", site)
        if not floor:
            return False
        found = self.crawler.stats.get_value(stat(site, "discovered")) or 0
        per_article = self.crawler.settings.getfloat("NEWSARCHIVE_DISCOVERY_PER_ARTICLE", 0)
        cap = max(floor, per_article * found)
        if self.discovery_pages[site] < cap:
            return False
        if not self.crawler.stats.get_value(stat(site, "errors/budget-discovery")):
            log.warning("%s: %d discovery pages (feeds, sitemaps, listings) for %d article "
                        "URLs: its discovery stops here", site, self.discovery_pages[site],
                        found)
        return True

    def process_response(self, request, response, spider=None):
        site = request.meta.get("site")
        if site:
            self.bytes[site] += len(response.body)
            self.run_bytes += len(response.body)
        return response

    def _close_run(self, what: str) -> None:
        if self.closing:
            return
        self.closing = True
        log.warning("run budget reached (%s): closing the crawl", what)
        self.crawler.stats.set_value("newsarchive/budget", what)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=f"budget-{what}"))


def _is_discovery(request) -> bool:
    name = getattr(request.callback, "__name__", "")
    return name in ("parse_feed", "parse_sitemap", "parse_listing")
