"""The cluster's processes as its end-to-end tests run them (workers, the writer) over
the synthetic papers of `bench.clustersites` (bench stands on its own, issue #25)."""

from __future__ import annotations

import os
import subprocess
import sys

from bench.clustersites import PER_PAGE, Paper, Papers
from tests.support.crawling import FAST, rows
from tests.support.fixtures import ROOT

__all__ = ["PER_PAGE", "Paper", "Papers", "cli", "finish", "stored_once", "worker", "writer"]


# The cluster's processes, as its end-to-end tests run them.

def cli(*args: str, env: dict, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newsarchive.cli", *args], cwd=ROOT,
                            env={**os.environ, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def worker(papers: Papers, url: str, env: dict, name: str, *extra: str) -> subprocess.Popen:
    return cli("crawl", *(p.id for p in papers.papers), "--cluster", url, "--max-pages", "50",
               *FAST, "-s", f"USER_AGENT={name}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
               *extra, env=env)


def writer(url: str, db, env: dict, idle: float = 3) -> subprocess.Popen:
    return cli("ingest", "--cluster", url, "--db", str(db), "--idle-exit", str(idle), env=env)


def finish(proc: subprocess.Popen, timeout: float = 120, hidden: tuple[str, ...] = (),
           stream: int = 0) -> str:
    """Its output (`stream` 1: its error output), once it ended well (saying none of the
    `hidden` secrets)."""
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    for secret in hidden:
        assert secret not in out + err
    return err if stream else out


def stored_once(db, papers: Papers) -> None:
    urls = [u for (u,) in rows(db, "SELECT url FROM articles")]
    assert len(urls) == len(set(urls))
    assert set(urls) == papers.urls()
    assert rows(db, "SELECT count(*) FROM pages WHERE kind = 'article'") == [(len(urls),)]
