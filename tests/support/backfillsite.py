"""A synthetic newspaper with years of back issues on 127.0.0.1, for backfill tests: a
sitemap index of daily sitemaps (one per publication day, from 2012 on), each listing
that day's articles; every article page is counted when fetched. With `looping`, the
index is hostile: it lists itself and `looping` fresh child indexes, each of which does
the same, on every request (`sitemaps` counts the sitemap fetches)."""

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

    def __init__(self, days: int, per_day: int, looping: int = 0) -> None:
        self.days, self.per_day, self.looping = days, per_day, looping
        self.hits: Counter[str] = Counter()
        self.sitemaps = 0
        self.fresh = 0
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
        if path.startswith("/sitemap"):
            with self.lock:
                self.sitemaps += 1
        if self.looping and (path == "/sitemap.xml" or path.startswith("/sitemap-loop-")):
            return 200, self.looping_index(path), "application/xml"
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

    def looping_index(self, path: str) -> bytes:
        """An index listing itself, the site's index, its days and fresh child indexes."""
        with self.lock:
            first, self.fresh = self.fresh, self.fresh + self.looping
        now = "2030-01-01T00:00:00Z"  # always in the window
        locs = [*(f"/sitemap-loop-{n}.xml" for n in range(first, first + self.looping)),
                path, "/sitemap.xml", *(f"/sitemap-{d}.xml" for d in range(self.days))]
        maps = "".join(f"<sitemap><loc>{self.base}{loc}</loc><lastmod>{now}</lastmod>"
                       "</sitemap>" for loc in locs)
        return ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">{maps}</sitemapindex>').encode()

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
