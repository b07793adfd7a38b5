"""Crawl CPU, throughput and memory against a local synthetic newspaper, side by side.

    python -m bench.crawl [--articles 2000] [--runs 1] [--versus NAME=VALUE]... [--against DIR]

Serves N generated articles (and a sitemap listing them) on 127.0.0.1, then crawls them
(1) with newsarchive (discovery, extraction in the worker pool, storage in a fresh
archive) and (2) with a bare Scrapy spider that only downloads the same pages, politeness
limits lifted for both. Prints the CPU time per page of each (user + system, the crawl
process and its extraction workers summed: wall time on a shared machine measures the
neighbours), newsarchive's split by part (counted by `newsarchive.ground.cpuparts` in
each process; Scrapy's share is what the parts leave of the total), pages per second and
both crawlers' peak RSS for N/10 articles and for N (the ratio shows whether memory grows
with the crawl; peak RSS is the largest single process, so the workers count on their own).
`--versus NAME=VALUE` crawls once more with that setting and prints its CPU beside;
`--against DIR` once more with the code of another checkout (an earlier version).
With `--runs N` (N > 1) the last line gives the medians of the N runs' CPU per page.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.localsite import serve
from bench.sidebyside import checkout
from bench.synthetic import article
from newsarchive.ground import cpuparts

ROOT = Path(__file__).resolve().parent.parent

FAST = ["-s", "NEWSARCHIVE_ALLOW_PRIVATE=True", "-s", "DOWNLOAD_DELAY=0", "-s",
        "AUTOTHROTTLE_ENABLED=False", "-s",
        "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32", "-s",
        "ROBOTSTXT_OBEY=False", "-s", "LOG_LEVEL=WARNING", "-s",
        "NEWSARCHIVE_PROGRESS_INTERVAL=3600", "-s", "NEWSARCHIVE_SITE_MAX_PAGES=0", "-s",
        "NEWSARCHIVE_RUN_MAX_PAGES=0"]

BARE = '''
import sys, time, scrapy
from pathlib import Path
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.spiders import SitemapSpider

class Bare(SitemapSpider):
    name = "bare"
    sitemap_urls = [sys.argv[1]]

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.opened, signal=signals.spider_opened)
        return spider

    def opened(self, spider):  # its start-up: CPU spent before the first request
        Path(sys.argv[2]).write_text(str(time.process_time()))

    def parse(self, response):
        pass

p = CrawlerProcess({"LOG_LEVEL": "WARNING", "CONCURRENT_REQUESTS": 32,
                    "CONCURRENT_REQUESTS_PER_DOMAIN": 32, "DOWNLOAD_DELAY": 0,
                    "ROBOTSTXT_OBEY": False})
p.crawl(Bare)
p.start()
'''


def page(i: int) -> bytes:
    a = article(i)
    ld = json.dumps({"@type": "NewsArticle", "headline": a.title, "description": a.sapo,
                     "datePublished": a.published_at,
                     "author": [{"@type": "Person", "name": n} for n in a.authors]},
                    ensure_ascii=False)
    body = "".join(f"<p>{p}</p>" for p in a.body_text.split("\n"))
    return (f'<html lang="vi"><head><meta charset="utf-8"><title>{a.title}</title>'
            f'<meta property="og:type" content="article"><script type="application/ld+json">'
            f'{ld}</script></head><body><h1>{a.title}</h1><div itemprop="articleBody">{body}'
            f"</div></body></html>").encode()


def respond(path: str, base: str) -> bytes | None:
    if path.startswith("/sitemap-"):
        n = int(path.split("-")[1].split(".")[0])
        urls = "".join(f"<url><loc>{base}/bai-{i}.html</loc></url>" for i in range(n))
        return ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">{urls}</urlset>').encode()
    if path.startswith("/bai-"):
        return page(int(path[5:-5]))
    return None


def measure(cmd: list[str], env: dict, root: Path = ROOT) -> tuple[float, int, float]:
    """(seconds, peak RSS in KiB, CPU seconds with its reaped children) of a child run
    in `root` (`python -m` takes the package from there)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status:
        raise SystemExit(f"{cmd[:4]} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def process_cpu() -> float:
    """CPU seconds this process (the benchmark's HTTP server threads) has used."""
    usage = os.times()
    return usage.user + usage.system


# newsarchive's parts, as printed, and the `cpuparts` counts that make each
PARTS = (("start-up: imports, settings, opening the archive", None),
         ("Scrapy: downloads, scheduling, the spider", None),
         ("transfer to the extraction pool and back", None),
         ("parsing (decoding, lxml)", "parse"),
         ("extraction (layers, body, page type)", "extract"),
         ("place tagging", "tag"),
         ("story signature (MinHash)", "sign"),
         ("storing (pages, versions, URLs, commit)", "store"),
         ("indexes (article row and FTS, story bands, places)", "index"),
         ("compression (zstd, dictionary training)", "compress"))


def split(total: float, counts: dict) -> dict[str, float]:
    """newsarchive's `total` CPU seconds by part: the crawl process's own parts, the
    workers' parts, what the workers spent beside them, the `pool` part and the crawl
    process's other threads (the transfer), and what is left (Scrapy)."""
    own, workers = counts["parts"], counts["workers"]
    worker_cpu = max(counts["children"], workers.get(cpuparts.WORKERS, 0.0))
    # threads beside the event loop's: the pool has none now (pebble had three), what
    # is left is whatever else runs in one, still charged to the transfer as before
    threads = counts["process"] - counts["main_thread"]
    worker_parts = sum(v for k, v in workers.items() if k != cpuparts.WORKERS)
    out = {label: own.get(key, 0.0) + workers.get(key, 0.0) for label, key in PARTS if key}
    out[PARTS[2][0]] = threads + own.get("pool", 0.0) + worker_cpu - worker_parts
    mine = sum(v for k, v in own.items() if k != "pool")
    out[PARTS[0][0]] = counts["start_up"]
    out[PARTS[1][0]] = total - worker_cpu - threads - mine - counts["start_up"]
    return {label: out[label] for label, _ in PARTS}


def ours(base: str, n: int, tmp: Path, extra: tuple[str, ...] = (), root: Path = ROOT
         ) -> tuple[float, int, float, dict[str, float]]:
    registry = tmp / f"sites-{n}.json"
    registry.write_text(json.dumps([{
        "id": "benchsite", "name": "Bench", "home": base + "/", "platform": None,
        "article_pattern": r"/bai-\d+\.html$", "sitemaps": [f"{base}/sitemap-{n}.xml"]}]))
    db = Path(tempfile.mkdtemp(dir=tmp)) / "archive.db"  # each crawl its own, from empty
    counted = tmp / f"cpu-{n}.json"
    got = measure([sys.executable, "-m", "newsarchive.cli", "crawl", "benchsite", "--db",
                   str(db), "-q", *FAST, *extra], {"NEWSARCHIVE_SITES": str(registry),
                                            cpuparts.ENV: str(counted)}, root)
    with sqlite3.connect(db) as conn:  # a crawl that stored less measured nothing
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    if stored != n:
        raise SystemExit(f"newsarchive stored {stored} of {n} articles")
    return (*got, split(got[2], json.loads(counted.read_text())))


def bare(base: str, n: int, tmp: Path) -> tuple[float, int, float, float]:
    """(seconds, peak RSS, CPU seconds, of which start-up) of the bare spider."""
    script, opened = tmp / "bare.py", tmp / "bare-opened"
    script.write_text(BARE)
    got = measure([sys.executable, str(script), f"{base}/sitemap-{n}.xml", str(opened)], {})
    return (*got, float(opened.read_text()))


def once(base: str, n: int, small: int, versus: list[str], against: Path | None
         ) -> tuple[float, float]:
    """One side-by-side measure, printed; (bare, newsarchive) CPU seconds per page."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        server_cpu = process_cpu()
        t_bare, rss_bare, cpu_bare, start_bare = bare(base, n, tmp)
        server_cpu = process_cpu() - server_cpu
        t_ours, rss_ours, cpu_ours, parts = ours(base, n, tmp)
        other = [(f"-s {s}", ours(base, n, tmp, ("-s", s))) for s in versus]
        if against:
            other.append((f"the code in {against}", ours(base, n, tmp, root=against)))
        _, rss_bare_small, _, _ = bare(base, small, tmp)
        _, rss_small, _, _ = ours(base, small, tmp)
    cores = os.cpu_count() or 1
    print(f"{n} articles from a local synthetic site, {os.cpu_count()} cores")
    print(f"  bare Scrapy (download only)      {n / t_bare:7.1f} pages/s  peak RSS "
          f"{rss_bare / 1024:6.0f} MiB")
    print(f"  newsarchive (extract and store)  {n / t_ours:7.1f} pages/s  peak RSS "
          f"{rss_ours / 1024:6.0f} MiB")
    print(f"rate ratio newsarchive / bare: {t_bare / t_ours:.2f}  (no target: on 2 cores it "
          "measures cores more than cost; CPU per page below is the measure)")
    # Each page costs the crawler CPU time and the local server some; on `cores` cores
    # no crawl can run faster than all cores busy with that work.
    ms = 1000 / n
    ceiling = cores / (cpu_ours + server_cpu) * t_bare
    print("newsarchive CPU per page by part (ms; all processes, user + system):")
    for label, seconds in parts.items():
        print(f"  {label:<52} {seconds * ms:5.2f}")
    print(f"local server {server_cpu * ms:.1f} ms per page; with every core busy "
          f"newsarchive could reach at most {ceiling:.2f} of the bare rate here")
    start_ours = parts[PARTS[0][0]]
    print(f"start-up: bare {start_bare:.2f} s, newsarchive {start_ours:.2f} s; after it, "
          f"bare {(cpu_bare - start_bare) * ms:.1f} ms, newsarchive "
          f"{(cpu_ours - start_ours) * ms:.1f} ms per page "
          f"({(cpu_ours - start_ours) / (cpu_bare - start_bare):.2f}×)")
    print(f"CPU per page: bare {cpu_bare * ms:.1f} ms, newsarchive {cpu_ours * ms:.1f} ms "
          f"({cpu_ours / cpu_bare:.2f}×; target <= 2.5×)")
    for setting, (_, _, cpu_other, parts_other) in other:
        print(f"  side by side, newsarchive with {setting}: {cpu_other * ms:.1f} ms "
              f"({cpu_other / cpu_bare:.2f}×; this one / it {cpu_ours / cpu_other:.3f}); "
              "by part (ms): "
              + ", ".join(f"{label.split(' ')[0].rstrip(':')} {seconds * ms:.2f}"
                          for label, seconds in parts_other.items()))
    print(f"newsarchive peak RSS: {rss_small / 1024:.0f} MiB at {small} articles, "
          f"{rss_ours / 1024:.0f} MiB at {n}: ratio {rss_ours / rss_small:.2f} "
          "(target <= 1.15)")
    print(f"bare Scrapy peak RSS: {rss_bare_small / 1024:.0f} MiB at {small} articles, "
          f"{rss_bare / 1024:.0f} MiB at {n}: ratio {rss_bare / rss_bare_small:.2f}",
          flush=True)
    return cpu_bare / n, cpu_ours / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=1, help="repeat the whole measure")
    parser.add_argument("--versus", action="append", default=[], metavar="NAME=VALUE",
                        help="also crawl with this setting, side by side (repeatable)")
    parser.add_argument("--against", type=checkout, metavar="DIR",
                        help="also crawl with the newsarchive of another checkout, e.g. "
                             "one made by `git worktree add DIR REV`")
    args = parser.parse_args()
    n = args.articles
    server = serve(respond)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    runs = [once(base, n, max(n // 10, 100), args.versus,
                 args.against)
            for _ in range(args.runs)]
    server.shutdown()
    if len(runs) > 1:  # one run's ratio moves with the bare spider's own noise
        bare_ms = statistics.median(b for b, _ in runs) * 1000
        ours_ms = statistics.median(o for _, o in runs) * 1000
        print(f"over {len(runs)} runs, medians: CPU per page: bare {bare_ms:.1f} ms, "
              f"newsarchive {ours_ms:.1f} ms ({ours_ms / bare_ms:.2f}×; target <= 2.5×); "
              "each run: " + ", ".join(f"{o / b:.2f}×" for b, o in runs))


if __name__ == "__main__":
    main()
