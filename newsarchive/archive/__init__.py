"""The archive: SQLite schema and migrations, upserts with history, search, raw pages,
export. No Scrapy imports: usable from any script."""

from .db import connect
from .store import Archive, Page

__all__ = ["Archive", "Page", "connect"]
