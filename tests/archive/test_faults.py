"""Faults, each in a real subprocess: SIGKILL mid-batch, a reader holding the database,
a full disk. The archive stays consistent and the next run continues."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsarchive.archive import Archive, connect

pytestmark = pytest.mark.slow  # end-to-end, in subprocesses

ROOT = Path(__file__).resolve().parent.parent.parent


def worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.support.workers", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def consistent(db: Path) -> tuple[int, int]:
    """Integrity checks pass; returns (articles, versions)."""
    archive = Archive(db)
    q = archive.conn.execute
    assert q("PRAGMA integrity_check").fetchone()[0] == "ok"
    q("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert q("PRAGMA foreign_key_check").fetchall() == []
    assert q("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_versions "
             "v WHERE v.article_id = a.id)").fetchone()[0] == 0
    assert q("SELECT count(*), count(DISTINCT url_key) FROM articles").fetchone()[0] == \
        q("SELECT count(DISTINCT url_key) FROM articles").fetchone()[0]
    counts = (q("SELECT count(*) FROM articles").fetchone()[0],
              q("SELECT count(*) FROM article_versions").fetchone()[0])
    archive.conn.rollback()
    archive.conn.close()
    return counts


def test_sigkill_mid_batch_then_the_next_run_continues(tmp_path):
    db = tmp_path / "archive.db"
    connect(db).conn.close()
    proc = worker("ingest", str(db), "3000", "100")
    committed = 0
    while committed < 500:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        committed = int(line.split()[1])
    time.sleep(0.05)  # somewhere inside the next batch
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    articles, versions = consistent(db)
    assert articles % 100 == 0 and articles >= 500 and versions == articles
    rerun = worker("ingest", str(db), "3000", "100")
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert f"{articles} were there before" in out
    assert consistent(db) == (3000, 3000)


def test_a_reader_holding_the_database_never_blocks_a_write(tmp_path):
    db = tmp_path / "archive.db"
    archive = Archive(db)
    from bench.synthetic import article

    archive.articles.store_many(article(i) for i in range(50))
    reader = worker("read", str(db), "3")
    assert reader.stdout.readline().startswith("reading 50")
    start = time.monotonic()
    for i in range(50, 250):
        archive.articles.store(article(i))  # 200 commits while the reader's snapshot is open
    assert time.monotonic() - start < 20
    out, err = reader.communicate(timeout=30)
    assert reader.returncode == 0, err
    assert "reader done" in out
    assert consistent(db) == (250, 250)


def test_full_disk_fails_loudly_and_keeps_what_was_stored(tmp_path):
    db = tmp_path / "archive.db"
    connect(db).conn.close()
    proc = worker("ingest", str(db), "5000", "50", "400")  # ~1.6 MB of pages at most
    out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert "database or disk is full" in err
    committed = max(int(line.split()[1]) for line in out.splitlines() if line.startswith("comm"))
    assert consistent(db) == (committed, committed)
    rerun = worker("ingest", str(db), str(committed + 50), "50")
    assert rerun.wait(timeout=60) == 0
    assert consistent(db) == (committed + 50, committed + 50)
