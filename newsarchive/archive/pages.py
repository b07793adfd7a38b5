"""Raw pages: every HTTP response kept (compressed), so that articles can be extracted
again later and a crawl can be replayed from a WARC export. How a body is compressed is
`compression.py`: a URL's first capture with its paper's dictionary, later captures
against the first one."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections import OrderedDict

import zstandard

from ..ground.clock import stamp
from ..ground.cpuparts import part
from ..ground.page import Page
from ..ground.urls import host_of, url_key
from .compression import Codec, CorruptBody, compress, decompress, raw_dictionary
from .compression import sha1 as sha1_of
from .dictionaries import Dictionaries
from .rows import as_json

log = logging.getLogger(__name__)

# A page whose body was cut short (`flags` start with `truncated` or `suspect-truncated`,
# see crawl.ingest) is kept for the record but is never read back as an article nor used
# to validate a GET (a conditional GET must fetch the whole page again).
COMPLETE = ("(flags IS NULL OR (flags NOT LIKE 'truncated%' "
            "AND flags NOT LIKE 'suspect-truncated%'))")


# A URL key whose host is plain (lower-case letters, digits, dots and hyphens, no prefix
# `url_key` strips, a port that is no default): its host is read off the key. `host_of`
# would find the same by taking the key apart as a URL again (a cache miss for every
# new key: ~10 us a page); any other key goes through it.
_PLAIN = re.compile(r"https://((?!(?:www\d?|m|mobile|amp)\.)[a-z0-9.-]+(?::([1-9]\d{0,4}))?)/")


def site_of(key: str) -> str:
    """`host_of(key)` for a URL key (`url_key`'s): the paper's host its dictionary is
    kept under."""
    found = _PLAIN.match(key)
    if found is None or (found[2] and int(found[2]) in (80, 443)) or \
            (found[2] and int(found[2]) > 65535):
        return host_of(key)
    return found[1]


class Pages:
    """The `pages` table."""

    BASES = 16  # reference bodies kept decompressed: a WARC export reads a URL's in a row

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.dictionaries = Dictionaries(conn, self.body)
        self.bases: OrderedDict[int, tuple[str, bytes, zstandard.ZstdCompressionDict]] = \
            OrderedDict()  # page id -> (sha1, raw body, as a dictionary)
        self.to_train: set[str] = set()  # papers whose dictionary is due, once committed

    def add(self, page: Page) -> int:
        """Keep a raw response (compressed); returns its id. Never refuses a body: a
        corrupt or truncated page is stored with its flag."""
        with self.conn:
            page_id = self.insert(page)
        self.train_due()
        return page_id

    def add_discovery(self, page: Page) -> int | None:
        """Keep a feed, sitemap or listing response unless its body is the same as the
        last one kept for that URL; returns the new page id, or None."""
        digest = sha1_of(page.body)
        with self.conn:
            last = self.conn.execute(
                "SELECT sha1 FROM pages WHERE url_key = ? AND kind = 'discovery' "
                "ORDER BY id DESC LIMIT 1", (url_key(page.url),)).fetchone()
            if last and last[0] == digest:
                return None
            return self.insert(page, digest)

    def insert(self, page: Page, sha1: str | None = None,
               article_id: int | None = None) -> int:
        """Insert inside the caller's transaction; returns the page id. A body equal to
        the newest one kept for that URL (same kind) is not stored again: that row is
        returned, its flags, headers and validators brought up to date (a 3 MB page that
        is no article costs 3 MB once, not once per crawl). `article_id`: the article
        read from it, if any (else the row's is left as it is)."""
        headers = page.headers or {}
        digest = sha1 or sha1_of(page.body)
        key = url_key(page.url)
        last = self.conn.execute(
            "SELECT id, sha1 FROM pages WHERE url_key = ? AND kind = ? ORDER BY id DESC "
            "LIMIT 1", (key, page.kind)).fetchone()
        if last and last[1] == digest:
            self.conn.execute(
                "UPDATE pages SET flags = ?, headers = ?, etag = ?, last_modified = ?, "
                "status = ?, last_seen = ?, article_id = coalesce(?, article_id) "
                "WHERE id = ?",
                (page.flags, as_json(headers), headers.get("etag"),
                 headers.get("last-modified"), page.status, page.fetched_at or stamp(),
                 article_id, last[0]))
            return last[0]
        with part("compress"):  # no capture of the URL yet: it is the first
            blob, codec, dictionary, ref = self.encode(page.body, key, page.kind,
                                                       first=last is None)
        cur = self.conn.execute(
            "INSERT INTO pages (url, url_key, fetched_at, status, headers, body, size, flags,"
            " etag, last_modified, kind, sha1, codec, dictionary, ref, article_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (page.url, key, page.fetched_at or stamp(), page.status,
             as_json(headers), blob, len(page.body), page.flags,
             headers.get("etag"), headers.get("last-modified"), page.kind, digest, codec,
             dictionary, ref, article_id))
        if dictionary is not None:
            self.dictionaries.wrote(dictionary, len(blob), len(page.body))
        return cur.lastrowid

    def encode(self, body: bytes, key: str, kind: str, *, before: int | None = None,
               first: bool = False) -> tuple[bytes, Codec, int | None, int | None]:
        """(blob, codec, dictionary id, reference page id) for a body of the URL `key`:
        against the URL's first stored capture of that kind (below page id `before`, when
        given) if there is one, else (or when it must itself stay `first`, being some
        row's reference) with the paper's dictionary, else plain zstd."""
        base = None if first else self.conn.execute(
            "SELECT id FROM pages WHERE url_key = ? AND kind = ? AND ref IS NULL"
            + (" AND id < ?" if before else "") + " ORDER BY id LIMIT 1",
            (key, kind, before) if before else (key, kind)).fetchone()
        if base:
            raw, dictionary = self.base(base[0])
            if raw:
                return compress(body, dictionary, len(raw)), Codec.REF, None, base[0]
            return compress(body), Codec.ZSTD, None, None
        site = site_of(key)
        current = self.dictionaries.current(site)
        if kind == "article" and self.dictionaries.wanted(site, current):
            self.to_train.add(site)
        if current is None:
            return compress(body), Codec.ZSTD, None, None
        return (compress(body, self.dictionaries.get(current)), Codec.DICT, current, None)

    def base(self, page_id: int) -> tuple[bytes, zstandard.ZstdCompressionDict]:
        """A reference page's raw body, and that body as a raw-content dictionary. The
        cache is checked against the row's sha1: a rolled-back insert frees its id."""
        row = self.conn.execute("SELECT sha1 FROM pages WHERE id = ?", (page_id,)).fetchone()
        digest = row[0] if row else None
        cached = self.bases.get(page_id)
        if cached and digest and cached[0] == digest:
            self.bases.move_to_end(page_id)
            return cached[1], cached[2]
        raw = self.body(page_id, as_reference=True)
        self.bases[page_id] = digest or "", raw, raw_dictionary(raw)
        if len(self.bases) > self.BASES:
            self.bases.popitem(last=False)
        return raw, self.bases[page_id][2]

    def body(self, page_id: int, *, as_reference: bool = False) -> bytes:
        """The raw body of a page, byte for byte as fetched (b"" for no such page).
        CorruptBody when it cannot be read back or its sha1 does not match."""
        row = self.conn.execute("SELECT body, codec, dictionary, ref, sha1 FROM pages "
                                "WHERE id = ?", (page_id,)).fetchone()
        if row is None:
            return b""
        blob, codec, dictionary_id, ref, digest = row
        try:
            dictionary = None
            if codec == Codec.REF:
                if as_reference or ref is None:
                    raise CorruptBody(f"its reference {ref} is not a first capture")
                dictionary = self.base(ref)[1]
            elif codec == Codec.DICT:
                dictionary = self.dictionaries.get(dictionary_id)
            raw = decompress(codec, blob, dictionary)
        except CorruptBody as exc:
            raise CorruptBody(f"page {page_id}: {exc}") from exc
        if digest and sha1_of(raw) != digest:
            raise CorruptBody(f"page {page_id}: its body reads back with another sha1 "
                              f"than the one stored")
        return raw

    def train_due(self) -> None:
        """Train the dictionaries found due by the last inserts: after the commit, so
        that the second of training never holds the write lock."""
        if self.conn.in_transaction:
            return
        while self.to_train:
            self.dictionaries.train(self.to_train.pop())

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
