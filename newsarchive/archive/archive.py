"""The archive as one object: its articles, raw pages and crawl runs on one connection,
and the one transaction that spans two of them (a page and the article read from it)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any, NamedTuple

import sqlite_utils

from ..ground.article import Article
from ..ground.clock import stamp
from ..ground.cpuparts import part
from ..ground.outcomes import PageOutcome
from ..ground.page import Page
from .articles import Articles
from .db import DEFAULT_DB, connect, writable
from .gone import Gone
from .grouped import GroupedConnection
from .pages import Pages
from .places import Places
from .runs import Runs
from .stories import Signed


class StoredPage(NamedTuple):
    """What `Archive.store_page` did: the article's outcome (None without an article),
    the page's id, and the URLs the article could not take as aliases (another
    article's)."""

    outcome: str | None
    page_id: int
    conflicts: tuple[str, ...] = ()


class Archive:
    """The SQLite archive. Usable alone: no Scrapy, no Datasette. `known`,
    `validators`, `recent`, `touch`, `mark_gone` and `close` are what a spider asks of it
    (`crawl.archive_view.ArchiveView`)."""

    def __init__(self, db: str | Path | sqlite_utils.Database = DEFAULT_DB, *,
                 readonly: bool = False, stories: bool = True):
        """`stories`: sign and group each new or changed body (archive/stories.py)."""
        if not (readonly or isinstance(db, sqlite_utils.Database)):
            writable(db)  # refused before a crawl or an import starts, not midway
        self.db = db if isinstance(db, sqlite_utils.Database) else connect(db, readonly=readonly)
        self.conn = self.db.conn
        self.articles = Articles(self.conn, stories=stories)
        self.pages = Pages(self.conn)
        self.runs = Runs(self.conn)
        self.places = Places(self.conn)
        self.gone = Gone(self.conn)

    def store_page(self, page: Page, article: Article | None,
                   aliases: list[str] | None = None,
                   places: list[dict] | None = None,
                   hosts: Collection[str] | None = None,
                   signed: Signed | None = None) -> StoredPage:
        """The raw page and (if any) the article read from it, and the places it names
        (rows for `article_places`, when given), in one transaction (`signed`: the body's
        story signature, if computed where it was read). A paper's compression
        dictionary found due is trained after the commit."""
        try:
            return self._store_page(page, article, aliases, places, hosts, signed)
        finally:
            with part("compress"):  # a dictionary's training
                self.pages.train_due()

    def _store_page(self, page: Page, article: Article | None, aliases: list[str] | None,
                    places: list[dict] | None, hosts: Collection[str] | None,
                    signed: Signed | None = None) -> StoredPage:
        with self.conn:
            if article is None:
                return StoredPage(None, self.pages.insert(page))
            # the article first: its page is then written once, with the article's id
            outcome, article_id, conflicts = self.articles.upsert(
                article, page.fetched_at or stamp(), [page.url, *(aliases or [])], None,
                hosts, signed)
            page_id = self.pages.insert(page, article_id=article_id)
            # a new article's id was just given: no row of `gone` or `article_places`
            # names it yet (theirs go with their article; newsarchive deletes none)
            new = outcome == PageOutcome.NEW
            if article_id is not None and not new:
                self.gone.clear(article_id)  # fetched again: back on the site
            if places is not None and article_id is not None:
                with part("index"):
                    self.places.replace(article_id, places, new=new)
            return StoredPage(outcome, page_id, conflicts)

    def group_commits(self, pages: int, seconds: float) -> None:
        """One commit per `pages` stored pages or `seconds` (archive/grouped.py; 0 pages:
        one each); `flush()` commits what is held. A dictionary found due is trained
        after the group's commit."""
        if isinstance(self.conn, GroupedConnection):
            self.conn.group(pages, seconds, after_commit=self.pages.train_due)

    def flush(self) -> None:
        """Commit the pages a group holds (nothing when commits are not grouped)."""
        if isinstance(self.conn, GroupedConnection):
            self.conn.flush()

    def known(self, url: str) -> dict[str, Any] | None:
        """The stored article under any variant of `url`, else when the URL was found to
        be no article; None for a URL never archived."""
        return self.articles.find(url) or self.pages.not_article(url)

    def validators(self, url: str) -> tuple[str | None, str | None]:
        return self.pages.validators(url)

    def recent(self, site: str, since: str) -> list[tuple[str, str | None, str]]:
        return self.articles.recent(site, since)

    def touch(self, url: str, seen_at: str | None = None) -> None:
        self.articles.touch(url, seen_at)

    def mark_gone(self, url: str, status: int, at: str) -> int | None:
        return self.gone.mark(url, status, at)

    def totals(self) -> tuple[int, int]:
        """(articles, raw pages) held: an import brings articles without their pages."""
        return self.conn.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM pages)").fetchone()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.conn.close()
