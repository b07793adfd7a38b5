"""Why the cluster adapts scrapy-redis 0.9.1 under Scrapy 2.19 (no Redis needed here)."""

from __future__ import annotations

import warnings

import pytest
from scrapy import Request
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.utils.deprecate import argument_is_required
from scrapy_redis.pipelines import RedisPipeline
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from newsarchive.crawl.cluster.components import ItemsPipeline, Scheduler, to_message
from newsarchive.crawl.cluster.messages import PageItem
from newsarchive.crawl.ingest import read
from newsarchive.crawl.items import Fetched
from newsarchive.ground.page import Page
from newsarchive.sites import Registry, Site
from tests.support.clustersites import Paper


class Stats:
    def __init__(self) -> None:
        self.values: dict = {}

    def inc_value(self, key, count=1, start=0, spider=None):
        if spider is not None:  # as Scrapy 2.19's StatsCollector does
            warnings.warn("Passing a 'spider' argument to StatsCollector.inc_value() is "
                          "deprecated", ScrapyDeprecationWarning, stacklevel=2)
        self.values[key] = self.values.get(key, start) + count


class Seen:
    def request_seen(self, request):
        return False


class Queue(list):
    def push(self, request):
        self.append(request)

    def pop(self, timeout=0):
        return super().pop() if self else None


def scheduler(cls):
    s = cls(server=None, dupefilter=Seen())
    s.queue, s.stats, s.spider = Queue(), Stats(), object()
    return s


def test_scrapy_redis_scheduler_passes_the_spider_scrapy_2_19_deprecates():
    original = scheduler(RedisScheduler)
    with pytest.warns(ScrapyDeprecationWarning):
        original.enqueue_request(Request("http://127.0.0.1/a"))
    ours = scheduler(Scheduler)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ours.enqueue_request(Request("http://127.0.0.1/a"))
        assert ours.next_request().url == "http://127.0.0.1/a"
    assert ours.stats.values == {"scheduler/enqueued/redis": 1, "scheduler/dequeued/redis": 1}


def test_scrapy_redis_pipeline_wants_the_spider_argument_ours_does_not():
    # Scrapy 2.19 warns for a process_item that requires `spider` (and will stop passing it)
    assert argument_is_required(RedisPipeline.process_item, "spider")
    assert not argument_is_required(ItemsPipeline.process_item, "spider")


def test_an_item_carries_the_page_and_the_extracted_article_as_json():
    import json

    paper = Paper(0, 1, 0.0, [])
    paper.server.server_close()
    site = Site(**{k: v for k, v in paper.entry().items() if k != "listings"})
    page = Page(url=f"{paper.base}/bai-1.html", body=paper.article(1),
                headers={"content-type": "text/html; charset=utf-8"},
                fetched_at="2026-12-01T00:00:00Z")
    reading = read(page, site)
    message = json.loads(json.dumps(to_message(Fetched(page, "site0"), reading, "w1")))
    assert "places" not in message["reading"]  # the writer tags them itself
    item = PageItem.parse(message, Registry([site]))
    assert item.page == page and item.site == site and item.worker == "w1"
    assert item.reading.article == reading.article
    assert item.reading.missing == reading.missing


def test_cluster_status_says_in_one_line_that_redis_is_unreachable():
    from click.testing import CliRunner

    from newsarchive.cli import main
    from tests.support.redisrv import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"
    result = CliRunner().invoke(main, ["cluster", "status", "--cluster", url])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert "unreachable" in result.output and "Traceback" not in result.output
