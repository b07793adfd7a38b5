"""A newcomer's first hour (issue #26): every mistake on a path, a setting, a port or a
URL the user typed is one line and a documented exit status, never a traceback nor 70;
and the exit-status table is the same in the code, `--help` and README."""

from __future__ import annotations

import errno
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive import cli
from newsarchive.archive import Archive
from newsarchive.ops import exits, userpaths
from newsarchive.ops.exits import Exit

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args: str, stdin: str = "") -> tuple[int, list[str]]:
    """Exit status and the non-blank lines said (stdout and stderr)."""
    result = CliRunner().invoke(cli.main, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, [line for line in result.output.splitlines() if line.strip()]


def newsarchive(*args: str) -> list[str]:
    exe = shutil.which("newsarchive")
    return [exe, *args] if exe else [sys.executable, "-m", "newsarchive.cli", *args]


def small_archive(path: Path) -> Path:
    from tests.support.records import dien_chau

    kept = Archive(path)
    kept.articles.store(dien_chau())
    kept.close()
    return path


def foreign(path: Path) -> bytes:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE foo (x)")
    conn.close()
    return path.read_bytes()


# 1. Ordinary mistakes: one line, exit 1 or 2, never 70.

@pytest.mark.parametrize("command", [["crawl", "baonghean"], ["import", "-"], ["reparse"]])
def test_an_archive_in_a_missing_folder_is_one_line_and_exit_2(tmp_path, command):
    db = tmp_path / "nodir" / "x.db"
    status, lines = invoke(*command, "--db", str(db), stdin='{"a": 1}\n')
    if command == ["reparse"]:  # needs an archive: none there
        assert status == 1 and lines == [f"Error: no archive at {db} (crawl or import first)"]
    else:
        assert status == 2, lines
        assert lines == [f"newsarchive: {db}: no folder {db.parent}/: create it first, or "
                         "give another path"]
    assert not db.parent.exists()


def test_export_to_a_missing_folder_or_a_full_disk(tmp_path):
    db = small_archive(tmp_path / "a.db")
    status, lines = invoke("export", "--db", str(db), "-o", str(tmp_path / "no" / "x.jsonl"))
    assert status == 2 and len(lines) == 1 and "no folder" in lines[0]
    if Path("/dev/full").exists():
        status, lines = invoke("export", "--db", str(db), "-o", "/dev/full")
        assert (status, lines) == (1, ["newsarchive: /dev/full: no space left on the "
                                       "device: not all was written"])


def test_a_read_only_archive_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    import os

    db = small_archive(tmp_path / "a.db")
    before = db.read_bytes()
    real = os.access  # as root every file is writable: say what chmod 444 says to a user
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: (
        False if Path(p) == db and mode == os.W_OK else real(p, mode, **kw)))
    for command in (["reparse"], ["import", "-"], ["crawl", "baonghean"]):
        status, lines = invoke(*command, "--db", str(db), stdin="{}\n")
        assert (status, lines) == (1, [f"newsarchive: {db}: the archive is read-only: "
                                       "nothing was written"]), command
    assert db.read_bytes() == before
    from newsarchive.archive import connect  # serving only reads a current archive: it may

    connect(db).conn.close()
    assert Archive(db, readonly=True).articles is not None


@pytest.mark.parametrize("message, said", [
    ("attempt to write a readonly database", "the archive is read-only"),
    ("database or disk is full", "the disk is full"),
    ("disk I/O error", "disk I/O error")])
def test_sqlite_errors_midway_name_the_archive(message, said):
    mistake = userpaths.explain(sqlite3.OperationalError(message), db="a.db")
    assert mistake.status == Exit.FAILED and mistake.line.startswith(f"a.db: {said}")
    assert userpaths.explain(sqlite3.OperationalError("no such column: x"), db="a.db") is None


