"""The crawl cluster end to end, with a real Redis: worker processes and one writer
crawl several local synthetic papers. Scaled down from the issue's 2,000 articles to
4 x 60 = 240 (and 120 for the kill tests) to keep CI under a minute for this file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.support.clustersites import Papers
from tests.support.crawling import FAST, rows
from tests.support.fixtures import ROOT

pytestmark = pytest.mark.slow  # subprocesses and servers


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


def finish(proc: subprocess.Popen, timeout: float = 120, hidden: tuple[str, ...] = ()) -> str:
    """Its output, once it ended well (saying none of the `hidden` secrets)."""
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    for secret in hidden:
        assert secret not in out + err
    return out


def stored_once(db, papers: Papers) -> None:
    urls = [u for (u,) in rows(db, "SELECT url FROM articles")]
    assert len(urls) == len(set(urls))
    assert set(urls) == papers.urls()
    assert rows(db, "SELECT count(*) FROM pages WHERE kind = 'article'") == [(len(urls),)]


def test_three_workers_and_a_writer_store_every_article_once(tmp_path, redis_server):
    db = tmp_path / "archive.db"
    with Papers(sites=4, articles=60, latency=0.01) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        one_site_each = ("-s", "NEWSARCHIVE_CLUSTER_SITES=1")
        workers = [worker(papers, redis_server.url, env, f"w{i}", *one_site_each)
                   for i in range(3)]
        client = redis_server.client()
        deadline = time.monotonic() + 60
        while not client.llen("newsarchive:items"):  # workers take a few s to start
            assert time.monotonic() < deadline
            time.sleep(0.05)
        store = writer(redis_server.url, db, env, idle=4)
        while True:  # `cluster status` while they work shows the writer and the leases
            status = subprocess.run([sys.executable, "-m", "newsarchive.cli", "cluster",
                                     "status", "--cluster", redis_server.url, "--json"],
                                    cwd=ROOT, capture_output=True, text=True)
            seen = json.loads(status.stdout)
            if seen["writer"] and seen["leases"] and seen["workers"] or \
                    time.monotonic() > deadline:
                break
        secrets = (redis_server.password, redis_server.key)  # never logged
        for proc in workers:
            finish(proc, hidden=secrets)
        assert "stored: " in finish(store, hidden=secrets)
        stored_once(db, papers)
        # each site's round is a crawl run, recorded by the writer, with what it stored
        runs = rows(db, "SELECT site, sum(new), min(status), max(status), count(*) "
                        "FROM crawl_runs GROUP BY site")
        assert sorted((site, new, lo, hi) for site, new, lo, hi, _ in runs) == \
            sorted((p.id, 60, "ok", "ok") for p in papers.papers)
        assert rows(db, "SELECT count(*) FROM crawl_runs WHERE discovered = 0 "
                        "OR finished_at < started_at") == [(0,)]
        # the server saw one worker at a time on every site, and more than one worker
        assert papers.overlaps() == []
        assert len({who for *_, who, _active in papers.log}) > 1
    assert seen["writer"] is not None and seen["leases"] and seen["workers"]
    assert client.llen("newsarchive:items") == client.llen("newsarchive:processing") == 0


def test_a_writer_killed_mid_run_loses_and_duplicates_nothing(tmp_path, redis_server):
    db = tmp_path / "archive.db"
    with Papers(sites=2, articles=60) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        for proc in [worker(papers, redis_server.url, env, "w0"),
                     worker(papers, redis_server.url, env, "w1")]:
            finish(proc)
        client = redis_server.client()
        # articles, listings, and each site's round reported for its crawl run
        assert client.llen("newsarchive:items") == 2 * 60 + 2 * 3 + 2
        signer = redis_server.signer()
        replay = next(raw for raw in client.lrange("newsarchive:items", 0, -1)
                      if signer.open(raw).get("page", {}).get("kind") == "article")
        store = writer(redis_server.url, db, env, idle=30)
        deadline = time.monotonic() + 60
        while _articles(db) < 20:
            assert time.monotonic() < deadline and store.poll() is None
            time.sleep(0.05)
        store.send_signal(signal.SIGKILL)
        store.wait()
        before = rows(db, "SELECT count(*) FROM articles")[0][0]
        assert 20 <= before < 120
        # the item in hand stays in `processing`; a restarted writer puts it back first
        assert "stored: " in finish(writer(redis_server.url, db, env, idle=2))
        stored_once(db, papers)
        # an item replayed after its commit (a writer killed between commit and LREM)
        # is recognised and changes nothing
        client.rpush("newsarchive:processing", replay, replay, b"not an item")
        assert finish(writer(redis_server.url, db, env, idle=1)).strip() == \
            "stored: replayed 2, unsigned 1"
        [note] = client.lrange("newsarchive:failed", 0, -1)
        assert json.loads(note)["reason"] == "unsigned"
        stored_once(db, papers)


def _articles(db) -> int:
    import sqlite3

    try:
        return rows(db, "SELECT count(*) FROM articles")[0][0] if db.exists() else 0
    except sqlite3.OperationalError:  # the writer is still creating the schema
        return 0


def test_a_worker_killed_mid_crawl_is_taken_over_when_its_lease_expires(tmp_path,
                                                                         redis_server):
    db = tmp_path / "archive.db"
    with Papers(sites=1, articles=120, latency=0.03) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        lease = ("-s", "NEWSARCHIVE_CLUSTER_LEASE_MS=8000",
                 "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        first = worker(papers, redis_server.url, env, "w0", *lease)
        client = redis_server.client()
        deadline = time.monotonic() + 60
        while client.llen("newsarchive:items") < 30:
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert client.get("newsarchive:lease:site0")  # still held by the dead worker
        # a worker arriving meanwhile leaves the site alone
        early = worker(papers, redis_server.url, env, "w1", *lease)
        assert "being crawled by" in early.communicate(timeout=60)[1]
        deadline = time.monotonic() + 20
        while client.get("newsarchive:lease:site0"):  # nobody renews it: it expires
            assert time.monotonic() < deadline
            time.sleep(0.1)
        second = worker(papers, redis_server.url, env, "w2", *lease)
        store = writer(redis_server.url, db, env, idle=3)
        err = second.communicate(timeout=120)[1]
        assert second.returncode == 0 and "leased site0" in err, err[-3000:]
        finish(store)
        stored_once(db, papers)
        assert papers.overlaps() == []
