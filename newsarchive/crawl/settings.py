"""Scrapy settings: polite by default, every choice explained. Sites override these
through their registry entry (`Site.settings`); `crawl_settings` puts together what one
crawl, check or cluster worker runs with."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.settings import Settings, default_settings

from .. import __version__
from ..sites import Site

if TYPE_CHECKING:
    from scrapy.crawler import CrawlerProcess

BOT_NAME = "newsarchive"
# No SPIDER_MODULES: the crawl, `check` and a cluster worker hand Scrapy their spider's
# class, so its loader need not import every spider module at start-up.

# An honest User-Agent: who we are and where to read about us.
USER_AGENT = (f"newsarchive/{__version__} (+https://github.com/newsarchive/newsarchive; "
              "archiving Vietnamese provincial newspapers)")

# Obey robots.txt: a newspaper's wishes come first.
ROBOTSTXT_OBEY = True

# At most two requests at once per site, and AutoThrottle adapts the pace to the
# server's latency so that a slow site is asked less often.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy 2.19's own downloader lets a site's whole queue go at once on the asyncio
# reactor (crawl/downloader.py); ours holds the per-site limit.
DOWNLOADER = "newsarchive.crawl.downloader.PoliteDownloader"
# A response yields one article item (or a sitemap's requests): Scrapy starts this many
# asyncio tasks for every response's output, so its default of 100 cost CPU for nothing
# (README, "Crawling": measured by bench/crawl.py); extraction's parallelism is the pool's.
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Retries with backoff on transient failures; 429 and 503 honour Retry-After.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Give up on a slow response after 30 s; refuse bodies over 20 MB (no article is that big).
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
# A body cut short is kept (and flagged "truncated") rather than thrown away.
DOWNLOAD_FAIL_ON_DATALOSS = False

# No cookies: articles do not need a session, and none is kept about us.
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Nor Scrapy's remote-control extension: no port opened, no job files left behind.
REMOTE_CONTROL_ENABLED = False

FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"

# Scrapy's components that the crawl does not use are left out, so that no request pays
# for them (each costs every request a call or more; README "Crawling", measured by
# bench/crawl_overhead.py): the downloader's OffsiteMiddleware (the spider names no
# allowed_domains, so it lets everything through; each site's scope is ScopeMiddleware's),
# HttpAuthMiddleware (the crawl sends no credentials), and DepthMiddleware (link depth is
# bounded by the crawl itself: sitemap indexes 3 deep, listings --max-pages). Cookies,
# the telnet console and the remote control are off (above); left out, they are not even
# imported (the remote control imports aiohttp: 0.2 s of start-up; Scrapy imports every
# component its DOWNLOADER_MIDDLEWARES and the like name, even one set to None, so these
# are taken out of its _BASE lists). The setting named beside one brings it back:
# `-s COOKIES_ENABLED=true`, `-s DEPTH_LIMIT=5`.
left_out: dict[str, tuple[str, tuple[str, ...]]] = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": ("DOWNLOADER_MIDDLEWARES", ()),
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": ("DOWNLOADER_MIDDLEWARES", ()),
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": ("DOWNLOADER_MIDDLEWARES",
                                                               ("COOKIES_ENABLED",)),
    "scrapy.spidermiddlewares.depth.DepthMiddleware": ("SPIDER_MIDDLEWARES",
                                                       ("DEPTH_LIMIT", "DEPTH_PRIORITY")),
    "scrapy.extensions.telnet.TelnetConsole": ("EXTENSIONS", ("TELNETCONSOLE_ENABLED",)),
    "scrapy.extensions.remote_control.RemoteControl": ("EXTENSIONS",
                                                       ("REMOTE_CONTROL_ENABLED",)),
}


def _without_left_out(kind: str) -> dict[str, int]:
    """Scrapy's own components of `kind` (its `<kind>_BASE`), less those left out."""
    return {path: order for path, order in getattr(default_settings, f"{kind}_BASE").items()
            if path not in left_out}


