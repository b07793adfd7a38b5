"""The archive: SQLite schema and migrations, articles with their history, raw pages,
crawl runs, search and export. No Scrapy, no extraction: usable from any script."""

from ..ground.page import Page
from .archive import Archive
from .db import DEFAULT_DB, connect

__all__ = ["DEFAULT_DB", "Archive", "Page", "connect"]
