"""The vocabulary of a crawl: one classification of failures for both spiders and the
unreachable middleware, and one verdict for a lone crawl's run and a cluster's."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError
from twisted.python.failure import Failure

from newsarchive.archive import Archive
from newsarchive.crawl.cluster.messages import RunReport
from newsarchive.crawl.cluster.writer import Round, record_run
from newsarchive.crawl.extensions.runs import CrawlRuns
from newsarchive.crawl.middlewares.budget import BudgetMiddleware
from newsarchive.crawl.middlewares.unreachable import UnreachableMiddleware
from newsarchive.crawl.outcomes import RequestRefused, Tally, classify, verdict
from newsarchive.crawl.stats import stat
from newsarchive.ground.outcomes import Reason, RunStatus

GOOD = {"extracted": 20, "new": 20, "missing": 1}
DRIFTED = {"extracted": 20, "new": 20, "missing": 15}


@pytest.mark.parametrize(("error", "key", "text", "unreachable"), [
    (DNSLookupError("no such host"), "dns", "host name not found", True),
    (CannotResolveHostError("no such host"), "dns", "host name not found", True),
    (ConnectionRefusedError(), "refused", "connection refused", True),
    (IgnoreRequest("robots.txt"), "robots", "forbidden by robots.txt", False),
    (RequestRefused(Reason.BUDGET, "pages"), "budget-pages", "over budget: pages", False),
    (RequestRefused(Reason.DNS, "baonghean.vn unreachable"), "dns", "host name not found", True),
    (HttpError(Response("https://a.vn/x", status=404), "404"), "http-404", "http 404", False),
    (ValueError("odd"), "ValueError", "ValueError", False),
])
def test_every_failure_has_one_reason(error, key, text, unreachable):
    for given in (error, Failure(error)):
        cause = classify(given)
        assert (cause.key, cause.text, cause.unreachable) == (key, text, unreachable)


def test_a_host_refused_by_the_middleware_is_unreachable_not_robots():
    crawler = SimpleNamespace(stats=Counter())
    crawler.stats.inc_value = lambda key, n=1: crawler.stats.update({key: n})
    mw = UnreachableMiddleware(crawler)
    robots = Request("https://baonghean.vn/robots.txt")
    mw.process_exception(robots, DNSLookupError("offline"))
    with pytest.raises(RequestRefused) as refused:
        mw.process_request(Request("https://baonghean.vn/rss", meta={"site": "baonghean"}))
    assert classify(refused.value).reason is Reason.DNS


def test_a_budget_refusal_is_budget():
    settings = {"NEWSARCHIVE_SITE_MAX_PAGES": 1}
    stats: dict = {}
    crawler = SimpleNamespace(
        settings=SimpleNamespace(getfloat=lambda name, default=0: settings.get(name, default)),
        spider=None,
        stats=SimpleNamespace(inc_value=lambda k, n=1: stats.update({k: stats.get(k, 0) + n}),
                              set_value=stats.__setitem__))
    mw = BudgetMiddleware(crawler)
    mw.process_request(Request("https://a.vn/bai-1.html", meta={"site": "a"}))
    with pytest.raises(RequestRefused) as refused:
        mw.process_request(Request("https://a.vn/bai-2.html", meta={"site": "a"}))
    assert classify(refused.value).key == "budget-pages"
    assert Tally(errors={"budget-pages": 1}).over_budget


@pytest.mark.parametrize(("tally", "status"), [
    (Tally({"new": 3}), RunStatus.OK),
    (Tally({"failed": 4}, {"discovery-dns": 4}), RunStatus.FAILED),
    (Tally({"failed": 4}, {"discovery-dns": 4}, skipped=2), RunStatus.OK),
    (Tally({"new": 3}, {"budget-pages": 9}), RunStatus.BUDGET),
    (Tally({"new": 3}, run_budget=True), RunStatus.BUDGET),
    (Tally(DRIFTED), RunStatus.DEGRADED),
    (Tally({}), RunStatus.EMPTY),  # nothing to discover: not `ok` with 0 found (#26)
    (Tally({"discovered": 2}, {"article-not-captured": 2}), RunStatus.OK),
])
def test_verdict(tally, status):
    said = verdict(tally, [GOOD] * 5)
    assert said.status is status
    assert bool(said.alarm) == (status is RunStatus.DEGRADED)
    assert verdict(tally, [GOOD] * 5, interrupted=True).status is RunStatus.INTERRUPTED


def lone_run(db, site: str, counts: dict, errors: dict) -> dict:
    """What the lone crawl's bookkeeping records for these counts."""
    stats = {stat(site, k): v for k, v in counts.items()}
    stats |= {stat(site, f"errors/{k}"): v for k, v in errors.items()}
    crawler = SimpleNamespace(stats=SimpleNamespace(get_stats=lambda: stats))
    runs = CrawlRuns(crawler)
    runs.archive = Archive(db)
    runs.runs = {site: runs.archive.runs.start(site)}
    runs.closed(None)
    return Archive(db).runs.latest(site)[0]


def cluster_run(db, site: str, counts: dict, errors: dict) -> dict:
    """What the cluster's writer records for the same counts, its articles stored by it."""
    archive = Archive(db)
    kept = ("new", "changed", "unchanged", "missing", "fallback")
    stored = Round(counts=Counter({k: v for k, v in counts.items() if k in kept}))
    report = RunReport(SimpleNamespace(id=site), "w1", "2026-07-01T00:00:00Z",
                       {k: v for k, v in counts.items() if k not in kept}, errors)
    record_run(archive, report, stored)
    return archive.runs.latest(site)[0]


@pytest.mark.parametrize(("counts", "errors"), [
    ({"new": 3, "extracted": 3}, {}),
    ({"failed": 4}, {"discovery-dns": 4}),
    ({"new": 3, "extracted": 3}, {"budget-seconds": 2}),
    (DRIFTED, {}),
])
def test_the_lone_crawl_and_the_cluster_give_the_same_verdict(tmp_path, counts, errors):
    for record in (lone_run, cluster_run):
        history = Archive(tmp_path / f"{record.__name__}.db")
        for _ in range(5):
            history.runs.record("baothu", "2026-06-01T00:00:00Z", GOOD, {})
        history.close()
    lone = lone_run(tmp_path / "lone_run.db", "baothu", counts, errors)
    cluster = cluster_run(tmp_path / "cluster_run.db", "baothu", counts, errors)
    assert lone["status"] == cluster["status"]
    assert lone["alarm"] == cluster["alarm"]
    expected = verdict(Tally(counts, errors), [GOOD] * 5)
    assert lone["status"] == expected.status
