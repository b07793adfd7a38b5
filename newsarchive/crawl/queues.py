"""The scheduler's disk queues (in the crawl's JOBDIR, so that a stopped crawl resumes):
Scrapy's own, but a request's callback and errback are named by looking the method up
on the spider, not by `inspect.getmembers` over all its attributes, which Scrapy does
for each request it pushes (a large share of the Scrapy part's CPU per page, README
"Crawling"). What is written is the same dict: a queue written by one reads in the other.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.squeues import PickleFifoDiskQueue, PickleLifoDiskQueue

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


class LifoDiskQueue(PickleLifoDiskQueue):
    """SCHEDULER_DISK_QUEUE: the requests the spider yields."""

    def push(self, request: Request) -> None:
        super(PickleLifoDiskQueue, self).push(request_dict(request, self.spider))


class FifoDiskQueue(PickleFifoDiskQueue):
    """SCHEDULER_START_DISK_QUEUE: the spider's start requests, in order."""

    def push(self, request: Request) -> None:
        super(PickleFifoDiskQueue, self).push(request_dict(request, self.spider))
