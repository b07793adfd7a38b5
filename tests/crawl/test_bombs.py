"""#24 finding 10 and its lower items, through a real crawl of a hostile local site:
pages built to exhaust memory are counted for what they are and the crawl goes on."""

from __future__ import annotations

import json

import pytest
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from twisted.python.failure import Failure

from newsarchive.crawl.outcomes import classify
from newsarchive.ground.outcomes import Reason
from tests.support.crawling import FAST, crawl, rows
from tests.support.hostile import HostileSite, gzip_bomb, memory_bomb


def _failure(exc: Exception, cause: Exception | None = None) -> Failure:
    try:
        raise exc from cause
    except Exception:
        return Failure()


def test_which_failures_are_too_large():
    """Scrapy's words for a body past DOWNLOAD_MAXSIZE; robots.txt keeps its own."""
    bomb = _failure(IgnoreRequest("Ignored response"), _DecompressionMaxSizeExceeded(9, 8))
    big = _failure(DownloadCancelledError("Cancelling download: 30000000 > 20971520"))
    robots = _failure(IgnoreRequest("Forbidden by robots.txt"))
    assert classify(bomb).reason is classify(big).reason is Reason.TOO_LARGE
    assert classify(bomb).text == "too large"
    assert classify(robots).reason is Reason.ROBOTS


def _run(db) -> tuple[str, dict]:
    status, errors = rows(db, "SELECT status, errors FROM crawl_runs")[0]
    return status, json.loads(errors or "{}")


@pytest.mark.slow
def test_a_page_past_the_memory_ceiling_is_counted_and_the_crawl_goes_on(tmp_path):
    db = tmp_path / "archive.db"
    bomb = (memory_bomb(), {})
    with HostileSite(feed_items=6, served={"/bai-4.html": bomb}) as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        proc = crawl("hostile", "--db", str(db), *FAST, "-s", "NEWSARCHIVE_EXTRACT_WORKERS=1",
                     "-s", "NEWSARCHIVE_EXTRACT_MEMORY_MB=96", "-s", "CONCURRENT_REQUESTS=1",
                     env=env, timeout=240)
        base = site.base()
    assert proc.returncode in (0, 1), proc.stderr
    status, errors = _run(db)
    assert errors.get("extractor-memory") == 1, (errors, proc.stderr[-2000:])
    stored = {u for (u,) in rows(db, "SELECT url FROM articles")}
    assert stored == {f"{base}/bai-{n}.html" for n in (3, 5, 6)}
    assert status == "ok"


@pytest.mark.slow
def test_a_gzip_bomb_is_too_large_not_robots_and_the_run_is_not_ok(tmp_path):
    """Scrapy refuses the body as it expands past DOWNLOAD_MAXSIZE with IgnoreRequest,
    which the spider counted as a robots.txt refusal, in a run it called `ok`."""
    db = tmp_path / "archive.db"
    with HostileSite(feed_items=3, served={"/bai-3.html": gzip_bomb()}) as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        crawl("hostile", "--db", str(db), *FAST, env=env, timeout=120)
    status, errors = _run(db)
    assert errors.get("article-too-large") == 1, errors
    assert "robots" not in json.dumps(errors)
    assert not rows(db, "SELECT url FROM articles")
    assert status == "failed"
