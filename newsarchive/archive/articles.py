"""Articles: one row per article, a version per distinct content.

Which article a page updates: `archive.identity` (the site and host it was first
stored under own it; never relabelled). Upsert semantics: the same content touches
`last_seen` only; a changed title, sapo or body (after normalisation) adds a version
with a diff; other fields (tags, images...) are updated in place. URL variants map to
one article through `article_urls`.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import replace
from typing import Any, NamedTuple

from ..ground.article import Article
from ..ground.clock import stamp
from ..ground.controls import without_controls
from ..ground.cpuparts import part
from ..ground.outcomes import PageOutcome
from ..ground.urls import url_key
from .gone import Gone
from .identity import identify
from .rows import as_json, to_row
from .stories import Signed, Stories

log = logging.getLogger(__name__)


# Whitespace other than space and newline. With no such character, no two spaces or
# newlines in a row and no padded line, text is normal already: the usual case, tested
# with substring checks (a regex alternation is much slower on long bodies). Text that
# is printable once its newlines are spaces has none (every other whitespace character
# is a control or a separator, which are not printable): one pass, quicker than the
# regex, which is left for the rest.
_ODD_SPACE = re.compile(r"[^\S \n]")


def _is_normal(text: str) -> bool:
    return not (text[0] in " \n" or text[-1] in " \n" or "  " in text or " \n" in text
                or "\n " in text or "\n\n" in text
                or (not text.replace("\n", " ").isprintable() and _ODD_SPACE.search(text)))


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
    return hashlib.sha1(as_json(meta).encode()).hexdigest()


def diff(old: list[str], new: list[str], old_version: int, new_version: int) -> str:
    """A unified diff, line per paragraph (title first, then sapo), readable in a table."""
    return "\n".join(difflib.unified_diff(old, new, f"version {old_version}",
                                          f"version {new_version}", lineterm="", n=1))


class Upserted(NamedTuple):
    """What `Articles.upsert` did: its outcome, the article's id (None when nothing was
    stored) and the URL keys it could not alias, another article's (a conflict)."""

    outcome: str
    article_id: int | None
    conflicts: tuple[str, ...] = ()


