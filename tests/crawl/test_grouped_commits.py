"""The crawl's grouped commits (NEWSARCHIVE_COMMIT_PAGES / _SECONDS): with one group held
open for the whole crawl, the spider's own writes (a gone article's mark) go through the
pipeline's connection instead of waiting on it, and everything is committed at the end."""

from __future__ import annotations

import time
from datetime import timedelta

from newsarchive.crawl.pipelines.archive import ArchivePipeline
from newsarchive.ground import clock
from tests.support.crawling import FAST, crawl, rows
from tests.support.sitesrv import SyntheticSite

HELD = ("-s", "NEWSARCHIVE_COMMIT_PAGES=100000", "-s", "NEWSARCHIVE_COMMIT_SECONDS=3600")


def test_a_group_open_all_crawl_long_neither_blocks_the_spider_nor_loses_a_page(tmp_path):
    db = tmp_path / "archive.db"
    with SyntheticSite() as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        assert crawl("testsite", "--db", str(db), *FAST, *HELD, env=env).returncode == 0
        one_each = tmp_path / "one-each.db"
        assert crawl("testsite", "--db", str(one_each), *FAST, "-s",
                     "NEWSARCHIVE_COMMIT_PAGES=1", env=env).returncode == 0
        kept = "SELECT url, content_hash FROM articles ORDER BY url"
        assert len(rows(db, kept)) > 3
        assert rows(db, kept) == rows(one_each, kept)
        pages = "SELECT url, kind, flags FROM pages ORDER BY url"
        assert rows(db, pages) == rows(one_each, pages)
        site.removed = {1: 404, 2: 410}
        later = clock.now() + timedelta(hours=2)  # due for a revisit
        started = time.monotonic()
        proc = crawl("testsite", "--db", str(db), *FAST, *HELD,
                     env={**env, "NEWSARCHIVE_NOW": clock.stamp(later)})
        assert proc.returncode == 0, proc.stderr
    # the marks were written inside the open group, not after a 30 s busy timeout
    assert time.monotonic() - started < 25
    assert "database is locked" not in proc.stderr
    assert rows(db, "SELECT count(*) FROM gone") == [(2,)]
    assert rows(db, "SELECT status FROM crawl_runs ORDER BY id")[-1] == ("ok",)


def test_the_setting_groups_commits_by_default():
    from newsarchive.crawl.settings import NEWSARCHIVE_COMMIT_PAGES

    assert NEWSARCHIVE_COMMIT_PAGES > 1 and ArchivePipeline._flush.__doc__
