"""The transfer to the extraction pool and back: pebble's ProcessPool (the crawl's pool
before) against `ForkPool` (now), the same pages, side by side.

    python -m bench.pool [--pages 2000] [--rounds 3] [--workers 2] [--real]

Each round sends the pages through a fresh pool of each kind, alternating, as
`Extractor.read` does (at most twice as many pages as workers in the pool), and counts
the CPU time of every process (this one with its threads, and the workers, reaped)
per page. By default a worker returns the Reading this process made of the page
beforehand (the workers inherit them), so that the figure is the transfer alone: the
page pickled down, the Reading pickled back, and the pool's own machinery; `--real`
has the workers read the pages instead.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import time
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessExpired, ProcessPool

from bench.crawl import page as html
from newsarchive.crawl.extraction import Extractor
from newsarchive.crawl.ingest import Reading, read
from newsarchive.extract.limits import MEMORY_MB, limit_memory
from newsarchive.ground.page import Page
from newsarchive.sites import Site

SITE = Site(id="benchsite", name="Bench", home="http://127.0.0.1/", platform=None,
            article_pattern=r"/bai-\d+\.html$", sitemaps=("http://127.0.0.1/sitemap.xml",))
"""A paper as the crawl passes one with each page (bench.crawl's)."""

READINGS: dict[str, Reading] = {}  # made before the pools fork: the workers have them


def made(page: Page, site) -> Reading:
    """The Reading made beforehand: a worker that only transfers."""
    return READINGS[page.url]


def pages(n: int) -> list[Page]:
    headers = {"content-type": "text/html; charset=utf-8", "server": "BaseHTTP/0.6"}
    return [Page(url=f"http://127.0.0.1/bai-{i}.html", body=html(i), status=200,
                 headers=headers, fetched_at="2026-01-01T00:00:00Z", kind="article")
            for i in range(n)]


class PebbleExtractor:
    """The crawl's pool before ForkPool (`Extractor` at c32bded), as it sent pages."""

    def __init__(self, workers: int, reader, timeout: float = 30.0):
        self.reader, self.timeout, self.limit = reader, timeout, 2 * workers
        self.slots: asyncio.Semaphore | None = None
        self.pool = ProcessPool(max_workers=workers,
                                context=multiprocessing.get_context("fork"),
                                initializer=limit_memory, initargs=(MEMORY_MB,))

    async def read(self, page: Page, site) -> Reading:
        if self.slots is None:
            self.slots = asyncio.Semaphore(self.limit)
        async with self.slots:
            future = self.pool.schedule(self.reader, args=(page, site),
                                        timeout=self.timeout)
            try:
                return await asyncio.wrap_future(future)
            except (FutureTimeout, ProcessExpired) as exc:
                return Reading(failure="extractor-error", detail=str(exc))

    def close(self) -> None:
        self.pool.stop()
        self.pool.join(timeout=10)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_of(make, batch: list[Page]) -> float:
    """CPU seconds of this process and the pool's workers to read `batch`."""
    mine, theirs = time.process_time(), children_cpu()
    extractor = make()

    async def go():
        return await asyncio.gather(*(extractor.read(p, SITE) for p in batch))

    try:
        readings = asyncio.run(go())
    finally:
        extractor.close()
    failed = [r for r in readings if r.article is None]
    if failed:
        raise SystemExit(f"{len(failed)} pages not read: {failed[0]}")
    return time.process_time() - mine + children_cpu() - theirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--real", action="store_true", help="the workers read the pages")
    args = parser.parse_args()
    batch = pages(args.pages)
    reader = read if args.real else made
    if not args.real:
        READINGS.update({p.url: read(p, SITE) for p in batch})
    kinds = {"pebble": lambda: PebbleExtractor(args.workers, reader),
             "ForkPool": lambda: Extractor(workers=args.workers, reader=reader)}
    ms = {name: [] for name in kinds}
    for _ in range(args.rounds):
        for name, make in kinds.items():
            ms[name].append(cpu_of(make, batch) * 1000 / len(batch))
    what = "reading" if args.real else "transfer only"
    print(f"{args.pages} pages, {args.workers} workers, {what}; CPU per page of all "
          f"processes (ms), {args.rounds} rounds, {os.cpu_count()} cores:")
    for name, values in ms.items():
        print(f"  {name:<9} " + "  ".join(f"{v:.3f}" for v in values))
    ratios = [old / new for old, new in zip(ms["pebble"], ms["ForkPool"], strict=True)]
    print("pebble / ForkPool: " + "  ".join(f"{r:.2f}" for r in ratios) + "×")


if __name__ == "__main__":
    main()
