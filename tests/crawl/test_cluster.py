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

from tests.support.clustersites import Papers, finish, stored_once, worker, writer
from tests.support.crawling import rows
from tests.support.fixtures import ROOT

pytestmark = pytest.mark.slow  # subprocesses and servers


def test_three_workers_and_a_writer_store_every_article_once(tmp_path, redis_server):
    db = tmp_path / "archive.db"
    with Papers(sites=4, articles=60, latency=0.01) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        one_site_each = ("-s", "NEWSARCHIVE_CLUSTER_SITES=1")
        workers = [worker(papers, redis_server.url, env, f"w{i}", *one_site_each)
                   for i in range(3)]
        client = redis_server.client()
        deadline = time.monotonic() + 60
        store = None  # started once items wait for it (workers take a few s to start)
        seen = {"writer": None, "leases": None, "workers": None}
        while True:  # `cluster status` while they work shows the leases, workers, writer
            status = subprocess.run([sys.executable, "-m", "newsarchive.cli", "cluster",
                                     "status", "--cluster", redis_server.url, "--json"],
                                    cwd=ROOT, capture_output=True, text=True)
            shown = json.loads(status.stdout)
            seen = {k: seen[k] or shown[k] for k in seen}  # each at some point: small
            if store is None and client.llen("newsarchive:items"):  # papers are quick
                store = writer(redis_server.url, db, env, idle=8)
            if store is not None and all(seen.values()) or time.monotonic() > deadline:
                break
        assert store is not None, "no worker pushed an item in 60 s"
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
        # a worker arriving meanwhile leaves the site alone (the lease is stretched while
        # it starts: a loaded machine can take longer than 8 s to start Scrapy)
        client.pexpire("newsarchive:lease:site0", 120_000)
        early = worker(papers, redis_server.url, env, "w1", *lease)
        assert "being crawled by" in early.communicate(timeout=120)[1]
        client.pexpire("newsarchive:lease:site0", 8000)
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


# Redis is a boundary: what anyone who can write to it may try (issue #24, findings 1, 2).

class Boom:
    """A pickle that runs a command when unpickled."""

    def __init__(self, marker) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_pickled_request_in_redis_is_refused_never_run(tmp_path, redis_server):
    import pickle

    from newsarchive.crawl.cluster.signing import Signer

    marker = tmp_path / "pwned"
    client = redis_server.client()
    queue = "newsarchive:requests:site0"
    client.zadd(queue, {pickle.dumps(Boom(marker)): -1000})  # popped first
    forged = Signer(b"not the cluster's key, but long enough").seal(
        {"url": "http://127.0.0.1:1/x", "callback": "parse_listing", "meta": {}})
    client.zadd(queue, {forged: -999})
    with Papers(sites=1, articles=3) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        proc = worker(papers, redis_server.url, env, "w0")
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "Traceback" not in err, err[-3000:]
    assert not marker.exists()
    assert client.hgetall("newsarchive:refused") == {b"unsigned": b"1", b"bad-signature": b"1"}
    assert "refused a request from newsarchive:requests:site0 (unsigned" in err
    assert "2 requests refused" in out
    # the crawl itself went on: 3 articles, 1 listing, the round's report
    assert client.llen("newsarchive:items") == 5


def test_credentials_and_key_mistakes_are_one_line_exit_2(tmp_path, redis_server):
    with Papers(sites=1, articles=1) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        wrong = redis_server.url.replace(redis_server.password, "guessed")
        for url, extra, said in [
                (wrong, {}, "refused the credentials"),
                (redis_server.bare_url, {}, "refused the credentials"),
                (redis_server.url, {"NEWSARCHIVE_CLUSTER_KEY": ""},
                 "head -c 32 /dev/urandom | base64 > cluster.key"),
                (redis_server.url, {"NEWSARCHIVE_CLUSTER_KEY": "short"}, "too short")]:
            for proc in (worker(papers, url, {**env, **extra}, "w0"),
                         writer(url, tmp_path / "a.db", {**env, **extra})):
                out, err = proc.communicate(timeout=60)
                assert proc.returncode == 2, err
                assert err.strip().count("\n") == 0 and said in err, err
                assert "guessed" not in err and redis_server.password not in err
    assert not (tmp_path / "a.db").exists()


