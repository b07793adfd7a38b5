"""Keep the raw page and the article in the archive; one crawl_runs row per site."""

from __future__ import annotations

import logging
import sqlite3

from scrapy.utils.defer import deferred_from_coro

from .. import drift
from ..archive import Archive, Page
from ..archive.store import RUN_COUNTERS
from ..items import Fetched
from ..spiders.news import stat

log = logging.getLogger(__name__)
EXAMPLES = 5


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.archive: Archive | None = None
        self.runs: dict[str, int] = {}
        self.examples: dict[str, list[str]] = {}
        self.alarms: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.archive = Archive(spider.db_path)
        self.archive.sync_sites()
        limit = self.crawler.settings.getint("NEWSARCHIVE_MAX_PAGE_COUNT")
        if limit:  # tests simulate a full disk with SQLite's page limit
            self.archive.conn.execute(f"PRAGMA max_page_count = {limit}")
        self.runs = {site.id: self.archive.start_run(site.id) for site in spider.sites}

    def process_item(self, item: Fetched) -> Fetched:
        stats = self.crawler.stats
        if item.kind != "article":
            try:
                self.archive.add_discovery_page(Page(
                    url=item.url, body=item.body, status=item.status, headers=item.headers,
                    fetched_at=item.fetched_at, kind=item.kind))
            except sqlite3.OperationalError as exc:
                self._fail(exc)
            return item
        blocking = any(p == "not-article" or p.startswith(("unreadable", "extractor-error"))
                       or p.startswith("missing") and ("title" in p or "body" in p)
                       for p in item.problems)
        if item.problems or (item.article and
                             item.article.provenance.get("body_text") == "fallback"):
            examples = self.examples.setdefault(item.site, [])
            if len(examples) < EXAMPLES:
                examples.append(item.url)
        page = Page(url=item.url, body=item.body, status=item.status, headers=item.headers,
                    fetched_at=item.fetched_at, flags="; ".join(item.problems) or None)
        try:
            outcome, _ = self.archive.store_page(
                page, None if blocking else item.article, item.aliases)
        except sqlite3.OperationalError as exc:
            self._fail(exc)
        if outcome is None:
            stats.inc_value(stat(item.site, "failed"))
            reason = item.problems[0].split(":")[0] if item.problems else "no-article"
            stats.inc_value(stat(item.site, f"errors/{reason}"))
            return item
        stats.inc_value(stat(item.site, outcome))
        if item.article.provenance.get("body_text") == "fallback":
            stats.inc_value(stat(item.site, "fallback"))
        return item

    def _fail(self, exc: sqlite3.OperationalError) -> None:
        """Disk full, database locked for too long...: stop loudly; what was committed
        stays as it was (every store is one transaction)."""
        log.critical("archive write failed, stopping the crawl: %s", exc)
        self.crawler.stats.set_value("newsarchive/archive_error", str(exc))
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_error"))
        raise exc

    def close_spider(self) -> None:
        stats = self.crawler.stats.get_stats()
        for site, run_id in self.runs.items():
            counts = {c: stats.get(stat(site, c), 0) for c in RUN_COUNTERS}
            prefix = stat(site, "errors/")
            errors = {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix)}
            fetched = counts["new"] + counts["changed"] + counts["unchanged"]
            status = "failed" if counts["failed"] and not fetched and not stats.get(
                stat(site, "skipped")) else "ok"
            try:
                alarm = drift.alarm(counts, self.archive.recent_runs(site, run_id))
                if alarm:
                    status = "degraded"
                    self.alarms[site] = alarm
                    log.error("LAYOUT DRIFT on %s: %s. Examples: %s", site, alarm,
                              ", ".join(self.examples.get(site, [])))
                self.archive.finish_run(run_id, counts, errors, status,
                                        self.examples.get(site), alarm)
            except sqlite3.OperationalError as exc:
                log.critical("could not record the crawl run for %s: %s", site, exc)
