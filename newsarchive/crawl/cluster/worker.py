"""A crawl worker: discovers, fetches and extracts the sites it holds a lease on, and
pushes pages and articles to Redis; it never opens the SQLite archive."""

from __future__ import annotations

import json
import logging
import random
import time
from typing import Any

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from ...archive.runs import RUN_COUNTERS
from ...ground import clock
from ...sites import Registry, Site
from ..archive_view import ArchiveView
from ..extensions.runs import INTERRUPTED, watch_signals
from ..garbage import settle
from ..spiders.news import NewsSpider
from ..stats import site_counts, site_errors
from . import INTERRUPTED_ROUNDS, ITEMS, WORKERS, connect, key, shown, worker_id
from .known import KnownArticles
from .leases import Leases
from .outage import REDIS_LOST, Outage
from .serializer import RequestSerializer
from .signing import Signer

log = logging.getLogger(__name__)
UNFINISHED = "cluster/interrupted"  # the stats key: rounds this worker left unfinished

COMPONENTS = {
    "SCHEDULER": "newsarchive.crawl.cluster.components.Scheduler",
    "SCHEDULER_PERSIST": True,   # a site's queue outlives its worker: the next one resumes
    "SCHEDULER_QUEUE_CLASS": "newsarchive.crawl.cluster.components.SiteQueue",
    "DUPEFILTER_CLASS": "newsarchive.crawl.cluster.components.SiteDupeFilter",
    "ITEM_PIPELINES": {"newsarchive.crawl.cluster.components.ReadPipeline": 300,
                       "newsarchive.crawl.cluster.components.ItemsPipeline": 400},
    # A worker has no archive: it reports each site's round to the writer, which records
    # the crawl_runs row (cluster/writer.py), so the single-machine bookkeeping is off.
    "EXTENSIONS": {"newsarchive.crawl.extensions.progress.Progress": 500,
                   "newsarchive.crawl.extensions.runs.CrawlRuns": None},
    "NEWSARCHIVE_CLUSTER_LEASE_MS": 30_000,   # a dead worker's sites wait this long
    "NEWSARCHIVE_CLUSTER_SITES": 4,           # sites a worker crawls at once
    "NEWSARCHIVE_CLUSTER_DONE_TTL": 600,      # s a finished site is left alone (a round)
    "NEWSARCHIVE_CLUSTER_MAX_ITEMS": 10_000,  # items waiting for the writer: then wait
    "NEWSARCHIVE_CLUSTER_REDIS_WAIT": 300.0,  # s without Redis before the worker stops
}


def apply(settings: Settings, url: str, signer: Signer) -> None:
    """Turn a crawl's settings into a worker's (the caller's -s still win, but for the
    requests' serializer and the key: pickle is never an option)."""
    for name, value in COMPONENTS.items():
        settings.set(name, value, priority="project")  # below the caller's -s
    settings.set("REDIS_URL", url, priority="cmdline")
    settings.set("NEWSARCHIVE_CLUSTER_SIGNER", signer, priority=100)
    settings.set("SCHEDULER_SERIALIZER", RequestSerializer(signer), priority=100)


def run(registry: Registry, site_ids: list[str], url: str, signer: Signer,
        since: str | None = None, replay: str | None = None,
        overrides: dict[str, Any] | None = None, max_pages: int = 3) -> dict[str, Any]:
    """Crawl as a worker of the cluster at `url` (waiting NEWSARCHIVE_CLUSTER_REDIS_WAIT
    seconds for Redis if it is away, else `redis.ConnectionError`), signing what it
    sends with `signer`; returns the crawler's stats (finish reason `redis-lost` if
    Redis was lost that long on the way)."""
    from ..settings import crawl_settings, crawler_process

    chosen = [registry.get(s) for s in site_ids] if site_ids else list(registry)
    settings = crawl_settings(chosen, replay, overrides, backfill=bool(since))
    apply(settings, url, signer)
    connect(url, wait=settings.getfloat("NEWSARCHIVE_CLUSTER_REDIS_WAIT"))
    process = crawler_process(settings)
    crawler = process.create_crawler(ClusterSpider)
    process.crawl(crawler, registry=registry, sites_=",".join(s.id for s in chosen),
                  since=since, db="", max_pages=max_pages)
    process.start()
    return crawler.stats.get_stats()


