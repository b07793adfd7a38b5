"""Articles the paper no longer serves. Marking one never changes what is archived; the
mark goes as soon as the article is fetched again (`Archive.store_page`, or a 304 to
`Articles.touch`); reading a kept page again (`reparse`) does not clear it."""

from __future__ import annotations

import sqlite3

from ..ground.urls import url_key

MOVED = 301  # redirected to a page that is no article (a home page, a section)


class Gone:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def _article(self, url: str) -> int | None:
        row = self.conn.execute("SELECT article_id FROM article_urls WHERE url_key = ?",
                                (url_key(url),)).fetchone()
        return row[0] if row else None

    def mark(self, url: str, status: int, at: str) -> int | None:
        """Note that the article stored under `url` answered `status` at `at`: the id of
        the article marked, or None when no article is stored under that URL."""
        article_id = self._article(url)
        if article_id is None:
            return None
        with self.conn:
            self.conn.execute(
                "INSERT INTO gone (article_id, since, status, last_checked) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(article_id) DO UPDATE SET status = excluded.status,"
                " last_checked = excluded.last_checked", (article_id, at, status, at))
        return article_id

    def clear(self, article_id: int) -> None:
        """Fetched again: back on the site (inside the caller's transaction)."""
        self.conn.execute("DELETE FROM gone WHERE article_id = ?", (article_id,))

    def clear_url(self, url: str) -> None:
        """`clear` for the article stored under `url`, if any."""
        if (article_id := self._article(url)) is not None:
            self.clear(article_id)

    def of(self, article_id: int) -> dict | None:
        row = self.conn.execute("SELECT since, status, last_checked FROM gone "
                                "WHERE article_id = ?", (article_id,)).fetchone()
        return dict(zip(("since", "status", "last_checked"), row, strict=True)) if row else None
