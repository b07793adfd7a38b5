"""#17 item 4: a hostile site cannot keep the crawl busy forever: its sitemap index
that lists itself is fetched once, a feed of thousands of items stops at the site's page
budget, the run is recorded as `budget` and the lock is released."""

from __future__ import annotations

import json

import pytest

from newsarchive.archive import Archive
from tests.support.crawling import FAST, crawl, rows
from tests.support.hostile import HostileSite


def test_a_stale_running_row_is_closed_on_the_next_start(tmp_path):
    archive = Archive(tmp_path / "a.db")
    dead = archive.runs.start("s")  # a crawl killed before it could finish
    other = archive.runs.start("t")
    fresh = archive.runs.start("s")
    status = dict(archive.conn.execute("SELECT id, status FROM crawl_runs "
                                       "WHERE finished_at IS NOT NULL"))
    assert status == {dead: "interrupted"}
    assert {other, fresh}.isdisjoint(status)


@pytest.mark.slow
def test_a_huge_feed_stops_at_the_site_budget(tmp_path):
    db = tmp_path / "archive.db"
    with HostileSite(feed_items=3000) as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(
            tmp_path, NEWSARCHIVE_SITE_MAX_PAGES=25))}
        proc = crawl("hostile", "--db", str(db), *FAST, env=env, timeout=120)
        assert "Traceback" not in proc.stderr, proc.stderr
        asked = sum(n for p, n in site.hits.items() if p.startswith("/bai-"))
        assert asked <= 25
        assert site.hits["/sitemap.xml"] == 1 and site.hits["/rss.xml"] == 1
        status, errors = rows(db, "SELECT status, errors FROM crawl_runs")[0]
        assert status == "budget"
        assert json.loads(errors)["budget-pages"] > 2900
        again = crawl("hostile", "--db", str(db), *FAST, env=env, timeout=120)
        assert again.returncode != 75, again.stderr  # the lock was released


def test_a_backfill_has_no_budget_unless_asked():
    """`--since` is bounded by its date: 2,000 pages or 2 hours would stop fifteen years
    of a paper after a few days of it; an explicit -s still sets one."""
    from newsarchive.crawl.settings import BACKFILL_UNBOUNDED, crawl_settings

    routine = crawl_settings([])
    assert routine.getint("NEWSARCHIVE_SITE_MAX_PAGES") == 2000
    assert routine.getint("CLOSESPIDER_TIMEOUT") > 0
    backfill = crawl_settings([], backfill=True)
    assert {name: backfill.getint(name) for name in BACKFILL_UNBOUNDED} == \
        dict.fromkeys(BACKFILL_UNBOUNDED, 0)
    asked = crawl_settings([], overrides={"NEWSARCHIVE_SITE_MAX_PAGES": "50000"},
                           backfill=True)
    assert asked.getint("NEWSARCHIVE_SITE_MAX_PAGES") == 50000
