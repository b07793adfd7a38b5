"""Fetched page -> archive, through `ingest`; counts per site for the run bookkeeping."""

from __future__ import annotations

import logging
import sqlite3

from scrapy.utils.defer import deferred_from_coro

from ...archive import Archive
from ..ingest import ingest
from ..items import Fetched
from ..stats import stat

log = logging.getLogger(__name__)
EXAMPLES = 5  # URLs kept per site to show with a drift alarm


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        self.archive = Archive(self.crawler.spider.db_path)
        limit = self.crawler.settings.getint("NEWSARCHIVE_MAX_PAGE_COUNT")
        if limit:  # tests simulate a full disk with SQLite's page limit
            self.archive.conn.execute(f"PRAGMA max_page_count = {limit}")

    def close_spider(self) -> None:
        if self.archive:
            self.archive.close()

    def process_item(self, item: Fetched) -> Fetched:
        try:
            if item.page.kind != "article":
                self.archive.pages.add_discovery(item.page)
            else:
                self._article(item)
        except sqlite3.OperationalError as exc:
            self._fail(exc)
        return item

    def _article(self, item: Fetched) -> None:
        stats, site = self.crawler.stats, item.site
        outcome = ingest(self.archive, item.page, self.crawler.spider.registry.get(site),
                         aliases=item.aliases, truncated=item.truncated)
        stats.inc_value(stat(site, "extracted"))
        if outcome.incomplete:
            stats.inc_value(stat(site, "missing"))
        if outcome.flags or outcome.reading.fallback:
            examples = stats.get_value(stat(site, "examples")) or []
            if len(examples) < EXAMPLES:
                stats.set_value(stat(site, "examples"), [*examples, item.page.url])
        if not outcome.stored:
            stats.inc_value(stat(site, "failed"))
            stats.inc_value(stat(site, f"errors/{outcome.status}"))
            return
        stats.inc_value(stat(site, outcome.status))
        if outcome.reading.fallback:
            stats.inc_value(stat(site, "fallback"))

    def _fail(self, exc: sqlite3.OperationalError) -> None:
        """Disk full, database locked for too long...: stop loudly; what was committed
        stays as it was (every store is one transaction)."""
        log.critical("archive write failed, stopping the crawl: %s", exc)
        self.crawler.stats.set_value("newsarchive/archive_error", str(exc))
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_error"))
        raise exc
