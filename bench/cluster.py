"""The crawl cluster with 1, 2 and 4 workers, and its writer beside a bare insert.

    python -m bench.cluster [--sites 4] [--articles 250] [--latency 0.2]

Serves SITES local papers of ARTICLES articles each on 127.0.0.1 (every answer delayed by
LATENCY seconds, as on the real web), starts a fresh redis-server, and crawls them with
1, 2 and 4 `newsarchive crawl --cluster` workers at two requests at a time per site.
The local papers share one host name, so Scrapy counts them as one site: each worker
takes one paper at a time (NEWSARCHIVE_CLUSTER_SITES=1), which is the per-site bound a
real crawl meets. Prints pages per second and the ratio to one worker; then the writer's
articles per second against a bare executemany of the same rows into a plain table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.clustersites import Papers
from bench.redisrv import RedisServer

ROOT = Path(__file__).resolve().parent.parent
POLITE_LOCAL = ["-s", "NEWSARCHIVE_ALLOW_PRIVATE=True",  # the local papers are on 127.0.0.1
                "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "NEWSARCHIVE_CLUSTER_SITES=1",
                "-q"]


def crawl(workers: int, papers: Papers, server: RedisServer, env: dict) -> tuple[float, int]:
    """(seconds, items pushed) for `workers` workers crawling every paper."""
    server.client().flushdb()
    cmd = [sys.executable, "-m", "newsarchive.cli", "crawl", *(p.id for p in papers.papers),
           "--cluster", server.url, "--max-pages", "1000", *POLITE_LOCAL]
    start = time.perf_counter()
    procs = [subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for _ in range(workers)]
    for proc in procs:
        if proc.wait():
            raise SystemExit("a worker failed")
    if server.client().llen("newsarchive:items") < len(papers.papers) * 2:
        raise SystemExit("the workers fetched next to nothing: are the papers served?")
    return time.perf_counter() - start, server.client().llen("newsarchive:items")


def write(server: RedisServer, db: Path, env: dict) -> tuple[float, int]:
    """(seconds, articles) for the writer to store everything queued, start-up included."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "newsarchive.cli", "ingest", "--cluster",
                    server.url, "--db", str(db), "--idle-exit", "0.5"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    elapsed = time.perf_counter() - start - 0.5
    with sqlite3.connect(db) as conn:
        return elapsed, conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def bare(db: Path, papers: Papers) -> float:
    rows = [(f"{p.base}/bai-{n}.html", f"{p.id} {n}", p.article(n).decode())
            for p in papers.papers for n in range(1, p.articles + 1)]
    start = time.perf_counter()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE a (url TEXT PRIMARY KEY, title TEXT, body TEXT)")
        conn.executemany("INSERT INTO a VALUES (?, ?, ?)", rows)
    return len(rows) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--articles", type=int, default=250)
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    server = RedisServer(tmp)
    try:
        with Papers(args.sites, args.articles, args.latency) as papers:
            env = {**os.environ, **server.env,
                   "NEWSARCHIVE_SITES": str(papers.registry_file(tmp))}
            one = None
            for workers in (1, 2, 4):
                seconds, items = crawl(workers, papers, server, env)
                rate = items / seconds
                one = one or rate
                print(f"{workers} worker(s): {items} pages in {seconds:.1f} s, "
                      f"{rate:.1f} pages/s, ratio {rate / one:.2f}", flush=True)
            seconds, articles = write(server, tmp / "archive.db", env)
            raw = bare(tmp / "bare.db", papers)
            print(f"writer: {articles} articles in {seconds:.1f} s, {articles / seconds:.0f}/s; "
                  f"bare executemany {raw:.0f}/s (ratio {raw / (articles / seconds):.1f})")
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