class Articles:
    """The articles of the archive, their versions, URL variants, authors, tags and images."""

    def __init__(self, conn: sqlite3.Connection, *, stories: bool = True):
        self.conn = conn
        # a new or changed body is signed and grouped into its story (archive/stories.py)
        self.stories = Stories(conn) if stories and Stories.kept(conn) else None

    def find(self, url: str) -> dict[str, Any] | None:
        """The stored article for any variant of `url`, or None."""
        row = self.conn.execute(
            "SELECT a.id, a.content_hash, a.meta_hash, a.version_count, a.published_at, "
            "a.last_seen, a.site, a.url FROM article_urls u JOIN articles a ON a.id = u.article_id "
            "WHERE u.url_key = ?", (url_key(url),)).fetchone()
        if row is None:
            return None
        keys = ("id", "content_hash", "meta_hash", "version_count", "published_at", "last_seen",
                "site", "url")
        return dict(zip(keys, row, strict=True))

    def text_length(self, urls: Iterable[str]) -> int | None:
        """The length of the stored body text of the article any of `urls` names, or None
        (what a revisit is measured against to tell a page cut short)."""
        for url in urls:
            row = self.conn.execute(
                "SELECT length(a.body_text) FROM article_urls u JOIN articles a "
                "ON a.id = u.article_id WHERE u.url_key = ?", (url_key(url),)).fetchone()
            if row is not None:
                return row[0]
        return None

    def store(self, article: Article, *, seen_at: str | None = None,
              fetched_url: str | list[str] | None = None,
              page_id: int | None = None) -> tuple[str, int]:
        """Insert or update one article in its own transaction: (outcome, article id).
        `fetched_url`: the URL(s) it was fetched at (redirects included), kept as aliases."""
        with self.conn:
            outcome, article_id, _ = self.upsert(article, seen_at or stamp(), fetched_url,
                                                 page_id)
            return outcome, article_id

    def store_many(self, articles: Iterable[Article], seen_at: str | None = None) -> Counter:
        """Store a batch in one transaction; counts of new/changed/unchanged. Articles
        not yet archived are inserted in bulk; the others go through `store`'s rules."""
        counts: Counter = Counter()
        seen_at = seen_at or stamp()
        arts = [without_controls(a) for a in articles]
        with self.conn:
            fresh, rest = self._split_new(arts)
            self._insert_many(fresh, seen_at)
            counts[PageOutcome.NEW] += len(fresh)
            for article in rest:
                counts[self.upsert(article, seen_at, None, None).outcome] += 1
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
            rows.append(to_row(art) | {
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
        if self.stories:
            self.stories.add_many((article_id, art.body_text)
                                  for article_id, (_, art) in enumerate(fresh, first))

    def _link(self, pairs: list[tuple[int, Article]]) -> None:
        """Authors, tags and images of (article id, Article) pairs, in a few statements:
        per table, the names not yet known, then the links, each to its name's id."""
        for table in ("authors", "tags"):
            links = [(article_id, pos, name) for article_id, art in pairs
                     for pos, name in enumerate(dict.fromkeys(getattr(art, table)))]
            if not links:
                continue
            self.conn.executemany(f"INSERT OR IGNORE INTO {table} (name) VALUES (?)",
                                  [(name,) for name in dict.fromkeys(n for *_, n in links)])
            self.conn.executemany(
                f"INSERT INTO article_{table} (article_id, {table[:-1]}_id, position) "
                f"SELECT ?, id, ? FROM {table} WHERE name = ?", links)
        images = [(article_id, pos, img.url, img.caption)
                  for article_id, art in pairs for pos, img in enumerate(art.images)]
        if images:
            self.conn.executemany(
                "INSERT INTO images (article_id, position, url, caption) VALUES (?, ?, ?, ?)",
                images)

    def upsert(self, art: Article, seen_at: str, fetched_url: str | list[str] | None,
               page_id: int | None, hosts: Collection[str] | None = None,
               signed: Signed | None = None) -> Upserted:
        """Store `art` by the identity rule of `archive.identity` (`hosts`: the site's
        scope; None trusts every URL, as an import does). An outcome of
        `identity-conflict` or `out-of-scope` stored nothing; an alias that is another
        article's is kept there and returned in `conflicts`."""
        art = without_controls(art)  # however it came (crawl, import): text only
        fetched = [fetched_url] if isinstance(fetched_url, str) else list(fetched_url or [])
        ident = identify(art.url, fetched, hosts)
        if ident.target is None:
            log.warning("%s: no URL of the page is the site's own; not stored", art.url)
            return Upserted(ident.refused or PageOutcome.OUT_OF_SCOPE, None)
        if ident.target != art.url:
            art = replace(art, url=ident.target)
        found = next((f for key in ident.lookup if (f := self.find(key))), None)
        if found is not None and found["site"] != art.site:
            log.warning("identity conflict: %s (for %s) is %s's article %d; not changed",
                        ident.target, art.site, found["site"], found["id"])
            return Upserted(PageOutcome.CONFLICT, None)
        outcome, article_id = self._apply(art, found, seen_at)
        if self.stories and outcome != PageOutcome.UNCHANGED:
            with part("index"):
                self.stories.add(article_id, art.body_text, signed,
                                 new=outcome == PageOutcome.NEW)
        conflicts = []
        for key in ident.skipped:
            log.info("%s: %s is on another host; not an alias", ident.target, key)
        for key in ident.aliases:
            owner = self._alias(key, article_id, new=found is None)
            if owner != article_id:
                log.warning("identity conflict: %s is article %d's URL, not %d's; kept",
                            key, owner, article_id)
                conflicts.append(key)
        if page_id is not None:
            self.conn.execute("UPDATE pages SET article_id = ? WHERE id = ?",
                              (article_id, page_id))
        return Upserted(outcome, article_id, tuple(conflicts))

    def _alias(self, key: str, article_id: int, new: bool) -> int:
        """The article that owns URL key `key`, given to `article_id` when it was free.
        A new article's keys are mostly free: inserted at once (one statement), its
        owner read only when another has it; a stored article's mostly its own already:
        read first, inserted when free."""
        if new and self.conn.execute("INSERT INTO article_urls (url_key, article_id) "
                                     "VALUES (?, ?) ON CONFLICT (url_key) DO NOTHING",
                                     (key, article_id)).rowcount:
            return article_id
        owner = self.conn.execute("SELECT article_id FROM article_urls WHERE url_key = ?",
                                  (key,)).fetchone()
        if owner is None:
            self.conn.execute("INSERT INTO article_urls (url_key, article_id) VALUES (?, ?)",
                              (key, article_id))
            return article_id
        return owner[0]

    def _apply(self, art: Article, found: dict[str, Any] | None,
               seen_at: str) -> tuple[str, int]:
        chash, mhash = content_hash(art), _meta_hash(art)
        if found is None:
            return PageOutcome.NEW, self._insert(art, chash, mhash, seen_at)
        article_id = found["id"]
        if found["content_hash"] != chash:
            self._new_version(article_id, found["version_count"], art, chash, seen_at)
            self._update(article_id, art, chash, mhash, seen_at, changed=True)
            return PageOutcome.CHANGED, article_id
        if found["meta_hash"] != mhash:
            self._update(article_id, art, chash, mhash, seen_at, changed=False)
        else:
            self.conn.execute("UPDATE articles SET last_seen = MAX(last_seen, ?) "
                              "WHERE id = ?", (seen_at, article_id))
        return PageOutcome.UNCHANGED, article_id

    def _insert(self, art: Article, chash: str, mhash: str, seen_at: str) -> int:
        cols = to_row(art) | {
            "url_key": url_key(art.url), "content_hash": chash, "meta_hash": mhash,
            "first_seen": seen_at, "last_seen": seen_at, "last_changed": seen_at,
            "version_count": 1}
        with part("index"):  # the row, and the search indexes its triggers fill
            cur = self.conn.execute(
                f"INSERT INTO articles ({', '.join(cols)}) "
                f"VALUES ({', '.join('?' * len(cols))})", list(cols.values()))
        article_id = cur.lastrowid
        self.conn.execute(
            "INSERT INTO article_versions (article_id, version, seen_at, content_hash, title, "
            "sapo, body_text) VALUES (?, 1, ?, ?, ?, ?, ?)",
            (article_id, seen_at, chash, art.title, art.sapo, art.body_text))
        self._relations(article_id, art, replace=False)
        return article_id

    def _update(self, article_id: int, art: Article, chash: str, mhash: str, seen_at: str,
                changed: bool) -> None:
        cols = to_row(art) | {"content_hash": chash, "meta_hash": mhash}
        if changed:
            cols["last_changed"] = seen_at
        sets = ", ".join(f"{k} = ?" for k in cols)
        with part("index"):  # the row, and the search indexes its triggers fill
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
        """Seen again, unchanged (a 304 answer to a conditional request): not gone."""
        with self.conn:
            self.conn.execute(
                "UPDATE articles SET last_seen = MAX(last_seen, ?) WHERE id = "
                "(SELECT article_id FROM article_urls WHERE url_key = ?)",
                (seen_at or stamp(), url_key(url)))
            Gone(self.conn).clear_url(url)

    def recent(self, site: str, since: str) -> list[tuple[str, str | None, str]]:
        """(url, published_utc, last_seen) of the site's articles published (or first
        seen) since the stamp `since`, youngest first."""
        return self.conn.execute(
            "SELECT url, published_utc, last_seen FROM articles WHERE site = ? AND "
            "coalesce(published_utc, first_seen) >= ? ORDER BY published_utc DESC",
            (site, since)).fetchall()
