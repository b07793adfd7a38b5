"""Each site's requests not yet answered (`newsarchive/<site>/pending`): one more when a
request is scheduled, one less when the dupe filter drops it or when it comes back out
of the downloader's middlewares, answered, refused or failed (a retry or a redirect is a
new request, scheduled again). Placed last (highest number), this middleware is the
first to see every response and every exception, exactly once per request. A crawl
that is stopped records a site with requests still pending as `interrupted`."""

from __future__ import annotations

from scrapy import signals

from ..stats import stat


class PendingMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler)
        crawler.signals.connect(mw.scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(mw.dropped, signal=signals.request_dropped)
        return mw

    def scheduled(self, request, spider=None) -> None:
        self._add(request, 1)

    def dropped(self, request, spider=None) -> None:
        self._add(request, -1)

    def process_response(self, request, response, spider=None):
        self._add(request, -1)
        return response

    def process_exception(self, request, exception, spider=None):
        self._add(request, -1)
        return None

    def _add(self, request, n: int) -> None:
        site = request.meta.get("site")
        if site:  # robots.txt and the like belong to no site
            self.crawler.stats.inc_value(stat(site, "pending"), n)
