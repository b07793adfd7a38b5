"""Several synthetic newspapers on 127.0.0.1 (one port each) for cluster crawls: a
paginated listing of N articles per site, with an optional latency, and a record of
who (the User-Agent, one per worker) was fetching each site at every moment. A paper
may add articles between crawls (`articles`) and redesign its pages (`drifted`). For
bench.cluster and the cluster tests (tests/support/clustersites.py runs its processes)."""

from __future__ import annotations

import json
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from bench.localsite import QuietServer
from bench.synthetic import PARAGRAPH

PER_PAGE = 20


class Paper:
    """One site: `/list?page=K` links PER_PAGE articles `/bai-N.html`, then rel=next."""

    def __init__(self, index: int, articles: int, latency: float, log: list,
                 host: str = "127.0.0.1", own_text: bool = False) -> None:
        self.id, self.articles, self.latency, self.log = f"site{index}", articles, latency, log
        self.own_text = own_text  # each article its own words, not one shared paragraph
        self.drifted = False  # a redesign: no title, date nor body where they were
        self.active: dict[str, int] = {}
        self.lock = threading.Lock()
        self.server = QuietServer((host, 0), self._handler())
        self.base = f"http://{host}:{self.server.server_address[1]}"
        self.published = (datetime.now(UTC) - timedelta(hours=2)).isoformat(timespec="seconds")

    def entry(self) -> dict:
        return {"id": self.id, "name": f"Báo Thử {self.id}", "province": "Nghệ An",
                "home": self.base + "/", "platform": None, "article_pattern": r"/bai-\d+\.html$",
                "listings": [self.base + "/list?page=1"]}

    def urls(self) -> set[str]:
        return {f"{self.base}/bai-{n}.html" for n in range(1, self.articles + 1)}

    def article(self, n: int) -> bytes:
        if self.drifted:
            return (f'<html lang="vi"><head><meta charset="utf-8"><title>{self.id} {n}'
                    f'</title></head><body><div class="khung-moi"><span class="tieu-de">'
                    f'{self.id}: bài {n}</span>'
                    + f'<div class="doan">{PARAGRAPH} Bài số {n}.</div>' * 4
                    + "</div></body></html>").encode()
        return (f'<html lang="vi"><head><meta charset="utf-8"><title>{self.id} {n}</title>'
                f'<script type="application/ld+json">{{"@type":"NewsArticle","headline":'
                f'"{self.id}: Diễn Châu, bài {n}","datePublished":"{self.published}"}}</script>'
                f'</head><body><h1>{self.id}: Diễn Châu, bài {n}</h1><div itemprop="articleBody">'
                + f"<p>{self.text(n)} Bài số {n} của {self.id}.</p>" * 4
                + "</div></body></html>").encode()

    def text(self, n: int) -> str:
        """The article's paragraph: the shared one, or (`own_text`) its syllables in an
        order of the article's own, so that no two articles are copies of one story."""
        if not self.own_text:
            return PARAGRAPH
        words = PARAGRAPH.split()
        random.Random(f"{self.id}-{n}").shuffle(words)
        return " ".join(words)

    def listing(self, page: int) -> bytes:
        first = (page - 1) * PER_PAGE + 1
        last = min(page * PER_PAGE, self.articles)
        links = "".join(f'<a href="/bai-{n}.html">Bài {n}</a>' for n in range(first, last + 1))
        nav = f'<a rel="next" href="/list?page={page + 1}">Trang sau</a>' \
            if last < self.articles else ""
        return f"<html><body>{links}{nav}</body></html>".encode()

    def _handler(self):
        paper = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                who = self.headers.get("User-Agent", "")
                with paper.lock:
                    paper.active[who] = paper.active.get(who, 0) + 1
                    paper.log.append((paper.id, time.monotonic(), "start", who,
                                      dict(paper.active)))
                try:
                    time.sleep(paper.latency)
                    if self.path.startswith("/list?page="):
                        body = paper.listing(int(self.path.split("=")[1]))
                    elif self.path.startswith("/bai-"):
                        body = paper.article(int(self.path[5:-5]))
                    else:
                        self.send_response(404)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with paper.lock:
                        paper.active[who] -= 1
                        if not paper.active[who]:
                            del paper.active[who]

        return Handler


class Papers:
    """`sites` papers of `articles` articles each, served while in the `with` block; with
    `own_hosts`, each on its own loopback address (127.0.0.2, .3...), so that Scrapy's
    per-site limits (a download slot per host name) hold for each paper as on the web;
    with `own_text`, no two articles share their text (else every one is a copy of one
    story, the story grouping's worst case)."""

    def __init__(self, sites: int, articles: int, latency: float = 0.0,
                 own_hosts: bool = False, own_text: bool = False) -> None:
        self.log: list = []
        self.papers = [Paper(i, articles, latency, self.log,
                             f"127.0.{(i + 2) // 256}.{(i + 2) % 256}" if own_hosts
                             else "127.0.0.1", own_text) for i in range(sites)]

    def __enter__(self) -> Papers:
        for p in self.papers:
            threading.Thread(target=p.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        for p in self.papers:
            p.server.shutdown()
            p.server.server_close()

    def registry_file(self, folder: Path) -> Path:
        path = folder / "sites.json"
        path.write_text(json.dumps([p.entry() for p in self.papers]), encoding="utf-8")
        return path

    def urls(self) -> set[str]:
        return set().union(*(p.urls() for p in self.papers))

    def overlaps(self) -> list[tuple]:
        """Moments when two workers were fetching the same site at once."""
        return [entry for entry in self.log if len(entry[4]) > 1]
