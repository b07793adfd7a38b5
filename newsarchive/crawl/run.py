"""Running a crawl in this process: the spider, the settings, a lock, a summary."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from ..archive import DEFAULT_DB
from ..sites import Registry
from .garbage import collect_less
from .settings import crawl_settings, crawler_process

EX_TEMPFAIL = 75  # sysexits: another crawl holds the lock; try again later

log = logging.getLogger(__name__)


class Locked(Exception):
    """Another crawl is writing to this archive."""


@contextmanager
def exclusive(db_path: str):
    """Hold `<db>.lock` for the whole crawl, so that scheduled runs never overlap. The
    lock is beside the real file: a symlink to the archive takes the same lock."""
    path = Path(f"{os.path.realpath(db_path)}.lock")
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            raise Locked(f"another crawl is running on {db_path} ({fh.read().strip()})") \
                from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}\n")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def workdir(db_path: str):
    """A fresh JOBDIR beside the archive for one crawl: Scrapy keeps its pending requests
    there (on disk, not in memory) and crawl/seen.py what was scheduled. It goes at the
    end; one left by a crawl that was killed is removed by the next (this runs under the
    archive's lock). Resuming needs nothing from it: the same command rediscovers, and
    skips every article the archive already holds. Removed on error too."""
    parent = Path(f"{db_path}.jobs")
    shutil.rmtree(parent, ignore_errors=True)
    path = parent / "crawl"  # the folder is fresh: no name of its own needed
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def run(registry: Registry, site_ids: list[str], db: str = DEFAULT_DB,
        since: str | None = None, replay: str | None = None,
        overrides: dict[str, Any] | None = None, max_pages: int = 3) -> dict[str, Any]:
    """Crawl the sites `site_ids` (every site when empty); returns the crawler's stats
    (with `finish_reason`)."""
    collect_less()  # from the start-up's imports on (the spider's start says why)
    from .spiders.news import NewsSpider

    chosen = [registry.get(s) for s in site_ids] if site_ids else list(registry)
    with exclusive(db):
        settings = crawl_settings(chosen, replay, overrides, backfill=bool(since))
        own = not replay and "JOBDIR" not in (overrides or {})  # -s JOBDIR= for none
        with workdir(db) if own else nullcontext() as jobdir:
            if jobdir:
                settings.set("JOBDIR", str(jobdir), priority="cmdline")
            process = crawler_process(settings)
            crawler = process.create_crawler(NewsSpider)
            process.crawl(crawler, registry=registry, sites_=",".join(s.id for s in chosen),
                          since=since, db=db, max_pages=max_pages)
            process.start()
        return crawler.stats.get_stats()
