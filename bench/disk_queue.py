"""The scheduler's disk queue, side by side: CPU to push and pop N article requests with
Scrapy's PickleLifoDiskQueue and with newsarchive's (crawl/queues.py), on the crawl's
spider (its many attributes are what Scrapy's callback look-up walks).

    python -m bench.disk_queue [--requests 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from scrapy import Request
from scrapy.squeues import PickleLifoDiskQueue
from scrapy.utils.test import get_crawler

from newsarchive.crawl.queues import LifoDiskQueue
from newsarchive.crawl.spiders.news import NewsSpider
from newsarchive.sites import load


def cpu(queue_class, crawler, spider: NewsSpider, n: int, folder: Path) -> float:
    """CPU seconds to push `n` requests and pop them all."""
    crawler.spider = spider
    queue = queue_class.from_crawler(crawler, str(folder / queue_class.__name__))
    requests = [Request(f"https://example.vn/bai-{i}.html", callback=spider.parse_article,
                        errback=spider.failed, meta={"site": "baonghean", "known": False})
                for i in range(n)]
    start = time.process_time()
    for request in requests:
        queue.push(request)
    while queue.pop() is not None:
        pass
    used = time.process_time() - start
    queue.close()
    return used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider(load(), crawler=crawler)
    spider.crawler = crawler
    ms = 1000 / args.requests
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            theirs = cpu(PickleLifoDiskQueue, crawler, spider, args.requests, Path(tmp))
            ours = cpu(LifoDiskQueue, crawler, spider, args.requests, Path(tmp))
        print(f"disk queue CPU per request: Scrapy's {theirs * ms:.3f} ms, newsarchive's "
              f"{ours * ms:.3f} ms ({theirs / ours:.1f}x less)", flush=True)


if __name__ == "__main__":
    main()
