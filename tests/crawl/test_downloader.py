"""The per-site limit holds: at most CONCURRENT_REQUESTS_PER_DOMAIN requests at a time
to one site, as the site's server sees them (Scrapy 2.19's own downloader sent a
site's whole queue at once on the asyncio reactor)."""

from __future__ import annotations

import pytest

from tests.support.clustersites import Papers
from tests.support.crawling import FAST, crawl

pytestmark = pytest.mark.slow  # a crawl in a subprocess


@pytest.mark.parametrize("limit", [1, 2])
def test_a_site_never_sees_more_requests_at_once_than_its_limit(tmp_path, limit):
    with Papers(sites=1, articles=40, latency=0.2) as papers:
        env = {"NEWSARCHIVE_SITES": str(papers.registry_file(tmp_path))}
        crawl("site0", "--db", str(tmp_path / "archive.db"), *FAST,
              "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={limit}", env=env)
        at_once = [sum(active.values()) for *_, active in papers.log]
    assert len(at_once) >= 40  # the articles, their listings and robots.txt
    assert max(at_once) == limit
