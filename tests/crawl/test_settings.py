"""The crawl's Scrapy components: those it does not use are neither loaded nor imported,
the ones that keep it polite and safe are all there, a `-s` brings a left-out one back,
and the stats collector counts as Scrapy's does."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

from scrapy.statscollectors import MemoryStatsCollector

from newsarchive.crawl.settings import crawl_settings
from newsarchive.crawl.stats import CrawlStats

LOADED = """
import json, sys
from scrapy.utils.reactor import install_reactor
from newsarchive.crawl.settings import TWISTED_REACTOR, crawl_settings
install_reactor(TWISTED_REACTOR)
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.core.spidermw import SpiderMiddlewareManager
from scrapy.utils.test import get_crawler
crawler = get_crawler(settings_dict=crawl_settings([]).copy_to_dict())
managers = (crawler.extensions, DownloaderMiddlewareManager.from_crawler(crawler),
            SpiderMiddlewareManager.from_crawler(crawler))
print(json.dumps({"loaded": [type(c).__name__ for m in managers for c in m.middlewares],
                  "imported": sorted(m for m in ("aiohttp", "tldextract") if m in sys.modules),
                  "stats": type(crawler.stats).__name__}))
"""

KEPT = {"RobotsTxtMiddleware", "DownloadTimeoutMiddleware", "DefaultHeadersMiddleware",
        "UserAgentMiddleware", "RetryMiddleware", "MetaRefreshMiddleware",
        "HttpCompressionMiddleware", "RedirectMiddleware", "HttpProxyMiddleware",
        "ScopeMiddleware", "BudgetMiddleware", "RetryAfterMiddleware",
        "UnreachableMiddleware", "PendingMiddleware", "StartSpiderMiddleware",
        "HttpErrorMiddleware", "RefererMiddleware", "UrlLengthMiddleware", "CloseSpider",
        "CoreStats",
        "Progress", "CrawlRuns"}
LEFT_OUT = {"OffsiteMiddleware", "HttpAuthMiddleware", "CookiesMiddleware",
            "DownloaderStats", "DepthMiddleware", "TelnetConsole", "RemoteControl"}


def test_unused_components_are_not_loaded_nor_imported_and_the_rest_are():
    out = subprocess.run([sys.executable, "-c", LOADED], capture_output=True, text=True,
                         check=True).stdout
    got = json.loads(out.splitlines()[-1])
    assert set(got["loaded"]) >= KEPT
    assert not LEFT_OUT & set(got["loaded"])
    assert got["imported"] == []  # the remote control's aiohttp, cookies' tldextract
    assert got["stats"] == "CrawlStats"


def names(settings, kind: str) -> set[str]:
    return {path.rsplit(".", 1)[1]
            for path in dict(settings.get_component_priority_dict_with_base(kind))}


def test_the_setting_of_a_left_out_component_brings_it_back():
    plain = crawl_settings([])
    assert "CookiesMiddleware" not in names(plain, "DOWNLOADER_MIDDLEWARES")
    assert "DepthMiddleware" not in names(plain, "SPIDER_MIDDLEWARES")
    asked = crawl_settings([], overrides={"COOKIES_ENABLED": True, "DEPTH_LIMIT": 4,
                                          "TELNETCONSOLE_ENABLED": False})
    assert "CookiesMiddleware" in names(asked, "DOWNLOADER_MIDDLEWARES")
    assert "DepthMiddleware" in names(asked, "SPIDER_MIDDLEWARES")
    assert "TelnetConsole" not in names(asked, "EXTENSIONS")  # asked off: stays out
    assert asked.getint("DEPTH_LIMIT") == 4


class _Crawler:
    settings = crawl_settings([])
    spider = None


def test_the_stats_collector_counts_as_scrapys_does():
    ours, theirs = CrawlStats(_Crawler()), MemoryStatsCollector(_Crawler())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Scrapy's warns of the spider argument
        for stats in (ours, theirs):
            stats.open_spider(spider=None)
            stats.inc_value("a")
            stats.inc_value("a", 3)
            stats.inc_value("b", 2, start=10)
            stats.max_value("m", 5)
            stats.max_value("m", 2)
            stats.min_value("n", 5)
            stats.min_value("n", 2)
            stats.set_value("s", "x")
            stats.close_spider(spider=None, reason="finished")
    assert ours.get_stats() == theirs.get_stats() == {"a": 4, "b": 12, "m": 5, "n": 2,
                                                      "s": "x"}
    assert ours.get_value("a") == 4 and ours.get_value("none", 7) == 7


LOG_LEVELS = """
import json, logging
from newsarchive.crawl.settings import crawl_settings, crawler_process
logging.getLogger().setLevel(logging.INFO)  # what ops.logs.setup does for a crawl
crawler_process(crawl_settings([]))
engine = logging.getLogger("scrapy.core.engine")
before = engine.isEnabledFor(logging.DEBUG), engine.isEnabledFor(logging.INFO)
logging.getLogger().setLevel(logging.DEBUG)  # -vv
print(json.dumps([*before, engine.isEnabledFor(logging.DEBUG)]))
"""


def test_scrapy_logs_at_the_root_level_not_its_own_debug():
    # Scrapy set its loggers to DEBUG: a record of every page crawled was made, then
    # dropped by the handlers at INFO
    out = subprocess.run([sys.executable, "-c", LOG_LEVELS], capture_output=True, text=True,
                         check=True)
    debug_at_info, info_at_info, debug_at_debug = json.loads(out.stdout.strip().splitlines()[-1])
    assert (debug_at_info, info_at_info, debug_at_debug) == (False, True, True)
