"""The transfer to the extraction pool and back: pebble's ProcessPool (the crawl's pool
before) against `ForkPool` (now), or this checkout's `Extractor` against another's, the
same pages, side by side.

    python -m bench.pool [--pages 2000] [--rounds 3] [--workers 2] [--real] [--in-flight N]
                         [--against DIR]

Each round sends the pages through a fresh pool of each kind, alternating, as
`Extractor.read` does (as many pages in the pool as its `in_flight` allows), and counts
the CPU time of every process (this one with its threads, and the workers, reaped)
per page. With `--against DIR` each checkout's code runs in a process of its own
(this file's `child`, run there), which answers one round at a time.

By default a worker returns the Reading this process made of the page beforehand (the
workers inherit them), so that the figure is the transfer alone: the page pickled down,
the Reading pickled back, and the pool's own machinery; `--real` has the workers read
the pages instead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import sys
import time
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from bench.crawl import page as html
from newsarchive.crawl.extraction import Extractor
from newsarchive.crawl.ingest import Reading, read
from newsarchive.extract.limits import MEMORY_MB, limit_memory
from newsarchive.ground.page import Page
from newsarchive.sites import Site

ROOT = Path(__file__).resolve().parent.parent

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


def child(n: int, workers: int, real: bool, in_flight: int | None = None) -> None:
    """This checkout's `Extractor` (whichever the import path gives): each `round` line on
    stdin answered with that round's CPU ms per page."""
    batch = pages(n)
    if not real:
        READINGS.update({p.url: read(p, SITE) for p in batch})
    reader = read if real else made
    for _ in sys.stdin:
        ms = cpu_of(lambda: Extractor(workers=workers, reader=reader, in_flight=in_flight),
                    batch) * 1000 / n
        print(json.dumps(ms), flush=True)


def against(other: Path, n: int, workers: int, real: bool, rounds: int,
            in_flight: int | None = None) -> dict:
    """CPU ms per page, round by round, of this checkout's Extractor and `other`'s."""
    from bench import sidebyside  # not in the child, which runs with the other's bench/

    ms: dict[str, list[float]] = {"this one": [], "it": []}
    with sidebyside.pair(ROOT, other, __file__, n, workers, real, in_flight) as procs:
        for got in sidebyside.rounds(procs, rounds):
            for name, value in got.items():
                ms[name].append(value)
    return ms


def main() -> None:
    from bench.sidebyside import checkout  # not in the child, run with the other's bench/

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--real", action="store_true", help="the workers read the pages")
    parser.add_argument("--in-flight", type=int, metavar="N",
                        help="pages in the pool at once (default: the Extractor's)")
    parser.add_argument("--against", type=checkout, metavar="DIR",
                        help="another checkout, whose Extractor is measured beside this one's")
    args = parser.parse_args()
    what = "reading" if args.real else "transfer only"
    if args.against:
        ms = against(args.against, args.pages, args.workers, args.real, args.rounds,
                     args.in_flight)
        old, new = "it", "this one"
    else:
        ms = pebble_against_forkpool(args.pages, args.workers, args.real, args.rounds,
                                     args.in_flight)
        old, new = "pebble", "ForkPool"
    print(f"{args.pages} pages, {args.workers} workers, {what}; CPU per page of all "
          f"processes (ms), {args.rounds} rounds, {os.cpu_count()} cores:")
    for name, values in ms.items():
        print(f"  {name:<9} " + "  ".join(f"{v:.3f}" for v in values))
    ratios = [o / n for o, n in zip(ms[old], ms[new], strict=True)]
    print(f"{old} / {new}: " + "  ".join(f"{r:.2f}" for r in ratios) + "×")


def pebble_against_forkpool(n: int, workers: int, real: bool, rounds: int,
                            in_flight: int | None = None) -> dict:
    batch = pages(n)
    reader = read if real else made
    if not real:
        READINGS.update({p.url: read(p, SITE) for p in batch})
    kinds = {"pebble": lambda: PebbleExtractor(workers, reader),
             "ForkPool": lambda: Extractor(workers=workers, reader=reader,
                                           in_flight=in_flight)}
    ms: dict[str, list[float]] = {name: [] for name in kinds}
    for _ in range(rounds):
        for name, make in kinds.items():
            ms[name].append(cpu_of(make, batch) * 1000 / n)
    return ms


if __name__ == "__main__":
    main()
