"""scrapy-redis's components, adapted where scrapy-redis 0.9.1 and our crawl differ.

- `Scheduler`: scrapy-redis's, counting its stats without the `spider=` argument that
  Scrapy 2.19 deprecates (a warning on the first request, removal announced).
- `SiteQueue`: scrapy-redis's priority queue, one sorted set per site, popping only from
  the sites this worker holds a lease on (scrapy-redis has one queue per spider, which
  any worker pops from: two workers would then fetch the same site at once). Requests
  are signed JSON (`serializer.RequestSerializer`), never pickle: one that is not signed
  with the cluster's key is refused, counted and dropped, never decoded.
- `SiteDupeFilter`: scrapy-redis's `RFPDupeFilter`, with one fingerprint set per site, so
  that a finished site's set can be dropped on its own.
- `ItemsPipeline`: scrapy-redis's `RedisPipeline` without its `process_item(item, spider)`
  signature and `deferToThread` Deferred, both deprecated by Scrapy 2.19 (a warning per
  crawl, and removal announced), signing each item, with a retry while Redis is
  unreachable and a wait while the writer is behind (`NEWSARCHIVE_CLUSTER_MAX_ITEMS`).
- `ReadPipeline`: extraction on the worker (the CPU work scales with workers), in the
  same bounded process pool as a lone crawl's (`crawl/extraction.py`).
"""

from __future__ import annotations

import asyncio
import base64
import logging
from typing import Any

import redis
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.pipelines import RedisPipeline
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from ...ground.page import Page
from ...sites import Site
from ..extraction import Extractor
from ..ingest import Reading, read
from ..items import Fetched
from ..stats import stat
from . import ITEMS, REFUSED, key
from .messages import Rejected
from .serializer import RequestSerializer

log = logging.getLogger(__name__)
UNSENT = "cluster/unsent"  # the stats key: items a worker that gave up on Redis held


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

    def __init__(self, server, spider, key, serializer=None):
        if not isinstance(serializer, RequestSerializer):  # scrapy-redis's default: pickle
            raise TypeError("the cluster's requests are signed JSON: SCHEDULER_SERIALIZER "
                            "must be a RequestSerializer")
        super().__init__(server, spider, key, serializer)

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
            while got := self.server.zpopmin(self._site_key(site)):
                if getattr(self.spider, "leases", None):  # next time, start with the next
                    self.spider.leases.held = held[i + 1:] + held[:i + 1]
                try:
                    return self._decode_request(got[0][0])
                except Rejected as exc:
                    self._refuse(site, exc)
        return None

    def _refuse(self, site: str, exc: Rejected) -> None:
        """A request nobody with the key queued: dropped, counted, said."""
        log.error("refused a request from %s (%s, claims worker %s): not run",
                  self._site_key(site), exc, exc.worker)
        self.spider.crawler.stats.inc_value(f"cluster/refused/{exc.reason}")
        self.server.hincrby(REFUSED, str(exc.reason), 1)

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


class ItemsPipeline(RedisPipeline):
    """Push each item (already a JSON-ready dict), signed, to `newsarchive:items`; while
    that list holds more than NEWSARCHIVE_CLUSTER_MAX_ITEMS, wait (the crawl slows down
    to the writer's pace: Scrapy stops taking responses while items wait). Redis away:
    retry with backoff, until the worker's `Outage` gives up (then the item is counted
    `cluster/unsent` and the worker stops)."""

    def __init__(self, server, key: str, serialize_func, cap: int, crawler=None) -> None:
        super().__init__(server, key, serialize_func)
        self.cap, self.crawler = cap, crawler

    @classmethod
    def from_crawler(cls, crawler):
        from . import connect

        settings = crawler.settings
        return cls(connect(settings["REDIS_URL"],
                           wait=settings.getfloat("NEWSARCHIVE_CLUSTER_REDIS_WAIT")), key=ITEMS,
                   serialize_func=settings["NEWSARCHIVE_CLUSTER_SIGNER"].seal,
                   cap=settings.getint("NEWSARCHIVE_CLUSTER_MAX_ITEMS"), crawler=crawler)

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        data, delay, said = self.serialize(item), 0.5, False
        spider = self.crawler.spider if self.crawler else None
        outage = getattr(spider, "outage", None)
        while True:  # the item is never dropped while Redis may come back
            try:
                if self.cap and self.server.llen(self.key) >= self.cap:
                    if not said:
                        log.warning("the writer is behind (%s holds %d items or more); "
                                    "waiting", self.key, self.cap)
                        said = True
                    await asyncio.sleep(0.5)
                    continue
                self.server.rpush(self.key, data)
                if outage:
                    outage.ok()
                return item
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                if outage is None:
                    log.warning("redis unreachable pushing an item (%s); retrying in "
                                "%.0f s", exc, delay)
                elif outage.failed(exc):
                    self.crawler.stats.inc_value(UNSENT)
                    spider.give_up()
                    return item
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)


def read_untagged(page: Page, site: Site | None) -> Reading:
    """`read` without tagging places: the writer tags them from the text it stores."""
    return read(page, site, places=False)


class ReadPipeline:
    """Fetched -> a JSON-ready dict: the raw page and, for an article page, what
    extraction made of it (see `to_message`). Extraction runs in the lone crawl's pool
    (`Extractor`, NEWSARCHIVE_EXTRACT_*): off the reactor, a page past the memory ceiling
    or the time limit is that page's `extractor-memory` or `extractor-timeout` (the
    writer counts it in the site's run) and the worker goes on."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.extractor: Extractor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        self.extractor = Extractor.from_settings(self.crawler.settings, read_untagged)

    def close_spider(self) -> None:
        if self.extractor:
            self.extractor.close()

    async def process_item(self, item: Fetched) -> dict[str, Any]:
        spider = self.crawler.spider
        reading = None
        if item.page.kind == "article":
            reading = await self.extractor.read(item.page, spider.registry.get(item.site))
            self.crawler.stats.inc_value(stat(item.site, "extracted"))
        self.crawler.stats.inc_value(stat(item.site, "pushed"))
        return to_message(item, reading, getattr(spider, "worker", ""))


def to_message(item: Fetched, reading: Reading | None, worker: str = "") -> dict[str, Any]:
    """The `page` message (see `messages.PageItem`); places are the writer's to tag."""
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
            "failure": reading.failure, "detail": reading.detail, "missing": reading.missing}
    return message
