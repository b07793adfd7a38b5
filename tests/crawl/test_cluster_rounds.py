"""A cluster worker's round of a site, as its crawl_runs row tells it: a page past the
extraction limits counted as in a lone crawl, a round stopped by SIGINT/SIGTERM recorded
`interrupted` (and resumed), and a layout drift raising the lone crawl's alarm and status
(issue #24 item 10, issue #25 item 2 and its quality bar)."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from scrapy.settings import Settings

from newsarchive.archive import Archive
from newsarchive.crawl.cluster import writer
from newsarchive.crawl.cluster.components import ReadPipeline, read_untagged
from newsarchive.crawl.cluster.messages import PageItem, RunReport
from newsarchive.crawl.ingest import read
from newsarchive.crawl.items import Fetched
from newsarchive.ground.page import Page
from newsarchive.sites import Registry, Site
from tests.support.clustersites import Paper, Papers, finish, stored_once, worker
from tests.support.clustersites import writer as writer_proc
from tests.support.crawling import FAST, crawl, rows
from tests.support.fixtures import ROOT
from tests.support.hostile import memory_bomb


def _paper() -> tuple[Paper, Site]:
    paper = Paper(0, 3, 0.0, [])
    paper.server.server_close()
    return paper, Site(**{k: v for k, v in paper.entry().items() if k != "listings"})


def _page(paper: Paper, n: int, body: bytes | None = None) -> Page:
    return Page(url=f"{paper.base}/bai-{n}.html", body=body or paper.article(n),
                headers={"content-type": "text/html; charset=utf-8"},
                fetched_at=f"2026-12-01T00:00:0{n}Z")


class Stats(dict):
    def inc_value(self, key, count=1, start=0):
        self[key] = self.get(key, start) + count


def test_the_worker_reads_without_tagging_places_the_writer_tags_them():
    paper, site = _paper()
    page = _page(paper, 1)
    assert read(page, site).places  # Diễn Châu, in Nghệ An
    untagged = read_untagged(page, site)
    assert untagged.places is None and untagged.article == read(page, site).article


def test_a_memory_bomb_on_a_worker_is_extractor_memory_and_the_worker_goes_on(
        tmp_path, redis_server):
    """#24 item 10 on a cluster worker: the page past the pool's ceiling is counted
    `extractor-memory` in the site's run, the pages after it are read and stored."""
    paper, site = _paper()
    registry = Registry([site])
    crawler = SimpleNamespace(
        settings=Settings({"NEWSARCHIVE_EXTRACT_WORKERS": 1, "NEWSARCHIVE_EXTRACT_TIMEOUT": 20,
                           "NEWSARCHIVE_EXTRACT_MEMORY_MB": 96}),
        stats=Stats(), spider=SimpleNamespace(registry=registry, worker="w1"))
    pipeline = ReadPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pages = [_page(paper, 1), _page(paper, 2, memory_bomb()), _page(paper, 3)]

    async def one_by_one():
        return [await pipeline.process_item(Fetched(p, site.id)) for p in pages]

    try:
        messages = asyncio.run(one_by_one())
    finally:
        pipeline.close_spider()
    assert [m["reading"]["failure"] for m in messages] == [None, "extractor-memory", None]
    assert crawler.stats == {"newsarchive/site0/extracted": 3, "newsarchive/site0/pushed": 3}
    archive, rounds = Archive(str(tmp_path / "archive.db")), {}
    client, signer = redis_server.client(), redis_server.signer()
    for message in messages:
        item = PageItem.parse(json.loads(json.dumps(message)), registry)
        writer.store(archive, client, signer, item, rounds)
    report = {"kind": "run", "site": site.id, "worker": "w1",
              "started_at": "2026-12-01T00:00:00Z", "counts": {"extracted": 3},
              "errors": {}}
    assert writer.store(archive, client, signer, RunReport.parse(report, registry),
                        rounds) == "run"
    [run] = archive.runs.since(0)
    assert (run["status"], run["new"], run["failed"], json.loads(run["errors"])) == \
        ("ok", 2, 1, {"extractor-memory": 1})
    assert json.loads(run["examples"]) == [pages[1].url]
    archive.close()


