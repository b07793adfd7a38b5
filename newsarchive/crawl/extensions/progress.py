"""Progress while crawling, per site: in a terminal a block of lines, one per site, refreshed
in place every 2 s; otherwise (cron, systemd, a pipe) one log line a minute, when anything
moved, naming each site with its counts (a line per site would flood an offline crawl).

A line reads `baonghean  12/78 fetched  +10 new  ~1 changed  !2 failed`: articles fetched
(new, changed or the same) out of the article links found so far, then new articles,
changed ones (a new version), and failed requests (feeds, listings or articles)."""

from __future__ import annotations

import logging
import shutil
import sys

from scrapy import signals
from twisted.internet import task

from ..stats import stat

log = logging.getLogger(__name__)


class Progress:
    def __init__(self, crawler, interval: float, tty: bool | None = None):
        self.crawler = crawler
        self.tty = sys.stderr.isatty() if tty is None else tty
        self.interval = interval if self.tty else max(interval, 60.0)
        self.loop: task.LoopingCall | None = None
        self.shown = 0  # lines of the block on the terminal
        self.logged = ""  # the last minute line logged

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, crawler.settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL", 2.0))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def counts(self) -> dict[str, tuple[int, int, int, int, int]]:
        """By site id, (fetched, found, new, changed, failed) of each site that started."""
        stats = self.crawler.stats.get_stats()
        out = {}
        for site in getattr(self.crawler.spider, "sites", []):
            def get(name, site=site):
                return stats.get(stat(site.id, name), 0)
            fetched = get("new") + get("changed") + get("unchanged")
            if fetched or get("failed") or get("discovered"):
                out[site.id] = (fetched, get("discovered"), get("new"), get("changed"),
                                get("failed"))
        return out

    def lines(self) -> dict[str, str]:
        """By site id, the terminal's progress line of each site that has started."""
        counts = self.counts()
        width = max(map(len, counts), default=0)
        return {site: f"{site:{width}}  {f}/{d} fetched  +{n} new  ~{c} changed  !{x} failed"
                for site, (f, d, n, c, x) in counts.items()}

    def minute_line(self) -> str:
        """`baonghean 12/78 +10 ~1 !2, dantri 3/44 +3 ~0 !0`: every site that started."""
        return ", ".join(f"{site} {f}/{d} +{n} ~{c} !{x}"
                         for site, (f, d, n, c, x) in self.counts().items())

    def tick(self) -> None:
        if self.tty:
            self._redraw(list(self.lines().values()))
            return
        line = self.minute_line()
        if line and line != self.logged:
            log.info("progress (fetched/found +new ~changed !failed): %s", line)
            self.logged = line

    def _redraw(self, lines: list[str]) -> None:
        """Replace the block on the terminal: up to its first line, rewrite, clear below."""
        size = shutil.get_terminal_size()
        lines = lines[:max(1, size.lines - 2)] or ["starting"]
        up = f"\x1b[{self.shown}F" if self.shown else "\r"
        sys.stderr.write(up + "".join(f"\x1b[K{line[:size.columns - 1]}\n"
                                      for line in lines) + "\x1b[J")
        sys.stderr.flush()
        self.shown = len(lines)

    def opened(self, spider) -> None:
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def closed(self, spider) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        if self.tty and self.shown:  # the summary table replaces the block
            sys.stderr.write(f"\x1b[{self.shown}F\x1b[J")
            sys.stderr.flush()
            self.shown = 0
