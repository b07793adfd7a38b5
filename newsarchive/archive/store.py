"""Storing articles: one row per article, a version per distinct content, raw pages kept.

Upsert semantics: the same content touches `last_seen` only; a changed title, sapo or
body (after normalisation) adds a version with a diff; other fields (tags, images...)
are updated in place. URL variants map to one article through `article_urls`.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import sqlite_utils

from .. import clock
from ..extract.dates import parse_date
from ..items import Article
from ..urls import url_key
from .db import connect

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
RUN_COUNTERS = ("discovered", "new", "changed", "unchanged", "failed", "bytes", "fallback",
                "extracted", "missing")


def now_utc() -> str:
    return clock.stamp()


# Whitespace other than space and newline. With no such character, no two spaces or
# newlines in a row and no padded line, text is normal already: the usual case, tested
# with substring checks (a regex alternation is ten times slower on long bodies).
_ODD_SPACE = re.compile(r"[^\S \n]")


def _is_normal(text: str) -> bool:
    return not (text[0] in " \n" or text[-1] in " \n" or "  " in text or " \n" in text
                or "\n " in text or "\n\n" in text or _ODD_SPACE.search(text))


def _normal(text: str | None) -> str:
    """NFC, runs of spaces as one, no blank or padded lines."""
    if not text:
        return ""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _is_normal(text):
        return text
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _lines(article: Article) -> list[str]:
    return [_normal(article.title), _normal(article.sapo),
            *_normal(article.body_text).split("\n")]


def content_hash(article: Article) -> str:
    """Hash of title, sapo and body after normalisation: whitespace or Unicode-form
    noise is not a change."""
    return hashlib.sha1("\x1f".join(_lines(article)).encode()).hexdigest()


def _meta_hash(a: Article) -> str:
    """Hash of the fields that are updated in place (not versioned)."""
    meta = (a.url, a.site, a.body_html, a.authors, a.source, a.published_at, a.modified_at,
            a.section, a.tags, [(i.url, i.caption) for i in a.images], a.language,
            a.extractor_version)
    return hashlib.sha1(json.dumps(meta, ensure_ascii=False).encode()).hexdigest()


def diff(old: list[str], new: list[str], old_version: int, new_version: int) -> str:
    """A unified diff, line per paragraph (title first, then sapo), readable in a table."""
    return "\n".join(difflib.unified_diff(old, new, f"version {old_version}",
                                          f"version {new_version}", lineterm="", n=1))


def _utc(iso: str | None) -> str | None:
    dt = parse_date(iso)[0] if iso else None
    return dt.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z") if dt else None


@dataclass
class Page:
    """A raw HTTP response, kept so that articles can be re-extracted later."""

    url: str
    body: bytes
    status: int = 200
    headers: dict[str, str] | None = None
    fetched_at: str | None = None
    flags: str | None = None
    kind: str = "article"  # or "discovery": a feed, sitemap or listing


class Archive:
    """The SQLite archive. Usable alone: no Scrapy, no Datasette."""

    def __init__(self, db: str | Path | sqlite_utils.Database = "archive.db"):
        self.db = db if isinstance(db, sqlite_utils.Database) else connect(db)
        self.conn = self.db.conn

    # -- articles ---------------------------------------------------------------------

    def find(self, url: str) -> dict[str, Any] | None:
        """The stored article for any variant of `url`, or None."""
        row = self.conn.execute(
            "SELECT a.id, a.content_hash, a.meta_hash, a.version_count, a.published_at, "
            "a.last_seen FROM article_urls u JOIN articles a ON a.id = u.article_id "
            "WHERE u.url_key = ?", (url_key(url),)).fetchone()
        if row is None:
            return None
        keys = ("id", "content_hash", "meta_hash", "version_count", "published_at", "last_seen")
        return dict(zip(keys, row, strict=True))

    def store(self, article: Article, *, seen_at: str | None = None,
              fetched_url: str | list[str] | None = None,
              page_id: int | None = None) -> tuple[str, int]:
        """Insert or update one article in its own transaction: (outcome, article id).
        `fetched_url`: the URL(s) it was fetched at (redirects included), kept as aliases."""
        with self.conn:
            return self._store(article, seen_at or now_utc(), fetched_url, page_id)

    def store_many(self, articles: Iterable[Article], seen_at: str | None = None) -> Counter:
        """Store a batch in one transaction; counts of new/changed/unchanged. Articles
        not yet archived are inserted in bulk; the others go through `store`'s rules."""
        counts: Counter = Counter()
        seen_at = seen_at or now_utc()
        arts = list(articles)
        with self.conn:
            fresh, rest = self._split_new(arts)
            self._insert_many(fresh, seen_at)
            counts[NEW] += len(fresh)
            for article in rest:
                counts[self._store(article, seen_at, None, None)[0]] += 1
        return counts

    def _split_new(self, arts: list[Article]
                   ) -> tuple[list[tuple[str, Article]], list[Article]]:
        """(URL key, article) of those not yet archived, and the others."""
        keys = [url_key(a.url) for a in arts]
        known: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            known |= {k for (k,) in self.conn.execute(
                f"SELECT url_key FROM article_urls WHERE url_key IN "
                f"({', '.join('?' * len(chunk))})", chunk)}
        fresh, rest = [], []
        for art, key in zip(arts, keys, strict=True):
            if key in known:
                rest.append(art)
            else:
                known.add(key)
                fresh.append((key, art))
        return fresh, rest

    def _insert_many(self, fresh: list[tuple[str, Article]], seen_at: str) -> None:
        if not fresh:
            return
        first = (self.conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0) + 1
        rows, versions = [], []
        for article_id, (key, art) in enumerate(fresh, first):
            chash = content_hash(art)
            rows.append(self._columns(art) | {
                "id": article_id, "url_key": key, "content_hash": chash,
                "meta_hash": _meta_hash(art), "first_seen": seen_at, "last_seen": seen_at,
                "last_changed": seen_at, "version_count": 1})
            versions.append((article_id, seen_at, chash, art.title, art.sapo, art.body_text))
        names = list(rows[0])
        self.conn.executemany(
            f"INSERT INTO articles ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [[row[n] for n in names] for row in rows])
        self.conn.executemany(
            "INSERT INTO article_versions (article_id, version, seen_at, content_hash, title, "
            "sapo, body_text) VALUES (?, 1, ?, ?, ?, ?, ?)", versions)
        self.conn.executemany("INSERT INTO article_urls (url_key, article_id) VALUES (?, ?)",
                              [(row["url_key"], row["id"]) for row in rows])
        self._link([(article_id, art) for article_id, (_, art) in enumerate(fresh, first)])

    def _link(self, pairs: list[tuple[int, Article]]) -> None:
        """Authors, tags and images of (article id, Article) pairs, in a few statements."""
        for table in ("authors", "tags"):
            listed = [(article_id, list(dict.fromkeys(getattr(art, table))))
                      for article_id, art in pairs]
            ids = self._name_ids(table, {n for _, names in listed for n in names})
            self.conn.executemany(
                f"INSERT INTO article_{table} (article_id, {table[:-1]}_id, position) "
                "VALUES (?, ?, ?)",
                [(article_id, ids[name], pos) for article_id, names in listed
                 for pos, name in enumerate(names)])
        self.conn.executemany(
            "INSERT INTO images (article_id, position, url, caption) VALUES (?, ?, ?, ?)",
            [(article_id, pos, img.url, img.caption)
             for article_id, art in pairs for pos, img in enumerate(art.images)])

    def _name_ids(self, table: str, names: set[str]) -> dict[str, int]:
        self.conn.executemany(f"INSERT OR IGNORE INTO {table} (name) VALUES (?)",
                              [(n,) for n in names])
        ids: dict[str, int] = {}
        listed = list(names)
        for i in range(0, len(listed), 500):
            chunk = listed[i:i + 500]
            ids |= dict(self.conn.execute(
                f"SELECT name, id FROM {table} WHERE name IN ({', '.join('?' * len(chunk))})",
                chunk).fetchall())
        return ids

    def _store(self, art: Article, seen_at: str, fetched_url: str | list[str] | None,
               page_id: int | None) -> tuple[str, int]:
        fetched = [fetched_url] if isinstance(fetched_url, str) else fetched_url or []
        keys = {url_key(art.url), *(url_key(u) for u in fetched)}
        found = None
        for key in keys:
            found = found or self.find(key)
        chash, mhash = content_hash(art), _meta_hash(art)
        if found is None:
            article_id = self._insert(art, chash, mhash, seen_at)
            outcome = NEW
        else:
            article_id = found["id"]
            if found["content_hash"] != chash:
                self._new_version(article_id, found["version_count"], art, chash, seen_at)
                self._update(article_id, art, chash, mhash, seen_at, changed=True)
                outcome = CHANGED
            else:
                if found["meta_hash"] != mhash:
                    self._update(article_id, art, chash, mhash, seen_at, changed=False)
                else:
                    self.conn.execute("UPDATE articles SET last_seen = MAX(last_seen, ?) "
                                      "WHERE id = ?", (seen_at, article_id))
                outcome = UNCHANGED
        self.conn.executemany(
            "INSERT OR IGNORE INTO article_urls (url_key, article_id) VALUES (?, ?)",
            [(k, article_id) for k in keys])
        if page_id is not None:
            self.conn.execute("UPDATE pages SET article_id = ? WHERE id = ?",
                              (article_id, page_id))
        return outcome, article_id

    def _columns(self, art: Article) -> dict[str, Any]:
        return {
            "url": art.url, "site": art.site, "title": art.title, "sapo": art.sapo,
            "body_text": art.body_text, "body_html": art.body_html,
            "authors": json.dumps(art.authors, ensure_ascii=False),
            "tags": json.dumps(art.tags, ensure_ascii=False), "source": art.source,
            "published_at": art.published_at, "published_utc": _utc(art.published_at),
            "modified_at": art.modified_at, "section": art.section, "language": art.language,
            "provenance": json.dumps(art.provenance, ensure_ascii=False),
            "notes": json.dumps(art.notes, ensure_ascii=False),
            "extractor_version": art.extractor_version,
        }

    def _insert(self, art: Article, chash: str, mhash: str, seen_at: str) -> int:
        cols = self._columns(art) | {
            "url_key": url_key(art.url), "content_hash": chash, "meta_hash": mhash,
            "first_seen": seen_at, "last_seen": seen_at, "last_changed": seen_at,
            "version_count": 1}
        cur = self.conn.execute(
            f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            list(cols.values()))
        article_id = cur.lastrowid
        self.conn.execute(
            "INSERT INTO article_versions (article_id, version, seen_at, content_hash, title, "
            "sapo, body_text) VALUES (?, 1, ?, ?, ?, ?, ?)",
            (article_id, seen_at, chash, art.title, art.sapo, art.body_text))
        self._relations(article_id, art, replace=False)
        return article_id

    def _update(self, article_id: int, art: Article, chash: str, mhash: str, seen_at: str,
                changed: bool) -> None:
        cols = self._columns(art) | {"content_hash": chash, "meta_hash": mhash}
        if changed:
            cols["last_changed"] = seen_at
        sets = ", ".join(f"{k} = ?" for k in cols)
        self.conn.execute(f"UPDATE articles SET {sets}, last_seen = MAX(last_seen, ?) "
                          "WHERE id = ?", [*cols.values(), seen_at, article_id])
        self._relations(article_id, art, replace=True)

    def _new_version(self, article_id: int, count: int, art: Article, chash: str,
                     seen_at: str) -> None:
        old = self.conn.execute(
            "SELECT title, sapo, body_text FROM article_versions WHERE article_id = ? "
            "ORDER BY version DESC LIMIT 1", (article_id,)).fetchone()
        old_art = Article(url="", site="", title=old[0], sapo=old[1], body_text=old[2] or "")
        self.conn.execute(
            "INSERT INTO article_versions (article_id, version, seen_at, content_hash, title, "
            "sapo, body_text, diff) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, count + 1, seen_at, chash, art.title, art.sapo, art.body_text,
             diff(_lines(old_art), _lines(art), count, count + 1)))
        self.conn.execute("UPDATE articles SET version_count = ? WHERE id = ?",
                          (count + 1, article_id))

    def _relations(self, article_id: int, art: Article, replace: bool) -> None:
        if replace:
            for table in ("article_authors", "article_tags", "images"):
                self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        self._link([(article_id, art)])

    def touch(self, url: str, seen_at: str | None = None) -> None:
        """Seen again, unchanged (a 304 answer to a conditional request)."""
        with self.conn:
            self.conn.execute(
                "UPDATE articles SET last_seen = MAX(last_seen, ?) WHERE id = "
                "(SELECT article_id FROM article_urls WHERE url_key = ?)",
                (seen_at or now_utc(), url_key(url)))

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the newest stored page of `url`, for a conditional GET."""
        row = self.conn.execute(
            "SELECT etag, last_modified FROM pages WHERE url_key = ? AND status = 200 "
            "AND kind = 'article' ORDER BY id DESC LIMIT 1", (url_key(url),)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    # -- raw pages ----------------------------------------------------------------------

    def add_page(self, page: Page) -> int:
        """Keep a raw response (compressed); returns its id. Never refuses a body: a
        corrupt or truncated page is stored with its flag."""
        with self.conn:
            return self._add_page(page)

    def store_page(self, page: Page, article: Article | None,
                   aliases: list[str] | None = None) -> tuple[str | None, int]:
        """The raw page and (if any) its article, in one transaction:
        (outcome or None, page id)."""
        with self.conn:
            page_id = self._add_page(page)
            if article is None:
                return None, page_id
            outcome, _ = self._store(article, page.fetched_at or now_utc(),
                                     [page.url, *(aliases or [])], page_id)
            return outcome, page_id

    def add_discovery_page(self, page: Page) -> int | None:
        """Keep a feed, sitemap or listing response unless its body is the same as the
        last one kept for that URL; returns the new page id, or None."""
        sha1 = hashlib.sha1(page.body).hexdigest()
        with self.conn:
            last = self.conn.execute(
                "SELECT sha1 FROM pages WHERE url_key = ? AND kind = 'discovery' "
                "ORDER BY id DESC LIMIT 1", (url_key(page.url),)).fetchone()
            if last and last[0] == sha1:
                return None
            return self._add_page(page, sha1)

    def _add_page(self, page: Page, sha1: str | None = None) -> int:
        headers = json.dumps(page.headers or {}, ensure_ascii=False)
        cur = self.conn.execute(
            "INSERT INTO pages (url, url_key, fetched_at, status, headers, body, size, flags,"
            " etag, last_modified, kind, sha1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (page.url, url_key(page.url), page.fetched_at or now_utc(), page.status,
             headers, zlib.compress(page.body, 6), len(page.body), page.flags,
             (page.headers or {}).get("etag"), (page.headers or {}).get("last-modified"),
             page.kind, sha1 or hashlib.sha1(page.body).hexdigest()))
        return cur.lastrowid

    def page_body(self, page_id: int) -> bytes:
        row = self.conn.execute("SELECT body FROM pages WHERE id = ?", (page_id,)).fetchone()
        return zlib.decompress(row[0]) if row and row[0] else b""

    def flag_page(self, page_id: int, flags: str) -> None:
        with self.conn:
            self.conn.execute("UPDATE pages SET flags = ? WHERE id = ?", (flags, page_id))

    # -- sites and runs -----------------------------------------------------------------

    def sync_sites(self) -> None:
        """Copy the site registry into the `sites` table (for joins and facets)."""
        from .. import sites

        rows = [(s.id, s.name, s.province, s.home, s.platform)
                for s in sites.all_sites().values()]
        with self.conn:
            self.conn.executemany(
                "INSERT INTO sites (id, name, province, home, platform) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name=excluded.name, province=excluded.province, "
                "home=excluded.home, platform=excluded.platform", rows)

    def start_run(self, site: str) -> int:
        with self.conn:
            return self.conn.execute(
                "INSERT INTO crawl_runs (site, started_at) VALUES (?, ?)",
                (site, now_utc())).lastrowid

    def finish_run(self, run_id: int, counts: dict[str, int], errors: dict[str, int],
                   status: str = "ok", examples: list[str] | None = None,
                   alarm: str | None = None) -> None:
        cols = {k: int(counts.get(k, 0)) for k in RUN_COUNTERS}
        sets = ", ".join(f"{k} = ?" for k in cols)
        with self.conn:
            self.conn.execute(
                f"UPDATE crawl_runs SET {sets}, errors = ?, status = ?, finished_at = ?, "
                "examples = ?, alarm = ? WHERE id = ?",
                [*cols.values(), json.dumps(errors, ensure_ascii=False), status, now_utc(),
                 json.dumps(examples or [], ensure_ascii=False), alarm, run_id])

    def recent_runs(self, site: str, before: int, limit: int = 10) -> list[dict[str, Any]]:
        """The site's finished runs before run `before`, newest first."""
        cur = self.conn.execute(
            f"SELECT {', '.join(RUN_COUNTERS)}, status FROM crawl_runs WHERE site = ? "
            "AND id < ? AND finished_at IS NOT NULL ORDER BY id DESC LIMIT ?",
            (site, before, limit))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]
