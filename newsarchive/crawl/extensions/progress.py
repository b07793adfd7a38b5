"""A live per-site progress line while crawling in a terminal; a log line a minute
otherwise (so that unattended logs show a crawl is alive)."""

from __future__ import annotations

import logging
import sys

from scrapy import signals
from twisted.internet import task

from ..stats import stat

log = logging.getLogger(__name__)


class Progress:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.tty = sys.stderr.isatty()
        self.interval = interval if self.tty else max(interval, 60.0)
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, crawler.settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL", 2.0))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        stats = self.crawler.stats.get_stats()
        spider = self.crawler.spider
        parts = []
        for site in getattr(spider, "sites", []):
            def get(name, site=site):
                return stats.get(stat(site.id, name), 0)
            fetched = get("new") + get("changed") + get("unchanged")
            if fetched or get("failed") or get("discovered"):
                parts.append(f"{site.id} {fetched}/{get('discovered')} "
                             f"+{get('new')} ~{get('changed')} !{get('failed')}")
        return " | ".join(parts) or "starting"

    def tick(self) -> None:
        if self.tty:
            sys.stderr.write("\r\x1b[K" + self.line()[:200])
            sys.stderr.flush()
        else:
            log.info("progress: %s", self.line())

    def opened(self, spider) -> None:
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def closed(self, spider) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        if self.tty:
            sys.stderr.write("\r\x1b[K")
