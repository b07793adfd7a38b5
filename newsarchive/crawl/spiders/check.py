"""`newsarchive check`: a spider that tries each site's discovery and extraction and
fills a `SiteReport` per site. It stores nothing (no pipelines, no crawl_runs).

Per site, the first discovery source goes alone, as a probe: when the host cannot be
reached at all (DNS, refused, timeout), the other sources are skipped rather than
hammered. Then the other sources; once all have answered, the N newest article URLs they
gave (by feed or sitemap date, then in page order) are fetched and extracted. A site
with no feed, sitemap or listing is tried from its home page. A sitemap index is
followed to its two newest sitemaps only, never to itself or an index above it, and
NEWSARCHIVE_SITEMAP_MAX_DEPTH deep at most. A site's discovery stops after
NEWSARCHIVE_CHECK_MAX_REQUESTS requests, and the report says so.

With `--replay`, only captured URLs are requested; the site's captured feeds, sitemaps
and listings count as sources too, and its captured article pages as found articles, so
that a folder of captures checks whatever it holds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from ...extract import ExtractError, NotAnArticle, extract
from ...extract.links import article_links, feed_links, listing_links, sitemap_links
from ...ground.urls import host_of, url_key
from ...sites import Registry, Site
from ..check_report import (
    DISCOVERY_ENDLESS,
    FAILED,
    FETCHED,
    NOT_ARTICLE,
    NOT_CAPTURED,
    SKIPPED,
    Checked,
    SiteReport,
    Source,
    layers_of,
)
from ..outcomes import classify

SITEMAPS_FROM_INDEX = 2


def sniff(body: bytes) -> str:
    """`rss`, `sitemap` or `listing`, from the start of a captured discovery page."""
    head = body[:1000].lstrip().lower()
    if b"<rss" in head or b"<feed" in head:
        return "rss"
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    return "listing"


class CheckSpider(scrapy.Spider):
    name = "check"

    def __init__(self, registry: Registry, site_ids: list[str], articles: int = 5,
                 captured: list[str] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.registry = registry
        self.sites = [registry.get(site_id) for site_id in site_ids]  # the crawl's scope
        self.asked = articles
        self.captured = {url_key(u): u for u in captured} if captured is not None else None
        self.reports: dict[str, SiteReport] = {}
        self.queued: dict[str, list[Source]] = {}
        self.pending: dict[str, int] = {}
        self.sent: dict[str, int] = dict.fromkeys(site_ids, 0)  # discovery requests
        self.found: dict[str, dict[str, tuple[str, str, int]]] = {}
        for site_id in site_ids:
            site = registry.get(site_id)
            self.reports[site.id] = SiteReport(
                site.id, site.name, site.confidence, site.platform, articles,
                replay=captured is not None)
            self.found[site.id] = {}
            self.queued[site.id] = self._sources(site)

    def _sources(self, site: Site) -> list[Source]:
        sources = [Source(kind, url) for kind, urls in
                   (("rss", site.feeds), ("sitemap", site.sitemaps),
                    ("listing", site.listings)) for url in urls]
        if self.captured is None:
            return sources or [Source("home", site.home)]
        known = {url_key(s.url) for s in sources}
        for key, url in self.captured.items():
            if host_of(url) not in site.all_hosts or key in known:
                continue
            if site.is_article_url(url):
                self._found(site.id, url, None)
            else:
                sources.append(Source("captured", url))
        for s in sources:
            if url_key(s.url) not in self.captured:
                s.outcome = NOT_CAPTURED
        return sources or [Source("home", site.home, NOT_CAPTURED)]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for site_id, sources in self.queued.items():
            self.reports[site_id].sources = list(sources)
            live = [s for s in sources if s.outcome == FETCHED]
            self.queued[site_id] = live[1:]
            self.pending[site_id] = 0
            if live:
                for request in self._send(site_id, live[0]):
                    yield request
            else:
                for request in self._articles(site_id):
                    yield request

    # -- discovery ----------------------------------------------------------------------

    def _send(self, site_id: str, source: Source, **meta: Any) -> Iterator[scrapy.Request]:
        """The source's request, unless the site's discovery has had its budget: then
        the source is skipped and the report says discovery was stopped."""
        budget = self.settings.getint("NEWSARCHIVE_CHECK_MAX_REQUESTS")
        if budget and self.sent[site_id] >= budget:
            source.outcome, source.reason = SKIPPED, "discovery stopped"
            self.reports[site_id].stopped = DISCOVERY_ENDLESS.format(budget)
            return
        self.sent[site_id] += 1
        yield self._source_request(site_id, source, **meta)

    def _source_request(self, site_id: str, source: Source, **meta: Any) -> scrapy.Request:
        self.pending[site_id] += 1
        return scrapy.Request(source.url, callback=self.parse_source, errback=self.source_failed,
                              meta={"site": site_id, "source": source, **meta},
                              dont_filter=True)

    def parse_source(self, response: Response) -> Iterator[scrapy.Request]:
        site_id, source = response.meta["site"], response.meta["source"]
        site = self.registry.get(site_id)
        kind = source.kind if source.kind in ("rss", "sitemap") else sniff(response.body)
        if source.kind in ("home", "captured", "listing") and kind != "listing":
            source.kind = kind
        children: list[str] = []
        try:
            if kind == "rss":
                links = feed_links(response.body, response.url)
            elif kind == "sitemap":
                links, is_index = sitemap_links(response.body, response.url)
                if is_index:
                    source.kind = "index"
                    children = [link.url for link in sorted(
                        links, key=lambda link: link.modified or "", reverse=True)]
                    links = []
            else:
                links = listing_links(response.body, response.url)
        except Exception as exc:  # noqa: BLE001 - a diagnosis reports, it does not stop
            source.outcome, source.reason = FAILED, f"unreadable {kind}: {exc}"
            links = []
        source.found = len(links) or len(children)
        for link in links:
            if site.is_article_url(link.url):
                source.matching += 1
                self._found(site_id, link.url, link.modified)
        if kind == "listing":  # a link repeated on a listing counts once
            source.matching = len(article_links(response.body, response.url, "listing",
                                                site.is_article_url))
        chain = (*response.meta.get("chain", ()), url_key(response.url))
        depth = response.meta.get("sitemap_depth", 1)
        deepest = self.settings.getint("NEWSARCHIVE_SITEMAP_MAX_DEPTH")
        if children and deepest and depth >= deepest:
            source.reason = f"sitemaps below it not followed: indexes {deepest} deep"
            children = []
        for url in [u for u in children if url_key(u) not in chain][:SITEMAPS_FROM_INDEX]:
            child = Source("sitemap", url)
            self.reports[site_id].sources.append(child)
            if self.captured is not None and url_key(url) not in self.captured:
                child.outcome = NOT_CAPTURED
            else:
                yield from self._send(site_id, child, chain=chain, sitemap_depth=depth + 1)
        if any(url_key(u) in chain for u in children):
            source.reason = "lists itself or an index above it: not followed there"
        yield from self._answered(site_id, unreachable=False)

    def source_failed(self, failure) -> Iterator[scrapy.Request]:
        meta = failure.request.meta
        cause = classify(failure)
        source = meta["source"]
        source.outcome, source.reason, source.cause = FAILED, cause.text, cause.reason
        yield from self._answered(meta["site"], cause.unreachable)

    def _answered(self, site_id: str, unreachable: bool) -> Iterator[scrapy.Request]:
        """One source answered: send the queued ones (or skip them if the host is
        unreachable); when none is left pending, go on to the articles."""
        self.pending[site_id] -= 1
        queued, self.queued[site_id] = self.queued[site_id], []
        for source in queued:
            if unreachable:
                source.outcome, source.reason = SKIPPED, "host unreachable"
            else:
                yield from self._send(site_id, source)
        if self.pending[site_id] == 0:
            yield from self._articles(site_id)

    def _found(self, site_id: str, url: str, modified: str | None) -> None:
        known = self.found[site_id]
        key = url_key(url)
        if key not in known or (modified and modified > known[key][1]):
            order = known[key][2] if key in known else len(known)
            known[key] = (url, modified or "", order)

    # -- articles -----------------------------------------------------------------------

    def _articles(self, site_id: str) -> Iterator[scrapy.Request]:
        report = self.reports[site_id]
        found = list(self.found[site_id].items())
        report.discovered = len(found)
        if self.captured is not None:
            report.uncaptured = sum(key not in self.captured for key, _ in found)
            found = [item for item in found if item[0] in self.captured]
        newest = sorted(found, key=lambda item: (item[1][1] == "", _desc(item[1][1]),
                                                 item[1][2]))
        for _, (url, _modified, _order) in newest[:self.asked]:
            checked = Checked(url)
            report.articles.append(checked)
            yield scrapy.Request(url, callback=self.parse_article,
                                 errback=self.article_failed,
                                 meta={"site": site_id, "checked": checked},
                                 dont_filter=True)

    def parse_article(self, response: Response) -> None:
        checked: Checked = response.meta["checked"]
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        try:
            article = extract(response.body, response.url,
                              site=self.registry.get(response.meta["site"]),
                              content_type=content_type)
        except NotAnArticle as exc:
            checked.outcome, checked.reason = NOT_ARTICLE, str(exc)
        except ExtractError as exc:
            checked.outcome, checked.reason = FAILED, f"unreadable: {exc}"
        except Exception as exc:  # noqa: BLE001 - an extractor bug is what check is for
            checked.outcome, checked.reason = FAILED, f"extraction error: {exc!r}"
        else:
            checked.layers = layers_of(article)

    def article_failed(self, failure) -> None:
        checked: Checked = failure.request.meta["checked"]
        cause = classify(failure)
        checked.outcome, checked.reason, checked.cause = FAILED, cause.text, cause.reason


def _desc(stamp: str) -> tuple[int, ...]:
    """A sort key putting later ISO stamps first."""
    return tuple(-ord(c) for c in stamp)


def run_check(registry: Registry, site_ids: list[str], articles: int = 5,
              replay: str | None = None,
              overrides: dict[str, Any] | None = None) -> list[SiteReport]:
    """Check the sites `site_ids` (every site when empty), politely (the crawl's
    settings), writing nothing; one report per site, in registry order."""
    from .. import replay as replayed
    from ..settings import crawl_settings, crawler_process

    chosen = [registry.get(s) for s in site_ids] if site_ids else list(registry)
    settings = crawl_settings(chosen, replay, {
        "ITEM_PIPELINES": {}, "EXTENSIONS": {},  # never the archive, no crawl_runs row
        "RETRY_TIMES": 1,  # a diagnosis, not a harvest: one retry is enough
        **(overrides or {})})
    process = crawler_process(settings)
    crawler = process.create_crawler(CheckSpider)
    captured = replayed.captured_urls(replay) if replay else None
    process.crawl(crawler, registry=registry, site_ids=[s.id for s in chosen],
                  articles=articles, captured=captured)
    process.start()
    return list(crawler.spider.reports.values())
