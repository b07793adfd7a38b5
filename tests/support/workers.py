"""Child processes for the fault tests: `python -m tests.support.workers KIND DB ...`."""

from __future__ import annotations

import sqlite3
import sys
import time

from bench.synthetic import article
from newsarchive.archive import Archive


def ingest(db: str, total: int, batch: int, page_limit: int = 0) -> None:
    """Store synthetic articles 0..total in batches, printing progress after each commit."""
    archive = Archive(db)
    if page_limit:
        archive.conn.execute(f"PRAGMA max_page_count = {page_limit}")
    start = archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    for first in range(0, total, batch):
        archive.articles.store_many(article(i) for i in range(first, min(first + batch, total)))
        print(f"committed {min(first + batch, total)}", flush=True)
    print(f"done, {start} were there before", flush=True)


def read_and_hold(db: str, seconds: float) -> None:
    """Open a read transaction, as Datasette does for a query, and keep it open."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.execute("BEGIN")
    before = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"reading {before}", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == before
        conn.execute("SELECT title FROM articles_fts WHERE articles_fts MATCH 'dien' LIMIT 5")
        time.sleep(0.05)
    conn.execute("COMMIT")
    print("reader done", flush=True)


if __name__ == "__main__":
    kind, db, *rest = sys.argv[1:]
    if kind == "ingest":
        ingest(db, *map(int, rest))
    elif kind == "read":
        read_and_hold(db, float(rest[0]))
