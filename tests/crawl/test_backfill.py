"""A backfill of 10,000 articles over 200 sitemap days, killed (SIGKILL) twice at random
points and started again with the same command, ends with every article archived once,
having fetched few pages twice (and no run budget stops it: it is bounded by --since)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.backfillsite import BackfillSite
from tests.support.crawling import FAST, rows
from tests.support.fixtures import ROOT

pytestmark = pytest.mark.slow


def _stored(db: Path) -> int:
    try:
        return rows(db, "SELECT count(*) FROM articles")[0][0] if db.exists() else 0
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def _command(db: Path) -> list[str]:
    return [sys.executable, "-m", "newsarchive.cli", "crawl", "testsite", "--db", str(db),
            "--since", "2012-01-01", "-q", *FAST]


def test_killed_backfill_resumes_with_every_article_once(tmp_path):
    db = tmp_path / "archive.db"
    rng = random.Random(os.environ.get("BACKFILL_SEED", "16"))
    with BackfillSite(days=200, per_day=50) as site:
        env = {**os.environ, "NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        for _ in range(2):
            target = _stored(db) + rng.randint(100, 700)
            proc = subprocess.Popen(_command(db), cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 120
            while _stored(db) < target and time.monotonic() < deadline \
                    and proc.poll() is None:
                time.sleep(0.05)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            assert _stored(db) < site.articles, "the crawl ended before it was killed"
        final = subprocess.run(_command(db), cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=300)
        assert final.returncode == 0, final.stderr
        fetched = sum(site.hits.values())
    assert rows(db, "SELECT count(*), count(DISTINCT url_key) FROM articles") == \
        [(site.articles, site.articles)]
    assert fetched <= 1.05 * site.articles, f"{fetched} article pages fetched"
    assert not (tmp_path / "archive.db.jobs").exists()


def test_a_self_listing_sitemap_index_ends_a_backfill_by_itself(tmp_path):
    """An index that lists itself and ten fresh child indexes on every request: with
    --since there is no page budget, yet the crawl ends by itself within seconds, having
    archived the real articles, with the reasons counted."""
    db = tmp_path / "archive.db"
    with BackfillSite(days=2, per_day=5, looping=10) as site:
        env = {**os.environ, "NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        started = time.monotonic()
        done = subprocess.run(_command(db), cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)
        took = time.monotonic() - started
        sitemaps = site.sitemaps
    assert done.returncode == 0, done.stderr
    assert took < 60 and sitemaps <= 50, (took, sitemaps)
    assert rows(db, "SELECT count(*) FROM articles") == [(site.articles,)]
    (status, errors), = rows(db, "SELECT status, errors FROM crawl_runs")
    counted = json.loads(errors)
    assert status == "budget" and counted["budget-discovery"] >= 1, counted
    assert counted["sitemap-loop"] >= 10 and counted.get("sitemap-too-deep", 0) >= 0
