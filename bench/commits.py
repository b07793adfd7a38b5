"""Storing with one commit per page against grouped commits (archive/grouped.py), side
by side: the CPU to store N synthetic articles (raw page, article row, versions, full-text
index, story bands) into fresh archives, alternating.

    python -m bench.commits [--articles 1000] [--group 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.crawl import page as html
from bench.synthetic import article
from newsarchive.archive import Archive, Page
from newsarchive.archive.stories import Signed


def store(pages, articles, signed, group: int) -> float:
    """CPU seconds to store them all, the last commit included."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive(Path(tmp) / "a.db")
        archive.group_commits(group, 3600)
        start = time.process_time()
        for page, art, sig in zip(pages, articles, signed, strict=True):
            archive.store_page(page, art, signed=sig)
        archive.close()
        return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--group", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    n = args.articles
    articles = [article(i) for i in range(n)]
    pages = [Page(f"https://baonghean.vn/bai-{i}.html", html(i), status=200,
                  fetched_at="2026-03-07T02:00:00Z", kind="article") for i in range(n)]
    signed = [Signed.of(a.body_text) for a in articles]
    ms = 1000 / n
    for _ in range(args.runs):
        one = store(pages, articles, signed, 1)
        grouped = store(pages, articles, signed, args.group)
        print(f"storing CPU per page: a commit each {one * ms:.2f} ms, a commit per "
              f"{args.group} {grouped * ms:.2f} ms ({one / grouped:.2f}x)", flush=True)


if __name__ == "__main__":
    main()
