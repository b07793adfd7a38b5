"""The scheduler's disk queues (in the crawl's JOBDIR, so that a stopped crawl resumes):
Scrapy's own, but a request's callback and errback are named by looking the method up
on the spider, not by `inspect.getmembers` over all its attributes, which Scrapy does
for each request it pushes (a large share of the Scrapy part's CPU per page, README
"Crawling"). What is written is the same dict: a queue written by one reads in the other.
A request read back keeps its URL as written: it was made safe (escaped) when the request
was made, and escaping it again, which Scrapy does, gives the same URL.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.squeues import PickleFifoDiskQueue, PickleLifoDiskQueue
from scrapy.utils.request import request_from_dict

_UNNAMED = object()  # not a method of the spider: Scrapy's own lookup says why


def method_name(spider: Any, func: Any) -> Any:
    """The name under which `spider` has the bound method `func` (None and a name as
    given), or _UNNAMED."""
    if func is None or isinstance(func, str):
        return func
    name = getattr(func, "__name__", None)
    own = getattr(spider, name, None) if name else None
    if own is not None and getattr(own, "__func__", None) is getattr(func, "__func__", _UNNAMED):
        return name
    return _UNNAMED


def request_dict(request: Request, spider: Any) -> dict[str, Any]:
    """`request.to_dict(spider=spider)`, its methods found by name."""
    names = (method_name(spider, request.callback), method_name(spider, request.errback))
    if _UNNAMED in names:
        return request.to_dict(spider=spider)
    callback, errback = request.callback, request.errback
    request.callback, request.errback = names  # strings are written as they are
    try:
        return request.to_dict(spider=spider)
    finally:
        request.callback, request.errback = callback, errback


VERBATIM = "verbatim_url"  # Request meta: take the URL as given, do not escape it again


def request_read(written: dict[str, Any] | None, spider: Any) -> Request | None:
    """`request_from_dict(written, spider=spider)`, its URL not escaped a second time
    (w3lib's `safe_url_string` leaves a safe URL unchanged, at some cost: an IDNA
    encoding of the host, a quoting of each part)."""
    if not written:
        return None
    meta = written.get("meta") or {}
    if VERBATIM in meta:
        return request_from_dict(written, spider=spider)
    request = request_from_dict({**written, "meta": {**meta, VERBATIM: True}}, spider=spider)
    del request.meta[VERBATIM]  # as it was: a redirect or a retry of it is escaped
    return request


class LifoDiskQueue(PickleLifoDiskQueue):
    """SCHEDULER_DISK_QUEUE: the requests the spider yields."""

    def push(self, request: Request) -> None:
        super(PickleLifoDiskQueue, self).push(request_dict(request, self.spider))

    def pop(self) -> Request | None:
        return request_read(super(PickleLifoDiskQueue, self).pop(), self.spider)


class FifoDiskQueue(PickleFifoDiskQueue):
    """SCHEDULER_START_DISK_QUEUE: the spider's start requests, in order."""

    def push(self, request: Request) -> None:
        super(PickleFifoDiskQueue, self).push(request_dict(request, self.spider))

    def pop(self) -> Request | None:
        return request_read(super(PickleFifoDiskQueue, self).pop(), self.spider)
