"""Opening the archive: WAL for one writer beside Datasette readers, foreign keys on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from ..ground.fold import pairs
from .migrations import LATEST, migrate, version

DEFAULT_DB = "archive.db"  # the one default, for every command
BUSY_TIMEOUT_MS = 30_000


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the search triggers call: every connection that writes
    articles needs them (a plain `sqlite3` shell gets `no such function: na_pairs` and
    changes nothing)."""
    conn.create_function("na_pairs", 1, pairs, deterministic=True)


class OutOfDate(Exception):
    """The archive was written by an older newsarchive: `newsarchive upgrade` first."""


def connect(path: str | Path = DEFAULT_DB, *, readonly: bool = False,
            upgrade: bool = True) -> sqlite_utils.Database:
    """The archive at `path`: for writing, created or upgraded to the newest schema; read
    only, as it is (OutOfDate when its schema is older than this newsarchive's)."""
    if readonly:
        uri = f"file:{Path(path).resolve()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoints; safe in WAL
        conn.execute("PRAGMA cache_size = -65536")   # 64 MiB: the FTS index merges in memory
    register_functions(conn)
    db = sqlite_utils.Database(conn)
    if upgrade and not readonly:
        migrate(db)
    elif readonly and version(db) < LATEST:
        raise OutOfDate(f"{path} has schema version {version(db)}, this newsarchive needs "
                        f"{LATEST}: run `newsarchive upgrade --db {path}`")
    return db


def upgrade(path: str | Path) -> tuple[int, int]:
    """Bring the archive at `path` to the newest schema: (version before, after)."""
    db = connect(path, upgrade=False)
    try:
        before = version(db)
        return before, migrate(db) if before < LATEST else before
    finally:
        db.conn.close()
