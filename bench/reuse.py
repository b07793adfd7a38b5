"""A synthetic archive kept between benchmark runs (`--db`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def kept(db: Path, n: int) -> bool:
    """Whether `db` already holds exactly `n` articles; any other file there is removed,
    to be built anew."""
    if not db.exists():
        return False
    with sqlite3.connect(db) as conn:
        if conn.execute("SELECT count(*) FROM articles").fetchone()[0] == n:
            return True
    db.unlink()
    return False
