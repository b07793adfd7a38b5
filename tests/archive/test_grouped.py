"""Grouped commits (archive/grouped.py): the crawl's writer commits every N pages or T
seconds; a failing block is undone alone; what is held is committed on flush and close."""

from __future__ import annotations

import sqlite3
import time

import pytest

from newsarchive.archive import Archive, Page
from newsarchive.archive.grouped import GroupedConnection


def rows(path) -> int:
    """What another connection (another process) sees committed."""
    other = sqlite3.connect(path)
    try:
        return other.execute("SELECT count(*) FROM t").fetchone()[0]
    finally:
        other.close()


@pytest.fixture
def conn(tmp_path):
    path = tmp_path / "g.db"
    c = sqlite3.connect(path, factory=GroupedConnection)
    c.execute("PRAGMA journal_mode = WAL")
    c.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    c.commit()
    yield c, path
    c.close()


def test_ungrouped_each_block_commits(conn):
    c, path = conn
    with c:
        c.execute("INSERT INTO t VALUES (1)")
    assert rows(path) == 1


def test_blocks_are_committed_every_n(conn):
    c, path = conn
    c.group(3, 3600)
    for n in range(1, 8):
        with c:
            c.execute("INSERT INTO t VALUES (?)", (n,))
        assert rows(path) == 3 * (n // 3)
    c.flush()
    assert rows(path) == 7


def test_a_group_is_committed_once_its_seconds_have_passed(conn):
    c, path = conn
    c.group(1000, 0.05)
    with c:
        c.execute("INSERT INTO t VALUES (1)")
    assert rows(path) == 0
    time.sleep(0.06)
    with c:
        c.execute("INSERT INTO t VALUES (2)")
    assert rows(path) == 2


def test_a_failing_block_is_undone_alone(conn):
    c, path = conn
    c.group(10, 3600)
    with c:
        c.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.IntegrityError), c:
        c.execute("INSERT INTO t VALUES (2)")
        c.execute("INSERT INTO t VALUES (1)")  # a duplicate: this block fails
    with c:  # nested blocks, as a store's inner writes are
        c.execute("INSERT INTO t VALUES (3)")
        with c:
            c.execute("INSERT INTO t VALUES (4)")
    c.flush()
    assert [r[0] for r in c.execute("SELECT n FROM t ORDER BY n")] == [1, 3, 4]
    assert rows(path) == 3


def test_stop_grouping_commits_what_is_held(conn):
    c, path = conn
    c.group(10, 3600)
    with c:
        c.execute("INSERT INTO t VALUES (1)")
    c.group(0, 0)
    assert rows(path) == 1
    with c:
        c.execute("INSERT INTO t VALUES (2)")
    assert rows(path) == 2


def test_an_archive_grouping_its_pages_commits_them_on_flush_and_close(tmp_path):
    db = tmp_path / "archive.db"
    archive = Archive(db)
    archive.group_commits(50, 3600)
    for i in range(3):
        archive.store_page(Page(f"https://baonghean.vn/bai-{i}.html", b"<html>x</html>"),
                           None)
    reader = Archive(db, readonly=True)
    assert reader.totals()[1] == 0
    archive.flush()
    assert reader.totals()[1] == 3
    archive.store_page(Page("https://baonghean.vn/bai-9.html", b"<html>y</html>"), None)
    archive.close()
    assert reader.totals()[1] == 4
    reader.close()


def test_not_grouping_flush_and_close_leave_an_open_transaction_as_sqlite3_does(tmp_path):
    """Closing an ungrouped archive does not commit what its owner left uncommitted."""
    db = tmp_path / "archive.db"
    archive = Archive(db)
    archive.conn.execute("INSERT INTO tags (name) VALUES ('x')")
    archive.flush()
    archive.close()
    assert Archive(db, readonly=True).conn.execute(
        "SELECT count(*) FROM tags WHERE name = 'x'").fetchone() == (0,)
