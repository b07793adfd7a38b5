"""Extraction off the reactor: `read()` runs in a pool of forked worker processes
(`forkpool.ForkPool`, served by the event loop itself), so that parsing HTML (CPU)
never holds up the downloader, and storing stays in the crawl's process (one writer).

A bounded number of pages are in the pool at once (`in_flight`); a caller awaiting
`Extractor.read` waits for a free place, which is how the crawl feels back-pressure.
The pages waiting for a worker go to it together when it is free (`BATCH`), each read
and answered on its own.
A worker that crashes or runs past `timeout` is killed and replaced, and that one
page gets a failed Reading (`extractor-error`, `extractor-timeout`); the others go on.
Each worker may add at most `memory_mb` to its address space (`limit_memory`): a page
past that (a tag bomb) is `extractor-memory`, and its worker exits so that a fresh one
reads the next page.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import pickle
import signal
from collections.abc import Callable

import numpy as np

from ..archive.stories import Signed
from ..extract.limits import (
    MEMORY_MB,
    OUT_OF_MEMORY,
    errors_at_ceiling_as_memory,
    limit_memory,
    reached_ceiling,
)
from ..ground import cpuparts
from ..ground.article import Article
from ..ground.outcomes import PageOutcome
from ..ground.page import Page
from ..sites import Site
from .forkpool import ForkPool, JobRaised, JobTimeout, WorkerDied
from .ingest import Reading, read

log = logging.getLogger(__name__)

Reader = Callable[[Page, Site | None], Reading]
# A worker killed by SIGKILL was, short of someone's kill -9, the kernel's OOM killer.
_MEMORY_EXITS = (OUT_OF_MEMORY, -signal.SIGKILL)
# Pages in the pool at once, a worker: enough that while a worker reads a page the
# next ones gather and go to it in one write (`BATCH` at most), which wakes it (and
# the crawl's loop) once for them. They are in memory either way: Scrapy holds a
# response until its item is stored (SCRAPER_SLOT_MAX_ACTIVE_SIZE bounds them).
IN_FLIGHT = 16
BATCH = 8


def default_workers() -> int:
    """One worker per core beside the one the crawl's own process keeps busy (Scrapy,
    storing: half a page's CPU), at least one: a worker per core left three busy
    processes on two cores, each page's work costing more CPU (README "Crawling")."""
    return max(1, (os.cpu_count() or 1) - 1)


class Extractor:
    """`await extractor.read(page, site)`: `reader(page, site)` in a worker process, or
    in this process when `workers` is 0 (debugging, or a machine with one core)."""

    def __init__(self, workers: int | None = None, timeout: float = 30.0,
                 in_flight: int | None = None, reader: Reader = read,
                 memory_mb: int | None = MEMORY_MB):
        self.workers = default_workers() if workers is None else max(0, workers)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.reader = reader
        self.limit = in_flight or max(1, IN_FLIGHT * self.workers)
        self._slots: asyncio.Semaphore | None = None
        self._sites: dict[int, tuple[Site, bytes]] = {}  # id(site): (site, pickled)
        self.pool: ForkPool | None = None
        if self.workers:
            # forked: the workers start at once and share the parent's imported modules
            self.pool = ForkPool(self.workers, functools.partial(_in_worker, reader),
                                 timeout, functools.partial(_start_worker, memory_mb),
                                 memory_exit=OUT_OF_MEMORY, batch=BATCH)

    @classmethod
    def from_settings(cls, settings, reader: Reader = read) -> Extractor:
        """The pool the crawl's settings ask for (NEWSARCHIVE_EXTRACT_*, `settings.py`):
        the lone crawl's archive pipeline and a cluster worker's read pipeline."""
        workers = settings.get("NEWSARCHIVE_EXTRACT_WORKERS")
        return cls(workers=None if workers in (None, "") else int(workers),
                   timeout=settings.getfloat("NEWSARCHIVE_EXTRACT_TIMEOUT", 30.0),
                   in_flight=settings.getint("NEWSARCHIVE_EXTRACT_IN_FLIGHT") or None,
                   reader=reader,
                   memory_mb=settings.getint("NEWSARCHIVE_EXTRACT_MEMORY_MB") or None)

    async def read(self, page: Page, site: Site | None) -> Reading:
        """What `reader` makes of `page`; never raises for the page's sake."""
        if self.pool is None:
            return self.reader(page, site)
        if self._slots is None:  # made here, inside the running event loop
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            try:
                with cpuparts.part("pool"):
                    future = self.pool.run((page, self._pickled(site)))
                flat = await future
                with cpuparts.part("pool"):
                    reading = _unflat(flat)
                if reading.cpu:
                    cpuparts.add(reading.cpu)
                return reading
            except JobTimeout:
                log.error("extraction of %s took over %gs: worker killed", page.url,
                          self.timeout)
                return Reading(failure=PageOutcome.EXTRACTOR_TIMEOUT,
                               detail=f"over {self.timeout:g}s")
            except WorkerDied as exc:
                if exc.exitcode in _MEMORY_EXITS:
                    log.error("extraction of %s ran out of memory (over %s MB): worker "
                              "replaced", page.url, self.memory_mb)
                    return Reading(failure=PageOutcome.EXTRACTOR_MEMORY,
                                   detail=f"over {self.memory_mb} MB")
                log.error("extraction of %s killed its worker (exit code %s)", page.url,
                          exc.exitcode)
                return Reading(failure=PageOutcome.EXTRACTOR_ERROR,
                               detail=f"worker died (exit code {exc.exitcode})")
            except JobRaised as exc:
                log.error("extraction of %s failed in the pool: %s\n%s", page.url, exc,
                          exc.remote)
                return Reading(failure=PageOutcome.EXTRACTOR_ERROR, detail=str(exc))
            except Exception as exc:  # e.g. a page that cannot be pickled
                log.exception("extraction of %s failed in the pool", page.url)
                return Reading(failure=PageOutcome.EXTRACTOR_ERROR,
                               detail=f"{type(exc).__name__}: {exc}")

    def _pickled(self, site: Site | None) -> bytes | None:
        """`site` pickled once a crawl, not with each page (a worker unpickles each
        paper's bytes once too, `_site`)."""
        if site is None:
            return None
        known = self._sites.get(id(site))
        if known is None:  # the site is kept with its bytes: its id stays its own
            known = self._sites[id(site)] = (site, pickle.dumps(site, pickle.HIGHEST_PROTOCOL))
        return known[1]

    def close(self) -> None:
        """Stop the workers (pages still in the pool are abandoned)."""
        if self.pool is not None:
            self.pool.close()
            self.pool = None


