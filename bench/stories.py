"""One story across papers: precision and recall of the grouping, the ingest slowdown
of signing, and grouping at scale, measured side by side in one run.

    python -m bench.stories [--synthetic 2000] [--scale 100000] [--rounds 5]
    python -m bench.stories --only-scale --scale-from ARCHIVE [--tmp FOLDER]

1. Pairs from the real captured articles (`$NEWSARCHIVE_FIXTURES`, read by the
   project's extraction) and from synthetic ones of the same section and day: each
   article and its copies as other papers run them (a changed headline, an added byline
   and sapo, the last third cut, paragraphs reordered, another outlet tag, cut + byline
   + tag together), all stored through the archive's own path; a copy grouped with its
   original is a true positive, two different articles grouped a false one. Prints
   `precision P recall R` (targets P >= 0.95, R >= 0.90).
2. Ingest slowed by signing, in CPU seconds: the captured pages ingested (extract,
   check, store) into fresh archives with signatures on and off (none made where the
   page is read either, as before stories existed), alternating; and the
   store alone of synthetic articles, the pessimistic view (target <= 10 % for ingest).
3. Grouping at scale: `--scale` synthetic articles (one in ten a copy) stored unsigned,
   or a copy of `--scale-from` (an unsigned synthetic archive, e.g. bench.trends'
   `--db`) given a copy for every nine articles, then signed by the backfill in
   batches; the rate and the process's memory at each tenth and its peak (flat:
   nothing grows with the archive), whether the copies found their stories, and new
   articles stored into the grouped archive unsigned, signed beforehand (as a crawl's
   extraction pool signs) and signed in place, side by side in CPU seconds.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import sqlite3
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from unittest import mock

from bench.fixtures import fixtures_dir, manifest, registry
from bench.synthetic import article
from newsarchive.archive import Archive, Page
from newsarchive.archive.stories import Signed, Stories
from newsarchive.crawl import ingest as ingest_module
from newsarchive.crawl.ingest import ingest
from newsarchive.extract import extract

REGISTRY = registry()
FETCHED = "2026-03-07T02:00:00Z"


def variants(art) -> dict[str, object]:
    """The copies another paper (or the same one) would run of `art`."""
    body = [p for p in art.body_text.split("\n") if p]
    keep = max(1, round(len(body) * 2 / 3))
    three_quarters = max(1, round(len(body) * 3 / 4))
    reordered = body[-1:] + body[:-1] if len(body) > 2 else body[::-1]
    tagged = ["(TTXVN) - " + body[0], *body[1:]]
    return {
        "headline": {"title": "Tin mới: " + (art.title or "")},
        "byline+sapo": {"body_text": "\n".join([art.sapo or "", *body, "Theo TTXVN"]),
                        "authors": ["PV"]},
        "cut a third": {"body_text": "\n".join(body[:keep])},
        "reordered": {"body_text": "\n".join(reordered)},
        "outlet tag": {"body_text": "\n".join(tagged)},
        "cut+byline+tag": {"body_text": "\n".join([*tagged[:three_quarters], "Theo TTXVN"])},
    }


def real_articles() -> list:
    folder = fixtures_dir()
    out = []
    for fx in manifest(folder):
        if fx.kind == "article":
            out.append(extract((folder / fx.file).read_bytes(), fx.url,
                               site=REGISTRY.for_url(fx.url)))
    return out


def pairs_measure(originals: list, label: str, db: Path) -> tuple[int, int, int, int]:
    """Store every original and its copies; (true pos, positives, false pos, negatives)."""
    archive = Archive(db)
    groups: list[list[int]] = []
    for n, art in enumerate(originals):
        ids = []
        copies = [art, *(replace(art, url=f"https://copy{k}.example/{n}-{k}.html",
                                 site=f"copy{k}", **change)
                         for k, change in enumerate(variants(art).values()))]
        for copy in copies:
            archive.store_page(Page(copy.url, b"<html></html>", fetched_at=FETCHED), copy)
            ids.append(archive.articles.find(copy.url)["id"])
        groups.append(ids)
    story = dict(archive.conn.execute("SELECT article_id, story_id FROM article_stories"))
    archive.close()
    tp = sum(story[g[0]] == story[c] for g in groups for c in g[1:])
    positives = sum(len(g) - 1 for g in groups)
    fp = negatives = 0
    for a, b in itertools.combinations(groups, 2):
        for x, y in itertools.product(a, b):
            negatives += 1
            fp += story[x] == story[y]
    print(f"  {label}: {len(originals)} articles, {positives} copies, {negatives} pairs of "
          f"different articles: {tp} copies grouped, {fp} different pairs grouped")
    return tp, positives, fp, negatives


def same_day_synthetic(n: int) -> list:
    """`n` synthetic articles of one section and one day."""
    return [replace(article(i, seed=7), section="Thời sự",
                    published_at="2026-02-03T08:00:00+07:00") for i in range(n)]


def timed_ingest(pages, stories: bool, folder: Path, round_: int) -> float:
    """CPU seconds to ingest `pages`; without stories, as before they existed: no
    signature made where the page is read either."""
    archive = Archive(folder / f"ingest-{stories}-{round_}.db", stories=stories)
    unsigned = None if stories else mock.patch.object(
        ingest_module.Signed, "of", classmethod(lambda cls, body: None))
    if unsigned:
        unsigned.start()
    start = time.process_time()
    try:
        for fx, data in pages:
            ingest(archive, Page(fx.url, data, status=200, fetched_at=FETCHED),
                   REGISTRY.for_url(fx.url))
        return time.process_time() - start
    finally:
        if unsigned:
            unsigned.stop()
        archive.close()


def timed_store(arts, stories: bool, folder: Path, round_: int) -> float:
    archive = Archive(folder / f"store-{stories}-{round_}.db", stories=stories)
    start = time.process_time()
    for art in arts:
        archive.store_page(Page(art.url, b"<html></html>", fetched_at=FETCHED), art)
    elapsed = time.process_time() - start
    archive.close()
    return elapsed


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    """The process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale_archive(n: int, db: Path) -> dict[int, int]:
    """`n` synthetic articles stored unsigned, one in ten a copy of an earlier one (with
    another headline and paper); {copy's id: its original's id}."""
    archive = Archive(db, stories=False)
    copies = {}  # copy's index -> original's index
    batch = []
    for i in range(n):
        if i % 10 == 9:
            source = i - 1 - (i * 7919) % min(i, 5000)
            source -= source % 10 == 9  # an original, never another copy
            art = replace(article(source, seed=3), url=f"https://copy.example/{i}.html",
                          site="copy", title=f"Bản sao {i}")
            copies[i + 1] = source + 1  # article ids start at 1, in insertion order
        else:
            art = article(i, seed=3)
        batch.append(art)
        if len(batch) == 5000:
            archive.articles.store_many(batch, seen_at=FETCHED)
            batch = []
    if batch:
        archive.articles.store_many(batch, seen_at=FETCHED)
    archive.close()
    return copies