def test_os_errors_on_a_named_path():
    full = OSError(errno.ENOSPC, "No space left on device")
    assert userpaths.explain(full, output="out.csv").line.startswith("out.csv: no space")
    denied = PermissionError(errno.EACCES, "Permission denied", "/etc/x")
    assert userpaths.explain(denied, named=["/etc/x"]) == userpaths.Mistake(
        "/etc/x: permission denied", Exit.FAILED)
    lock = FileNotFoundError(errno.ENOENT, "No such file", "/no/where/a.db.lock")
    assert "no folder /no/where/" in userpaths.explain(lock, named=["/no/where/a.db"]).line
    # a file the user never named is the code's business: a bug, said as one (exit 70)
    assert userpaths.explain(denied, named=["a.db"]) is None
    assert userpaths.explain(OSError(errno.ENOSPC, "full")) is None
    assert userpaths.explain(OSError(errno.ENOSPC, "full"), output="-").line.startswith(
        "standard output: no space")
    assert userpaths.explain(RuntimeError("bug")) is None


@pytest.mark.slow
@pytest.mark.parametrize("command", [["sites"], ["status"], ["export"], ["search", "Diễn"]])
def test_a_reader_that_stops_reading_gets_no_traceback(tmp_path, command):
    db = small_archive(tmp_path / "a.db")
    args = command if command == ["sites"] else [*command, "--db", str(db)]
    proc = subprocess.Popen(newsarchive(*args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # as `| head` does once it has enough
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert err.replace("exported 1 articles\n", "") == ""  # export's count is said first


def test_a_bad_cluster_url_is_a_usage_error_that_hides_the_password():
    status, lines = invoke("cluster", "status", "--cluster", "http://:s3cret@host:6379/0")
    assert status == 2 and "not a Redis URL" in lines[-1]
    assert not any("s3cret" in line for line in lines)
    status, lines = invoke("cluster", "status", "--cluster", "notaurl")
    assert status == 2 and "not a Redis URL" in lines[-1]


# 2. A bad -s value: exit 2 naming the setting, before anything starts.

@pytest.mark.parametrize("setting, said", [
    ("NEWSARCHIVE_SITE_MAX_PAGES=abc", "NEWSARCHIVE_SITE_MAX_PAGES takes a whole number"),
    ("NEWSARCHIVE_SITE_MAX_PAGES=-1", "(0 or more)"),
    ("DOWNLOAD_DELAY=soon", "DOWNLOAD_DELAY takes a number"),
    ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY takes true or false"),
    ("NEWSARCHIVE_SITE_MAX_PAGE=5", "did you mean NEWSARCHIVE_SITE_MAX_PAGES?")])
@pytest.mark.parametrize("command", ["crawl", "check"])
def test_a_bad_setting_is_refused_before_anything_starts(tmp_path, setting, said, command):
    db = tmp_path / "a.db"
    extra = ["--db", str(db)] if command == "crawl" else []
    status, lines = invoke(command, "baonghean", *extra, "-s", setting)
    assert status == 2 and said in lines[-1] and "'-s'" in lines[-1], lines
    assert not db.exists()


def test_good_settings_are_typed_as_their_defaults():
    from newsarchive.crawl.settings import parse_setting

    assert parse_setting("NEWSARCHIVE_SITE_MAX_PAGES", "50") == 50
    assert parse_setting("DOWNLOAD_DELAY", "0.5") == 0.5
    assert parse_setting("ROBOTSTXT_OBEY", "False") is False
    assert parse_setting("NEWSARCHIVE_EXTRACT_WORKERS", "2") == 2
    assert parse_setting("DEPTH_PRIORITY", "-1") == -1  # Scrapy's own may be negative
    assert parse_setting("SCHEDULER_PERSIST", "x") == "x"  # another extension's


# 3. A file that is not WARC to --replay: exit 2, for crawl and check alike.

@pytest.mark.parametrize("command", ["crawl", "check"])
def test_replay_of_a_file_that_is_not_warc(tmp_path, command):
    jsonl = tmp_path / "out.jsonl"
    jsonl.write_text('{"url": "https://baonghean.vn/a-1.html", "title": "A"}\n')
    db = tmp_path / "a.db"
    extra = ["--db", str(db)] if command == "crawl" else []
    status, lines = invoke(command, "baonghean", *extra, "--replay", str(jsonl))
    assert status == 2 and f"{jsonl} is not a WARC file" in lines[-1], lines
    assert not db.exists()


# 4. A database that is not an archive is refused, never converted.

@pytest.mark.parametrize("command", [["crawl", "baonghean"], ["reparse"], ["import", "-"],
                                     ["status"], ["upgrade"], ["serve"]])
def test_another_programs_database_is_refused_and_left_alone(tmp_path, command):
    db = tmp_path / "foo.db"
    before = foreign(db)
    status, lines = invoke(*command, "--db", str(db), stdin='{"a": 1}\n')
    assert status == 2, lines
    assert lines == [f"newsarchive: {db} is an SQLite database but not a newsarchive "
                     "archive (it holds foo): not touched; give another --db"]
    assert db.read_bytes() == before


@pytest.mark.parametrize("command", [["reparse"], ["crawl", "baonghean"], ["status"]])
def test_an_empty_file_is_not_an_archive(tmp_path, command):
    db = tmp_path / "empty.db"
    db.touch()
    status, lines = invoke(*command, "--db", str(db))
    assert status == 2 and len(lines) == 1 and "is an empty file, not an archive" in lines[0]
    assert db.stat().st_size == 0


def test_an_archive_is_created_where_nothing_exists(tmp_path):
    db = tmp_path / "new.db"
    Archive(db).close()
    Archive(db).close()  # and opened again: it is one
    assert db.stat().st_size > 0


# 8. serve: a port that is taken or impossible.

def test_serve_port_out_of_range(tmp_path):
    db = small_archive(tmp_path / "a.db")
    status, lines = invoke("serve", "--db", str(db), "--port", "99999")
    assert status == 2 and "'--port': 99999 is not in the range 1<=x<=65535" in lines[-1]
    assert not any("datasette" in line for line in lines)


def test_serve_on_a_port_in_use_is_one_line(tmp_path):
    db = small_archive(tmp_path / "a.db")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        status, lines = invoke("serve", "--db", str(db), "--port", str(port))
    assert (status, lines) == (1, [f"newsarchive: cannot listen on 127.0.0.1:{port}: in "
                                   "use: stop what listens there, or give another --port"])


# 10. Status words and counts.

def test_sites_with_a_missing_archive_says_so(tmp_path):
    status, lines = invoke("sites", "--db", str(tmp_path / "none.db"))
    assert status == 1 and lines == [f"Error: no archive at {tmp_path / 'none.db'} (crawl "
                                      "or import first)"]


def test_a_second_crawl_is_refused_before_it_says_it_is_crawling(tmp_path):
    from newsarchive.crawl.run import exclusive

    db = small_archive(tmp_path / "a.db")
    with exclusive(str(db)):
        status, lines = invoke("crawl", "baonghean", "--db", str(db))
    assert status == Exit.LOCKED and len(lines) == 1, lines
    assert "another crawl is running" in lines[0] and "crawling" not in lines[0]


def test_run_exits_with_its_last_crawls_status(tmp_path):
    status, lines = invoke("run", "--every", "30s", "--runs", "1", "--db",
                           str(tmp_path / "nodir" / "a.db"))
    assert status == 2 and "exited 2 (a usage error); that was the last run" in lines[-1]


def test_schedule_status_without_a_bus_exits_1(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "systemctl"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Failed to connect to bus: No medium found' >&2\n"
                    "exit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    status, lines = invoke("schedule", "status", "--user", "--db", str(tmp_path / "a.db"))
    assert (status, lines) == (1, ["newsarchive: systemctl --user list-timers: Failed to "
                                   "connect to bus: No medium found"])


def test_fixtures_update_outside_the_repository_writes_nothing_in_the_cwd(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "__file__", str(tmp_path / "site-packages" / "cli.py"))
    status, lines = invoke("fixtures", "update", "--from", str(tmp_path))
    assert status == 2 and "give --out FOLDER" in lines[-1]
    assert list(tmp_path.iterdir()) == []


# The exit statuses: one table for the code, --help and README.

def test_readme_exit_statuses_are_the_table_in_the_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit statuses", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("|")]
    assert table == exits.markdown()


@pytest.mark.parametrize("command", [[], ["crawl"], ["check"], ["export"], ["schedule"],
                                     ["schedule", "status"], ["cluster", "status"]])
def test_every_help_ends_with_the_exit_statuses(command):
    status, lines = invoke(*command, "--help")
    said = re.sub(r"\s+", " ", " ".join(lines))
    assert status == 0 and said.endswith(re.sub(r"\s+", " ", exits.text())), said[-300:]


def test_every_setting_the_code_reads_can_be_given_with_s():
    from newsarchive.crawl.settings import parse_setting

    code = "\n".join(p.read_text(encoding="utf-8")
                     for p in (ROOT / "newsarchive").rglob("*.py"))
    read = set(re.findall(r"settings(?:\.get\w*\(|\[)\s*\"(NEWSARCHIVE_\w+)\"", code))
    assert len(read) >= 15
    for name in read - {"NEWSARCHIVE_CLUSTER_SIGNER"}:  # the key, set by the command
        assert parse_setting(name, "1") in (1, 1.0, True, "1"), name


# 10. Status words: a paper with nothing to discover is `empty`, and every line on the
# terminal of a calm crawl is worded as the command's own.

def test_a_calm_terminal_line_reads_as_the_commands_own():
    import logging

    from newsarchive.ops.logs import OneLine

    def said(name: str, level: int, message: str) -> str:
        return OneLine().format(logging.LogRecord(name, level, __file__, 1, message, (), None))

    assert said("newsarchive.crawl.middlewares.replay", logging.INFO,
                "replaying 30 captured responses") == \
        "newsarchive: replaying 30 captured responses"
    assert said("newsarchive.crawl.pipelines", logging.ERROR, "archive write failed\nmore") \
        == "newsarchive: error: archive write failed"
    assert said("twisted", logging.CRITICAL, "Unhandled error") == \
        "newsarchive: critical: twisted: Unhandled error"


@pytest.mark.slow
def test_an_offline_replay_says_which_papers_had_nothing_to_discover(tmp_path,
                                                                     fixtures_path):
    db = tmp_path / "a.db"
    proc = subprocess.run(newsarchive("crawl", "--all", "--replay", str(fixtures_path),
                                      "--db", str(db)), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = [line.split() for line in proc.stdout.splitlines()[1:]]
    status = {row[0]: row[1] for row in rows}
    assert status["baonghean"] == "ok" and status["baocamau"] == "empty"
    # `ok` with nothing found and nothing said: what six papers showed
    assert not [row for row in rows if row[1] == "ok" and row[3] == "0" and row[10] == "-"]
    assert all(line.startswith(("crawling ", "newsarchive: "))
               for line in proc.stderr.splitlines()), proc.stderr


# 12. An offline newcomer is told what to do next.

def test_an_offline_crawl_says_how_to_try_it_without_a_network():
    from newsarchive.ops import report

    offline = [{"site": s, "status": "failed", "errors": '{"discovery-dns": 3}', "failed": 3}
               for s in ("a", "b")]
    assert "--replay" in report.next_step(offline)
    http = [{**row, "errors": '{"discovery-http-500": 3}'} for row in offline]
    assert report.next_step(http) is None
    assert report.next_step([*offline, {"site": "c", "status": "ok", "new": 2}]) is None

