"""Fetched page -> archive: extraction in the worker pool (crawl/extraction.py), storing
here, through `ingest.keep`; counts per site for the run bookkeeping."""

from __future__ import annotations

import logging
import sqlite3

from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from ...archive import Archive
from ...ground import cpuparts
from ...places import gazetteer
from ..extraction import Extractor
from ..ingest import keep
from ..items import Fetched
from ..stats import stat

log = logging.getLogger(__name__)
EXAMPLES = 5  # URLs kept per site to show with a drift alarm


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.archive: Archive | None = None
        self.extractor: Extractor | None = None
        self.committer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        self.archive = Archive(self.crawler.spider.db_path)
        limit = self.crawler.settings.getint("NEWSARCHIVE_MAX_PAGE_COUNT")
        if limit:  # tests simulate a full disk with SQLite's page limit
            self.archive.conn.execute(f"PRAGMA max_page_count = {limit}")
        cache = self.crawler.settings.getint("NEWSARCHIVE_SQLITE_CACHE_KIB")
        if cache:
            self.archive.conn.execute(f"PRAGMA cache_size = -{cache}")
        # one commit per NEWSARCHIVE_COMMIT_PAGES pages or _SECONDS (archive/grouped.py);
        # the spider's own writes go through this connection, so they never wait on it
        pages = self.crawler.settings.getint("NEWSARCHIVE_COMMIT_PAGES")
        seconds = self.crawler.settings.getfloat("NEWSARCHIVE_COMMIT_SECONDS")
        if pages > 1:
            self.archive.group_commits(pages, seconds)
            self.crawler.spider.writer = self.archive
            self.committer = task.LoopingCall(self._flush)
            self.committer.start(seconds, now=False)
        gazetteer()  # read once here, before the pool forks, not once in every worker
        self.extractor = Extractor.from_settings(self.crawler.settings)
        cpuparts.opened()

    def close_spider(self) -> None:
        if self.committer is not None and self.committer.running:
            self.committer.stop()
        if self.extractor:
            self.extractor.close()
        if self.archive:
            try:
                self.archive.close()  # commits what a group holds
            except sqlite3.OperationalError as exc:
                log.critical("archive write failed at the crawl's end: %s", exc)
                self.crawler.stats.set_value("newsarchive/archive_error", str(exc))
        cpuparts.write()  # when measuring (bench/crawl.py), after the workers are joined

    async def process_item(self, item: Fetched) -> Fetched:
        try:
            if item.page.kind != "article":
                self.archive.pages.add_discovery(item.page)
            else:
                await self._article(item)
        except sqlite3.OperationalError as exc:
            self._fail(exc)
        return item

    async def _article(self, item: Fetched) -> None:
        stats, site = self.crawler.stats, item.site
        entry = self.crawler.spider.registry.get(site)
        reading = await self.extractor.read(item.page, entry)
        with cpuparts.part("store"):
            outcome = keep(self.archive, item.page, reading, site=entry,
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
            stats.inc_value(stat(site, f"errors/{outcome.counter}"))
            return
        stats.inc_value(stat(site, outcome.status))
        published = (reading.article.published_at or "")[:10]
        if published:  # how far back a backfill has reached, for the progress line
            stats.min_value(stat(site, "oldest"), published)
        if outcome.reading.fallback:
            stats.inc_value(stat(site, "fallback"))

    def _flush(self) -> None:
        """The idle timer's commit: a group never waits longer than its seconds."""
        try:
            self.archive.flush()
        except sqlite3.OperationalError as exc:
            self._stop(exc)
            if self.committer is not None and self.committer.running:
                self.committer.stop()

    def _fail(self, exc: sqlite3.OperationalError) -> None:
        """Disk full, database locked for too long...: stop loudly; what was committed
        stays as it was (a page's store is undone whole; a group's earlier pages stay
        unless SQLite rolled back the transaction)."""
        self._stop(exc)
        raise exc

    def _stop(self, exc: sqlite3.OperationalError) -> None:
        log.critical("archive write failed, stopping the crawl: %s", exc)
        self.crawler.stats.set_value("newsarchive/archive_error", str(exc))
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_error"))