class ClusterSpider(NewsSpider):
    """NewsSpider whose sites come by lease, a few at a time; when it runs out of work it
    releases them, marks them done for the round and leases the next ones."""

    name = "news"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.worker = worker_id()
        self.todo: list[Site] = list(self.sites)
        random.shuffle(self.todo)  # workers started together spread over the sites
        self.finished: list[str] = []
        self.rounds: dict[str, tuple[str, tuple[dict, dict]]] = {}  # site -> start, counts
        self.giving_up = False  # Redis lost for good: closing

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.closed_cluster, signal=signals.spider_closed)
        return spider

    def open_archive(self) -> ArchiveView:
        settings = self.crawler.settings
        self.redis = connect(settings["REDIS_URL"],
                             wait=settings.getfloat("NEWSARCHIVE_CLUSTER_REDIS_WAIT"))
        self.leases = Leases(self.redis, self.worker,
                             settings.getint("NEWSARCHIVE_CLUSTER_LEASE_MS"))
        every = self.leases.ttl_ms / 3000
        self.outage = Outage(self.worker, shown(settings["REDIS_URL"]),
                             settings.getfloat("NEWSARCHIVE_CLUSTER_REDIS_WAIT"))
        self.renewal = task.LoopingCall(self.heartbeat)
        self.renewal.start(every, now=True)
        watch_signals(self.crawler)  # SIGINT/SIGTERM: noted, the rounds in hand reported
        self.signer = settings["NEWSARCHIVE_CLUSTER_SIGNER"]
        return KnownArticles(self.redis, self.registry, self.signer, self.worker)

    async def start(self):
        self.open_state()
        settle()  # as the lone crawl's spider does (crawl/garbage.py)
        for request in self.next_batch():
            yield request

    def next_batch(self):
        """Lease up to NEWSARCHIVE_CLUSTER_SITES sites nobody holds or finished lately."""
        room = self.crawler.settings.getint("NEWSARCHIVE_CLUSTER_SITES") - len(self.leases.held)
        while self.todo and room > 0:
            site = self.todo.pop(0)
            if self.redis.exists(key("done", site.id)):
                log.info("%s: %s was crawled lately, skipping it", self.worker, site.id)
                continue
            if not self.leases.acquire(site.id):
                log.info("%s: %s is being crawled by %s, skipping it", self.worker, site.id,
                         self.leases.holder(site.id))
                continue
            room -= 1
            left = self.redis.zcard(key("requests", site.id))
            # Requests the previous holder popped but never finished are found again:
            # forget its fingerprints (stored articles are skipped through `known`).
            self.redis.delete(key("seen", site.id))
            self.redis.hdel(INTERRUPTED_ROUNDS, site.id)  # resumed
            self.rounds[site.id] = (clock.stamp(), self._counts(site.id))
            log.info("%s: leased %s%s", self.worker, site.id,
                     f", resuming {left} queued requests" if left else "")
            yield from self.site_requests(site)

    def idle(self) -> None:
        try:
            for site in list(self.leases.held):
                self.finish_site(site)
            scheduled = 0
            for request in self.next_batch():
                self.crawler.engine.crawl(request)
                scheduled += 1
        except (redis.ConnectionError, redis.TimeoutError) as exc:  # away: idle again
            if self.outage.failed(exc):  # in a few s, or give up
                self.give_up()
            raise DontCloseSpider from None
        if scheduled or self.leases.held:
            raise DontCloseSpider

    def give_up(self) -> None:
        """Redis away for NEWSARCHIVE_CLUSTER_REDIS_WAIT seconds: stop (exit 1); the
        sites' leases expire and their queues wait in Redis for the next worker."""
        if not self.giving_up:
            self.giving_up = True
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=REDIS_LOST))

    def _counts(self, site: str) -> tuple[dict[str, int], dict[str, int]]:
        stats = self.crawler.stats.get_stats()
        return site_counts(stats, site, RUN_COUNTERS), site_errors(stats, site)

    def report_round(self, site: str, interrupted: bool = False) -> None:
        """What this worker did for `site` since it leased it, for the writer to record
        as a crawl run (with the new/changed/unchanged articles it stored meanwhile);
        `interrupted`: the worker was stopped before the site was done."""
        started, (counts0, errors0) = self.rounds.pop(site, (clock.stamp(), ({}, {})))
        counts, errors = self._counts(site)
        self.redis.rpush(ITEMS, self.signer.seal({
            "kind": "run", "site": site, "worker": self.worker, "started_at": started,
            "counts": {k: v - counts0.get(k, 0) for k, v in counts.items()},
            "errors": {k: v - errors0.get(k, 0) for k, v in errors.items()
                       if v - errors0.get(k, 0)}, "interrupted": interrupted}))

    def finish_site(self, site: str) -> None:
        self.report_round(site)
        ttl = self.crawler.settings.getint("NEWSARCHIVE_CLUSTER_DONE_TTL")
        if ttl:
            self.redis.set(key("done", site), self.worker, ex=ttl)
        self.redis.delete(key("seen", site))
        self.leases.release(site)
        self.finished.append(site)
        log.info("%s: finished %s", self.worker, site)

    def heartbeat(self) -> None:
        try:
            for site in self.leases.renew():
                log.error("%s: lost the lease on %s (another worker has it); dropping it",
                          self.worker, site)
            self.redis.hset(WORKERS, self.worker, json.dumps(
                {"seen": time.time(), "sites": self.leases.held,
                 "finished": len(self.finished),
                 "pushed": sum(v for k, v in self.crawler.stats.get_stats().items()
                               if k.endswith("/pushed"))}))
        except (redis.ConnectionError, redis.TimeoutError) as exc:  # away: keep
            if self.outage.failed(exc):  # crawling, try again next tick (or give up)
                self.give_up()
            return
        except Exception as exc:
            log.warning("%s: heartbeat failed: %s", self.worker, exc)
            return
        self.outage.ok()

    def closed_cluster(self, spider, reason: str) -> None:
        if self.renewal.running:
            self.renewal.stop()
        if self.outage.over:
            log.warning("%s: the rounds of %s are not reported (no Redis); their leases "
                        "expire and the next worker resumes them", self.worker,
                        ", ".join(self.leases.held) or "no site")
            return
        try:
            for site in list(self.leases.held):
                if reason == "finished":
                    self.finish_site(site)
                else:
                    self.interrupt_site(site, reason)
            self.redis.hdel(WORKERS, self.worker)
        except redis.RedisError as exc:
            log.error("%s: could not report the rounds of %s: %s", self.worker,
                      ", ".join(self.leases.held), exc)

    def interrupt_site(self, site: str, reason: str) -> None:
        """Stopped before `site` was done (SIGINT, SIGTERM...): its round is reported
        interrupted and noted for `cluster status`; its queue stays for the next worker
        to lease it (and resume) once the lease is released. Scrapy's graceful stop
        finished the requests this worker had taken, so none is lost."""
        stopped = self.crawler.stats.get_value(INTERRUPTED) or reason
        self.report_round(site, interrupted=True)
        queued = self.redis.zcard(key("requests", site))
        self.redis.hset(INTERRUPTED_ROUNDS, site, json.dumps(
            {"worker": self.worker, "at": time.time(), "signal": stopped, "queued": queued}))
        self.leases.release(site)
        self.crawler.stats.inc_value(UNFINISHED)
        log.warning("%s: %s interrupted (%s), %d requests left queued for the next worker",
                    self.worker, site, stopped, queued)
