"""Commits grouped: a crawl's one writer stores pages one transaction block each
(`with conn:`), and committing each costs more CPU than most of what it stores (the
full-text index's pages are written to the WAL again at every commit). While grouping
(`group(pages, seconds)`), a `with conn:` block is a savepoint inside one open
transaction: an error undoes that block only, as before; the transaction is committed
every `pages` blocks, or once `seconds` have passed since its first, or on `flush()`
(the writer's close, its idle timer, and before anything else must see the data).

A crash loses at most the uncommitted group: pages the crawl fetched and counted, whose
URLs are then unknown to the archive and fetched again by the next run.

A savepoint keeps the pages its block changes in a sub-journal, a temporary file by
default: written page by page (a hundred writes a stored page), then thrown away at its
release. While grouping, temporary storage is memory (`PRAGMA temp_store`): a block's
sub-journal holds a few of its pages, the index write's a group's.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from .indexing import Held


class GroupedConnection(sqlite3.Connection):
    """sqlite3's Connection; until `group()` is called it behaves exactly as one."""

    pages = 0  # blocks per commit while grouping; 0: each block commits (sqlite3's way)
    seconds = 0.0
    depth = 0  # savepoints open
    blocks = 0  # blocks done since the last commit
    opened_at = 0.0  # when the open group's first block began
    after_commit: Callable[[], None] | None = None  # e.g. work kept out of a transaction
    undone = 0  # blocks or transactions rolled back: what was remembered of them is void

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.held = Held()  # search-index rows written at the group's commit (indexing.py)

    def group(self, pages: int, seconds: float,
              after_commit: Callable[[], None] | None = None) -> None:
        """Commit every `pages` blocks or `seconds` (0 pages: stop grouping)."""
        self.flush()
        self.pages, self.seconds, self.after_commit = max(0, pages), seconds, after_commit
        self.held.holding = bool(self.pages)
        if not self.in_transaction:  # SQLite refuses the change inside one
            self.execute(f"PRAGMA temp_store = {'MEMORY' if self.pages else 'DEFAULT'}")

    def flush(self) -> None:
        """Commit what the group holds (not grouping, or nothing open: nothing done; a
        transaction left open outside a group is its owner's to commit or drop)."""
        if self.depth or not self.pages:
            return  # inside a block: its end decides
        if self.in_transaction:
            try:
                self.held.write(self)
                super().commit()
            except BaseException:
                if not self.in_transaction:
                    self._undo()
                raise
        self.blocks = 0
        if self.after_commit is not None:
            self.after_commit()

    def commit(self) -> None:
        if not self.pages:
            super().commit()
        # grouping: the group's commit is flush()'s

    def rollback(self) -> None:
        super().rollback()
        self._undo()

    def _undo(self) -> None:
        """Writes were rolled back: rows held for the index are gone with them."""
        self.undone += 1
        self.held.forget()

    def __enter__(self) -> GroupedConnection:
        if not self.pages:
            return super().__enter__()
        if not self.in_transaction:  # the group's transaction, which a savepoint's
            self.execute("BEGIN")    # release would otherwise commit
            self.opened_at = time.monotonic()
        self.depth += 1
        self.execute(f"SAVEPOINT block{self.depth}")
        return self

    def __exit__(self, kind, value, trace) -> bool:
        if not self.pages:
            if kind is not None:
                self.undone += 1
            return super().__exit__(kind, value, trace)
        name = f"block{self.depth}"
        self.depth -= 1
        if kind is not None:
            try:  # that block undone, the group's earlier blocks kept
                self.execute(f"ROLLBACK TO {name}")
                self.execute(f"RELEASE {name}")
            except sqlite3.Error:
                pass  # SQLite rolled the whole transaction back itself (a full disk)
            self.undone += 1
            if not self.in_transaction:
                self.depth = self.blocks = 0
                self.held.forget()
            return False
        self.execute(f"RELEASE {name}")
        if not self.depth:
            self.blocks += 1
            if self.blocks >= self.pages or \
                    time.monotonic() - self.opened_at >= self.seconds:
                self.flush()
        return False