def _status(url: str) -> str:
    shown = subprocess.run([sys.executable, "-m", "newsarchive.cli", "cluster", "status",
                            "--cluster", url], cwd=ROOT, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_worker_stopped_mid_round_reports_it_interrupted_and_the_next_resumes(
        tmp_path, redis_server, signum):
    db, name = tmp_path / "archive.db", signal.Signals(signum).name
    with Papers(sites=1, articles=60, latency=0.03) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        one = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        first = worker(papers, redis_server.url, env, "w0", *one)
        client = redis_server.client()
        deadline = time.monotonic() + 60
        while client.llen("newsarchive:items") < 10:
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        first.send_signal(signum)
        out, err = first.communicate(timeout=60)
        assert first.returncode == 128 + signum, err[-3000:]
        assert "Traceback" not in err
        said = [line for line in err.splitlines() if "run the same command" in line]
        assert said == [f"newsarchive: worker interrupted ({name}), 1 site round(s) "
                        "reported interrupted: their requests stay queued in Redis; run the "
                        "same command again (or any worker) to resume"]
        assert err.splitlines()[-1] == said[0]  # the last word, after the worker's log
        assert client.get("newsarchive:lease:site0") is None  # free for the next worker
        assert not client.exists("newsarchive:done:site0")
        shown = _status(redis_server.url)
        assert "interrupted rounds: 1" in shown and "site0" in shown and name in shown
        finish(writer_proc(redis_server.url, db, env, idle=2))
        [(status, new, alarm)] = rows(db, "SELECT status, new, alarm FROM crawl_runs")
        assert status == "interrupted" and 0 < new < 60 and alarm is None
        if signum == signal.SIGINT:
            return
        # the next worker resumes the site; every article stored once, the round ok
        assert "leased site0, resuming" in finish(worker(papers, redis_server.url, env,
                                                        "w1"), stream=1)
        finish(writer_proc(redis_server.url, db, env, idle=2))
        stored_once(db, papers)
        assert [s for (s,) in rows(db, "SELECT status FROM crawl_runs ORDER BY id")] == \
            ["interrupted", "ok"]
        assert "interrupted rounds" not in _status(redis_server.url)


RUN = ("SELECT status, alarm, discovered, extracted, missing, fallback, new, changed, "
       "unchanged, failed, errors FROM crawl_runs ORDER BY id")


@pytest.mark.slow
def test_a_cluster_crawl_whose_layout_drifts_raises_the_lone_crawls_alarm_and_status(
        tmp_path, redis_server):
    """#25: the same pages crawled by a worker and its writer, and by a lone crawl, give
    the same crawl_runs rows: two good rounds, then a redesign that loses the title and
    body layout: `degraded`, with the same drift alarm."""
    cluster_db, lone_db = tmp_path / "archive.db", tmp_path / "lone.db"
    with Papers(sites=1, articles=6) as papers:
        paper = papers.papers[0]
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path)), **redis_server.env}
        for articles, drifted in ((6, False), (12, False), (18, True)):
            paper.articles, paper.drifted = articles, drifted  # 6 new articles each time
            finish(worker(papers, redis_server.url, env, "w0",
                          "-s", "NEWSARCHIVE_CLUSTER_DONE_TTL=0"))
            finish(writer_proc(redis_server.url, cluster_db, env, idle=1))
            lone = crawl(paper.id, "--db", str(lone_db), "--max-pages", "50", *FAST, env=env)
            assert lone.returncode == 0, lone.stderr[-3000:]
    cluster, alone = rows(cluster_db, RUN), rows(lone_db, RUN)
    assert [r[:-1] for r in cluster] == [r[:-1] for r in alone]
    assert [json.loads(r[-1]) for r in cluster] == [json.loads(r[-1]) for r in alone]
    assert [(r[0], r[3], r[6]) for r in cluster] == [("ok", 6, 6), ("ok", 6, 6),
                                                     ("degraded", 6, 0)]
    assert cluster[-1][1] == ("100% of articles incomplete or from the generic fallback "
                              "(recent runs: 0%); the site's layout has probably changed")
    [(examples,)] = rows(cluster_db, "SELECT examples FROM crawl_runs WHERE status = "
                                     "'degraded'")
    assert len(json.loads(examples)) == 5