def copied_archive(base: Path, db: Path, every: int = 9) -> dict[int, int]:
    """A copy of `base` (an unsigned archive, e.g. bench.trends' `--db`) given one copy
    of an earlier article for every `every` it holds, stored unsigned; {copy: original}."""
    with sqlite3.connect(f"file:{base}?mode=ro", uri=True) as source, \
            sqlite3.connect(db) as target:
        source.backup(target)
    archive = Archive(db, stories=False)
    held = archive.conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    copies, batch = {}, []
    for k in range(held // every):
        original = 1 + (k * 7919) % held
        title, body = archive.conn.execute("SELECT title, body_text FROM articles WHERE "
                                           "id = ?", (original,)).fetchone()
        batch.append((original, replace(article(k, seed=5), site="copy", body_text=body,
                                        url=f"https://copy.example/{k}.html",
                                        title=f"Bản sao: {title}")))
        if len(batch) == 5000 or k == held // every - 1:
            first = archive.conn.execute("SELECT max(id) FROM articles").fetchone()[0] + 1
            archive.articles.store_many([art for _, art in batch], seen_at=FETCHED)
            copies |= {first + j: o for j, (o, _) in enumerate(batch)}
            batch = []
    archive.close()
    return copies


def at_scale(n: int, folder: Path, base: Path | None, rounds: int, every: int = 9) -> None:
    db = folder / "scale.db"
    copies = copied_archive(base, db, every) if base else scale_archive(n, db)
    archive = Archive(db, stories=False)
    n = archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    marks: list[tuple[int, float, float]] = []  # (signed, seconds, MB)
    step = max(1, n // 10)
    start = time.perf_counter()

    def progress(counts) -> None:
        done = sum(counts.values())
        if done // step > len(marks) - 1:
            marks.append((done, time.perf_counter() - start, rss_mb()))
            print(f"  {done:,} signed in {marks[-1][1]:.0f} s, {marks[-1][2]:.0f} MB",
                  flush=True)

    marks.append((0, 0.0, rss_mb()))
    counts = Stories(archive.conn).backfill(batch=1000, progress=progress)
    elapsed = time.perf_counter() - start
    story = dict(archive.conn.execute("SELECT article_id, story_id FROM article_stories"))
    found = sum(story[c] == story[o] for c, o in copies.items())
    stray = sum(s != a for a, s in story.items() if a not in copies)
    bands = archive.conn.execute("SELECT count(*) FROM story_bands").fetchone()[0]
    archive.close()
    print(f"grouping at scale: {n:,} articles signed and grouped in {elapsed:.0f} s "
          f"({n / elapsed:,.0f} per second), "
          + ", ".join(f"{k}: {v:,}" for k, v in sorted(counts.items()))
          + f"; {bands:,} band keys")
    print("  per tenth, articles a second and memory (MB): " + ", ".join(
        f"{b[0]:,}: {(b[0] - a[0]) / max(1e-9, b[1] - a[1]):,.0f}/s {b[2]:.0f}"
        for a, b in itertools.pairwise(marks)) + f"; peak {peak_mb():.0f} MB")
    print(f"  copies with their original: {found:,}/{len(copies):,}; originals grouped "
          f"with another: {stray:,}")
    cpu = store_into(db, rounds)
    print(f"  store of 300 new synthetic articles into it, CPU seconds, median of {rounds}: "
          + ", ".join(f"{way} {statistics.median(t):.2f} s" for way, t in cpu.items())
          + "; ratios to off: " + ", ".join(
              f"{way} {statistics.median(t) / statistics.median(cpu['off']):.3f}"
              for way, t in cpu.items() if way != "off"))


def store_into(db: Path, rounds: int) -> dict[str, list[float]]:
    """CPU seconds to store 300 new synthetic articles one page at a time into the archive
    at `db`, three ways side by side in rotating order: unsigned (`off`), signed where
    they were read as a crawl does (`signed before`: the signature made outside the
    timing, only the candidates looked up and the bands written here), signed here."""
    times: dict[str, list[float]] = {"off": [], "signed before": [], "signed here": []}
    ways = list(times)
    for r in range(rounds):
        for k in range(len(ways)):
            way = ways[(k + r) % len(ways)]
            arts = [replace(a, url=a.url.replace(".html", f"-{r}-{k}.html"))
                    for a in (article(i, seed=100 + 3 * r + k) for i in range(300))]
            signed = [Signed.of(a.body_text) if way == "signed before" else None for a in arts]
            archive = Archive(db, stories=way != "off")
            begin = time.process_time()
            for art, sig in zip(arts, signed, strict=True):
                archive.store_page(Page(art.url, b"<html></html>", fetched_at=FETCHED), art,
                                   signed=sig)
            times[way].append(time.process_time() - begin)
            archive.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=2000,
                        help="synthetic articles of one section and day, with copies")
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--scale-from", type=Path, help="an unsigned synthetic archive "
                        "(bench.trends' --db) to group, copied, instead of --scale articles")
    parser.add_argument("--copy-every", type=int, default=9,
                        help="with --scale-from: one copy added for this many articles")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tmp", type=Path, help="where the archives are made (a big "
                        "disk for a million)")
    parser.add_argument("--only-scale", action="store_true",
                        help="skip precision, recall and the fresh-archive ingest")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        if not args.only_scale:
            quality_and_ingest(Path(tmp), args)
        at_scale(args.scale, Path(tmp), args.scale_from, args.rounds, args.copy_every)


