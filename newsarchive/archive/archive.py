"""The archive as one object: its articles, raw pages and crawl runs on one connection,
and the one transaction that spans two of them (a page and the article read from it)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import sqlite_utils

from ..ground.article import Article
from ..ground.clock import stamp
from ..ground.page import Page
from .articles import Articles
from .db import DEFAULT_DB, connect, writable
from .gone import Gone
from .pages import Pages
from .places import Places
from .runs import Runs


class Archive:
    """The SQLite archive. Usable alone: no Scrapy, no Datasette."""

    def __init__(self, db: str | Path | sqlite_utils.Database = DEFAULT_DB, *,
                 readonly: bool = False):
        if not (readonly or isinstance(db, sqlite_utils.Database)):
            writable(db)  # refused before a crawl or an import starts, not midway
        self.db = db if isinstance(db, sqlite_utils.Database) else connect(db, readonly=readonly)
        self.conn = self.db.conn
        self.articles = Articles(self.conn)
        self.pages = Pages(self.conn)
        self.runs = Runs(self.conn)
        self.places = Places(self.conn)
        self.gone = Gone(self.conn)

    def store_page(self, page: Page, article: Article | None,
                   aliases: list[str] | None = None,
                   places: list[dict] | None = None,
                   hosts: Collection[str] | None = None) -> tuple[str | None, int]:
        """The raw page and (if any) the article read from it, and the places it names
        (rows for `article_places`, when given), in one transaction:
        (new/changed/unchanged or None, page id). A paper's compression dictionary
        found due is trained after the commit."""
        try:
            return self._store_page(page, article, aliases, places, hosts)
        finally:
            self.pages.train_due()

    def _store_page(self, page: Page, article: Article | None, aliases: list[str] | None,
                    places: list[dict] | None, hosts: Collection[str] | None
                    ) -> tuple[str | None, int]:
        with self.conn:
            page_id = self.pages.insert(page)
            if article is None:
                return None, page_id
            outcome, article_id = self.articles.upsert(article, page.fetched_at or stamp(),
                                                       [page.url, *(aliases or [])], page_id,
                                                       hosts)
            if article_id is not None:
                self.gone.clear(article_id)  # fetched again: back on the site
            if places is not None and article_id is not None:
                self.places.replace(article_id, places)
            return outcome, page_id

    def close(self) -> None:
        self.conn.close()
