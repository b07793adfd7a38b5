"""Answer requests from captured responses (`crawl --replay PATH`), never the network."""

from __future__ import annotations

import logging

from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

from ...ground.urls import url_key
from .. import replay

log = logging.getLogger(__name__)


class ReplayMiddleware:
    """A URL missing from the replay set is answered as a 404 and counted."""

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
            if not request.url.endswith("/robots.txt"):
                stats.inc_value("newsarchive/replay/missing")
                log.debug("replay: no capture of %s, answering 404", request.url)
            return Response(request.url, status=404, request=request)
        stats.inc_value("newsarchive/replay/hit")
        captured = load()
        content_type = captured.headers.get("content-type", "text/html")
        cls = (XmlResponse if "xml" in content_type else
               HtmlResponse if "html" in content_type else TextResponse)
        headers = {k: v for k, v in captured.headers.items()
                   if k not in ("content-encoding", "transfer-encoding", "content-length")}
        return cls(request.url, status=captured.status, headers=headers,
                   body=captured.body, request=request)
