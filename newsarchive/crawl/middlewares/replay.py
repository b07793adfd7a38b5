"""Answer requests from captured responses (`crawl --replay PATH`), never the network."""

from __future__ import annotations

import logging

from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

from ...ground.outcomes import Reason
from ...ground.urls import url_key
from .. import replay
from ..outcomes import RequestRefused
from ..stats import stat

log = logging.getLogger(__name__)


class NotCaptured(RequestRefused):
    """The replayed capture has no response for this URL: not a failure of the site."""

    def __init__(self, url: str):
        super().__init__(Reason.NOT_CAPTURED, url)


class ReplayMiddleware:
    """A URL missing from the replay set is not fetched: it is counted once per site as
    `not-captured` (shown in the summary's reason column, not as a failure)."""

    def __init__(self, crawler, path: str):
        self.crawler = crawler
        self.index = replay.load(path)
        log.info("replaying %d captured responses from %s", len(self.index), path)

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy.exceptions import NotConfigured

        path = crawler.settings.get("NEWSARCHIVE_REPLAY")
        if not path:
            raise NotConfigured
        return cls(crawler, path)

    def process_request(self, request):
        load = self.index.get(url_key(request.url))
        stats = self.crawler.stats
        if load is None:
            if request.url.endswith("/robots.txt"):
                return Response(request.url, status=404, request=request)
            stats.inc_value("newsarchive/replay/missing")
            stats.inc_value(stat(request.meta.get("site", "unknown"), "errors/not-captured"))
            log.debug("replay: no capture of %s", request.url)
            raise NotCaptured(request.url)
        try:
            captured = load()
        except (OSError, ValueError) as exc:  # a file gone, or swapped for a link out
            log.warning("replay: capture of %s unreadable (%s); not served", request.url, exc)
            stats.inc_value("newsarchive/replay/missing")
            stats.inc_value(stat(request.meta.get("site", "unknown"), "errors/not-captured"))
            raise NotCaptured(request.url) from None
        stats.inc_value("newsarchive/replay/hit")
        content_type = captured.headers.get("content-type", "text/html")
        cls = (XmlResponse if "xml" in content_type else
               HtmlResponse if "html" in content_type else TextResponse)
        headers = {k: v for k, v in captured.headers.items()
                   if k not in ("content-encoding", "transfer-encoding", "content-length")}
        return cls(request.url, status=captured.status, headers=headers,
                   body=captured.body, request=request)
