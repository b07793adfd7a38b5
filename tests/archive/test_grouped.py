"""Grouped commits (archive/grouped.py): the crawl's writer commits every N pages or T
seconds; a failing block is undone alone; what is held is committed on flush and close."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace

import pytest

from newsarchive.archive import Archive, Page
from newsarchive.archive.grouped import GroupedConnection
from newsarchive.archive.search import search
from tests.support.records import story


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


def test_grouping_keeps_savepoint_journals_in_memory_and_stopping_restores_files(conn):
    c, _ = conn
    assert c.execute("PRAGMA temp_store").fetchone()[0] == 0  # SQLite's default: files
    c.group(10, 3600)
    assert c.execute("PRAGMA temp_store").fetchone()[0] == 2  # memory
    with c:
        c.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.IntegrityError), c:
        c.execute("INSERT INTO t VALUES (2)")
        c.execute("INSERT INTO t VALUES (1)")  # the block is undone from its journal
    c.group(0, 0)
    assert c.execute("PRAGMA temp_store").fetchone()[0] == 0
    assert [r[0] for r in c.execute("SELECT n FROM t")] == [1]


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


def _index_contents(archive: Archive) -> dict[str, list[tuple]]:
    """Every entry of both search indexes (term, article, column, offset), and what a
    few searches rank."""
    out: dict[str, list[tuple]] = {}
    for index in ("articles_fts", "articles_pairs"):
        archive.conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
        archive.conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{index}_v USING "
                             f"fts5vocab(main, {index}, 'instance')")
        out[index] = archive.conn.execute(
            f"SELECT term, doc, col, offset FROM temp.{index}_v ORDER BY 1, 2, 3, 4").fetchall()
    for query in ("dien chau", "Đài", '"quynh luu"', "hoa"):
        out[query] = [(h.id, round(h.rank, 9)) for h in search(archive.db, query)]
    return out


def _same_writes(archive: Archive) -> None:
    """New articles, one changed and one deleted in the group that stored them, a block
    undone (its article id taken again), then a change to an article committed before."""
    arts = [story(i, "baonghean", f"Đài Diễn Châu {i}", f"Tin {i}: xã Quỳnh Lưu, Hòa Bình.")
            for i in range(6)]
    for art in arts[:3]:
        archive.articles.store(art)
    archive.articles.store(replace(arts[1], body_text="Đổi: Diễn Châu mùa hoa."))
    with pytest.raises(RuntimeError), archive.conn:
        archive.articles.upsert(arts[3], "2025-03-02T00:00:00Z", None, None)
        raise RuntimeError("this block is undone")
    archive.articles.store(arts[4])
    with archive.conn:
        archive.conn.execute("DELETE FROM articles WHERE id = 3")
    archive.flush()
    archive.articles.store(replace(arts[0], title="Đài Quỳnh Lưu đổi tên"))
    archive.articles.store(arts[5])
    archive.flush()


def test_a_group_indexes_its_articles_at_its_commit_as_each_writer_would(tmp_path):
    """While commits are grouped the search indexes get the group's rows at its commit
    (archive/indexing.py): the same entries and answers as an archive written row by
    row, whatever the group changed, deleted or undone before its commit."""
    grouped, plain = Archive(tmp_path / "grouped.db"), Archive(tmp_path / "plain.db")
    grouped.group_commits(100, 3600)
    _same_writes(grouped)
    _same_writes(plain)
    assert not grouped.conn.held.ids
    assert _index_contents(grouped) == _index_contents(plain)
    assert len(_index_contents(plain)["articles_fts"]) > 30
    grouped.close()
    plain.close()


def test_rows_held_are_indexed_at_the_commit_and_forgotten_with_a_rollback(tmp_path):
    archive = Archive(tmp_path / "archive.db")
    archive.group_commits(100, 3600)
    archive.articles.store(story(1, "baonghean", "Đài Diễn Châu", "Tin xã Diễn Lâm."))
    count = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'dai'"
    assert archive.conn.held.ids == {1}
    assert archive.conn.execute(count).fetchone() == (0,)  # held till the commit
    archive.flush()
    assert archive.conn.execute(count).fetchone() == (1,)
    archive.articles.store(story(2, "baonghean", "Đài Vinh", "Tin xã Hưng Lộc."))
    archive.conn.rollback()
    assert not archive.conn.held.ids
    archive.flush()
    assert archive.conn.execute(count).fetchone() == (1,)
    archive.close()


def test_an_index_write_that_fails_at_the_commit_leaves_both_indexes_whole(tmp_path):
    """A full disk when the held rows are indexed: no index keeps part of them; what the
    group held is kept for the next commit or, when SQLite rolled the group back itself,
    forgotten with it; either way the indexes match the rows after the next commit."""
    archive = Archive(tmp_path / "archive.db")
    archive.group_commits(100, 3600)
    for i in range(30):
        archive.articles.store(story(i, "baonghean", f"Đài Diễn Châu {i}",
                                     " ".join(f"xã Quỳnh Lưu {i} {n}" for n in range(300))))
    pages = archive.conn.execute("PRAGMA page_count").fetchone()[0]
    archive.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        archive.flush()
    kept = archive.conn.in_transaction
    assert len(archive.conn.held.ids) == (30 if kept else 0)
    archive.conn.execute("PRAGMA max_page_count = 1000000")
    archive.articles.store(story(99, "baonghean", "Đài Vinh", "Tin xã Quỳnh Lưu."))
    archive.flush()
    for index in ("articles_fts", "articles_pairs"):
        archive.conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
    stored = archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert stored == (31 if kept else 1)
    assert len(search(archive.db, '"quynh luu"', limit=100)) == stored
    archive.close()
