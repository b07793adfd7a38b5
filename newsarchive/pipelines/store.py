"""Keep the raw page and the article in the archive; one crawl_runs row per site."""

from __future__ import annotations

import logging
import sqlite3

from ..archive import Archive, Page
from ..items import Fetched
from ..spiders.news import stat

log = logging.getLogger(__name__)
COUNTERS = ("discovered", "new", "changed", "unchanged", "failed", "bytes", "fallback")


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.archive: Archive | None = None
        self.runs: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.archive = Archive(spider.db_path)
        self.archive.sync_sites()
        self.runs = {site.id: self.archive.start_run(site.id) for site in spider.sites}

    def process_item(self, item: Fetched) -> Fetched:
        stats = self.crawler.stats
        blocking = any(p == "not-article" or p.startswith(("unreadable", "extractor-error"))
                       for p in item.problems)
        try:
            page_id = self.archive.add_page(Page(
                url=item.url, body=item.body, status=item.status, headers=item.headers,
                fetched_at=item.fetched_at, flags="; ".join(item.problems) or None))
            if item.article is None or blocking:
                stats.inc_value(stat(item.site, "failed"))
                reason = item.problems[0].split(":")[0] if item.problems else "no-article"
                stats.inc_value(stat(item.site, f"errors/{reason}"))
                return item
            outcome, _ = self.archive.store(item.article, seen_at=item.fetched_at,
                                            fetched_url=[item.url, *item.aliases],
                                            page_id=page_id)
        except sqlite3.OperationalError as exc:
            # Disk full, database locked for too long...: stop loudly; what was committed
            # stays as it was (every store is one transaction).
            log.critical("archive write failed, stopping the crawl: %s", exc)
            stats.set_value("newsarchive/archive_error", str(exc))
            self.crawler.engine.close_spider_async(reason="archive_error")
            raise
        stats.inc_value(stat(item.site, outcome))
        if item.article.provenance.get("body_text") == "fallback":
            stats.inc_value(stat(item.site, "fallback"))
        return item

    def close_spider(self) -> None:
        stats = self.crawler.stats.get_stats()
        for site, run_id in self.runs.items():
            counts = {c: stats.get(stat(site, c), 0) for c in COUNTERS}
            prefix = stat(site, "errors/")
            errors = {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix)}
            fetched = counts["new"] + counts["changed"] + counts["unchanged"]
            status = "failed" if counts["failed"] and not fetched and not stats.get(
                stat(site, "skipped")) else "ok"
            try:
                self.archive.finish_run(run_id, counts, errors, status)
            except sqlite3.OperationalError as exc:
                log.critical("could not record the crawl run for %s: %s", site, exc)
