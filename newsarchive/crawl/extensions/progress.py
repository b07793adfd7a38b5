"""A live per-site progress line while crawling in a terminal; a log line a minute
otherwise (so that unattended logs show a crawl is alive)."""

from __future__ import annotations

import logging
import sys
import time

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
        self.started = time.monotonic()

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
                part = (f"{site.id} {fetched}/{get('discovered')} "
                        f"+{get('new')} ~{get('changed')} !{get('failed')}")
                if get("oldest"):
                    part += f" back to {get('oldest')}"
                parts.append(part)
        left = self.time_left(stats)
        return " | ".join(parts) + (f" | {left}" if left else "") if parts else "starting"

    def time_left(self, stats: dict) -> str:
        """Pages discovered and not yet done, at the pace so far (a rough estimate)."""
        names = ("new", "changed", "unchanged", "failed", "skipped")
        sites = getattr(self.crawler.spider, "sites", [])
        done = sum(stats.get(stat(s.id, n), 0) for s in sites for n in names)
        todo = sum(stats.get(stat(s.id, "discovered"), 0) for s in sites) - done
        elapsed = time.monotonic() - self.started
        if done < 20 or todo <= 0 or elapsed <= 0:
            return ""
        minutes = todo / (done / elapsed) / 60
        return f"~{minutes:.0f} min left" if minutes < 120 else f"~{minutes / 60:.1f} h left"

    def tick(self) -> None:
        if self.tty:
            sys.stderr.write("\r\x1b[K" + self.line()[:200])
            sys.stderr.flush()
        else:
            log.info("progress: %s", self.line())

    def opened(self, spider) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def closed(self, spider) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        if self.tty:
            sys.stderr.write("\r\x1b[K")
