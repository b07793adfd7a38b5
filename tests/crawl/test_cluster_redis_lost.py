"""A cluster whose Redis dies: the writer (`newsarchive ingest`) says so in one line,
retries for `--redis-wait` seconds, then exits 1 with what it stored committed; back in
time, it goes on. Real redis-server, writer and worker processes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time

import pytest

from tests.support.clustersites import Papers, cli, finish, stored_once, worker
from tests.support.crawling import rows

pytestmark = pytest.mark.slow  # subprocesses and servers


def _articles(db) -> int:
    try:
        return rows(db, "SELECT count(*) FROM articles")[0][0] if db.exists() else 0
    except sqlite3.OperationalError:  # the writer is still creating the schema
        return 0


def _kill(server) -> None:
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait()


def _restart(server) -> subprocess.Popen:
    """The same redis-server (port, password) again, empty, as after a crash."""
    server.proc = subprocess.Popen(
        ["redis-server", "--port", str(server.port), "--bind", "127.0.0.1",
         "--requirepass", server.password, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            server.client().ping()
            return server.proc
        except Exception:
            assert time.monotonic() < deadline, "redis-server did not start again"
            time.sleep(0.1)


@pytest.mark.parametrize("when", [20, 120])  # storing, or idle with everything stored
def test_a_writer_whose_redis_dies_says_so_and_exits_1_keeping_what_it_stored(
        tmp_path, redis_server, when):
    db = tmp_path / "archive.db"
    with Papers(sites=2, articles=60) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        finish(worker(papers, redis_server.url, env, "w0"))
        # an idle exit far away: only the lost Redis may end it
        store = cli("ingest", "--cluster", redis_server.url, "--db", str(db),
                    "--idle-exit", "120", "--redis-wait", "3", env=env)
        deadline = time.monotonic() + 60
        while _articles(db) < when:
            assert time.monotonic() < deadline and store.poll() is None
            time.sleep(0.05)
        _kill(redis_server)
        seen = _articles(db)
        started = time.monotonic()
        out, err = store.communicate(timeout=60)
        took = time.monotonic() - started
    assert store.returncode == 1, err[-2000:]
    assert took < 20  # 3 s of retries with backoff, not forever
    assert "Traceback" not in err and redis_server.password not in out + err
    assert sum("lost redis at redis://:***@127.0.0.1" in line
               for line in err.splitlines()) == 1
    [last] = [line for line in err.splitlines() if line.startswith("newsarchive:")]
    assert last.startswith("newsarchive: writer stopped: redis at redis://:***@")
    assert "unreachable" in last and str(db) in last
    # everything it had stored is there, whole
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    stored = _articles(db)
    assert seen <= stored <= 120
    assert rows(db, "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM "
                    "pages p WHERE p.kind = 'article' AND p.url = a.url)") == [(0,)]


def test_a_writer_whose_redis_comes_back_in_time_goes_on(tmp_path, redis_server):
    db = tmp_path / "archive.db"
    with Papers(sites=2, articles=40) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        finish(worker(papers, redis_server.url, env, "w0"))
        store = cli("ingest", "--cluster", redis_server.url, "--db", str(db),
                    "--idle-exit", "15", "--redis-wait", "60", env=env)
        deadline = time.monotonic() + 60
        while _articles(db) < 10:
            assert time.monotonic() < deadline and store.poll() is None
            time.sleep(0.05)
        _kill(redis_server)
        time.sleep(2)
        assert store.poll() is None  # still waiting for it
        _restart(redis_server)  # empty: what was queued died with it
        finish(worker(papers, redis_server.url, env, "w1"))  # the crawl again
        err = finish(store, stream=1)
    assert "lost redis at" in err and redis_server.password not in err
    stored_once(db, papers)


def test_a_worker_whose_redis_dies_says_so_and_exits_1(tmp_path, redis_server):
    with Papers(sites=1, articles=200, latency=0.05) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        crawl = worker(papers, redis_server.url, env, "w0",
                       "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                       "-s", "NEWSARCHIVE_CLUSTER_REDIS_WAIT=3",
                       "-s", "NEWSARCHIVE_CLUSTER_LEASE_MS=3000")
        client = redis_server.client()
        deadline = time.monotonic() + 60
        while client.llen("newsarchive:items") < 20:  # mid-crawl
            assert time.monotonic() < deadline and crawl.poll() is None
            time.sleep(0.05)
        _kill(redis_server)
        started = time.monotonic()
        out, err = crawl.communicate(timeout=60)
        took = time.monotonic() - started
    assert crawl.returncode == 1, err[-2000:]
    assert took < 20
    assert "Traceback" not in err and redis_server.password not in out + err
    lines = err.splitlines()
    assert sum("lost redis at redis://:***@127.0.0.1" in line for line in lines) == 1
    assert lines[-1].startswith("newsarchive: worker stopped: redis at redis://:***@")
    assert "worker done (redis-lost)" in out
