"""Checks on a normalised Article: the fields readers judge first must be there.

An article without title or body is not stored (an error page served with status 200,
or a layout that no longer matches, must not overwrite a good version); one without a
date is stored and counted. Every such page counts towards the layout-drift alarm."""

from __future__ import annotations

import logging

from ..items import Fetched
from ..spiders.news import stat

log = logging.getLogger(__name__)


class ValidatePipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: Fetched) -> Fetched:
        if item.kind != "article":
            return item
        stats = self.crawler.stats
        stats.inc_value(stat(item.site, "extracted"))
        art = item.article
        if art is None:
            if "not-article" in item.problems:
                stats.inc_value(stat(item.site, "missing"))
            return item
        missing = [name for name, value in (("title", art.title), ("body", art.body_text),
                                            ("date", art.published_at)) if not value]
        if missing:
            item.problems.append("missing " + "+".join(missing))
            stats.inc_value(stat(item.site, "missing"))
            log.warning("%s: missing %s", item.url, ", ".join(missing))
        if art.site != item.site:  # a redirect to another paper: keep the registry's id
            art.site = item.site
        return item
