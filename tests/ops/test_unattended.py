"""Running for months: schedules, the drift alarm, and recovery from the faults an
unattended crawler meets. Every crawl runs in a subprocess against 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsarchive.crawl.outcomes import drift
from newsarchive.crawl.revisit import interval, is_due
from newsarchive.ops import schedule
from tests.support.crawling import FAST, crawl, rows
from tests.support.fixtures import ROOT
from tests.support.sitesrv import SyntheticSite


def test_parse_every():
    assert schedule.parse_every("15m") == 900
    assert schedule.parse_every("2h30m") == 9000
    assert schedule.parse_every("90m") == 5400
    assert schedule.parse_every("1h") == 3600 and schedule.parse_every("1d") == 86400
    with pytest.raises(ValueError):
        schedule.parse_every("soon")


@pytest.mark.parametrize("text", ["0", "0m", "-5m", "15", "abc", "", "15x", "m"])
def test_parse_every_refuses_what_is_not_a_positive_duration(text):
    with pytest.raises(schedule.BadSchedule, match="e.g. 15m"):
        schedule.parse_every(text)


@pytest.mark.parametrize("every, when", [
    ("1m", "* * * * *"), ("15m", "*/15 * * * *"), ("20m", "*/20 * * * *"),
    ("30m", "*/30 * * * *"), ("60m", "0 * * * *"), ("1h", "0 * * * *"),
    ("2h", "0 */2 * * *"), ("8h", "0 */8 * * *"), ("24h", "0 0 * * *"), ("1d", "0 0 * * *")])
def test_cron_line_only_for_intervals_cron_runs_exactly(every, when):
    assert schedule.cron_line(schedule.parse_every(every), "a.db").startswith(when + " ")


@pytest.mark.parametrize("every", ["90m", "2h30m", "45m", "7m", "25h", "5h", "2d", "30s"])
def test_cron_refuses_intervals_it_would_run_wrongly(every):
    with pytest.raises(schedule.BadSchedule, match="schedule install"):
        schedule.cron_line(schedule.parse_every(every), "a.db")


@pytest.mark.parametrize("every, message", [
    ("90m", "schedule install --every 1h30m"), ("45m", "run --every 45m"),
    ("15", "bare number"), ("abc", "e.g. 15m"), ("0m", "longer than 0"),
    ("-5m", "positive")])
def test_schedule_cron_command_answers_in_one_line(every, message):
    from click.testing import CliRunner

    from newsarchive.cli import main

    result = CliRunner().invoke(main, ["schedule", "cron", "--every", every])
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output and result.output.count("Error:") == 1
    assert not isinstance(result.exception, (ValueError, TypeError))


def test_units_and_cron_line(tmp_path):
    written = schedule.install(900, str(tmp_path / "archive.db"), user=True, folder=tmp_path,
                               enable=False, log_file=str(tmp_path / "crawl.log"))
    service = (tmp_path / "newsarchive-crawl.service").read_text()
    timer = (tmp_path / "newsarchive-crawl.timer").read_text()
    assert len(written) == 2
    assert "crawl --all --db " + str(tmp_path / "archive.db") in service
    assert "SuccessExitStatus=75" in service and "OnUnitActiveSec=900s" in timer
    assert "RuntimeMaxSec=3600" in service and "TimeoutStartSec=3600" in service
    line = schedule.cron_line(900, "archive.db")
    assert line.startswith("*/15 * * * * ") and "crawl --all" in line
    assert line.endswith(">/dev/null")  # cron mails stderr only: the real errors
    assert schedule.remove(user=True, folder=tmp_path, disable=False) == written


def test_units_use_the_exact_interval_start_to_start():
    timer = schedule.units(schedule.parse_every("2h30m"), "a.db")["newsarchive-crawl.timer"]
    assert "OnUnitActiveSec=9000s" in timer and "every 2h30m" in timer
    service = schedule.units(86400, "a.db")["newsarchive-crawl.service"]
    assert "RuntimeMaxSec=21600" in service  # at most 6 h, whatever the interval


def test_install_without_systemd_leaves_no_units(tmp_path, monkeypatch):
    def no_bus(user, *args):
        return subprocess.CompletedProcess(args, 1, "", "Failed to connect to bus")

    monkeypatch.setattr(schedule, "systemctl", no_bus)
    with pytest.raises(RuntimeError, match="schedule cron"):
        schedule.install(900, str(tmp_path / "a.db"), user=True, folder=tmp_path)
    assert not list(tmp_path.glob("newsarchive-crawl.*"))


def test_foreground_loop_runs_start_to_start(tmp_path):
    marker = tmp_path / "runs"
    command = [sys.executable, "-c", f"open({str(marker)!r}, 'a').write('x')"]
    start = time.monotonic()
    schedule.loop(1, command, runs=3)
    assert marker.read_text() == "xxx" and time.monotonic() - start >= 2


def test_run_every_prints_each_summary_and_when_the_next_run_starts(capfd):
    command = [sys.executable, "-c",
               "import sys; print('site status reason'); print('nowhere failed dns'); "
               "sys.exit(1)"]
    schedule.loop(1, command, runs=2)
    out, err = capfd.readouterr()
    assert out.count("nowhere failed dns") == 2  # the crawl's own calm summary, each run
    lines = err.splitlines()
    assert len(lines) == 2 and "Traceback" not in out + err
    assert lines[0].startswith("newsarchive run: crawl 1 exited 1 (a site failed")
    assert "; next run at 20" in lines[0]
    assert lines[0].endswith(("Z (in 1s)", "Z (in a moment)"))
    assert lines[1].endswith("that was the last run")


def test_run_every_stops_on_ctrl_c_in_one_line(monkeypatch, capfd):
    def interrupted(command):
        raise KeyboardInterrupt
    monkeypatch.setattr(schedule.subprocess, "call", interrupted)
    schedule.loop(60, ["true"])
    assert capfd.readouterr().err == "newsarchive run: stopped after 0 run(s)\n"


def test_revisit_schedule_thins_with_age():
    now = datetime(2026, 3, 10, tzinfo=UTC)
    assert interval(now - timedelta(hours=3), now) == timedelta(hours=1)
    assert interval(now - timedelta(days=3), now) == timedelta(days=1)
    assert interval(now - timedelta(days=20), now) == timedelta(days=7)
    assert interval(now - timedelta(days=40), now) is None
    published = (now - timedelta(hours=5)).isoformat()
    assert is_due(published, (now - timedelta(minutes=61)).isoformat(), now)
    assert not is_due(published, (now - timedelta(minutes=20)).isoformat(), now)


def test_drift_alarm_needs_a_jump_against_history():
    good = {"extracted": 20, "missing": 0, "fallback": 1}
    bad = {"extracted": 20, "missing": 15, "fallback": 2}
    assert drift(good, [good] * 5) is None
    assert "layout has probably changed" in drift(bad, [good] * 5)
    assert drift(bad, [bad] * 5) is None  # always this bad: a known weak site
    assert drift({"extracted": 3, "missing": 3}, [good]) is None  # too few


@pytest.mark.slow
def test_redesign_marks_the_run_degraded_and_calls_the_hook(tmp_path):
    db, hook_out = tmp_path / "archive.db", tmp_path / "alarm.txt"
    hook = f"cat > {hook_out}; echo $NEWSARCHIVE_ALARM_SITE >> {hook_out}"
    with SyntheticSite() as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        assert crawl("testsite", "--db", str(db), *FAST, env=env).returncode == 0
        site.redesigned, site.extra = True, list(range(20, 28))
        proc = crawl("testsite", "--db", str(db), "--on-alarm", hook, *FAST, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "LAYOUT DRIFT on testsite" in proc.stderr
    status, alarm, examples = rows(db, "SELECT status, alarm, examples FROM crawl_runs "
                                       "ORDER BY id DESC LIMIT 1")[0]
    assert status == "degraded" and "layout has probably changed" in alarm
    assert any("/bai-2" in url for url in json.loads(examples))
    written = hook_out.read_text()
    assert "layout drift on testsite" in written and written.strip().endswith("testsite")


@pytest.mark.slow
def test_error_pages_served_with_200_never_overwrite_articles(tmp_path):
    db = tmp_path / "archive.db"
    with SyntheticSite() as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        crawl("testsite", "--db", str(db), *FAST, env=env)
        before = rows(db, "SELECT url, content_hash, version_count FROM articles ORDER BY url")
        site.edited, site.maintenance = True, True  # bai-2 is refetched, gets the error page
        proc = crawl("testsite", "--db", str(db), *FAST, env=env)
    assert proc.returncode == 0, proc.stderr
    assert rows(db, "SELECT url, content_hash, version_count FROM articles ORDER BY url") == \
        before
    (flags,), = rows(db, "SELECT flags FROM pages WHERE url LIKE '%bai-2.html' "
                         "ORDER BY id DESC LIMIT 1")
    assert flags.startswith("not-article: ")


def stored_articles(db: Path) -> int:
    """Articles stored so far by a crawl running in another process (0 while it is still
    creating the schema)."""
    try:
        return rows(db, "SELECT count(*) FROM articles")[0][0] if db.exists() else 0
    except sqlite3.OperationalError:  # no such table yet: the migrations have not committed
        return 0


@pytest.mark.slow
def test_killed_crawl_resumes_without_loss_or_duplicates(tmp_path):
    db = tmp_path / "archive.db"
    with SyntheticSite() as site:
        site.slow = 0.4
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsarchive.cli", "crawl", "testsite", "--db", str(db), "-q",
             *FAST, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"], cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.3)
            if stored_articles(db) >= 3:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        stored = rows(db, "SELECT count(*) FROM articles")[0][0]
        assert 3 <= stored < len(SyntheticSite.OK)
        assert rows(db, "PRAGMA integrity_check") == [("ok",)]
        site.slow = 0
        rerun = crawl("testsite", "--db", str(db), *FAST, env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert rows(db, "SELECT count(*), count(DISTINCT url_key) FROM articles") == \
        [(len(SyntheticSite.OK), len(SyntheticSite.OK))]
    assert rows(db, "SELECT max(version_count) FROM articles") == [(1,)]


@pytest.mark.slow
def test_network_outage_mid_run_is_counted_and_the_next_run_catches_up(tmp_path):
    db = tmp_path / "archive.db"
    site = SyntheticSite()
    registry = site.registry_file(tmp_path)
    with site:
        site.slow = 0.5
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsarchive.cli", "crawl", "testsite", "--db", str(db), "-q",
             *FAST, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"], cwd=ROOT,
            env={**os.environ, "NEWSARCHIVE_SITES": str(registry)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
    # the server is gone: the rest of the crawl meets refused connections
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err[-3000:]
    failed, errors = rows(db, "SELECT failed, errors FROM crawl_runs ORDER BY id DESC")[0]
    # refused, or timed out; or `connect` when the request in flight at the outage was
    # in the server's backlog, whose connections the closing socket resets (CI, once)
    assert failed > 0 and any(k.endswith(("-refused", "-timeout", "-connect"))
                              for k in json.loads(errors))
    with SyntheticSite() as again:
        registry = again.registry_file(tmp_path)
        env = {"NEWSARCHIVE_SITES": str(registry)}
        assert crawl("testsite", "--db", str(db), *FAST, env=env).returncode == 0
    # the new server has another port: the same paths are other URLs, but nothing is lost
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "SELECT count(*) FROM articles WHERE url LIKE ?",
                f"{again.base}/%")[0][0] == len(SyntheticSite.OK)


@pytest.mark.slow
def test_full_disk_fails_the_crawl_loudly_and_keeps_the_archive(tmp_path):
    db = tmp_path / "archive.db"
    with SyntheticSite() as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        from newsarchive.archive import connect

        connect(db).conn.close()
        pages = rows(db, "PRAGMA page_count")[0][0]
        proc = crawl("testsite", "--db", str(db), *FAST,
                     "-s", f"NEWSARCHIVE_MAX_PAGE_COUNT={pages + 8}", env=env)
    assert proc.returncode == 1
    assert "archive write failed" in proc.stderr and "full" in proc.stderr
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM "
                    "article_versions v WHERE v.article_id = a.id)") == [(0,)]


@pytest.mark.slow
def test_a_reader_holding_the_archive_does_not_stop_a_crawl(tmp_path):
    db = tmp_path / "archive.db"
    with SyntheticSite() as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        crawl("testsite", "--db", str(db), *FAST, env=env)
        reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM articles").fetchone()  # snapshot held open
        site.edited = True
        proc = crawl("testsite", "--db", str(db), *FAST, env=env)
        reader.execute("COMMIT")
        reader.close()
    assert proc.returncode == 0, proc.stderr
    assert rows(db, "SELECT changed FROM crawl_runs ORDER BY id DESC LIMIT 1") == [(1,)]


@pytest.mark.slow
def test_status_prints_the_latest_run_per_site(tmp_path):
    db = tmp_path / "archive.db"
    with SyntheticSite() as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        crawl("testsite", "--db", str(db), *FAST, env=env)
    out = subprocess.run([sys.executable, "-m", "newsarchive.cli", "status", "--db", str(db),
                          "--json"], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, **env})
    latest = json.loads(out.stdout)
    assert [(r["site"], r["new"], r["failed"]) for r in latest] == \
        [("testsite", len(SyntheticSite.OK), len(SyntheticSite.FAILING))]
    assert Path(f"{db}.lock").exists()
