"""The search indexes' rows of the articles a group of commits stores, held back and
written at the group's commit in one statement per index (migration M014): FTS5 then
writes the group's entries as one segment, not one segment per article to merge later.
Registered as the SQL functions the index triggers ask (`db.register_functions`)."""

from __future__ import annotations

import json
import sqlite3

from .migrations import INDEX_HELD


class Held:
    """Article ids whose index rows wait for the commit; holding only while `holding`."""

    def __init__(self) -> None:
        self.holding = False
        self.ids: set[int] = set()

    def index(self, article_id: int) -> int:
        """`na_index(new.id)`: 1 when the insert trigger is to index the row now; 0 when
        it is held (and remembered)."""
        if not self.holding:
            return 1
        self.ids.add(article_id)
        return 0

    def indexed(self, article_id: int) -> int:
        """`na_indexed(old.id)`: 0 for a held row (the index reads it as it is at the
        commit, so an update or delete has nothing to undo), else 1."""
        return 0 if article_id in self.ids else 1

    def write(self, conn: sqlite3.Connection) -> None:
        """Index the held rows that still exist (a block undone took its rows with it),
        both indexes or neither, inside the open transaction."""
        if not self.ids:
            return
        ids = json.dumps(sorted(self.ids))
        conn.execute("SAVEPOINT held_index")
        try:
            for sql in INDEX_HELD:
                conn.execute(sql, (ids,))
        except BaseException:
            try:
                conn.execute("ROLLBACK TO held_index")
                conn.execute("RELEASE held_index")
            except sqlite3.Error:
                pass  # SQLite rolled the whole transaction back itself (a full disk)
            raise
        conn.execute("RELEASE held_index")
        self.ids.clear()

    def forget(self) -> None:
        """The transaction was rolled back: its rows, held or not, are gone."""
        self.ids.clear()


def always(_article_id: int) -> int:
    """The functions of a connection that never holds rows: index now, every time."""
    return 1
