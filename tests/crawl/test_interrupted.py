"""A crawl stopped by SIGINT or SIGTERM finishes what is in hand, records its unfinished
sites as `interrupted` (not ok), says how to resume, exits 130/143; the same command
then stores the rest, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.support.crawling import FAST, rows
from tests.support.fixtures import ROOT
from tests.support.sitesrv import SyntheticSite

pytestmark = pytest.mark.slow  # end-to-end, in subprocesses


def start_crawl(db, env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive.cli", "crawl", "testsite", "--db", str(db),
         *FAST, "-s", "CONCURRENT_REQUESTS=1", "-q"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)


def wait_for_articles(db, proc, deadline: float = 60.0) -> None:
    """Until the crawl has stored its first article (one at a time)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end and proc.poll() is None:
        if db.exists():
            try:
                if rows(db, "SELECT count(*) FROM articles")[0][0]:
                    return
            except Exception:  # noqa: BLE001 - the schema may not be there yet
                pass
        time.sleep(0.1)
    raise AssertionError("the crawl stored nothing in time")


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stopped_crawl_is_interrupted_and_resumes(tmp_path, signum, status):
    db = tmp_path / "a.db"
    with SyntheticSite() as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        site.slow = 0.3  # each article page, one at a time: mid-way when stopped
        site.extra = list(range(200, 220))  # (bai-105 is a redirect)
        expected = {f"{site.base}/bai-{n}.html" for n in [*SyntheticSite.OK, *site.extra]}
        proc = start_crawl(db, env)
        wait_for_articles(db, proc)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == status, out + err
        assert "Traceback" not in out + err
        said = [line for line in err.splitlines() if "interrupted" in line]
        assert len(said) == 1 and signal.Signals(signum).name in said[0]
        assert "run the same command again to resume" in said[0]
        row = next(line for line in out.splitlines() if line.startswith("testsite"))
        assert row.split()[1] == "interrupted"
        assert rows(db, "SELECT status FROM crawl_runs") == [("interrupted",)]
        stored = rows(db, "SELECT count(*) FROM articles")[0][0]
        assert 0 < stored < len(expected)

        site.slow = 0
        proc = start_crawl(db, env)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, out + err
    assert rows(db, "SELECT status FROM crawl_runs ORDER BY id") == [("interrupted",),
                                                                     ("ok",)]
    urls = [u for (u,) in rows(db, "SELECT url FROM articles")]
    assert sorted(urls) == sorted(expected)
    assert rows(db, "SELECT max(version_count) FROM articles") == [(1,)]  # each once
