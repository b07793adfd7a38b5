"""Soak: many scheduled crawls of a synthetic newspaper over simulated time.

    python bench/soak.py [--runs 200] [--every 15]

A local site publishes an article every 30 simulated minutes and edits half of them once,
some time in their first three days (the feed does not announce edits). The crawler runs
every N simulated minutes (`$NEWSARCHIVE_NOW` fixes its clock), each run a real
`newsarchive crawl` subprocess. Reports edits captured versus edits that a due revisit
could capture (one made at least an hour before a revisit), duplicate rows, and the peak
RSS of the first and last crawls.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
from argparse import ArgumentParser
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from bench.localsite import serve
from bench.synthetic import article
from newsarchive.crawl.revisit import is_due

ROOT = Path(__file__).resolve().parent.parent

START = datetime(2026, 3, 1, tzinfo=UTC)
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s",
        "ROBOTSTXT_OBEY=False", "-s", "NEWSARCHIVE_PROGRESS_INTERVAL=3600"]


class Site:
    def __init__(self, seed: int = 7):
        self.now = START
        rng = random.Random(seed)
        self.published = [START + timedelta(minutes=30 * i) for i in range(2000)]
        self.edits = {i: self.published[i] + timedelta(minutes=rng.randint(10, 3 * 24 * 60))
                      for i in range(2000) if rng.random() < 0.5}

    def visible(self) -> list[int]:
        return [i for i, t in enumerate(self.published) if t <= self.now]

    def html(self, i: int) -> bytes:
        a = article(i)
        body = a.body_text.split("\n")
        if i in self.edits and self.edits[i] <= self.now:
            body.append("Cập nhật: bài viết đã được bổ sung thông tin mới.")
        ld = json.dumps({"@type": "NewsArticle", "headline": a.title,
                         "datePublished": self.published[i].isoformat()}, ensure_ascii=False)
        paras = "".join(f"<p>{p}</p>" for p in body)
        return (f'<html><head><meta charset="utf-8"><script type="application/ld+json">{ld}'
                f'</script><meta property="og:type" content="article"></head><body>'
                f'<h1>{a.title}</h1><div itemprop="articleBody">{paras}</div></body>'
                f"</html>").encode()

    def feed(self, base: str) -> bytes:
        items = "".join(f"<item><link>{base}/bai-{i}.html</link><pubDate>"
                        f"{format_datetime(self.published[i])}</pubDate></item>"
                        for i in self.visible()[-20:])
        return f'<rss version="2.0"><channel>{items}</channel></rss>'.encode()


def responder(site: Site):
    def respond(path: str, base: str) -> bytes | None:
        if path == "/rss.xml":
            return site.feed(base)
        if path.startswith("/bai-") and int(path[5:-5]) in site.visible():
            return site.html(int(path[5:-5]))
        return None
    return respond


def capturable(site: Site, runs: list[datetime]) -> int:
    """Edits that some due revisit (the crawler's own rule) came at least an hour after."""
    count = 0
    for i, edit in site.edits.items():
        first = next((t for t in runs if t >= site.published[i]), None)
        if first is None:
            continue
        last_seen, revisits = first, []
        for t in runs:
            if t > first and is_due(site.published[i].isoformat(), last_seen.isoformat(), t):
                revisits.append(t)
                last_seen = t
        if edit >= first and any(r >= edit + timedelta(hours=1) for r in revisits):
            count += 1
    return count


def main() -> None:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--every", type=int, default=15, help="simulated minutes")
    args = parser.parse_args()
    site = Site()
    server = serve(responder(site))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    runs = [START + timedelta(minutes=args.every * k) for k in range(args.runs)]
    rss = []
    with tempfile.TemporaryDirectory() as tmp:
        registry = Path(tmp) / "sites.json"
        registry.write_text(json.dumps([{
            "id": "soak", "name": "Soak", "home": base + "/", "platform": None,
            "article_pattern": r"/bai-\d+\.html$", "feeds": [base + "/rss.xml"]}]))
        db = Path(tmp) / "archive.db"
        for k, now in enumerate(runs):
            site.now = now
            env = {**os.environ, "NEWSARCHIVE_SITES": str(registry),
                   "NEWSARCHIVE_NOW": now.isoformat()}
            proc = subprocess.Popen([sys.executable, "-m", "newsarchive.cli", "crawl", "soak",
                                     "--db", str(db), "-q", *FAST], env=env, cwd=ROOT,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            rss.append(usage.ru_maxrss)
            if k % 20 == 0:
                print(f"run {k}/{args.runs} at {now:%Y-%m-%d %H:%M} exit {status >> 8}",
                      flush=True)
        conn = sqlite3.connect(db)
        articles, keys = conn.execute(
            "SELECT count(*), count(DISTINCT url_key) FROM articles").fetchone()
        captured = conn.execute("SELECT count(*) FROM article_versions WHERE version > 1"
                                ).fetchone()[0]
    server.shutdown()
    end = runs[-1]
    made = sum(1 for i, t in site.edits.items() if t <= end and site.published[i] <= end)
    expected = capturable(site, runs)
    head, tail = rss[:20], rss[-20:]
    print(f"{args.runs} crawls every {args.every} simulated minutes, "
          f"{START:%Y-%m-%d} to {end:%Y-%m-%d %H:%M}")
    print(f"articles archived: {articles}; duplicate rows: {articles - keys} (target 0)")
    print(f"edits made: {made}; capturable by a due revisit: {expected}; "
          f"captured as versions: {captured} (target: captured >= capturable)")
    print(f"peak RSS per crawl: first 20 runs {max(head) / 1024:.0f} MiB, last 20 runs "
          f"{max(tail) / 1024:.0f} MiB, ratio {max(tail) / max(head):.2f} (target: flat)")


if __name__ == "__main__":
    main()
