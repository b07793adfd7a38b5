"""The crawl's own Scrapy side, side by side: CPU of `newsarchive crawl` with no item
pipeline (discovery, scheduling, middlewares, downloads, the spider; no extraction, no
storing) against the bare Scrapy spider of bench/crawl.py, on the same local synthetic
site, and against another checkout's code or a setting.

    python -m bench.crawl_overhead [--articles 2000] [--runs 3] [--against DIR]
                                   [--versus NAME=VALUE]...

Each variant crawls an empty sitemap (its start-up and shut-down) and N articles, in
turn, run after run; a page's cost is the difference over N. CPU is user + system of the
crawl's process (wall time on a shared machine measures the neighbours).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench.crawl import FAST, ROOT, bare, measure, respond
from bench.localsite import serve
from bench.sidebyside import checkout

NO_PIPELINE = ["-s", "ITEM_PIPELINES={}"]


def crawl_cpu(base: str, n: int, tmp: Path, root: Path, extra: tuple[str, ...]) -> float:
    """CPU seconds of one `newsarchive crawl` of a sitemap of `n` articles, no pipeline."""
    registry = tmp / f"sites-{n}.json"
    registry.write_text(json.dumps([{
        "id": "benchsite", "name": "Bench", "home": base + "/", "platform": None,
        "article_pattern": r"/bai-\d+\.html$", "sitemaps": [f"{base}/sitemap-{n}.xml"]}]))
    db = tmp / f"archive-{n}-{len(list(tmp.iterdir()))}.db"
    _, _, cpu = measure([sys.executable, "-m", "newsarchive.cli", "crawl", "benchsite",
                         "--db", str(db), "-q", *FAST, *NO_PIPELINE, *extra],
                        {"NEWSARCHIVE_SITES": str(registry)}, root)
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", type=checkout, metavar="DIR",
                        help="also crawl with the newsarchive of another checkout")
    parser.add_argument("--versus", action="append", default=[], metavar="NAME=VALUE",
                        help="also crawl with this setting (repeatable)")
    args = parser.parse_args()
    n, ms = args.articles, 1000 / args.articles
    variants: list[tuple[str, Path, tuple[str, ...]]] = [("this checkout", ROOT, ())]
    variants += [(f"-s {s}", ROOT, ("-s", s)) for s in args.versus]
    if args.against:
        variants.append((str(args.against), args.against, ()))
    server = serve(respond)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            _, _, cpu_bare, start_bare = bare(base, n, tmp)
            got = [(crawl_cpu(base, 0, tmp, root, extra), crawl_cpu(base, n, tmp, root, extra))
                   for _, root, extra in variants]
        bare_page = (cpu_bare - start_bare) * ms
        print(f"run {run}: bare Scrapy start-up {start_bare:.2f} s, {bare_page:.2f} ms a page "
              "after it")
        first = (got[0][1] - got[0][0]) * ms
        for (label, _, _), (empty, full) in zip(variants, got, strict=True):
            page = (full - empty) * ms
            print(f"  newsarchive, no pipeline, {label}: start-up and end {empty:.2f} s, "
                  f"{page:.2f} ms a page ({page / bare_page:.2f}x bare; this checkout / it "
                  f"{first / page:.3f})", flush=True)
    server.shutdown()


if __name__ == "__main__":
    main()
