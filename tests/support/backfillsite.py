"""A synthetic newspaper with years of back issues on 127.0.0.1, for backfill tests: a
sitemap index of daily sitemaps (one per publication day, from 2012 on), each listing
that day's articles; every article page is counted when fetched."""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from .localserver import LocalSite
from .sitesrv import PARAGRAPH

FIRST_DAY = date(2012, 1, 2)
PADDING = "<!-- " + "x" * 40_000 + " -->"  # article pages weigh what real ones do


class BackfillSite(LocalSite):
    """`days` publication days of `per_day` articles each; `hits` counts article fetches."""

    def __init__(self, days: int, per_day: int) -> None:
        self.days, self.per_day = days, per_day
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        super().__init__(self._handler())

    @property
    def articles(self) -> int:
        return self.days * self.per_day

    def registry_file(self, folder: Path) -> Path:
        path = folder / "sites.json"
        path.write_text(json.dumps([{
            "id": "testsite", "name": "Báo Thử", "home": self.base + "/", "platform": None,
            "article_pattern": r"/bai-\d+\.html$", "sitemaps": [self.base + "/sitemap.xml"]}]),
            encoding="utf-8")
        return path

    def day(self, n: int) -> date:
        return FIRST_DAY + timedelta(days=n)

    def page(self, path: str) -> tuple[int, bytes, str]:
        base = self.base
        if path == "/sitemap.xml":
            maps = "".join(f"<sitemap><loc>{base}/sitemap-{d}.xml</loc><lastmod>"
                           f"{self.day(d).isoformat()}T23:00:00Z</lastmod></sitemap>"
                           for d in range(self.days))
            return 200, ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/'
                         f'schemas/sitemap/0.9">{maps}</sitemapindex>').encode(), \
                "application/xml"
        if path.startswith("/sitemap-"):
            d = int(path[len("/sitemap-"):-len(".xml")])
            urls = "".join(f"<url><loc>{base}/bai-{d * self.per_day + i}.html</loc></url>"
                           for i in range(self.per_day))
            return 200, ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/'
                         f'schemas/sitemap/0.9">{urls}</urlset>').encode(), "application/xml"
        if path.startswith("/bai-") and path.endswith(".html"):
            n = int(path[5:-5])
            if n >= self.articles:
                return 404, b"", "text/html"
            with self.lock:
                self.hits[path] += 1
            return 200, self.article_html(n).encode(), "text/html; charset=utf-8"
        return 404, b"", "text/html"

    def article_html(self, n: int) -> str:
        published = f"{self.day(n // self.per_day).isoformat()}T08:00:00+07:00"
        return (f'<html lang="vi"><head><meta charset="utf-8"><title>Bài {n}</title>'
                f'<meta property="og:type" content="article">'
                f'<script type="application/ld+json">{{"@type":"NewsArticle",'
                f'"headline":"Tin lưu trữ số {n}","datePublished":"{published}"}}</script>'
                f'</head><body><h1>Tin lưu trữ số {n}</h1><div itemprop="articleBody">'
                + f"<p>{PARAGRAPH} Bài số {n}.</p>" * 4 + f"</div>{PADDING}</body></html>")

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                status, body, ctype = site.page(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler
