"""The places an article names, as plain rows (made by newsarchive/places, handed over by
crawl/ingest): replaced whole each time the article is stored, inside the caller's
transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

COLUMNS = ("place_code", "level", "as_written", "name_then", "now_code", "name_now",
           "province_now", "province_code", "mentions", "found_in", "note", "tagger_version")


class Places:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def replace(self, article_id: int, rows: Iterable[dict]) -> int:
        """Forget what was known of `article_id`'s places and keep `rows`."""
        self.conn.execute("DELETE FROM article_places WHERE article_id = ?", (article_id,))
        count = 0
        for row in rows:
            if row.get("place_code"):
                self.conn.execute(
                    "INSERT OR REPLACE INTO places (code, level, name, now_code, name_now,"
                    " province_now) VALUES (?, ?, ?, ?, ?, ?)",
                    (row["place_code"], row["level"], row["name_then"], row["now_code"],
                     row["name_now"], row["province_now"]))
            self.conn.execute(
                f"INSERT INTO article_places (article_id, {', '.join(COLUMNS)})"
                f" VALUES (?{', ?' * len(COLUMNS)})",
                (article_id, *(row.get(c) for c in COLUMNS)))
            count += 1
        return count

    def of(self, article_id: int) -> list[dict]:
        cur = self.conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM article_places WHERE article_id = ?"
            " ORDER BY mentions DESC, as_written", (article_id,))
        return [dict(zip(COLUMNS, r, strict=True)) for r in cur]