DOWNLOADER_MIDDLEWARES_BASE = _without_left_out("DOWNLOADER_MIDDLEWARES")
SPIDER_MIDDLEWARES_BASE = _without_left_out("SPIDER_MIDDLEWARES")
EXTENSIONS_BASE = _without_left_out("EXTENSIONS")
# Nor Scrapy's `downloader/` counts of request and response bytes and statuses: nothing
# reads them (the budget counts each site's bytes, the spider its failures by reason),
# and counting a request's bytes rebuilt it as HTTP text, its headers and all.
DOWNLOADER_STATS = False
# The Referer header stays: Scrapy's redirect middlewares warn without its middleware.

# Retry-After on 429/503 is honoured by our middleware (Scrapy's retries at once); it
# runs before RetryMiddleware (550) sees the response.
DOWNLOADER_MIDDLEWARES = {
    "newsarchive.crawl.middlewares.scope.ScopeMiddleware": 40,  # each site's hosts only
    "newsarchive.crawl.middlewares.budget.BudgetMiddleware": 45,  # pages, bytes, time
    "newsarchive.crawl.middlewares.replay.ReplayMiddleware": 50,  # only with --replay
    "newsarchive.crawl.middlewares.retry_after.RetryAfterMiddleware": 560,
    # a host whose name does not resolve or that refuses connections: asked once a run
    "newsarchive.crawl.middlewares.unreachable.UnreachableMiddleware": 600,
    # each site's requests not yet answered: a stopped crawl's unfinished sites
    "newsarchive.crawl.middlewares.pending.PendingMiddleware": 990,
}
# Private, loopback and link-local addresses are never fetched (an internal admin page
# must not end up in `pages`); local test sites and --replay turn this on.
NEWSARCHIVE_ALLOW_PRIVATE = False
NEWSARCHIVE_MAX_RETRY_AFTER = 300

# Budgets (middlewares/budget.py; 0 is no limit). A site's run at the polite pace
# fetches a few hundred pages; 2,000 pages, 200 MB or 2 hours is a site gone wrong (a
# feed of 100,000 items, a slow-drip server). A site may set its own in Site.settings.
NEWSARCHIVE_SITE_MAX_PAGES = 2000
NEWSARCHIVE_SITE_MAX_BYTES = 200 * 1024 * 1024
NEWSARCHIVE_SITE_MAX_SECONDS = 2 * 3600
# Discovery (feeds, sitemaps, listings) is bounded by what it yields, in a backfill too:
# a site's discovery pages stop at 50, or twice the article URLs they gave if more; and
# a sitemap index is followed 3 deep at most (the site's own sitemap is 1), never to
# itself or an index above it. `check` asks at most 50 discovery pages per site.
NEWSARCHIVE_SITE_MAX_DISCOVERY = 50
NEWSARCHIVE_DISCOVERY_PER_ARTICLE = 2
NEWSARCHIVE_SITEMAP_MAX_DEPTH = 3
NEWSARCHIVE_CHECK_MAX_REQUESTS = 50
# The whole run: under the schedule's 15 minutes x 24 so a stuck run never blocks a day.
NEWSARCHIVE_RUN_MAX_PAGES = 50000
NEWSARCHIVE_RUN_MAX_BYTES = 2 * 1024 * 1024 * 1024
NEWSARCHIVE_RUN_MAX_SECONDS = 6 * 3600
# Scrapy's own CloseSpider closes the run on time even when no request is being made.
CLOSESPIDER_TIMEOUT = NEWSARCHIVE_RUN_MAX_SECONDS  # seconds; a longer wait gives up on that URL

# extract -> check -> store, one path (crawl/ingest.py)
ITEM_PIPELINES = {"newsarchive.crawl.pipelines.ArchivePipeline": 300}

# Replay answers from disk: no need to be slow, and no robots.txt to honour.
REPLAY_OVERRIDES = {
    "ROBOTSTXT_OBEY": False,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "NEWSARCHIVE_ALLOW_PRIVATE": True,  # answers come from disk, no address is looked up
}

# A per-site progress line in a terminal, a progress log line a minute otherwise.
# and a crawl_runs row per site, with its drift alarm.
EXTENSIONS = {"newsarchive.crawl.extensions.progress.Progress": 500,
              "newsarchive.crawl.extensions.runs.CrawlRuns": 510}
