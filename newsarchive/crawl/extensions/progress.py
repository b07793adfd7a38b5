"""Progress while crawling, per site: in a terminal a block of lines, one per site, refreshed
in place every 2 s; otherwise (cron, systemd, a pipe) one log line a minute, when anything
moved, naming each site with its counts (a line per site would flood an offline crawl).

A line reads `baonghean  12/78 fetched  +10 new  ~1 changed  !2 failed`: articles fetched
(new, changed or the same) out of the article links found so far, then new articles,
changed ones (a new version), and failed requests (feeds, listings or articles); in a
backfill, how far back in time its sitemaps have reached (`back to 2012-03-04`), and an
estimate of the time left at the pace so far."""

from __future__ import annotations

import logging
import shutil
import sys
import time

from scrapy import signals
from twisted.internet import task

from ...ground.outcomes import PageOutcome
from ..stats import stat

log = logging.getLogger(__name__)
NEW, CHANGED, UNCHANGED = PageOutcome.NEW, PageOutcome.CHANGED, PageOutcome.UNCHANGED


class Progress:
    def __init__(self, crawler, interval: float, tty: bool | None = None):
        self.crawler = crawler
        self.tty = sys.stderr.isatty() if tty is None else tty
        self.interval = interval if self.tty else max(interval, 60.0)
        self.loop: task.LoopingCall | None = None
        self.shown = 0  # lines of the block on the terminal
        self.logged = ""  # the last minute line logged
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, crawler.settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL", 2.0))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def _stats(self) -> dict:
        return self.crawler.stats.get_stats()

    def oldest(self, site: str) -> str:
        """` back to 2012-03-04` once a backfill's sitemaps reached that day, else ``."""
        day = self._stats().get(stat(site, "oldest"))
        return f" back to {day}" if day else ""

    def time_left(self) -> str:
        """Pages found and not yet done, at the pace so far (a rough estimate)."""
        stats = self._stats()
        names = (NEW, CHANGED, UNCHANGED, "failed", "skipped")
        sites = getattr(self.crawler.spider, "sites", [])
        done = sum(stats.get(stat(s.id, n), 0) for s in sites for n in names)
        todo = sum(stats.get(stat(s.id, "discovered"), 0) for s in sites) - done
        elapsed = time.monotonic() - self.started
        if done < 20 or todo <= 0 or elapsed <= 0:
            return ""
        minutes = todo / (done / elapsed) / 60
        return f"~{minutes:.0f} min left" if minutes < 120 else f"~{minutes / 60:.1f} h left"

    def counts(self) -> dict[str, tuple[int, int, int, int, int]]:
        """By site id, (fetched, found, new, changed, failed) of each site that started."""
        stats = self.crawler.stats.get_stats()
        out = {}
        for site in getattr(self.crawler.spider, "sites", []):
            def get(name, site=site):
                return stats.get(stat(site.id, name), 0)
            fetched = get(NEW) + get(CHANGED) + get(UNCHANGED)
            if fetched or get("failed") or get("discovered"):
                out[site.id] = (fetched, get("discovered"), get(NEW), get(CHANGED),
                                get("failed"))
        return out

    def lines(self) -> dict[str, str]:
        """By site id, the terminal's progress line of each site that has started."""
        counts = self.counts()
        width = max(map(len, counts), default=0)
        return {site: f"{site:{width}}  {f}/{d} fetched  +{n} new  ~{c} changed  !{x} failed"
                      f"{self.oldest(site)}"
                for site, (f, d, n, c, x) in counts.items()}

    def minute_line(self) -> str:
        """`baonghean 12/78 +10 ~1 !2, dantri 3/44 +3 ~0 !0`: every site that started."""
        line = ", ".join(f"{site} {f}/{d} +{n} ~{c} !{x}{self.oldest(site)}"
                         for site, (f, d, n, c, x) in self.counts().items())
        left = self.time_left()
        return f"{line}, {left}" if line and left else line

    def tick(self) -> None:
        if self.tty:
            left = self.time_left()
            self._redraw([*self.lines().values(), *([left] if left else [])])
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
