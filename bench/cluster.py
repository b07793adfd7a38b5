"""The crawl cluster as a production crawl: many polite, latency-bound papers, 1, 2, 4 and
8 workers, and the one writer storing beside them.

    python -m bench.cluster [--papers 16] [--articles 300] [--latency 0.5] [--delay 0]
                            [--workers 1 2 4 8]

Serves PAPERS local papers of ARTICLES articles each (no two articles with one text, as
on the web), every paper on its own loopback address (so Scrapy's per-site download slot
holds per paper, as on the web), every answer delayed by LATENCY seconds; starts a fresh
redis-server and, for each number of workers, a fresh archive with its writer
(`newsarchive ingest`) running beside the workers (`newsarchive crawl --cluster`), as in
production. The workers keep the production limits: two requests at a time per paper
and four papers per worker at a time (NEWSARCHIVE_CLUSTER_SITES), with
DOWNLOAD_DELAY=DELAY and AutoThrottle off (see README, "Running on several machines",
for why the delay is 0 here).

Prints, for each number of workers: pages fetched, seconds from the workers' start to the
last one's exit, pages per second and the ratio to one worker (and the same from the
first request the papers saw to the last answer, without the workers' start-up); the
CPU (user+sys, its extraction pool included) each worker and the writer used; the
writer's queue (items waiting in Redis) sampled every second over the crawl, and how
long after the last worker the writer had stored everything. A flat queue is a writer
keeping up.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.clustersites import Papers
from bench.redisrv import RedisServer

ROOT = Path(__file__).resolve().parent.parent
ITEMS, PROCESSING = "newsarchive:items", "newsarchive:processing"


def polite(delay: float) -> list[str]:
    """The production per-paper limits, but for the delay, on local papers."""
    return ["-s", "NEWSARCHIVE_ALLOW_PRIVATE=True",  # the local papers are on 127.0.0.x
            "-s", f"DOWNLOAD_DELAY={delay}", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "NEWSARCHIVE_CLUSTER_SITES=4"]


def cpu_seconds(usage) -> float:
    return usage.ru_utime + usage.ru_stime


@dataclass
class Run:
    workers: int
    seconds: float = 0.0
    fetching: float = 0.0  # first request asked to last one answered
    pages: int = 0
    worker_cpu: list[float] = field(default_factory=list)
    writer_cpu: float = 0.0
    queue: list[int] = field(default_factory=list)
    drained_after: float = 0.0
    articles: int = 0


def reap(pid: int, block: bool) -> tuple[int, float] | None:
    """(exit status, CPU seconds of the process and its waited-for children), or None."""
    got, status, usage = os.wait4(pid, 0 if block else os.WNOHANG)
    if got == 0:
        return None
    return os.waitstatus_to_exitcode(status), cpu_seconds(usage)


def crawl(workers: int, papers: Papers, server: RedisServer, env: dict, folder: Path,
          delay: float) -> Run:
    """One crawl of every paper by `workers` workers, with a fresh writer and archive."""
    client = server.client()
    client.flushdb()
    db = folder / f"archive-{workers}.db"
    run = Run(workers)
    writer = subprocess.Popen(
        [sys.executable, "-m", "newsarchive.cli", "ingest", "--cluster", server.url,
         "--db", str(db)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    cmd = [sys.executable, "-m", "newsarchive.cli", "crawl", *(p.id for p in papers.papers),
           "--cluster", server.url, "--max-pages", "1000", *polite(delay)]
    outs = [folder / f"worker-{workers}-{i}.out" for i in range(workers)]
    papers.log.clear()
    start = time.perf_counter()
    procs = {subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out.open("w"),
                              stderr=subprocess.DEVNULL): None for out in outs}
    while any(done is None for done in procs.values()):
        time.sleep(1)
        run.queue.append(client.llen(ITEMS))
        for proc, done in procs.items():
            if done is None and (got := reap(proc.pid, block=False)):
                procs[proc] = got
                proc.returncode = got[0]
    run.seconds = time.perf_counter() - start
    asked = [entry[1] for entry in papers.log]
    run.fetching = max(asked) + papers.papers[0].latency - min(asked)
    for out, (status, cpu) in zip(outs, procs.values(), strict=True):
        if status:
            raise SystemExit(f"a worker failed (exit {status})")
        pushed = re.search(r"(\d+) items pushed", out.read_text())
        run.pages += int(pushed.group(1)) if pushed else 0
        run.worker_cpu.append(cpu)
    while client.llen(ITEMS) or client.llen(PROCESSING):
        time.sleep(0.1)
    run.drained_after = time.perf_counter() - start - run.seconds
    writer.terminate()  # SIGTERM: it finishes the item in hand and stops
    status, run.writer_cpu = reap(writer.pid, block=True)
    writer.returncode = status
    with sqlite3.connect(db) as conn:
        run.articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    if run.pages < len(papers.papers) * 2:
        raise SystemExit("the workers fetched next to nothing: are the papers served?")
    return run


def queue_line(samples: list[int]) -> str:
    """The queue's length over the crawl: quartiles, max, and ~12 samples in order."""
    step = max(1, len(samples) // 12)
    q = statistics.quantiles(samples, n=4) if len(samples) > 1 else samples * 3
    return (f"median {q[1]:.0f}, p75 {q[2]:.0f}, max {max(samples)}, last {samples[-1]} "
            f"({len(samples)} samples, 1/s; every {step}th: "
            f"{' '.join(str(s) for s in samples[::step])})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", "--sites", type=int, default=16)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--delay", type=float, default=0.0,
                        help="DOWNLOAD_DELAY per paper (production: 1.0 with AutoThrottle)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4, 8])
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    server = RedisServer(tmp)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores",
          flush=True)
    try:
        with Papers(args.papers, args.articles, args.latency, own_hosts=True,
                    own_text=True) as papers:
            env = {**os.environ, **server.env,
                   "NEWSARCHIVE_SITES": str(papers.registry_file(tmp))}
            one = first = None
            for workers in args.workers:
                run = crawl(workers, papers, server, env, tmp, args.delay)
                rate = run.pages / run.seconds
                one = one or rate
                fetching = run.pages / run.fetching
                first = first or fetching
                print(f"{workers} worker(s): {run.pages} pages in {run.seconds:.1f} s, "
                      f"{rate:.1f} pages/s, ratio {rate / one:.2f}; "
                      f"load {os.getloadavg()[0]:.2f}", flush=True)
                print(f"  without start-up and exit: first request to last answer "
                      f"{run.fetching:.1f} s, {fetching:.1f} pages/s, ratio "
                      f"{fetching / first:.2f}", flush=True)
                cpu = sum(run.worker_cpu)
                print(f"  CPU (user+sys) per worker: "
                      f"{' '.join(f'{c:.1f}' for c in run.worker_cpu)} s "
                      f"(total {cpu:.1f} s = {cpu / run.seconds:.2f} cores, "
                      f"{1000 * cpu / run.pages:.1f} ms/page); writer {run.writer_cpu:.1f} s "
                      f"({1000 * run.writer_cpu / run.pages:.1f} ms/page)", flush=True)
                print(f"  writer queue: {queue_line(run.queue)}; all stored "
                      f"{run.drained_after:.1f} s after the last worker; "
                      f"{run.articles} articles", flush=True)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
