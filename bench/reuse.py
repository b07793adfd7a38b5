"""A synthetic archive kept between benchmark runs (`--db`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsarchive.archive.db import upgrade


def held(db: Path) -> int:
    """How many articles the archive at `db` holds (0 when there is none)."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


def kept(db: Path, n: int) -> bool:
    """Whether `db` already holds exactly `n` articles (then brought to the newest schema,
    as `newsarchive upgrade` would); any other file there is removed, to be built anew."""
    if not db.exists():
        return False
    if held(db) == n:
        upgrade(db)
        return True
    db.unlink()
    return False
