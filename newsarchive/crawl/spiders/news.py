"""One spider for every newspaper in the registry: discovery and fetching only.

Discovery reads each site's RSS feeds, sitemaps (indexes and news sitemaps, bounded by
date; an index is followed NEWSARCHIVE_SITEMAP_MAX_DEPTH deep at most, never to itself
or an index above it) and section listings (with pagination); only URLs matching the
site's article pattern are fetched. The budget middleware bounds discovery pages by the
articles they yield. Articles already archived are fetched again only when due for a
revisit, with conditional headers. Extraction and storage happen in the pipelines.

With `--replay`, every captured page of a site that its article pattern matches is
scheduled too, so that a replay stores each captured article, also one that no captured
feed or listing links (discovery would never reach it offline); it counts as found.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from ...archive import DEFAULT_DB, Archive
from ...extract.links import article_links, feed_links, listing_links, sitemap_links
from ...ground import clock
from ...ground.outcomes import PageOutcome, Reason
from ...ground.page import Page
from ...ground.urls import absolute, url_key
from ...sites import Registry, Site
from .. import replay
from ..archive_view import ArchiveView
from ..garbage import settle
from ..items import Fetched
from ..outcomes import RequestRefused, classify
from ..revisit import due_urls, is_due
from ..seen import SeenKeys
from ..stats import stat

GONE = (404, 410)  # an archived article's URL answering these: gone from the site
NEXT_TEXT = re.compile(r"^\s*(trang sau|tiếp|sau|xem thêm|next|›|»|>>?)\s*$", re.IGNORECASE)
PAGE_IN_URL = re.compile(r"(?:[?&]page=|/trang-|/page/|-p)(\d+)(?=\D*$)")


class NewsSpider(scrapy.Spider):
    name = "news"
    handle_httpstatus_list = [304]

    def __init__(self, registry: Registry, sites_: str = "", since: str | None = None,
                 db: str = DEFAULT_DB, max_pages: int | str = 3, revisit: bool | str = True,
                 **kwargs: Any):
        super().__init__(**kwargs)
        self.registry = registry
        chosen = [s for s in sites_.split(",") if s]
        self.sites = [registry.get(s) for s in chosen] if chosen else list(registry)
        self.since = datetime.fromisoformat(since).replace(tzinfo=UTC) if since else None
        self.max_pages = int(max_pages) if not self.since else 500
        self.revisit = revisit not in (False, "0", "false", "no")
        self.db_path = db
        self.archive: ArchiveView | None = None
        # where the spider's own writes go (a 304's touch, a gone article): the pipeline's
        # archive when it has one, whose grouped commit they join instead of waiting on it
        self.writer: ArchiveView | None = None
        self.scheduled: SeenKeys | None = None  # URL keys, in SQLite (crawl/seen.py)
        self.captured: dict[str, list[str]] = {}  # site id -> captured article URLs

    @property
    def window_start(self) -> datetime:
        """Discovery looks back to `--since`, or three days by default."""
        return self.since or clock.now() - timedelta(days=3)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.open_state()
        settle()  # Scrapy runs this once the pipelines and extensions are open
        for site in self.sites:
            for request in self.site_requests(site):
                yield request

    def open_state(self) -> None:
        """What the spider remembers during a run: the archive it asks, and the URL keys it
        has scheduled (in SQLite, so that memory stays flat)."""
        self.archive = self.open_archive()
        self.scheduled = SeenKeys(self.settings.get("JOBDIR"), "scheduled.db")
        self.captured = self.captured_articles()

    def captured_articles(self) -> dict[str, list[str]]:
        """With `--replay`: per site, the captured URLs its article pattern matches."""
        path = self.settings.get("NEWSARCHIVE_REPLAY")
        found: dict[str, list[str]] = {}
        for url in replay.captured_urls(path) if path else ():
            site = self.registry.for_url(url)
            if site is not None and site.is_article_url(url):
                found.setdefault(site.id, []).append(url)
        return found

    def open_archive(self) -> ArchiveView:
        """What the spider asks about archived articles (a cluster worker overrides it),
        with its own small page cache (memory stays flat through a long backfill)."""
        archive = Archive(self.db_path)
        cache = self.settings.getint("NEWSARCHIVE_SQLITE_READER_CACHE_KIB")
        if cache:
            archive.conn.execute(f"PRAGMA cache_size = -{cache}")
        return archive

    def site_requests(self, site: Site):
        """A site's discovery requests, its captured articles (with `--replay`), then its
        archived articles due for a revisit."""
        meta = {"site": site.id}
        for url in site.feeds:
            yield self._request(url, self.parse_feed, meta)
        for url in site.sitemaps:
            yield self._request(url, self.parse_sitemap, meta)
        for url in site.listings:
            yield self._request(url, self.parse_listing, meta | {"page": 1})
        for url in self.captured.get(site.id, ()):
            yield from self._follow(site, url, None)
        if self.revisit:
            for url in due_urls(self.archive, site.id):
                if request := self._article_request(site, url, revisit=True):
                    yield request

    def closed(self, reason: str) -> None:
        if self.scheduled is not None:
            self.scheduled.close()
        if self.archive is not None:
            self.archive.close()

    def _request(self, url: str, callback, meta: dict, priority: int = 0) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.failed, meta=dict(meta),
                              dont_filter=True, priority=priority)

    # -- discovery ----------------------------------------------------------------------

    def parse_feed(self, response: Response):
        yield self._fetched(response, "discovery")
        site = self.registry.get(response.meta["site"])
        for link in feed_links(response.body, response.url):
            yield from self._follow(site, link.url, link.modified)

    def parse_sitemap(self, response: Response):
        yield self._fetched(response, "discovery")
        site = self.registry.get(response.meta["site"])
        links, is_index = sitemap_links(response.body, response.url)
        if is_index:
            yield from self._index_children(response, links)
            return
        for link in links:
            if link.modified is None or _after(link.modified, self.window_start):
                yield from self._follow(site, link.url, link.modified)

    def _index_children(self, response: Response, links: list):
        """The sitemaps an index lists, in the window, with the chain of indexes above
        them (meta `chain`): none past the depth limit, none already in the chain."""
        site = response.meta["site"]
        stats = self.crawler.stats
        chain = (*response.meta.get("chain", ()),
                 *map(url_key, response.meta.get("redirect_urls", ())), url_key(response.url))
        depth = response.meta.get("sitemap_depth", 1)  # the site's own sitemap is 1
        deepest = self.settings.getint("NEWSARCHIVE_SITEMAP_MAX_DEPTH")
        if deepest and depth >= deepest:
            stats.inc_value(stat(site, f"errors/{Reason.SITEMAP_TOO_DEEP}"))
            self.logger.warning("sitemap index %s is %d deep: its %d sitemaps are not "
                                "followed", response.url, deepest, len(links))
            return
        for link in links:
            if url_key(link.url) in chain:
                stats.inc_value(stat(site, f"errors/{Reason.SITEMAP_LOOP}"))
                self.logger.warning("sitemap index %s lists itself or an index above it "
                                    "(%s): not followed", response.url, link.url)
            elif link.modified is None or _after(link.modified, self.window_start):
                # shallower sitemaps first: a deep branch cannot starve its siblings
                yield self._request(link.url, self.parse_sitemap, {
                    "site": site, "chain": chain, "sitemap_depth": depth + 1}, -depth)

    def parse_listing(self, response: Response):
        yield self._fetched(response, "discovery")
        site = self.registry.get(response.meta["site"])
        page = response.meta.get("page", 1)
        fresh = 0
        for link in article_links(response.body, response.url, "listing", site.is_article_url):
            before = len(self.scheduled)
            yield from self._follow(site, link.url, None)
            fresh += len(self.scheduled) > before
        nxt = self._next_page(response, page)
        if nxt and page < self.max_pages and fresh:
            # the site and the page number only: the response's meta also holds Scrapy's
            # own keys for that page (its retries, redirects, latency), not the next one's
            yield self._request(nxt, self.parse_listing,
                                {"site": response.meta["site"], "page": page + 1})

    @staticmethod
    def _next_page(response: Response, page: int) -> str | None:
        rel_next = absolute(response.xpath("//a[@rel='next']/@href").get(), response.url)
        if rel_next:
            return rel_next
        for anchor in response.xpath("//a[@href]"):
            text = " ".join(anchor.xpath(".//text()").getall())
            href = absolute(anchor.attrib["href"], response.url)
            if href and NEXT_TEXT.match(text):
                return href
        for link in listing_links(response.body, response.url):
            m = PAGE_IN_URL.search(link.url)
            if m and int(m.group(1)) == page + 1:
                return link.url
        return None

    def _follow(self, site: Site, url: str, modified: str | None):
        if not site.is_article_url(url):
            return
        if not self.scheduled.add(url_key(url)):
            return
        self.crawler.stats.inc_value(stat(site.id, "discovered"))
        if request := self._article_request(site, url, modified=modified):
            yield request

    def _article_request(self, site: Site, url: str, revisit: bool = False,
                         modified: str | None = None) -> scrapy.Request | None:
        """A request for an article, or None when it is archived and not due."""
        assert self.archive is not None
        # a URL found to be no article is remembered, and revisited as an article would be
        known = self.archive.known(url)
        headers = {}
        if known:
            changed_since = modified and _after(modified, clock.parse_stamp(known["last_seen"]))
            if not (revisit or changed_since or is_due(known["published_at"],
                                                       known["last_seen"])):
                self.crawler.stats.inc_value(stat(site.id, "skipped"))
                return None
            etag, last_modified = self.archive.validators(url)
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
        if revisit:  # discovered URLs were remembered by _follow
            self.scheduled.add(url_key(url))
        return scrapy.Request(url, callback=self.parse_article, errback=self.failed,
                              headers=headers, meta={"site": site.id, "known": bool(known)})

    # -- fetching -----------------------------------------------------------------------

    def parse_article(self, response: Response):
        site = response.meta["site"]
        if response.status == 304:
            (self.writer or self.archive).touch(response.url)
            self.crawler.stats.inc_value(stat(site, PageOutcome.UNCHANGED))
            return
        self.crawler.stats.inc_value(stat(site, "bytes"), len(response.body))
        yield self._fetched(response, "article")

    @staticmethod
    def _fetched(response: Response, kind: str) -> Fetched:
        """The response as an item for the pipelines (discovery pages are only kept)."""
        headers = {k.decode("latin-1").lower(): v[0].decode("latin-1")
                   for k, v in response.headers.items() if v}
        cut = {"partial", "dataloss"} & set(response.flags) or _short(response)
        page = Page(url=response.url, body=response.body, status=response.status,
                    headers=headers, fetched_at=clock.stamp(), kind=kind)
        return Fetched(page, response.meta["site"], truncated=bool(cut),
                       aliases=list(response.meta.get("redirect_urls", [])))

    def failed(self, failure):
        request = failure.request
        site = request.meta.get("site", "unknown")
        cause = classify(failure)
        if failure.check(RequestRefused):  # counted by the middleware that refused it
            return
        if cause.reason is Reason.ROBOTS:
            self.crawler.stats.inc_value(stat(site, "robots"))  # robots.txt said no
            return
        if failure.check(HttpError) and failure.value.response.status in GONE \
                and request.meta.get("known"):
            self._gone(site, request.url, failure.value.response.status)
        kind = "article" if request.callback == self.parse_article else "discovery"
        self.crawler.stats.inc_value(stat(site, "failed"))
        self.crawler.stats.inc_value(stat(site, f"errors/{kind}-{cause.key}"))
        self.logger.warning("failed %s (%s): %s", request.url, kind, cause.key)

    def _gone(self, site: str, url: str, status: int) -> None:
        """An archived article the paper no longer serves: marked, never changed."""
        if (self.writer or self.archive).mark_gone(url, status, clock.stamp()) is not None:
            self.crawler.stats.inc_value(stat(site, "gone"))
            self.logger.info("%s answered %d: marked as gone from %s", url, status, site)


def _short(response: Response) -> bool:
    declared = response.headers.get("Content-Length")
    return bool(declared and declared.isdigit() and int(declared) > len(response.body)
                and not response.headers.get("Content-Encoding"))


def _after(iso: str, moment: datetime) -> bool:
    try:
        return clock.parse_stamp(iso) >= moment
    except ValueError:
        return True
