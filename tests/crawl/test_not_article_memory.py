"""#17 item 5: a big page that matches the article pattern but is no article is stored
once per distinct body and remembered, then revisited only on the thinning schedule."""

from __future__ import annotations

from datetime import timedelta

from newsarchive.archive import Archive, Page
from newsarchive.crawl.ingest import ingest
from newsarchive.crawl.revisit import is_due
from newsarchive.ground import clock
from newsarchive.sites import Site

SITE = Site(id="t", name="T", home="http://t.test/", platform=None, article_pattern=r"\.html$")
BIG = ("<html><body><h1>Danh mục</h1>" + "<a href='/x.html'>Tin</a>" * 2_000
       + "</body></html>").encode()


def _size(archive: Archive) -> tuple[int, int]:
    return archive.conn.execute("SELECT count(*), sum(length(body)) FROM pages").fetchone()


def test_the_same_non_article_body_is_stored_once(tmp_path):
    archive = Archive(tmp_path / "a.db")
    url = "http://t.test/danh-muc.html"
    first = clock.now() - timedelta(hours=3)
    for run in range(3):
        at = clock.stamp(first + timedelta(hours=run))
        assert ingest(archive, Page(url, BIG, fetched_at=at), SITE).status == "not-article"
    count, size = _size(archive)
    assert count == 1 and size < len(BIG)
    flags, last_seen = archive.conn.execute("SELECT flags, last_seen FROM pages").fetchone()
    assert flags.startswith("not-article: ")
    assert last_seen == clock.stamp(first + timedelta(hours=2))
    ingest(archive, Page(url, BIG + b" ", fetched_at=clock.stamp()), SITE)
    assert _size(archive)[0] == 2  # a new body is a new page


def test_a_non_article_is_remembered_on_the_revisit_schedule(tmp_path):
    archive = Archive(tmp_path / "a.db")
    url = "http://t.test/danh-muc.html"
    now = clock.now()
    assert archive.pages.not_article(url) is None
    ingest(archive, Page(url, BIG, fetched_at=clock.stamp(now - timedelta(days=40))), SITE)
    ingest(archive, Page(url, BIG, fetched_at=clock.stamp(now - timedelta(days=2))), SITE)
    known = archive.pages.not_article(url)
    assert known is not None
    assert not is_due(known["published_at"], known["last_seen"], now)  # 40 days old: never
    young = "http://t.test/moi.html"
    ingest(archive, Page(young, BIG, fetched_at=clock.stamp(now - timedelta(minutes=5))), SITE)
    known = archive.pages.not_article(young)
    assert not is_due(known["published_at"], known["last_seen"], now)
    assert is_due(known["published_at"], known["last_seen"], now + timedelta(hours=2))
