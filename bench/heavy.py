"""Heavy table views against the reader's pages, on a served archive.

    python -m bench.heavy [--articles 100000] [--db PATH] [--rounds 3] [--lanes 6]

Builds (or reuses, with --db) an archive of synthetic articles, starts `newsarchive
serve` on 127.0.0.1, times the reader's article and search pages alone, then again while
`--lanes` clients each send every heavy table request in turn (`--rounds` times): a
`__contains` that matches nothing, an FTS5 NEAR search, facets on the long text columns,
a sort on an unindexed column, the count of a filter that matches nearly everything,
the longest page of the table as HTML (200 rows) and as JSON (1,000).
Prints the p95 of each route under load and whether every response took at most the
time limit and the article page's p95 at most 0.5 s meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

import httpx

from bench.publish import _build, _pct
from bench.synthetic import queries

HEAVY = {
    "contains nothing": "/{db}/articles.json?body_text__contains=zzzz",
    "NEAR search": "/{db}/articles.json?_search=" + quote("NEAR(tinh huyen, 2)"),
    "facets on text": "/{db}/articles?_facet=body_text&_facet=title&_facet=sapo",
    "sort unindexed": "/{db}/articles.json?_sort=body_text",
    "count, large filter": "/{db}/articles.json?body_text__contains=" + quote("và"),
    "versions contains": "/{db}/article_versions.json?diff__contains=zzzz",
    "longest HTML page": "/{db}/articles?_size=200&_nofacet=1",
    "1,000 rows as JSON": "/{db}/articles.json?_size=max&_nofacet=1",
}
ARTICLE_P95 = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="keep the synthetic archive here and reuse it "
                        "on the next run with the same --articles (building 100,000 takes minutes)")
    parser.add_argument("--lanes", type=int, default=6, help="heavy requests at once")
    parser.add_argument("--rounds", type=int, default=3,
                        help="times each lane sends every heavy request")
    parser.add_argument("--quiet", type=int, default=40,
                        help="reader pages timed alone, before the load")
    parser.add_argument("--time-limit", type=int, default=3000, help="serve's, in ms")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "archive.db"
        _build(db, args.articles)
        with _serving(db, args.time_limit) as base:
            times = asyncio.run(_measure(base, db.stem, args))
    _report(times, args)


class _serving:
    """`newsarchive serve` on a free port of 127.0.0.1, stopped on exit."""

    def __init__(self, db: Path, time_limit: int):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        command = Path(sys.executable).with_name("newsarchive")  # this environment's
        self.args = [str(command), "serve", "--db", str(db),
                     "--host", "127.0.0.1", "--port", str(self.port),
                     "--time-limit", str(time_limit)]

    def __enter__(self) -> str:
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, env=os.environ.copy())
        base = f"http://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                if httpx.get(base + "/-/versions.json", timeout=1).status_code == 200:
                    return base
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"newsarchive serve exited with {self.proc.returncode}")
            time.sleep(0.1)
        self.__exit__()
        raise SystemExit("newsarchive serve did not answer within 30 s")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


async def _measure(base: str, name: str, args) -> dict[str, list[tuple[float, int]]]:
    """(seconds, status) of every response, per route ("... alone" before the load)."""
    times: dict[str, list[tuple[float, int]]] = defaultdict(list)
    reader = _reader_paths(args.articles)
    async with httpx.AsyncClient(base_url=base, timeout=120,
                                 limits=httpx.Limits(max_connections=args.lanes + 4)) as client:

        async def timed(route: str, path: str) -> None:
            start = time.perf_counter()
            response = await client.get(path)
            times[route].append((time.perf_counter() - start, response.status_code))

        for _ in range(args.quiet):  # the reader's pages alone (the first ones warm up)
            route, path = next(reader)
            await timed(route + " alone", path)
        heavy = [(route, path.format(db=name)) for route, path in HEAVY.items()]
        done = asyncio.Event()

        async def lane(i: int) -> None:
            for _ in range(args.rounds):
                for route, path in heavy[i % len(heavy):] + heavy[:i % len(heavy)]:
                    await timed(route, path)

        async def reading() -> None:
            while not done.is_set():
                await timed(*next(reader))

        readers = asyncio.create_task(reading())
        await asyncio.gather(*(lane(i) for i in range(args.lanes)))
        done.set()
        await readers
    return times


def _reader_paths(articles: int):
    """The reader's pages in turn: an article (a random one), then a search."""
    rng = random.Random(7)
    searches = queries(200)
    while True:
        yield "article page", f"/article/{rng.randint(1, articles)}"
        yield "search page", "/search?q=" + quote(rng.choice(searches))


def _report(times: dict[str, list[tuple[float, int]]], args) -> None:
    limit = args.time_limit / 1000
    print(f"{args.lanes} heavy table requests at once, {args.rounds} rounds each, on "
          f"{args.articles} synthetic articles (time limit {limit:g} s)")
    print(f"{'route':<28} {'n':>4} {'median s':>9} {'p95 s':>7} {'max s':>7}  statuses")
    for route, rows in times.items():
        seconds = [t for t, _ in rows]
        statuses = ", ".join(f"{s}×{n}" for s, n in sorted(Counter(s for _, s in rows).items()))
        print(f"{route:<28} {len(rows):>4} {_pct(seconds, 50):>9.3f} {_pct(seconds, 95):>7.3f} "
              f"{max(seconds):>7.3f}  {statuses}")
    slowest = max(t for rows in times.values() for t, _ in rows)
    article = _pct([t for t, _ in times["article page"]], 95)
    print(f"every response <= {limit:g} s: {'yes' if slowest <= limit else 'no'} "
          f"(slowest {slowest:.2f} s); article page p95 <= {ARTICLE_P95} s: "
          f"{'yes' if article <= ARTICLE_P95 else 'no'} ({article:.3f} s)")


if __name__ == "__main__":
    main()