def _start_worker(memory_mb: int | None) -> None:
    limit_memory(memory_mb)
    if cpuparts.ON:
        cpuparts.started()


_SITES: dict[bytes, Site] = {}  # in a worker: the papers it was sent, by their bytes


def _site(pickled: bytes | None) -> Site | None:
    if pickled is None:
        return None
    site = _SITES.get(pickled)
    if site is None:
        site = _SITES[pickled] = pickle.loads(pickled)
    return site


def _in_worker(reader: Reader, page: Page, site: bytes | None) -> tuple:
    """`reader(page, site)` in a worker (`site` pickled, see `Extractor._pickled`); a
    page that ran out of memory ends the worker (the pool forks a fresh one) rather
    than leave it fragmented for the next page."""
    try:
        with errors_at_ceiling_as_memory():  # e.g. a native library's panic
            reading = reader(page, _site(site))
    except MemoryError:
        os._exit(OUT_OF_MEMORY)
    if reading.failure == PageOutcome.EXTRACTOR_MEMORY or (
            reading.failure == PageOutcome.EXTRACTOR_ERROR and reached_ceiling()):
        os._exit(OUT_OF_MEMORY)
    if cpuparts.ON:
        reading.cpu = cpuparts.take()
    return _flat(reading)


_U4 = np.dtype("<u4")  # a story signature's minima (archive/stories.py)


def _flat(reading: Reading) -> tuple:
    """`reading` as the pool sends it back: its article's fields and its signature's
    bytes, not the dataclasses and the numpy array, whose pickling (their reduction
    code, cold in a worker fresh from a page) cost more than the values."""
    article, signed = reading.article, reading.signed
    if signed is not None:
        minima = signed.minima
        if minima is not None and minima.dtype is _U4 and minima.ndim == 1:
            minima = minima.tobytes()
        signed = (signed.digest, minima)
    return (None if article is None else article.__dict__, reading.failure, reading.detail,
            reading.missing, reading.places, signed, reading.cpu)


def _unflat(flat: tuple) -> Reading:
    """The Reading `_flat` made, the same values and types (a fresh, writable array)."""
    fields, failure, detail, missing, places, signed, cpu = flat
    article = None
    if fields is not None:
        article = Article.__new__(Article)
        article.__dict__ = fields
    if signed is not None:
        digest, minima = signed
        if isinstance(minima, bytes):
            minima = np.frombuffer(bytearray(minima), _U4)
        signed = Signed(digest, minima)
    return Reading(article, failure, detail, missing, places, signed, cpu)
