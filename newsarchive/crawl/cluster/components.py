"""scrapy-redis's components, adapted where scrapy-redis 0.9.1 and our crawl differ.

- `Scheduler`: scrapy-redis's, counting its stats without the `spider=` argument that
  Scrapy 2.19 deprecates (a warning on the first request, removal announced).
- `SiteQueue`: scrapy-redis's priority queue, one sorted set per site, popping only from
  the sites this worker holds a lease on (scrapy-redis has one queue per spider, which
  any worker pops from: two workers would then fetch the same site at once).
- `SiteDupeFilter`: scrapy-redis's `RFPDupeFilter`, with one fingerprint set per site, so
  that a finished site's set can be dropped on its own.
- `ItemsPipeline`: scrapy-redis's `RedisPipeline` without its `process_item(item, spider)`
  signature and `deferToThread` Deferred, both deprecated by Scrapy 2.19 (a warning per
  crawl, and removal announced), and with a retry while Redis is unreachable.
- `ReadPipeline`: extraction on the worker (the CPU work scales with workers).
"""

from __future__ import annotations

import base64
import json
import logging
import time
from typing import Any

import redis
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.pipelines import RedisPipeline
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from ...ground.article import Article
from ...ground.page import Page
from ..ingest import Reading, read
from ..items import Fetched
from ..stats import stat
from . import ITEMS, key

log = logging.getLogger(__name__)


class Scheduler(RedisScheduler):
    """scrapy-redis's scheduler, its two stats calls made as Scrapy 2.19 wants them."""

    def enqueue_request(self, request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self):
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


class SiteQueue(PriorityQueue):
    """Requests of site S in `newsarchive:requests:S`; `pop` serves the leased sites in
    turn (`spider.leases.held`)."""

    def _site_key(self, site: str) -> str:
        return key("requests", site)

    def _held(self) -> list[str]:
        leases = getattr(self.spider, "leases", None)
        return list(leases.held) if leases else []

    def __len__(self) -> int:
        return sum(self.server.zcard(self._site_key(s)) for s in self._held())

    def push(self, request) -> None:
        self.server.zadd(self._site_key(request.meta["site"]),
                         {self._encode_request(request): -request.priority})

    def pop(self, timeout: int = 0):
        held = self._held()
        for i, site in enumerate(held):
            got = self.server.zpopmin(self._site_key(site))
            if got:
                if getattr(self.spider, "leases", None):  # next time, start with the next
                    self.spider.leases.held = held[i + 1:] + held[:i + 1]
                return self._decode_request(got[0][0])
        return None

    def clear(self) -> None:
        for site in self._held():
            self.server.delete(self._site_key(site))


class SiteDupeFilter(RFPDupeFilter):
    """Fingerprints of site S's requests in `newsarchive:seen:S`."""

    def request_seen(self, request) -> bool:
        site = request.meta.get("site", "unknown")
        return self.server.sadd(key("seen", site), self.request_fingerprint(request)) == 0

    def clear(self) -> None:  # only whole sites are dropped, by the spider
        pass


def encode(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


class ItemsPipeline(RedisPipeline):
    """Push each item (already a JSON-ready dict) to `newsarchive:items`."""

    @classmethod
    def from_crawler(cls, crawler):
        from . import connect

        return cls(connect(crawler.settings["REDIS_URL"]), key=ITEMS, serialize_func=encode)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        data, delay = self.serialize(item), 0.5
        while True:
            try:
                self.server.rpush(self.key, data)
                return item
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                # Waiting here pauses the crawl; the item is never dropped.
                log.warning("redis unreachable pushing an item (%s); retrying in %.0f s",
                            exc, delay)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)


class ReadPipeline:
    """Fetched -> a JSON-ready dict: the raw page and, for an article page, what
    extraction made of it (see `to_message`)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: Fetched) -> dict[str, Any]:
        spider = self.crawler.spider
        reading = None
        if item.page.kind == "article":
            reading = read(item.page, spider.registry.get(item.site))
            self.crawler.stats.inc_value(stat(item.site, "extracted"))
        self.crawler.stats.inc_value(stat(item.site, "pushed"))
        return to_message(item, reading, getattr(spider, "worker", ""))


def to_message(item: Fetched, reading: Reading | None, worker: str = "") -> dict[str, Any]:
    page = item.page
    message: dict[str, Any] = {
        "kind": "page", "site": item.site, "worker": worker, "aliases": item.aliases,
        "truncated": item.truncated,
        "page": {"url": page.url, "status": page.status, "headers": page.headers,
                 "fetched_at": page.fetched_at, "kind": page.kind,
                 "body": base64.b64encode(page.body).decode("ascii")}}
    if reading is not None:
        message["reading"] = {
            "article": reading.article.to_dict() if reading.article else None,
            "failure": reading.failure, "detail": reading.detail, "missing": reading.missing,
            "places": reading.places}
    return message


def from_message(message: dict[str, Any]) -> tuple[Page, Reading | None]:
    raw = dict(message["page"])
    raw["body"] = base64.b64decode(raw["body"])
    page = Page(**raw)
    got = message.get("reading")
    if got is None:
        return page, None
    article = Article.from_dict(got["article"]) if got["article"] else None
    return page, Reading(article=article, failure=got["failure"], detail=got["detail"],
                         missing=list(got["missing"]), places=got.get("places"))
