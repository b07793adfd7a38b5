"""Scrapy's downloader with its per-site concurrency enforced.

Scrapy 2.19 on the asyncio reactor starts each download as an asyncio task, and a
request counts as transferring only once its task runs: `_process_queue` sees every
slot free and starts the site's whole queue at once (measured: 8 to 15 requests at a
time to one site under CONCURRENT_REQUESTS_PER_DOMAIN=2 without a delay). Here a
request counts from the moment its download is scheduled."""

from __future__ import annotations

from scrapy.core.downloader import Downloader


class PoliteDownloader(Downloader):
    def _wait_for_download(self, slot, request, queue_dfd):
        slot.transferring.add(request)  # before the task runs; `_download` removes it
        return super()._wait_for_download(slot, request, queue_dfd)
