"""The words of coverage (`archive.keywords.keywords`) beside the reader's search, on one
synthetic archive.

    python -m bench.words [--articles 100000] [--repeat 5] [--queries 6] [--db PATH]

Builds the synthetic archive of `bench.trends` (or reuses `--db` when it holds exactly
`--articles`), then times the words of readers' queries (names and places, a few
hundred matches, read whole; the baseline sampled), the same with `exact` (the
baseline's single words counted by the search index), common syllables (thousands of
matches: both sides sampled) and readers' queries within one province, each beside
`archive.search.find` of the same query, and prints the median and p95 of the elapsed
time, the median CPU time, and the ratio words/find: for the first query in a scope
(the scope's sample read) and for the next ones (its counts kept).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench.synthetic import WORDS, queries
from bench.trends import p95, synthetic
from newsarchive.archive.keywords import forget_scopes, keywords
from newsarchive.archive.search import Filters, find


def clocked(work, repeat: int) -> tuple[list[float], list[float]]:
    """(elapsed, CPU) seconds of each of `repeat` runs."""
    elapsed, cpu = [], []
    for _ in range(repeat):
        start, used = time.perf_counter(), time.process_time()
        work()
        elapsed.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--queries", type=int, default=6, help="queries of each kind")
    parser.add_argument("--db", type=Path, help="keep the synthetic archive here and reuse "
                        "it on the next run with the same --articles")
    args = parser.parse_args()
    with synthetic(args.db, args.articles) as db:
        readers = queries(args.queries, seed=11)
        common = [f"{a} {b}" for a, b in zip(WORDS[20:20 + 2 * args.queries:2],
                                              WORDS[21:21 + 2 * args.queries:2], strict=True)]
        province = Filters(province="Nghệ An")
        kinds = (("readers' queries, whole archive", readers, Filters(), False),
                 ("readers' queries, whole archive, exact", readers, Filters(), True),
                 ("common syllables, whole archive", common, Filters(), False),
                 ("readers' queries, one province", readers, province, False))
        for label, group, scope, exact in kinds:
            cold, cold_cpu, kept, kept_cpu, search, search_cpu = [], [], [], [], [], []

            def first(q=None, s=scope, e=exact):
                forget_scopes()  # the first query in its scope: the scope's sample read
                keywords(db, q, s, exact=e)

            for query in group:
                for into, cpu, work in (
                        (cold, cold_cpu, lambda q=query: first(q)),
                        (kept, kept_cpu,
                         lambda q=query, s=scope, e=exact: keywords(db, q, s, exact=e)),
                        (search, search_cpu, lambda q=query, s=scope: find(db, q, s))):
                    times = clocked(work, args.repeat)
                    into += times[0]
                    cpu += times[1]
            shown = keywords(db, group[0], scope, exact=exact)
            print(f"\n{label}, e.g. {shown.query!r}: {shown.matches:,} matches "
                  f"({shown.matches_read:,} read) of {shown.scope:,}, baseline "
                  f"{shown.baseline_read:,} read, words by {shown.words_basis}, top "
                  f"{', '.join(k.term for k in shown.words[:3])} / "
                  f"{', '.join(k.term for k in shown.pairs[:3])} "
                  f"({len(group)} queries x {args.repeat} runs)")
            for name, times, used in (("words, first in scope", cold, cold_cpu),
                                      ("words, scope kept", kept, kept_cpu),
                                      ("find() of the query", search, search_cpu)):
                print(f"  {name:22} median {statistics.median(times):.3f} s  "
                      f"p95 {p95(times):.3f} s  CPU median {statistics.median(used):.3f} s")
            for name, times in (("first", cold), ("kept", kept)):
                ratio = statistics.median(times) / statistics.median(search)
                print(f"  ratio words ({name})/find: median {ratio:.2f}  "
                      f"p95 {p95(times) / p95(search):.2f}")

if __name__ == "__main__":
    main()
