"""Trends (exact counts per period) beside the reader's search, on one synthetic archive.

    python -m bench.trends [--articles 100000] [--repeat 5] [--db PATH]

Builds an archive of synthetic Vietnamese articles spread over six papers of four
provinces (or reuses `--db` when it holds exactly `--articles`), then times a 3-query
monthly comparison over all years (`archive.trends.compare`: every match counted, with
the scope's totals) beside `archive.search.find` of the same three queries (the reader's
search, ranked among at most 5,000 matches each) and beside the same comparison with
each match's date read from its row (as before migration M013), and prints median, p95
and ratios. A build stopped midway goes on where it stopped with the same command.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import sqlite_utils

from bench.reuse import held, kept
from bench.synthetic import WORDS, article, queries
from newsarchive.archive import Archive, trends
from newsarchive.archive.search import find
from newsarchive.archive.trends import compare
from newsarchive.ground.dates import ICT

SITES = (("baonghean", "Báo Nghệ An", "Nghệ An"), ("baohatinh", "Báo Hà Tĩnh", "Hà Tĩnh"),
         ("baolaocai", "Báo Lào Cai", "Lào Cai"), ("baocantho", "Báo Cần Thơ", "Cần Thơ"),
         ("hanoimoi", "Hà Nội mới", "Hà Nội"), ("nhandan", "Nhân Dân", None))
START = datetime(2016, 1, 1, tzinfo=ICT)


def build(db: Path, n: int) -> None:
    """Fill `db` with `n` synthetic articles, unless it already holds exactly those; a
    build stopped midway (fewer, a whole number of batches) goes on where it stopped.
    Unsigned: stories play no part in a trend, and signing would slow the build."""
    done = held(db)
    if done != n and (done % 1000 or done > n):  # not one stopped midway: built anew
        db.unlink()
        done = 0
    if done == n and kept(db, n):
        return
    archive = Archive(db, stories=False)
    archive.runs.sync_sites({"id": s, "name": name, "province": province, "home": None,
                             "platform": None} for s, name, province in SITES)
    with multiprocessing.get_context("fork").Pool(1) as pool:  # writes while it writes
        for batch in pool.imap(_batch, ((i, min(i + 1000, n)) for i in range(done, n, 1000))):
            archive.articles.store_many(batch)
    archive.conn.close()


def _batch(span: tuple[int, int]) -> list:
    """Synthetic articles number span[0] to span[1] (excluded)."""
    return [article(j, site=SITES[j % len(SITES)][0], start=START) for j in range(*span)]


def from_the_row(compare, *args):
    """A trend as before M013: each match's date read from its row (past its texts), so
    read by id only below 1/25 of the scope."""
    saved = trends.DATED, trends.LOOKUP_COST
    trends.DATED, trends.LOOKUP_COST = "", 25
    try:
        return compare(*args, None, "month")
    finally:
        trends.DATED, trends.LOOKUP_COST = saved


def side_by_side(works: list, repeat: int) -> list[list[float]]:
    """Seconds of each of `works`, run `repeat` times in turn, the first of each round
    rotated so that none always finds the caches warmed by another."""
    times: list[list[float]] = [[] for _ in works]
    for r in range(repeat):
        for k in range(len(works)):
            i = (k + r) % len(works)
            start = time.perf_counter()
            works[i]()
            times[i].append(time.perf_counter() - start)
    return times


@contextmanager
def synthetic(db: Path | None, n: int) -> Iterator[sqlite_utils.Database]:
    """The synthetic archive of `n` articles, read-only: the one kept at `db` (built or
    finished there first), else one built in a temporary folder for this run."""
    with tempfile.TemporaryDirectory() as tmp:
        path = db or Path(tmp) / "archive.db"
        start = time.perf_counter()
        build(path, n)
        print(f"archive: {n:,} articles ({time.perf_counter() - start:.0f} s to build or "
              "check)")
        yield sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of each 3-query comparison")
    parser.add_argument("--comparisons", type=int, default=6,
                        help="different 3-query comparisons timed")
    parser.add_argument("--db", type=Path, help="keep the synthetic archive here and reuse "
                        "it on the next run with the same --articles")
    args = parser.parse_args()
    with synthetic(args.db, args.articles) as db:
        words = queries(args.comparisons * 3, seed=7)
        typical = [words[k:k + 3] for k in range(0, len(words), 3)]
        for label, groups in (("readers' queries", typical),
                              ("the 3 commonest syllables", [WORDS[:3]])):
            trend, search, row = [], [], []
            for group in groups:
                times = side_by_side([lambda g=group: compare(db, g, None, "month"),
                                      lambda g=group: [find(db, q) for q in g],
                                      lambda g=group: from_the_row(compare, db, g)],
                                     args.repeat)
                trend, search, row = trend + times[0], search + times[1], row + times[2]
            shown = compare(db, groups[0], None, "month")
            print(f"\n{label}, e.g. " + ", ".join(
                f"{s.query!r} {s.matches:,}" for s in shown.series)
                + f" of {sum(p.total for p in shown.series[0].points):,} dated articles, "
                f"{len(shown.periods)} months ({len(groups)} comparisons x {args.repeat} runs)")
            for name, times in (("trends (3 queries, monthly, exact)", trend),
                                ("find() of the same 3 queries", search),
                                ("trends, dates read from the row", row)):
                print(f"  {name:36} median {statistics.median(times):.3f} s  "
                      f"p95 {p95(times):.3f} s")
            ratio = statistics.median(trend) / statistics.median(search)
            print(f"  ratio trends/find: median {ratio:.2f}  "
                  f"p95 {p95(trend) / p95(search):.2f}")
            print(f"  ratio trends/trends from the row (before M013): median "
                  f"{statistics.median(trend) / statistics.median(row):.2f}  "
                  f"p95 {p95(trend) / p95(row):.2f}")


if __name__ == "__main__":
    main()
