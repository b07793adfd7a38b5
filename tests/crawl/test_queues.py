"""The scheduler's disk queues: requests come back with the spider's own methods, and
what one queue writes the other (Scrapy's) reads."""

from __future__ import annotations

from scrapy import Request
from scrapy.squeues import PickleFifoDiskQueue, PickleLifoDiskQueue
from scrapy.utils.test import get_crawler

from newsarchive.crawl.queues import FifoDiskQueue, LifoDiskQueue, request_dict
from newsarchive.crawl.spiders.news import NewsSpider
from newsarchive.sites import load


def spider_and_crawler():
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider(load(), crawler=crawler)
    crawler.spider = spider
    return spider, crawler


def test_a_request_comes_back_with_its_callback_errback_and_meta(tmp_path):
    spider, crawler = spider_and_crawler()
    for cls, order in ((LifoDiskQueue, -1), (FifoDiskQueue, 1)):
        queue = cls.from_crawler(crawler, str(tmp_path / cls.__name__))
        sent = [Request("https://example.vn/bai-1.html", callback=spider.parse_article,
                        errback=spider.failed, meta={"site": "baonghean", "known": True},
                        headers={"If-None-Match": "x"}),
                Request("https://example.vn/sitemap.xml", callback=spider.parse_sitemap,
                        dont_filter=True, priority=-2)]
        for request in sent:
            queue.push(request)
        got = [queue.pop(), queue.pop()][::order]
        assert queue.pop() is None
        queue.close()
        for before, after in zip(sent, got, strict=True):
            assert after.url == before.url and after.meta == before.meta
            assert after.callback == before.callback and after.errback == before.errback
            assert (after.dont_filter, after.priority) == (before.dont_filter, before.priority)
            assert after.headers == before.headers
        # the request pushed keeps its methods (named only while written)
        assert sent[0].callback == spider.parse_article


def test_the_dict_written_is_scrapys():
    spider, _ = spider_and_crawler()
    for request in (Request("https://example.vn/a.html", callback=spider.parse_article,
                            errback=spider.failed),
                    Request("https://example.vn/b.html"),
                    Request("https://example.vn/c.html", callback=spider.parse_feed)):
        assert request_dict(request, spider) == request.to_dict(spider=spider)


def test_a_callback_that_is_no_method_of_the_spider_is_refused_as_scrapy_refuses_it(
        tmp_path):
    """The scheduler keeps such a request in memory (Scrapy's ValueError says why)."""
    spider, crawler = spider_and_crawler()
    request = Request("https://example.vn/a.html", callback=lambda response: None)
    for cls in (PickleLifoDiskQueue, LifoDiskQueue):
        queue = cls.from_crawler(crawler, str(tmp_path / cls.__name__))
        try:
            queue.push(request)
            raise AssertionError("pushed")
        except ValueError:
            pass
        queue.close()


def test_a_request_read_back_has_the_url_and_meta_scrapys_queue_gives_it(tmp_path):
    """Its URL is not escaped again (it was at creation), and nothing is left in its meta
    of how it was read: a redirect of it is escaped as usual."""
    spider, crawler = spider_and_crawler()
    urls = ("https://báo.vn/bài viết.html?q=Diễn Châu#đầu", "https://example.vn/a%20b?x=%E1",
            "https://xn--bo-xja.vn/ok.html")
    metas = ({}, {"site": "s"}, {"verbatim_url": True})
    for cls, scrapys in ((LifoDiskQueue, PickleLifoDiskQueue),
                         (FifoDiskQueue, PickleFifoDiskQueue)):
        for url, meta in zip(urls, metas, strict=True):
            sent = Request(url, callback=spider.parse_article, meta=meta)
            got = []
            for queue_class in (cls, scrapys):
                queue = queue_class.from_crawler(crawler, str(tmp_path / queue_class.__name__))
                queue.push(sent)
                got.append(queue.pop())
                queue.close()
            ours, theirs = got
            assert ours.url == theirs.url == sent.url
            assert ours.meta == theirs.meta == sent.meta
            assert ours.replace(url="https://báo.vn/khác").url == \
                theirs.replace(url="https://báo.vn/khác").url
