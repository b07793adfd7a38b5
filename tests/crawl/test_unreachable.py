"""A host that does not resolve is asked once a run: the rest fail at once, counted."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.statscollectors import MemoryStatsCollector
from twisted.internet.error import DNSLookupError

from newsarchive.crawl.middlewares.unreachable import UnreachableMiddleware
from newsarchive.crawl.outcomes import RequestRefused
from newsarchive.crawl.stats import stat


class Crawler:
    def __init__(self):
        from scrapy.settings import Settings

        self.settings = Settings()
        self.stats = MemoryStatsCollector(self)
        self.spider = None


def test_a_host_that_failed_dns_is_not_asked_again():
    crawler = Crawler()
    mw = UnreachableMiddleware(crawler)
    first = Request("https://baonghean.vn/rss/thoi-su", meta={"site": "baonghean"})
    assert mw.process_request(first) is None
    assert mw.process_exception(first, DNSLookupError("no such host")) is None  # retry decides
    other = Request("https://baonghean.vn/rss/kinh-te", meta={"site": "baonghean"})
    with pytest.raises(RequestRefused):
        mw.process_request(other)
    article = Request("https://baonghean.vn/a-10304595.html",
                      meta={"site": "baonghean", "known": False})
    with pytest.raises(RequestRefused):
        mw.process_request(article)
    stats = crawler.stats.get_stats()
    assert stats[stat("baonghean", "failed")] == 2
    assert stats[stat("baonghean", "errors/discovery-dns")] == 1
    assert stats[stat("baonghean", "errors/article-dns")] == 1
    assert mw.process_request(Request("https://baolaocai.vn/")) is None  # other hosts: asked
