"""Run bookkeeping: a `crawl_runs` row per site, opened when the crawl starts and closed
with its counts, failures by reason, status and drift alarm when it ends."""

from __future__ import annotations

import logging
import sqlite3

from scrapy import signals

from ...archive import Archive
from ...archive.runs import RUN_COUNTERS
from ..stats import site_counts, site_errors, stat
from . import drift

log = logging.getLogger(__name__)


class CrawlRuns:
    def __init__(self, crawler):
        self.crawler = crawler
        self.archive: Archive | None = None
        self.runs: dict[str, int] = {}
        self.alarms: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider) -> None:
        self.archive = Archive(spider.db_path)
        self.archive.runs.sync_sites(site.row() for site in spider.registry)
        self.runs = {site.id: self.archive.runs.start(site.id) for site in spider.sites}

    def closed(self, spider) -> None:
        stats = self.crawler.stats.get_stats()
        for site, run_id in self.runs.items():
            counts = site_counts(stats, site, RUN_COUNTERS)
            fetched = counts["new"] + counts["changed"] + counts["unchanged"]
            status = "failed" if counts["failed"] and not fetched and not stats.get(
                stat(site, "skipped")) else "ok"
            if stats.get(stat(site, "budget")) or stats.get("newsarchive/budget"):
                status = "budget"  # why: errors/budget-<pages|bytes|seconds>
            examples = stats.get(stat(site, "examples")) or []
            try:
                alarm = drift.alarm(counts, self.archive.runs.recent(site, run_id))
                if alarm:
                    status = "degraded"
                    self.alarms[site] = alarm
                    log.error("LAYOUT DRIFT on %s: %s. Examples: %s", site, alarm,
                              ", ".join(examples))
                self.archive.runs.finish(run_id, counts, site_errors(stats, site), status,
                                         examples, alarm)
            except sqlite3.OperationalError as exc:
                log.critical("could not record the crawl run for %s: %s", site, exc)
        self.archive.close()
