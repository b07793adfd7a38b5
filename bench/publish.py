"""Search through Datasette versus the same SQL run directly, side by side.

    python -m bench.publish [--articles 100000] [--queries 100] [--repeat 3] [--db PATH]

Builds an archive of synthetic Vietnamese articles, then times the `search` canned query
(folded, ranked, with snippets) through Datasette's own client and the same SQL with
sqlite3, and prints the medians and their ratio. Then the reader's page, `/search` (HTML,
with facets, month chart and snippets), against the library's `find` run directly, with
and without a facet filter: median, p95 and their ratio.

The reader's page is timed as a server runs it: one call of Datasette's ASGI app
(routing, its middleware and ours, the page, the database thread, the templates), as
uvicorn makes it. Datasette's test client (`ds.client`) builds an HTTP client for every
request on top of that; its cost is printed beside, not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import sqlite_utils
from datasette.app import Datasette

from bench.reuse import kept
from bench.synthetic import SECTIONS, article, queries
from newsarchive.archive import Archive
from newsarchive.archive.search import Filters, find
from newsarchive.publish import metadata, settings
from newsarchive.publish.plugin import prepare_connection

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each query on each side of the reader comparison; "
                        "the fastest counts")
    parser.add_argument("--db", type=Path, help="keep the synthetic archive here and reuse it "
                        "on the next run with the same --articles (building 100,000 takes minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "archive.db"
        _build(db, args.articles)
        meta = metadata(db)
        sql = meta["databases"][db.stem]["queries"]["search"]["sql"]
        ds = Datasette([str(db)], metadata=meta, settings=settings())
        direct = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        prepare_connection(direct, ds)  # the SQL functions, as Datasette's connections have

        async def through_datasette(q: str) -> float:
            start = time.perf_counter()
            response = await ds.client.get(
                f"/{db.stem}/search.json?" + urlencode({"q": q, "_shape": "objects"}))
            assert response.status_code == 200, response.text
            return time.perf_counter() - start

        def directly(q: str) -> float:
            start = time.perf_counter()
            direct.execute(sql, {"q": q, "site": "", "since": "", "until": ""}).fetchall()
            return time.perf_counter() - start

        async def run() -> tuple[list[float], list[float]]:
            await ds.invoke_startup()
            a, b = [], []
            for q in queries(args.queries):
                a.append(await through_datasette(q))
                b.append(directly(q))
            return a, b

        via, raw = asyncio.run(run())
        floors = {path: asyncio.run(_floor(ds, path, args.queries))
                  for path in ("/-/actor.json", "/search")}
        client = asyncio.run(_floor(ds, "/-/actor.json", args.queries, client=True))
        library = sqlite_utils.Database(sqlite3.connect(f"file:{db}?mode=ro", uri=True))
        reader = {}
        for label, extra in (("reader page", {}), ("reader page, one section",
                                                   {"section": SECTIONS[0]})):
            reader[label] = asyncio.run(_reader(ds, library, args.queries, extra,
                                                 args.repeat))
    m_via, m_raw = statistics.median(via) * 1000, statistics.median(raw) * 1000
    print(f"search over {args.articles} synthetic articles, {args.queries} queries")
    print(f"  through Datasette's client  median {m_via:.1f} ms")
    print(f"  same SQL with sqlite3       median {m_raw:.1f} ms")
    print(f"ratio Datasette / direct: {m_via / m_raw:.2f}")
    for label, (page, lib) in reader.items():
        print(f"{label}: /search median {_ms(page, 50)} ms, p95 {_ms(page, 95)} ms; "
              f"find() directly median {_ms(lib, 50)} ms, p95 {_ms(lib, 95)} ms; "
              f"ratio {statistics.median(page) / statistics.median(lib):.2f} (median), "
              f"{_pct(page, 95) / _pct(lib, 95):.2f} (p95)")
    page, lib = (statistics.median(t) for t in reader["reader page"])
    datasette_alone, empty_page = floors["/-/actor.json"], floors["/search"]
    print(f"where the page's extra {(page - lib) * 1000:.1f} ms go (medians): Datasette's "
          f"request alone (/-/actor.json) {datasette_alone * 1000:.1f} ms; the page without "
          f"a search (/search: that request, a trip to the database thread, the templates) "
          f"{empty_page * 1000:.1f} ms, so no reader page can beat "
          f"{(lib + empty_page) / lib:.2f}x find() here; the rest "
          f"{(page - lib - empty_page) * 1000:.1f} ms: 20 results and the facets laid out "
          f"and rendered, the search run on the database thread. (Datasette's test client "
          f"would add {(client - datasette_alone) * 1000:.1f} ms to each page: its own HTTP "
          f"client per request.)")


def _build(db: Path, n: int) -> None:
    """Fill `db` with `n` synthetic articles, unless it already holds exactly those."""
    if kept(db, n):
        return
    archive = Archive(db)
    for i in range(0, n, 1000):
        archive.articles.store_many(article(j) for j in range(i, min(i + 1000, n)))
    archive.conn.close()


async def served(app, path: str) -> tuple[int, bytes]:
    """`path` (with its query string) answered by the ASGI `app`, as a server calls it."""
    path, _, query = path.partition("?")
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app({"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
               "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
               "query_string": query.encode(), "root_path": "",
               "headers": [(b"host", b"localhost")], "client": ("127.0.0.1", 50000),
               "server": ("localhost", 8001)}, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def _floor(ds, path: str, n: int, client: bool = False) -> float:
    """Median time of a page that does no search: a fixed cost per request (through
    Datasette's test client when `client`)."""
    app, times = ds.app(), []
    for _ in range(n):
        start = time.perf_counter()
        await (ds.client.get(path) if client else served(app, path))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def reader_times(db: Path, n: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """((median, p95) of the reader's /search page, (median, p95) of `find` directly), in
    ms, over `n` queries on the archive `db` (for bench/archive.py's curve)."""
    ds = Datasette([str(db)], metadata=metadata(db), settings=settings())
    library = sqlite_utils.Database(sqlite3.connect(f"file:{db}?mode=ro", uri=True))

    async def run():
        await ds.invoke_startup()
        return await _reader(ds, library, n, {})

    page, lib = asyncio.run(run())
    return ((_pct(page, 50) * 1000, _pct(page, 95) * 1000),
            (_pct(lib, 50) * 1000, _pct(lib, 95) * 1000))


def _pct(times: list[float], p: int) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def _ms(times: list[float], p: int) -> str:
    return f"{_pct(times, p) * 1000:.1f}"


async def _reader(ds, library, n: int, extra: dict, repeat: int = 1
                  ) -> tuple[list[float], list[float]]:
    """The reader's search page against the library's `find` with the same arguments:
    per query, the fastest of `repeat` runs on each side (other work on the machine
    only ever adds time, and more to the page, whose request crosses two threads)."""
    page, lib, app = [], [], ds.app()
    for q in queries(n):  # once untimed, so that neither side times a cold cache
        await served(app, "/search?" + urlencode({"q": q, **extra}))
    for i, q in enumerate(queries(n)):
        p, f = [], []
        for r in range(repeat):
            # both sides in turn, the library first every other time: the second run of
            # the same search is ~10% faster (its pages and the CPU's caches are warm),
            # which favoured whichever side always went second
            if (i + r) % 2:
                f.append(_timed(find, library, q, Filters(**extra), limit=20))
            start = time.perf_counter()
            status, body = await served(app, "/search?" + urlencode({"q": q, **extra}))
            assert status == 200, body[:500]
            p.append(time.perf_counter() - start)
            if not (i + r) % 2:
                f.append(_timed(find, library, q, Filters(**extra), limit=20))
        page.append(min(p))
        lib.append(min(f))
    return page, lib


def _timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