def test_workers_wait_while_the_items_queue_is_full(tmp_path, redis_server):
    db, cap = tmp_path / "archive.db", 10
    with Papers(sites=1, articles=40) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        proc = worker(papers, redis_server.url, env, "w0",
                      "-s", f"NEWSARCHIVE_CLUSTER_MAX_ITEMS={cap}")
        client = redis_server.client()
        deadline, longest, full_since = time.monotonic() + 90, 0, None
        while full_since is None or time.monotonic() - full_since < 3:
            assert time.monotonic() < deadline and proc.poll() is None
            longest = max(longest, client.llen("newsarchive:items"))
            if longest >= cap and full_since is None:
                full_since = time.monotonic()
            time.sleep(0.05)
        assert longest == cap  # held there, the worker still running
        store = writer(redis_server.url, db, env, idle=3)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and "the writer is behind" in err, err[-3000:]
        finish(store)
        stored_once(db, papers)


def _papers_ab():
    """Two papers on their own hosts (nothing is fetched: the items are made here)."""
    from newsarchive.sites import Registry, Site

    return Registry(Site(id=name, name=f"Báo {name}", home=f"http://{name}.test/",
                         platform=None, article_pattern=r"/bai-\d+\.html$",
                         province="Nghệ An") for name in ("papera", "paperb"))


def _item(registry, site: str, n: int, worker_name: str = "w1") -> dict:
    """The item a worker of `site` pushes for its article n, as JSON data."""
    from newsarchive.crawl.cluster.components import to_message
    from newsarchive.crawl.ingest import read
    from newsarchive.crawl.items import Fetched
    from newsarchive.ground.page import Page
    from tests.support.clustersites import Paper

    paper = Paper(0, 1, 0.0, [])
    paper.server.server_close()
    page = Page(url=f"http://{site}.test/bai-{n}.html", body=paper.article(n),
                headers={"content-type": "text/html; charset=utf-8"},
                fetched_at="2026-12-01T00:00:00Z")
    return json.loads(json.dumps(to_message(Fetched(page, site), read(page, registry.get(site)),
                                            worker_name)))


