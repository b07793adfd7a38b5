"""Honour `Retry-After` on 429 and 503: wait as the site asks, slow the whole site down,
then try again (up to RETRY_TIMES). Scrapy's own RetryMiddleware retries at once."""

from __future__ import annotations

import asyncio
import logging
from email.utils import parsedate_to_datetime
from time import time

log = logging.getLogger(__name__)

MAX_WAIT = 300


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, parsedate_to_datetime(text).timestamp() - time())
    except (TypeError, ValueError):
        return None


class RetryAfterMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.max_retries = crawler.settings.getint("RETRY_TIMES", 3)
        self.max_wait = crawler.settings.getfloat("NEWSARCHIVE_MAX_RETRY_AFTER", MAX_WAIT)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_response(self, request, response):
        if response.status not in (429, 503):
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        tries = request.meta.get("retry_after_times", 0)
        if wait is None or tries >= self.max_retries:
            return response
        if wait > self.max_wait:
            log.warning("%s asks to wait %.0f s (over %d): giving up", request.url, wait,
                        self.max_wait)
            return response
        slot_key = request.meta.get("download_slot")
        slots = getattr(self.crawler.engine.downloader, "slots", {})
        if slot_key in slots:
            slots[slot_key].delay = max(slots[slot_key].delay, wait)
        self.crawler.stats.inc_value("newsarchive/retry_after")
        log.info("%s answered %d, Retry-After %.1f s: waiting", request.url, response.status,
                 wait)
        await asyncio.sleep(wait)
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_times"] = tries + 1
        return retry
