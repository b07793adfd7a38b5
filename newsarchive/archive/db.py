"""Opening the archive: WAL for one writer beside Datasette readers, foreign keys on."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from ..ground.fold import pairs
from .grouped import GroupedConnection
from .indexing import always
from .migrations import LATEST, migrate, version

DEFAULT_DB = "archive.db"  # the one default, for every command
BUSY_TIMEOUT_MS = 30_000


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the search triggers call: every connection that writes
    articles needs them (a plain `sqlite3` shell gets `no such function: na_pairs` and
    changes nothing), as do `na_index` and `na_indexed` (M014)."""
    conn.create_function("na_pairs", 1, pairs, deterministic=True)
    held = getattr(conn, "held", None)  # a grouping writer's (archive/indexing.py)
    conn.create_function("na_index", 1, held.index if held else always)
    conn.create_function("na_indexed", 1, held.indexed if held else always)


class UnusableArchive(Exception):
    """The file cannot be used as this newsarchive's archive; the message says why in one
    line. Nothing has been written to it."""


class OutOfDate(UnusableArchive):
    """The archive was written by an older newsarchive: `newsarchive upgrade` first."""


class NotAnArchive(UnusableArchive):
    """The file is not an SQLite database, or a damaged one."""


class ReadOnly(UnusableArchive):
    """The archive, or the folder where SQLite keeps its journal beside it, cannot be
    written: refused before a crawl or an import starts, not found out midway."""


class TooNew(UnusableArchive):
    """The archive was written by a newer newsarchive (schema version above LATEST):
    never written into, never read as if it were current."""


def connect(path: str | Path = DEFAULT_DB, *, readonly: bool = False,
            upgrade: bool = True) -> sqlite_utils.Database:
    """The archive at `path`: for writing, created or upgraded to the newest schema; read
    only, as it is (OutOfDate when its schema is older than this newsarchive's).
    UnusableArchive (NotAnArchive, TooNew, ReadOnly) before anything is written when the
    file is no archive (an empty file, another program's database), was written by a
    newer newsarchive, or is to be upgraded and cannot be written. An archive is created
    only where nothing exists."""
    try:
        return _connect(path, readonly, upgrade)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "not a database" not in str(exc):
            raise  # locked, disk I/O...: not about what the file is
        raise NotAnArchive(f"{path} is not a newsarchive archive (or is damaged): "
                           f"{exc}") from exc


def writable(path: str | Path) -> None:
    """ReadOnly unless the archive at `path` (if it exists) and its folder, where SQLite
    keeps its journal, can be written: asked by whoever is about to write, before it
    starts. (A current archive that cannot be written can still be opened, for serving.)"""
    path = Path(path)
    if not path.exists():
        return
    for where in (path, path.parent):
        if not os.access(where, os.W_OK):
            raise ReadOnly(f"{path}: the archive is read-only"
                           + ("" if where == path else f" (its folder {where}/ is)")
                           + ": nothing was written")


def _foreign(conn: sqlite3.Connection, path: str | Path) -> None:
    """A database with tables but no schema version of ours is some other program's."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 3")]
    if tables:
        raise NotAnArchive(f"{path} is an SQLite database but not a newsarchive archive "
                           f"(it holds {', '.join(tables)}): not touched; give another --db")


def _connect(path: str | Path, readonly: bool, upgrade: bool) -> sqlite_utils.Database:
    if Path(path).is_file() and Path(path).stat().st_size == 0:
        raise NotAnArchive(f"{path} is an empty file, not an archive: not touched; remove "
                           "it, or give a path where nothing exists to create one")
    if readonly:
        uri = f"file:{Path(path).resolve()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                               factory=GroupedConnection)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    try:  # read the header and schema before any write: a foreign file fails here
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        found = conn.execute("PRAGMA user_version").fetchone()[0]
        if found > LATEST:
            raise TooNew(f"{path} has schema version {found}, written by a newer "
                         f"newsarchive (this one knows up to {LATEST}): not opened")
        if found == 0:
            _foreign(conn, path)
    except BaseException:
        conn.close()
        raise
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoints; safe in WAL
        conn.execute("PRAGMA cache_size = -65536")   # 64 MiB: the FTS index merges in memory
    register_functions(conn)
    db = sqlite_utils.Database(conn)
    if upgrade and not readonly:
        if version(db) < LATEST:
            writable(path)
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
        if before < LATEST:
            writable(path)
        return before, migrate(db) if before < LATEST else before
    finally:
        db.conn.close()


def ready_to_serve(path: str | Path, immutable: bool) -> None:
    """Datasette only reads: an archive written by an older newsarchive is brought to the
    current schema first; an `immutable` copy, which is never written, is refused when it
    is behind (OutOfDate, with the way out) or ahead (TooNew)."""
    if not immutable:
        upgrade(path)
        return
    # As Datasette will open it: immutable, so that a read-only mount works.
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?immutable=1", uri=True)
    try:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    if current > LATEST:
        raise TooNew(f"{path} has schema version {current}, written by a newer "
                     f"newsarchive (this one knows up to {LATEST})")
    if current < LATEST:
        raise OutOfDate(f"{path} has schema version {current}, this newsarchive needs "
                        f"{LATEST}: run `newsarchive upgrade --db {path}` on a writable "
                        "copy first")


def discard(path: str | Path) -> None:
    """Remove the archive at `path` with the files SQLite keeps beside it (an archive
    made for nothing: an import that stored no article)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