def _dump(db) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def test_the_writer_refuses_every_forged_item_and_the_archive_is_unchanged(
        tmp_path, redis_server, caplog):
    import base64
    import pickle
    from collections import Counter

    from newsarchive.crawl.cluster import status, writer
    from newsarchive.crawl.cluster.signing import Signer

    registry, signer, client = _papers_ab(), redis_server.signer(), redis_server.client()
    db = tmp_path / "archive.db"
    good = _item(registry, "paperb", 1)
    good["reading"]["article"]["title"] += "\x07"  # a control character: cleaned
    client.rpush("newsarchive:items", signer.seal(good))
    assert writer.run(redis_server.url, str(db), registry, signer, idle_exit=0.3) == \
        Counter(new=1)
    [(title,)] = rows(db, "SELECT title FROM articles")
    assert "\x07" not in title
    # places are tagged by the writer from the text (Diễn Châu is in Nghệ An)
    assert rows(db, "SELECT count(*) FROM article_places")[0][0] > 0
    before = _dump(db)

    def forged(site: str, n: int, change) -> bytes:
        item = _item(registry, site, n, "mallory")
        change(item)
        return signer.seal(item)

    def article(**fields):
        return lambda item: item["reading"]["article"].update(fields)

    def unknown_site(item):  # an unknown site carrying paper B's URL
        item["site"] = item["reading"]["article"]["site"] = "ghost"
        item["reading"]["article"]["title"] = "Overwritten"

    def a_with_b_url(item):  # paper A's message with paper B's page and article
        item["site"] = item["reading"]["article"]["site"] = "papera"
        item["reading"]["article"]["title"] = "Overwritten"

    def places(item):
        item["reading"]["places"] = [{"name": "Hà Nội", "province": "Nghệ An"}]

    def huge(item):
        item["page"]["body"] = base64.b64encode(b"<p>x</p>" * (60 * 1024 * 1024 // 8)).decode()

    def javascript_page(item):
        item["page"]["url"] = "javascript:alert(1)//papera.test/bai-7.html"

    run = {"kind": "run", "site": "<b>papera</b>", "worker": "mallory",
           "started_at": "2026-12-01T00:00:00Z", "counts": {"new": 1}, "errors": {}}
    items = [
        forged("paperb", 1, unknown_site),
        forged("paperb", 1, a_with_b_url),
        forged("papera", 2, article(site="paperb")),   # A's article labelled B
        forged("papera", 3, places),
        forged("papera", 4, huge),
        forged("papera", 5, article(url="javascript:alert(1)")),
        forged("papera", 7, javascript_page),
        signer.seal(run),
        signer.seal({**run, "site": "papera", "counts": {"new": -5}}),
        signer.seal({"kind": "gone", "site": "papera", "worker": "mallory", "status": 404,
                     "url": "http://paperb.test/bai-1.html", "seen_at": "2026-12-02T00:00:00Z"}),
        json.dumps(_item(registry, "papera", 6, "mallory")).encode(),          # unsigned
        Signer(b"a key the cluster does not use, long").seal(_item(registry, "papera", 6,
                                                                   "mallory")),
        pickle.dumps(Boom(tmp_path / "pwned")),
    ]
    client.rpush("newsarchive:items", *items)
    caplog.set_level("ERROR", logger="newsarchive.crawl.cluster.writer")
    counts = writer.run(redis_server.url, str(db), registry, signer, idle_exit=0.3)
    assert counts == Counter({"unknown-site": 2, "out-of-scope": 2, "wrong-site": 1,
                              "malformed": 2, "too-large": 1, "not-http": 2, "unsigned": 2,
                              "bad-signature": 1})
    assert _dump(db) == before
    assert not (tmp_path / "pwned").exists()
    assert {k.decode(): int(v) for k, v in client.hgetall("newsarchive:refused").items()} \
        == counts
    notes = [json.loads(n) for n in client.lrange("newsarchive:failed", 0, -1)]
    assert [n["reason"] for n in notes] == ["unknown-site", "out-of-scope", "wrong-site",
                                            "malformed", "too-large", "not-http", "not-http",
                                            "unknown-site", "malformed", "out-of-scope",
                                            "unsigned", "bad-signature", "unsigned"]
    assert max(n["bytes"] for n in notes) > 60 * 1024 * 1024  # noted, not kept:
    assert max(len(raw) for raw in client.lrange("newsarchive:failed", 0, -1)) < 1000
    assert sum("refused an item from worker mallory" in r.message
               for r in caplog.records) == len(items) - 1  # the pickle names nobody
    assert status.status(client)["refused"] == counts


def test_the_failed_list_stays_bounded(tmp_path, redis_server, monkeypatch):
    from newsarchive.crawl.cluster import status, writer

    monkeypatch.setattr(writer, "FAILED_MAX", 5)
    client = redis_server.client()
    client.rpush("newsarchive:items", *(f"junk {i}".encode() for i in range(12)))
    counts = writer.run(redis_server.url, str(tmp_path / "archive.db"), _papers_ab(),
                        redis_server.signer(), idle_exit=0.3)
    assert counts == {"unsigned": 12}
    assert [json.loads(n)["head"] for n in client.lrange("newsarchive:failed", 0, -1)] == \
        [f"junk {i}" for i in range(7, 12)]
    assert status.status(client)["failed"] == 5


def test_cluster_status_shows_forged_heartbeats_as_unreadable_text(redis_server):
    client = redis_server.client()
    client.hset("newsarchive:workers", mapping={"w\x1b[31mred": "not json",
                                                "w2": json.dumps({"seen": 0, "sites": [1]})})
    client.set("newsarchive:writer", json.dumps({"seen": "soon"}))
    client.hincrby("newsarchive:refused", "unsigned", 3)
    client.hset("newsarchive:interrupted", "site\x1b[2J0", "not json")
    shown = subprocess.run([sys.executable, "-m", "newsarchive.cli", "cluster", "status",
                            "--cluster", redis_server.url], cwd=ROOT, capture_output=True,
                           text=True)
    assert shown.returncode == 0, shown.stderr
    assert "\x1b" not in shown.stdout and "refused: unsigned 3" in shown.stdout
    assert "failed: 0 (newest 1000 kept)" in shown.stdout
    assert "interrupted rounds: 1" in shown.stdout and "unreadable" in shown.stdout