NEWSARCHIVE_PROGRESS_INTERVAL = 2.0

# Extraction runs in worker processes (crawl/extraction.py), off the reactor: one per
# core but the crawl's own, at least one, unless set (0 extracts in the crawl's own
# process). At most IN_FLIGHT pages are in the pool at once (default 16 a worker, so
# that pages gather while it reads and go to it in one write); beyond that the pipeline
# waits, and Scrapy's scraper stops taking responses (SCRAPER_SLOT_MAX_ACTIVE_SIZE):
# back-pressure.
# A page whose extraction runs past TIMEOUT seconds, or kills its worker, is counted
# (errors/extractor-timeout, errors/extractor-error) and the crawl goes on.
NEWSARCHIVE_EXTRACT_WORKERS = None
NEWSARCHIVE_EXTRACT_IN_FLIGHT = 0
NEWSARCHIVE_EXTRACT_TIMEOUT = 30.0
# Each worker may add at most this much to its address space for one page, MiB (0: no
# ceiling): a page past it (a tag bomb) is counted (errors/extractor-memory), its worker
# replaced, and the crawl goes on. What real pages add: README, "Crawling".
NEWSARCHIVE_EXTRACT_MEMORY_MB = 512

# The pipeline commits its pages in groups: one commit per COMMIT_PAGES stored pages or
# COMMIT_SECONDS, whichever comes first, and at the crawl's end (1: a commit per page).
# Committing cost more CPU than storing (README, "Crawling"); a crash loses at most that
# group, whose URLs the next run fetches again.
NEWSARCHIVE_COMMIT_PAGES = 50
NEWSARCHIVE_COMMIT_SECONDS = 1.0

# SQLite page caches of the crawl's connections to the archive, KiB: fixed and small, so
# that memory does not grow with the archive (a cache fills as the file grows; the
# archive's default is 64 MiB per connection, for publishing and search). The writer
# (pipeline) gets the larger one for the full-text index; the spider's look-ups and the
# run bookkeeping use indexes and need little.
NEWSARCHIVE_SQLITE_CACHE_KIB = 8 * 1024
NEWSARCHIVE_SQLITE_READER_CACHE_KIB = 2 * 1024

# Scrapy's stats collector, its counters called directly (crawl/stats.py).
STATS_CLASS = "newsarchive.crawl.stats.CrawlStats"

# Seen request fingerprints in SQLite (crawl/seen.py), not a set that grows with the
# crawl; in JOBDIR when there is one, so that a resumed crawl filters as before.
DUPEFILTER_CLASS = "newsarchive.crawl.seen.SqliteDupeFilter"

# The scheduler's queues in JOBDIR (crawl/run.py): Scrapy's, with a callback named by a
# look-up on the spider instead of a walk over all its attributes per request.
SCHEDULER_DISK_QUEUE = "newsarchive.crawl.queues.LifoDiskQueue"
SCHEDULER_START_DISK_QUEUE = "newsarchive.crawl.queues.FifoDiskQueue"

# Responses waiting for the pipeline (extraction, storage), in bytes: past this the
# downloader pauses. Enough for the pool's pages in flight (~10 real pages); small, so
# that a crawl killed with work in hand loses little (Scrapy's default is 5 MB).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1024 * 1024


# A backfill (`--since`) is bounded by its date, not by the budgets of a routine run:
# fifteen years of a paper is hundreds of thousands of pages over days, in one crawl.
BACKFILL_UNBOUNDED = [f"NEWSARCHIVE_{scope}_MAX_{what}" for scope in ("SITE", "RUN")
                      for what in ("PAGES", "BYTES", "SECONDS")] + ["CLOSESPIDER_TIMEOUT"]


