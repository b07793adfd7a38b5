"""Run bookkeeping: a `crawl_runs` row per site, opened when the crawl starts and closed
with its counts, failures by reason, and the status and drift alarm that
`outcomes.verdict` gives them. A crawl stopped by SIGINT or SIGTERM finishes what is in
hand (Scrapy's graceful stop); a site with requests still pending then is recorded
`interrupted`, a site that was done keeps its verdict, and the signal is kept in the
stats (`newsarchive/interrupted`) for the command's exit status."""

from __future__ import annotations

import logging
import signal
import sqlite3

from scrapy import signals

from ...archive import Archive
from ..outcomes import Tally, verdict
from ..stats import stat

log = logging.getLogger(__name__)
INTERRUPTED = "newsarchive/interrupted"  # the name of the signal that stopped the crawl
STOPPING = (signal.SIGINT, signal.SIGTERM)


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
        watch_signals(self.crawler)

    def unfinished(self, site: str) -> bool:
        """Stopped before `site` was done: requests of it pending, or none ever asked."""
        stats = self.crawler.stats.get_stats()
        if not stats.get(INTERRUPTED):
            return False
        pending = stats.get(stat(site, "pending"))
        return pending is None or pending > 0

    def closed(self, spider) -> None:
        stats = self.crawler.stats.get_stats()
        for site, run_id in self.runs.items():
            tally = Tally.from_stats(stats, site)
            examples = stats.get(stat(site, "examples")) or []
            try:
                said = verdict(tally, self.archive.runs.recent(site, run_id),
                               interrupted=self.unfinished(site))
                if said.alarm:
                    self.alarms[site] = said.alarm
                    log.error("LAYOUT DRIFT on %s: %s. Examples: %s", site, said.alarm,
                              ", ".join(examples))
                self.archive.runs.finish(run_id, tally.counts, tally.errors, said.status,
                                         examples, said.alarm)
            except sqlite3.OperationalError as exc:
                log.critical("could not record the crawl run for %s: %s", site, exc)
        self.archive.close()


def watch_signals(crawler) -> None:
    """Once the reactor runs (Scrapy installs its handlers as it starts), wrap them: the
    signal that stops the crawl is noted in its stats (`INTERRUPTED`), then Scrapy's
    handler stops it (its graceful stop; a second signal kills, as Scrapy says). Used by
    this bookkeeping and by a cluster worker, which reports its rounds interrupted."""
    from twisted.internet import reactor

    reactor.callWhenRunning(reactor.callLater, 0, _wrap_handlers, crawler)


def _wrap_handlers(crawler) -> None:
    for signum in STOPPING:
        previous = signal.getsignal(signum)
        if not callable(previous):
            continue

        def note(num, frame, previous=previous):
            crawler.stats.set_value(INTERRUPTED, signal.Signals(num).name)
            previous(num, frame)

        signal.signal(signum, note)
