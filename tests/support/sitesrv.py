"""A synthetic newspaper on 127.0.0.1 for end-to-end crawls: feeds, a sitemap index,
paginated listings, a redirect, an edit between crawls, and every failure a crawler
meets (500, a timeout, 429 with Retry-After, a truncated body, a wrong charset, a page
robots.txt forbids)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from bench.synthetic import PARAGRAPH

from .localserver import LocalSite


class SyntheticSite(LocalSite):
    """Article numbers and what each one does are fixed; `edited` changes article 2."""

    OK = [1, 2, 3, 4, 5, 6, 7, 8, 11, 13]   # stored after the first crawl
    FAILING = {9: "http-500", 10: "timeout", 12: "truncated"}  # 12: body cut short
    DISALLOWED = [99]

    def __init__(self) -> None:
        self.edited = False
        self.redesigned = False   # new articles come in a template nobody recognises
        self.maintenance = False  # every article page is an error page, status 200
        self.slow = 0.0           # seconds each article page takes
        self.extra: list[int] = []  # more articles listed in the feed
        self.removed: dict[int, int] = {}  # article -> the status it answers now (404, 410)
        self.moved: set[int] = set()  # articles now redirected to the home page
        self.stalled: set[int] = set()  # articles that answer after the crawl's timeout
        self.hits: dict[str, int] = {}
        self.published = datetime.now(UTC) - timedelta(hours=2)
        super().__init__(self._handler())

    def registry_file(self, folder: Path) -> Path:
        path = folder / "sites.json"
        path.write_text(json.dumps([{
            "id": "testsite", "name": "Báo Thử", "province": "Nghệ An", "home": self.base + "/",
            "platform": None, "article_pattern": r"/bai-\d+\.html$",
            "feeds": [self.base + "/rss.xml"], "sitemaps": [self.base + "/sitemap.xml"],
            "listings": [self.base + "/thoi-su"]}]), encoding="utf-8")
        return path

    def article_html(self, n: int) -> str:
        body = f"<p>{PARAGRAPH} Bài số {n}.</p>" * 4
        if n == 2 and self.edited:
            body += "<p>Cập nhật: UBND huyện bổ sung kết quả giải quyết hồ sơ trong tháng.</p>"
        date = self.published.isoformat(timespec="seconds")
        return (f'<html lang="vi"><head><meta charset="utf-8"><title>Bài {n}</title>'
                f'<meta property="og:type" content="article">'
                f'<script type="application/ld+json">{{"@type":"NewsArticle",'
                f'"headline":"Diễn Châu đổi mới thủ tục, bài {n}","datePublished":"{date}",'
                f'"author":{{"@type":"Person","name":"Mai Giang"}}}}</script></head><body>'
                f'<h1>Diễn Châu đổi mới thủ tục, bài {n}</h1>'
                f'<div itemprop="articleBody">{body}</div></body></html>')

    def _feed(self) -> str:
        updated = datetime.now(UTC) if self.edited else self.published
        items = "".join(
            f"<item><title>Bài {n}</title><link>{self.base}/bai-{n}.html</link>"
            f"<pubDate>{(updated if n == 2 else self.published):%a, %d %b %Y %H:%M:%S +0000}"
            f"</pubDate></item>" for n in (1, 2, 3, 9, 99, *self.extra))
        return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
                     headers: dict | None = None, length: int | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(length or len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: C901 - one branch per case, on purpose
                path = self.path
                site.hits[path] = site.hits.get(path, 0) + 1
                base, now = site.base, datetime.now(UTC).isoformat(timespec="seconds")
                if path == "/robots.txt":
                    return self.send(200, b"User-agent: *\nDisallow: /private/\n"
                                     b"Disallow: /bai-99.html\n", "text/plain")
                if path == "/rss.xml":
                    return self.send(200, site._feed().encode(), "application/rss+xml")
                if path == "/sitemap.xml":
                    xml = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/'
                           f'schemas/sitemap/0.9"><sitemap><loc>{base}/sitemap-new.xml</loc>'
                           f'<lastmod>{now}</lastmod></sitemap><sitemap><loc>{base}/sitemap-old'
                           '.xml</loc><lastmod>2019-01-01T00:00:00Z</lastmod></sitemap>'
                           '</sitemapindex>')
                    return self.send(200, xml.encode(), "application/xml")
                if path == "/sitemap-new.xml":
                    urls = "".join(f"<url><loc>{base}/bai-{n}.html</loc></url>"
                                   for n in (4, 105, 10, 11))
                    xml = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/'
                           f'schemas/sitemap/0.9">{urls}</urlset>')
                    return self.send(200, xml.encode(), "application/xml")
                if path == "/sitemap-old.xml":
                    return self.send(500, b"should never be asked for")
                if path in ("/thoi-su", "/thoi-su?page=2"):
                    page2 = path.endswith("2")
                    numbers = (8, 12, 13) if page2 else (6, 7, 1)
                    links = "".join(f'<a href="/bai-{n}.html">Bài {n}</a>' for n in numbers)
                    nav = "" if page2 else '<a rel="next" href="/thoi-su?page=2">Trang sau</a>'
                    html = f"<html><body><a href='/thoi-su'>Thời sự</a>{links}{nav}</body></html>"
                    return self.send(200, html.encode())
                if path == "/bai-105.html":
                    self.send_response(301)
                    self.send_header("Location", "/bai-5.html")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if path == "/bai-9.html":
                    return self.send(500, b"<html><body>Internal error</body></html>")
                if path == "/bai-10.html":
                    time.sleep(4)
                    return self.send(200, site.article_html(10).encode())
                if path == "/bai-11.html" and site.hits[path] == 1:
                    return self.send(429, b"slow down", headers={"Retry-After": "1"})
                if path == "/bai-12.html":
                    body = site.article_html(12).encode()
                    return self.send(200, body[: len(body) - 40], length=len(body))
                if path == "/bai-13.html":  # UTF-8 bytes, declared windows-1252
                    return self.send(200, site.article_html(13).encode(),
                                     "text/html; charset=windows-1252")
                if path == "/":
                    links = "".join(f'<li><a href="/bai-{n}.html">Bài {n}</a></li>'
                                    for n in range(1, 9))
                    return self.send(200, f"<html><head><title>Báo Thử</title></head><body>"
                                     f"<h1>Báo Thử</h1><ul>{links}</ul></body></html>".encode())
                if path.startswith("/bai-") and path.endswith(".html"):
                    time.sleep(site.slow)
                    n = int(path[5:-5])
                    if n in site.stalled:
                        time.sleep(3)  # past FAST's DOWNLOAD_TIMEOUT=2
                    if n in site.removed:
                        return self.send(site.removed[n], "<html><body>Không tìm thấy"
                                         "</body></html>".encode())
                    if n in site.moved:
                        self.send_response(302)
                        self.send_header("Location", "/")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return None
                    if site.maintenance:
                        return self.send(200, "<html><head><title>Bảo trì</title></head><body>"
                                         "<h1>Hệ thống đang bảo trì</h1><p>Quay lại sau."
                                         "</p></body></html>".encode())
                    if site.redesigned and n >= 20:
                        return self.send(200, f"<html><body><div class='x'>Bài {n}</div>"
                                         "<div class='y'>Xem video</div></body></html>".encode())
                    return self.send(200, site.article_html(n).encode())
                return self.send(404, b"not found")

        return Handler
