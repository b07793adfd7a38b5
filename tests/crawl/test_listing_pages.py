"""A section listing's next page is asked with the site and its number only: none of
Scrapy's own keys of the page before (its retries, redirects, latency), which would
count against the next page's retries and redirects."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newsarchive.crawl.spiders.news import NewsSpider
from newsarchive.sites import Registry, Site

SITE = Site(id="s", name="S", home="https://s.vn/", platform=None,
            article_pattern=r"/bai-\d+\.html$", listings=("https://s.vn/thoi-su",))
LISTING = (b'<html><body><a href="/bai-1.html">Mot</a><a href="/bai-2.html">Hai</a>'
           b'<a rel="next" href="/thoi-su/trang-2">Trang sau</a></body></html>')


def test_the_next_listing_page_carries_no_meta_of_the_page_before(tmp_path):
    spider = NewsSpider.from_crawler(get_crawler(NewsSpider), registry=Registry([SITE]),
                                     db=str(tmp_path / "a.db"))
    spider.open_state()
    asked = Request("https://s.vn/thoi-su", meta={
        "site": "s", "page": 1, "retry_times": 2, "redirect_times": 1, "redirect_ttl": 19,
        "redirect_urls": ["https://s.vn/old"], "download_latency": 0.2})
    response = HtmlResponse(asked.url, body=LISTING, encoding="utf-8", request=asked)
    try:
        out = list(spider.parse_listing(response))
    finally:
        spider.closed("finished")
    listings = [r for r in out if getattr(r, "callback", None) == spider.parse_listing]
    articles = [r for r in out if getattr(r, "callback", None) == spider.parse_article]
    assert [r.url for r in articles] == ["https://s.vn/bai-1.html", "https://s.vn/bai-2.html"]
    assert [r.url for r in listings] == ["https://s.vn/thoi-su/trang-2"]
    assert listings[0].meta == {"site": "s", "page": 2}