def crawl_settings(chosen: list[Site], replay: str | None = None,
                   overrides: dict[str, Any] | None = None,
                   backfill: bool = False) -> Settings:
    """Our defaults, each site's own settings as a download slot, no budgets for a
    backfill, then the caller's."""
    s = Settings()
    s.setmodule(__name__, priority="project")
    slots = {}
    for site in chosen:
        if site.settings:
            for host in site.all_hosts:
                slots[host] = site.settings
    if slots:
        s.set("DOWNLOAD_SLOTS", slots, priority="project")
    if backfill:
        s.update(dict.fromkeys(BACKFILL_UNBOUNDED, 0), priority="spider")
    if replay:
        s.update(REPLAY_OVERRIDES, priority="cmdline")
        s.set("NEWSARCHIVE_REPLAY", str(replay), priority="cmdline")
    s.update(overrides or {}, priority="cmdline")
    for path, (kind, wanted_by) in left_out.items():
        if any((overrides or {}).get(name) for name in wanted_by):  # -s asks for it
            base = f"{kind}_BASE"
            order = getattr(default_settings, base)[path]
            s.set(base, {**s.getdict(base), path: order}, priority="cmdline")
    return s


def crawler_process(settings: Settings) -> CrawlerProcess:
    """Scrapy's process for `settings`, logging through the root logger `ops.logs` set up
    (no handler of Scrapy's own). Scrapy sets its loggers to DEBUG, so a record of every
    page crawled and item scraped was made to be dropped by the handlers; they take the
    root's level again, and a record below it is never made."""
    from scrapy.crawler import CrawlerProcess

    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    logging.getLogger("scrapy").setLevel(logging.NOTSET)
    return process


# What `-s NAME=VALUE` may set, checked before a crawl starts: each setting takes the
# type of its default (here or Scrapy's); these have None as default, or theirs is set
# where they are used (the cluster's in cluster/worker.py).
declared_types: dict[str, type] = {
    "NEWSARCHIVE_EXTRACT_WORKERS": int, "NEWSARCHIVE_MAX_PAGE_COUNT": int,
    "NEWSARCHIVE_REPLAY": str,  # what --replay sets
    "NEWSARCHIVE_CLUSTER_LEASE_MS": int, "NEWSARCHIVE_CLUSTER_SITES": int,
    "NEWSARCHIVE_CLUSTER_DONE_TTL": int, "NEWSARCHIVE_CLUSTER_MAX_ITEMS": int,
    "NEWSARCHIVE_CLUSTER_REDIS_WAIT": float}
# Counts, sizes and durations: a negative one is a mistake, not a wish.
non_negative = ("NEWSARCHIVE_", "DELAY", "TIMEOUT", "CONCURRENT_", "MAXSIZE", "WARNSIZE",
                "RETRY_TIMES")


class BadSetting(ValueError):
    """A `-s NAME=VALUE` that the crawl could not use; the message says what to type."""


def known_settings() -> dict[str, object]:
    """Every setting with a default: Scrapy's, then ours over them."""
    here = globals()
    return {**dict.fromkeys(declared_types),
            **{name: value for module in (vars(default_settings), here)
               for name, value in module.items() if name.isupper()}}


def parse_setting(name: str, text: str) -> object:
    """`text` as the value of setting `name`, typed as its default is; BadSetting when it
    cannot be, or when `name` looks like ours but is not one."""
    import difflib
    import json

    known = known_settings()
    if name not in known:
        if name.startswith("NEWSARCHIVE_"):
            close = difflib.get_close_matches(name, [k for k in known
                                                     if k.startswith("NEWSARCHIVE_")], 1)
            raise BadSetting(f"unknown setting {name}"
                             + (f"; did you mean {close[0]}?" if close else ""))
        return text  # another extension's setting: Scrapy hands it on as given
    kind = declared_types.get(name) or type(known[name])
    value: object = text
    try:
        if kind is bool:
            value = {"1": True, "true": True, "0": False, "false": False}[text.strip().lower()]
        elif kind in (int, float):
            value = kind(text.strip())
            if value < 0 and any(part in name for part in non_negative):
                raise ValueError
        elif kind is dict:
            value = json.loads(text)
            if not isinstance(value, dict):
                raise ValueError
    except (KeyError, ValueError):
        what = {bool: "true or false", int: "a whole number", float: "a number",
                dict: "a JSON object"}[kind]
        if kind in (int, float) and any(part in name for part in non_negative):
            what += " (0 or more)"
        raise BadSetting(f"{name}={text!r}: {name} takes {what}, e.g. -s {name}="
                         f"{json.dumps(known[name]) if known[name] is not None else 2}") \
            from None
    return value
