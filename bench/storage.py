"""Raw pages after the revisit schedule: today's zlib against storage by difference, side
by side in one run.

    python -m bench.storage [--fixtures ../shared/fixtures] [--reads 3]

Every captured article page of the fixtures is fetched 33 times as the revisit schedule
does (hourly on day one, daily in week one, weekly in month one), each fetch changed as
real pages change (most-read box reordered, counters and clock times, a new ad slot id,
now and then an edited paragraph; bench/revisits.py). The same fetches are
stored through `Pages.insert` twice: into an archive whose pages are compressed as
before this scheme (zlib, each alone) and into one with the new scheme. Prints the
stored size ratio, that every body reads back identical, read time per body (median,
p95) and ingest time per fetch for both, and the cost per article of its 33 fetches.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

from bench.fixtures import fixtures_dir, manifest
from bench.revisits import VISITS, schedule
from newsarchive.archive import Archive, Page
from newsarchive.archive.compression import Codec
from newsarchive.archive.pages import Pages

PUBLISHED = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


class ZlibPages(Pages):
    """The pages table as it was written before: every body zlib-compressed alone."""

    def encode(self, body: bytes, key: str, kind: str, **_) -> tuple:
        return zlib.compress(body, 6), Codec.ZLIB, None, None


def fetches(folder: Path) -> list[Page]:
    """Every article capture, fetched on the revisit schedule, in the order of time."""
    pages = []
    for n, capture in enumerate(c for c in manifest(folder) if c.kind == "article"):
        first = (folder / capture.file).read_bytes()
        pages += [Page(capture.url, body, 200, {"content-type": "text/html"}, fetched_at=at)
                  for at, body in schedule(first, PUBLISHED, seed=n)]
    return sorted(pages, key=lambda p: p.fetched_at)


def run(archive: Archive, pages: list[Page], reads: int) -> dict:
    start = time.perf_counter()
    ids = []
    for page in pages:
        with archive.conn:
            ids.append(archive.pages.insert(page))
        archive.pages.train_due()
    ingest = time.perf_counter() - start
    stored = archive.conn.execute("SELECT sum(length(body)) FROM pages").fetchone()[0]
    identical = sum(archive.pages.body(i) == p.body for i, p in zip(ids, pages, strict=True))
    times = []
    for _ in range(reads):
        for page_id in ids:
            archive.pages.bases.clear()  # a body read alone: its reference read too
            t = time.perf_counter()
            archive.pages.body(page_id)
            times.append(time.perf_counter() - t)
    times.sort()
    return {"stored": stored, "identical": identical, "ingest": ingest / len(pages),
            "median": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))],
            "codecs": dict(archive.conn.execute(
                "SELECT codec, count(*) FROM pages GROUP BY codec").fetchall())}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=fixtures_dir(),
                        help="The captured pages (manifest.csv).")
    parser.add_argument("--reads", type=int, default=3, help="Reads of every body, timed.")
    args = parser.parse_args(argv)
    pages = fetches(args.fixtures)
    articles = len(pages) // len(VISITS)
    raw = sum(len(p.body) for p in pages)
    with tempfile.TemporaryDirectory() as tmp:
        old = Archive(Path(tmp) / "zlib.db")
        old.pages = ZlibPages(old.conn)
        new = Archive(Path(tmp) / "zstd.db")
        before, after = run(old, pages, args.reads), run(new, pages, args.reads)
    ratio = after["stored"] / before["stored"]
    print(f"{articles} articles x {len(VISITS)} fetches = {len(pages)} pages, "
          f"{raw / 2**20:.1f} MiB raw; codecs: {after['codecs']}")
    print(f"raw pages after the revisit schedule: {ratio:.3f} of zlib (target <= 0.25); "
          f"bodies read back identical: {after['identical']}/{len(pages)}")
    for name, r in (("zlib (today)", before), ("by difference", after)):
        print(f"{name:>14}: {r['stored'] / 2**20:7.2f} MiB stored, "
              f"{r['stored'] / articles / 1024:7.1f} KiB per article (33 fetches); "
              f"read median {r['median'] * 1000:.3f} ms, p95 {r['p95'] * 1000:.3f} ms "
              f"(target median <= 1 ms); ingest {r['ingest'] * 1000:.2f} ms per fetch")
    print(f"ingest time: {after['ingest'] / before['ingest']:.2f} of zlib's; "
          f"read median {after['median'] / before['median']:.2f} of zlib's")


if __name__ == "__main__":
    main()
