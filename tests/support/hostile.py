"""A hostile newspaper on 127.0.0.1, as an adversary would run one (#17): it redirects,
lists and meta-refreshes to another host (`other`, a second local server holding an
"internal admin" page), lists its own sitemap index in itself, and serves a feed of
thousands of items. `hits` counts every path asked of either server; `served` replaces
what a path of its own answers (`gzip_bomb()`, `memory_bomb()`...)."""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from .localserver import QuietServer
from .pages import article_page

SECRET = b"<html><body><h1>Admin</h1><p>internal token 0xDEADBEEF</p></body></html>"


class HostileSite:
    def __init__(self, feed_items: int = 3,
                 served: dict[str, tuple[bytes, dict[str, str]]] | None = None) -> None:
        self.feed_items = feed_items
        self.served = served or {}
        self.hits: dict[str, int] = {}
        self.servers = [QuietServer(("127.0.0.1", 0), self._handler(own))
                        for own in (True, False)]

    def base(self, own: bool = True) -> str:
        return f"http://127.0.0.1:{self.servers[0 if own else 1].server_address[1]}"

    def __enter__(self) -> HostileSite:
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def registry_file(self, folder: Path, **settings) -> Path:
        base = self.base()
        path = folder / "sites.json"
        path.write_text(json.dumps([{
            "id": "hostile", "name": "Báo Thù", "province": "Nghệ An", "home": base + "/",
            "platform": None, "article_pattern": r"/bai-\d+\.html$",
            "feeds": [base + "/rss.xml"], "sitemaps": [base + "/sitemap.xml"],
            "listings": [], "settings": settings}]), encoding="utf-8")
        return path

    def _feed(self) -> bytes:
        base = self.base()
        items = "".join(f"<item><title>Bài {n}</title><link>{base}/bai-{n}.html</link></item>"
                        for n in range(1, self.feed_items + 1))
        return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()

    def _sitemap(self) -> bytes:
        entries = [f"{self.base()}/sitemap.xml", f"{self.base(False)}/admin-sitemap.xml"]
        locs = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in entries)
        return ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">{locs}</sitemapindex>').encode()

    def _handler(self, own: bool):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def send(self, status: int, body: bytes = b"", headers: dict | None = None,
                     ctype: str = "text/html; charset=utf-8") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                key = ("" if own else "other:") + self.path
                site.hits[key] = site.hits.get(key, 0) + 1
                other = site.base(False)
                if not own:
                    return self.send(200, SECRET)
                if self.path in site.served:
                    body, headers = site.served[self.path]
                    return self.send(200, body, headers)
                if self.path == "/robots.txt":
                    return self.send(404)
                if self.path == "/rss.xml":
                    return self.send(200, site._feed(), ctype="application/rss+xml")
                if self.path == "/sitemap.xml":
                    return self.send(200, site._sitemap(), ctype="application/xml")
                if self.path == "/bai-1.html":  # a redirect to another host
                    return self.send(301, headers={"Location": f"{other}/admin/bai-1.html"})
                if self.path == "/bai-2.html":  # a meta refresh to another host
                    refresh = f'<meta http-equiv="refresh" content="0; url={other}/admin">'
                    return self.send(200, f"<html><head>{refresh}</head></html>".encode())
                if self.path.startswith("/bai-"):
                    return self.send(200, article_page(title=f"Bài {self.path}").encode())
                return self.send(404)

        return Handler


def tag_bomb(tags: int = 1_000_000, tag: str = "b") -> bytes:
    """A page of `tags` unclosed `<b>` tags around a little text (#24 finding 10: a
    million of them, 7 MB, took lxml and the extractor 605 MB and 22 s)."""
    head = ('<html lang="vi"><head><meta charset="utf-8"><title>Bom thẻ</title>'
            '<meta property="og:type" content="article"></head><body><h1>Bom thẻ</h1>')
    return (head + f"<{tag}>x" * tags + "</body></html>").encode()


def flat_tag_bomb(tags: int = 1_000_000) -> bytes:
    """`tags` closed paragraphs: a flat, wide tree instead of a deep one."""
    head = ('<html lang="vi"><head><meta charset="utf-8"><title>Bom thẻ</title>'
            '</head><body><h1>Bom thẻ</h1><article>')
    return (head + "<p>x</p>" * tags + "</article></body></html>").encode()


def memory_bomb(megabytes: int = 19) -> bytes:
    """A page just under the size cap made of long paragraphs: few tags (it passes the
    tag count), but parsing it needs several times its size (#24: four 19 MB pages
    took 3.7 GB across the crawl's processes)."""
    head = ('<html lang="vi"><head><meta charset="utf-8"><title>Bom</title>'
            '<meta property="og:type" content="article"></head><body><h1>Bom</h1><article>')
    paragraph = "<p>" + "Bom chữ. " * 200 + "</p>"
    count = megabytes * 1024 * 1024 // len(paragraph.encode())
    return (head + paragraph * count + "</article></body></html>").encode()


def gzip_bomb(megabytes: int = 64) -> tuple[bytes, dict[str, str]]:
    """A body of `megabytes` MB of zeros sent gzip-compressed (about 1/1000 of it), with
    the header that makes the client expand it."""
    return gzip.compress(b"\0" * megabytes * 1024 * 1024), {"Content-Encoding": "gzip"}
