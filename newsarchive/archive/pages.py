"""Raw pages: every HTTP response kept (compressed), so that articles can be extracted
again later and a crawl can be replayed from a WARC export."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib

from ..ground.clock import stamp
from ..ground.page import Page
from ..ground.urls import url_key

# A page whose body was cut short (`flags` start with `truncated` or `suspect-truncated`,
# see crawl.ingest) is kept for the record but is never read back as an article nor used
# to validate a GET (a conditional GET must fetch the whole page again).
COMPLETE = ("(flags IS NULL OR (flags NOT LIKE 'truncated%' "
            "AND flags NOT LIKE 'suspect-truncated%'))")


class Pages:
    """The `pages` table."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def add(self, page: Page) -> int:
        """Keep a raw response (compressed); returns its id. Never refuses a body: a
        corrupt or truncated page is stored with its flag."""
        with self.conn:
            return self.insert(page)

    def add_discovery(self, page: Page) -> int | None:
        """Keep a feed, sitemap or listing response unless its body is the same as the
        last one kept for that URL; returns the new page id, or None."""
        sha1 = hashlib.sha1(page.body).hexdigest()
        with self.conn:
            last = self.conn.execute(
                "SELECT sha1 FROM pages WHERE url_key = ? AND kind = 'discovery' "
                "ORDER BY id DESC LIMIT 1", (url_key(page.url),)).fetchone()
            if last and last[0] == sha1:
                return None
            return self.insert(page, sha1)

    def insert(self, page: Page, sha1: str | None = None) -> int:
        """Insert inside the caller's transaction; returns the page id. A body equal to
        the newest one kept for that URL (same kind) is not stored again: that row is
        returned, its flags, headers and validators brought up to date (a 3 MB page that
        is no article costs 3 MB once, not once per crawl)."""
        headers = page.headers or {}
        sha1 = sha1 or hashlib.sha1(page.body).hexdigest()
        last = self.conn.execute(
            "SELECT id, sha1 FROM pages WHERE url_key = ? AND kind = ? ORDER BY id DESC "
            "LIMIT 1", (url_key(page.url), page.kind)).fetchone()
        if last and last[1] == sha1:
            self.conn.execute(
                "UPDATE pages SET flags = ?, headers = ?, etag = ?, last_modified = ?, "
                "status = ?, last_seen = ? WHERE id = ?",
                (page.flags, json.dumps(headers, ensure_ascii=False), headers.get("etag"),
                 headers.get("last-modified"), page.status, page.fetched_at or stamp(),
                 last[0]))
            return last[0]
        cur = self.conn.execute(
            "INSERT INTO pages (url, url_key, fetched_at, status, headers, body, size, flags,"
            " etag, last_modified, kind, sha1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (page.url, url_key(page.url), page.fetched_at or stamp(), page.status,
             json.dumps(headers, ensure_ascii=False), zlib.compress(page.body, 6),
             len(page.body), page.flags, headers.get("etag"), headers.get("last-modified"),
             page.kind, sha1))
        return cur.lastrowid

    def body(self, page_id: int) -> bytes:
        row = self.conn.execute("SELECT body FROM pages WHERE id = ?", (page_id,)).fetchone()
        return zlib.decompress(row[0]) if row and row[0] else b""

    def flag(self, page_id: int, flags: str) -> None:
        with self.conn:
            self.conn.execute("UPDATE pages SET flags = ? WHERE id = ?", (flags, page_id))

    def newest_articles(self) -> list[Page]:
        """The newest stored complete answer (status 200, not truncated) of every article
        URL, with its id, as a Page whose body is read on demand by `body(id)`."""
        sql = ("SELECT p.id, p.url, p.headers, p.fetched_at, p.flags FROM pages p "
               "JOIN (SELECT url_key, MAX(id) AS id FROM pages WHERE status = 200 "
               f"AND kind = 'article' AND {COMPLETE} GROUP BY url_key) newest "
               "ON newest.id = p.id")
        return [Page(url=url, body=b"", headers=json.loads(headers or "{}"),
                     fetched_at=fetched_at, flags=flags, id=page_id)
                for page_id, url, headers, fetched_at, flags
                in self.conn.execute(sql).fetchall()]

    def not_article(self, url: str) -> dict[str, str | None] | None:
        """When `url` was first and last found to be no article (its newest page is
        flagged `not-article`), as `find` gives an article's dates; else None."""
        rows = self.conn.execute(
            "SELECT fetched_at, flags, coalesce(last_seen, fetched_at) FROM pages "
            "WHERE url_key = ? AND kind = 'article' ORDER BY id DESC LIMIT 50",
            (url_key(url),)).fetchall()
        if not rows or not (rows[0][1] or "").startswith("not-article"):
            return None
        first = min(at for at, flags, _ in rows if (flags or "").startswith("not-article"))
        return {"published_at": first, "last_seen": rows[0][2]}

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the newest stored page of `url`, for a conditional GET."""
        row = self.conn.execute(
            "SELECT etag, last_modified FROM pages WHERE url_key = ? AND status = 200 "
            f"AND kind = 'article' AND {COMPLETE} ORDER BY id DESC LIMIT 1",
            (url_key(url),)).fetchone()
        return (row[0], row[1]) if row else (None, None)
