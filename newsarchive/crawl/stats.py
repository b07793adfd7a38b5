"""The crawl's counters, one name per site and event: `newsarchive/<site>/<name>`. The
spider, the pipeline, the run bookkeeping and the progress line all count through here."""

from __future__ import annotations

from typing import Any

from scrapy.statscollectors import MemoryStatsCollector

PREFIX = "newsarchive"


def stat(site: str, name: str) -> str:
    """The stats key of counter `name` for `site` (`errors/<reason>` for failures)."""
    return f"{PREFIX}/{site}/{name}"


def site_counts(stats: dict[str, Any], site: str, names: tuple[str, ...]) -> dict[str, int]:
    """The named counters of one site (0 where nothing was counted)."""
    return {name: stats.get(stat(site, name), 0) for name in names}


def site_errors(stats: dict[str, Any], site: str) -> dict[str, int]:
    """Failures of one site by reason (`dns`, `http-404`, `not-article`...)."""
    prefix = stat(site, "errors/")
    return {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix)}


class CrawlStats(MemoryStatsCollector):
    """STATS_CLASS: Scrapy's collector, its methods called directly. Scrapy 2.19's looks
    each one up through a `__getattribute__` that wraps it to warn of a deprecated
    `spider` argument, on every count (about 40 a page, README "Crawling"); here the
    argument is taken and ignored, as Scrapy's methods do once warned."""

    __getattribute__ = object.__getattribute__
