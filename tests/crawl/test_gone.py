"""#14 item 4: an archived article that disappears from the paper's site (404, 410, or a
redirect to the home page) is marked gone, with the archived copy untouched; a 500 or a
timeout is not a disappearance; an article that comes back loses its mark."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsarchive.archive import Archive
from newsarchive.archive.gone import MOVED
from newsarchive.crawl.ingest import Reading, keep
from newsarchive.ground import clock
from newsarchive.ground.page import Page
from tests.support.crawling import FAST, crawl, rows
from tests.support.records import dien_chau
from tests.support.sitesrv import SyntheticSite

URL = dien_chau().url


def _stored(tmp_path) -> Archive:
    archive = Archive(tmp_path / "a.db")
    archive.store_page(Page(URL, b"<html>bai</html>", fetched_at="2026-03-07T02:00:00Z"),
                       dien_chau())
    return archive


def test_a_mark_keeps_its_first_date_and_goes_when_the_article_is_fetched_again(tmp_path):
    archive = _stored(tmp_path)
    before = archive.conn.execute("SELECT * FROM articles").fetchall()
    article_id = archive.gone.mark(URL, 404, "2026-04-01T00:00:00Z")
    assert archive.gone.mark(URL, 410, "2026-04-02T00:00:00Z") == article_id
    assert archive.gone.of(article_id) == {"since": "2026-04-01T00:00:00Z", "status": 410,
                                           "last_checked": "2026-04-02T00:00:00Z"}
    assert archive.conn.execute("SELECT * FROM articles").fetchall() == before
    assert archive.gone.mark("https://baonghean.vn/khong-co-123.html", 404,
                             "2026-04-01T00:00:00Z") is None
    archive.store_page(Page(URL, b"<html>bai</html>", fetched_at="2026-04-03T00:00:00Z"),
                       dien_chau())
    assert archive.gone.of(article_id) is None
    archive.gone.mark(URL, 404, "2026-04-04T00:00:00Z")
    archive.articles.touch(URL)  # a 304: still there
    assert archive.gone.of(article_id) is None


def test_a_redirect_to_a_page_that_is_no_article_marks_it_moved(tmp_path):
    archive = _stored(tmp_path)
    home = Page("https://baonghean.vn/", b"<html>home</html>",
                fetched_at="2026-04-01T00:00:00Z")
    keep(archive, home, Reading(failure="not-article"), aliases=[URL])
    [(status,)] = archive.conn.execute("SELECT status FROM gone").fetchall()
    assert status == MOVED


@pytest.mark.slow
def test_a_crawl_marks_removed_articles_and_unmarks_them_when_they_come_back(tmp_path):
    db = tmp_path / "archive.db"
    later = clock.now()
    with SyntheticSite() as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        assert crawl("testsite", "--db", str(db), *FAST, env=env).returncode == 0
        before = rows(db, "SELECT url, content_hash, version_count FROM articles ORDER BY url")
        site.removed, site.moved, site.stalled = {1: 404, 2: 410, 3: 500}, {4}, {5}
        asked = site.hits["/bai-5.html"]
        later += timedelta(hours=2)  # the articles are due for a revisit
        proc = crawl("testsite", "--db", str(db), *FAST,
                     env={**env, "NEWSARCHIVE_NOW": clock.stamp(later)})
        assert proc.returncode == 0, proc.stderr
        gone = dict(rows(db, "SELECT substr(a.url, instr(a.url, '/bai-')), g.status "
                             "FROM gone g JOIN articles a ON a.id = g.article_id"))
        assert gone == {"/bai-1.html": 404, "/bai-2.html": 410, "/bai-4.html": MOVED}
        assert site.hits["/bai-5.html"] > asked  # revisited, and timed out: not gone
        assert rows(db, "SELECT url, content_hash, version_count FROM articles "
                        "ORDER BY url") == before  # the archived copies are untouched
        site.removed, site.moved, site.stalled = {}, set(), set()
        later += timedelta(hours=2)
        proc = crawl("testsite", "--db", str(db), *FAST,
                     env={**env, "NEWSARCHIVE_NOW": clock.stamp(later)})
        assert proc.returncode == 0, proc.stderr
    assert rows(db, "SELECT count(*) FROM gone") == [(0,)]