def quality_and_ingest(folder: Path, args: argparse.Namespace) -> None:
    real = real_articles()
    print("precision and recall of grouping copies:")
    measured = [pairs_measure(real, "real captured articles", folder / "real.db"),
                pairs_measure(same_day_synthetic(args.synthetic),
                              "synthetic, same section and day", folder / "synth.db")]
    tp, pos, fp, neg = (sum(m[i] for m in measured) for i in range(4))
    print(f"precision {tp / max(1, tp + fp):.3f} recall {tp / max(1, pos):.3f}"
          f"  (targets P >= 0.95, R >= 0.90)")

    fx_folder = fixtures_dir()
    pages = [(fx, (fx_folder / fx.file).read_bytes()) for fx in manifest(fx_folder)
             if fx.kind == "article"]
    arts = [article(i, seed=11) for i in range(500)]
    timed_ingest(pages, True, folder, -1)  # one untimed pass: imports, caches
    times: dict[tuple[str, bool], list[float]] = {}
    for r in range(args.rounds):
        for on in (True, False) if r % 2 else (False, True):
            times.setdefault(("ingest", on), []).append(timed_ingest(pages, on, folder, r))
            times.setdefault(("store", on), []).append(timed_store(arts, on, folder, r))
    for what, unit in (("ingest", f"{len(pages)} captured pages"),
                       ("store", f"{len(arts)} synthetic articles")):
        on, off = (statistics.median(times[(what, s)]) for s in (True, False))
        print(f"{what} of {unit}, CPU, median of {args.rounds}: signing on {on:.2f} s, "
              f"off {off:.2f} s: ratio {on / off:.3f} ({(on / off - 1) * 100:+.1f} %)"
              + ("  (target <= +10 %)" if what == "ingest" else ""))

if __name__ == "__main__":
    main()
