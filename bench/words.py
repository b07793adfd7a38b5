"""The words of coverage (`archive.keywords.keywords`) beside the reader's search, on one
synthetic archive.

    python -m bench.words [--articles 100000] [--repeat 5] [--queries 6] [--db PATH]

Builds the synthetic archive of `bench.trends` (or reuses `--db` when it holds exactly
`--articles`), then times the words of readers' queries (names and places, a few
hundred matches: matches read whole, the baseline's words counted by the index), of
common syllables (tens of thousands of matches: both sides sampled) and of readers'
queries within one province, each beside `archive.search.find` of the same query, and
prints median, p95 and the ratio words/find.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import sqlite_utils

from bench.trends import build, p95, timed
from newsarchive.archive.keywords import keywords
from newsarchive.archive.search import Filters, find
from tests.support.synthetic import WORDS, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--queries", type=int, default=6, help="queries of each kind")
    parser.add_argument("--db", type=Path, help="keep the synthetic archive here and reuse "
                        "it on the next run with the same --articles")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "archive.db"
        start = time.perf_counter()
        build(path, args.articles)
        print(f"archive: {args.articles:,} articles ({time.perf_counter() - start:.0f} s to "
              "build or check)")
        db = sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
        readers = queries(args.queries, seed=11)
        common = [f"{a} {b}" for a, b in zip(WORDS[20:20 + 2 * args.queries:2],
                                              WORDS[21:21 + 2 * args.queries:2], strict=True)]
        province = Filters(province="Nghệ An")
        for label, group, scope in (("readers' queries, whole archive", readers, Filters()),
                                    ("common syllables, whole archive", common, Filters()),
                                    ("readers' queries, one province", readers, province)):
            words, search = [], []
            for query in group:
                words += timed(lambda q=query, s=scope: keywords(db, q, s), args.repeat)
                search += timed(lambda q=query, s=scope: find(db, q, s), args.repeat)
            shown = keywords(db, group[0], scope)
            print(f"\n{label}, e.g. {shown.query!r}: {shown.matches:,} matches "
                  f"({shown.matches_read:,} read) of {shown.scope:,}, baseline "
                  f"{shown.baseline_read:,} read, words by {shown.words_basis}, top "
                  f"{', '.join(k.term for k in shown.words[:3])} / "
                  f"{', '.join(k.term for k in shown.pairs[:3])} "
                  f"({len(group)} queries x {args.repeat} runs)")
            for name, times in (("words of the query", words), ("find() of the query", search)):
                print(f"  {name:22} median {statistics.median(times):.3f} s  "
                      f"p95 {p95(times):.3f} s")
            ratio = statistics.median(words) / statistics.median(search)
            print(f"  ratio words/find: median {ratio:.2f}  p95 {p95(words) / p95(search):.2f}")


if __name__ == "__main__":
    main()
