"""Odd files: a corrupt archive, one written by a newer newsarchive, and an endless
input to `extract` are refused with one line, never written into, never read whole."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.archive.db import NotAnArchive, TooNew, connect
from newsarchive.archive.migrations import LATEST
from newsarchive.cli import main

ROOT = Path(__file__).resolve().parent.parent.parent
URL = "https://baothu.vn/dien-chau-doi-moi-123456.html"


def _newer(path: Path) -> bytes:
    connect(path).conn.close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("readonly", [False, True])
def test_newer_schema_is_refused_and_not_written(tmp_path, readonly):
    path = tmp_path / "a.db"
    before = _newer(path)
    with pytest.raises(TooNew, match="newer newsarchive"):
        connect(path, readonly=readonly)
    assert path.read_bytes() == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST + 1
        assert conn.execute("SELECT count(*) FROM crawl_runs").fetchone()[0] == 0


@pytest.mark.parametrize("readonly", [False, True])
def test_corrupt_file_is_refused_and_not_written(tmp_path, readonly):
    path = tmp_path / "a.db"
    path.write_bytes(b"this is not a database\n" * 400)
    with pytest.raises(NotAnArchive, match="not a newsarchive archive"):
        connect(path, readonly=readonly)
    assert path.read_bytes() == b"this is not a database\n" * 400


@pytest.mark.parametrize("command", [["search", "x"], ["status"], ["export"],
                                     ["import", "-"], ["reparse"], ["upgrade"]])
@pytest.mark.parametrize("kind", ["corrupt", "newer"])
def test_cli_refuses_with_one_line(tmp_path, command, kind):
    path = tmp_path / "a.db"
    if kind == "newer":
        _newer(path)
    else:
        path.write_bytes(b"\x00garbage" * 1000)
    before = path.read_bytes()
    result = CliRunner().invoke(main, [*command, "--db", str(path)], input="")
    # not an archive: the user named the wrong file (2); a newer one: cannot be used (1)
    assert result.exit_code == (2 if kind == "corrupt" else 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("newsarchive: "), result.output
    assert path.read_bytes() == before


def test_extract_dev_zero_is_refused_without_reading_it_whole():
    proc = subprocess.run([sys.executable, "-m", "newsarchive.cli", "extract", "/dev/zero",
                           "--url", URL], cwd=ROOT, capture_output=True, timeout=60)
    assert proc.returncode == 1
    assert b"too large" in proc.stderr and b"Traceback" not in proc.stderr


def test_serving_upgrades_an_old_archive_or_refuses_an_immutable_one(tmp_path):
    """Datasette only reads, so `serve` brings an archive written by an older newsarchive
    up to date first; an immutable copy that is behind is refused with the way out, one
    written by a newer newsarchive too."""
    import sqlite_utils

    from newsarchive.archive.db import OutOfDate, ready_to_serve, register_functions
    from newsarchive.archive.migrations import migrate, version

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    register_functions(conn)  # the pairs index (M007) needs na_pairs
    migrate(sqlite_utils.Database(conn), target=LATEST - 1)
    conn.close()
    with pytest.raises(OutOfDate, match=f"schema version {LATEST - 1}.*newsarchive upgrade"):
        ready_to_serve(str(path), immutable=True)
    ready_to_serve(str(path), immutable=False)
    assert version(sqlite_utils.Database(sqlite3.connect(path))) == LATEST
    ready_to_serve(str(path), immutable=True)  # up to date: served as it is
    newer = tmp_path / "newer.db"
    _newer(newer)
    with pytest.raises(TooNew, match=f"schema version {LATEST + 1}, written by a newer"):
        ready_to_serve(str(newer), immutable=True)


def test_serve_refuses_an_immutable_copy_behind_in_one_line(tmp_path):
    import sqlite_utils

    from newsarchive.archive.db import register_functions
    from newsarchive.archive.migrations import migrate

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    register_functions(conn)
    migrate(sqlite_utils.Database(conn), target=LATEST - 1)
    conn.close()
    import socket

    with socket.socket() as probe:  # a port free now: refused before Datasette listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, ["serve", "--db", str(path), "--immutable",
                                       "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"newsarchive: {path} has schema version {LATEST - 1}, this newsarchive needs "
        f"{LATEST}: run `newsarchive upgrade --db {path}` on a writable copy first"]
