"""Places are stored with the article, in its transaction, and replaced by reparse."""

from __future__ import annotations

from newsarchive.archive import Archive
from newsarchive.crawl.ingest import ingest, reingest
from newsarchive.ground.page import Page
from newsarchive.sites import load
from tests.support.pages import article_page


def test_ingest_stores_places_and_reingest_replaces_them(tmp_path):
    archive = Archive(tmp_path / "a.db")
    site = load().get("baonghean")
    body = "<p>Công an xã Diễn Châu tuần tra trên địa bàn xã Diễn Châu, tỉnh Nghệ An.</p>" * 3
    page = Page(url="https://baonghean.vn/tuan-tra-10300001.html",
                body=article_page(body).encode(), fetched_at="2026-03-07T02:00:00Z")
    outcome = ingest(archive, page, site)
    assert outcome.stored
    rows = archive.conn.execute(
        "SELECT place_code, name_now, mentions FROM article_places ORDER BY place_code"
    ).fetchall()
    assert rows == [("c34-17464", "Xã Diễn Châu", 6), ("p34-40", "Tỉnh Nghệ An", 3)]
    assert archive.conn.execute("SELECT name FROM places WHERE code = 'c34-17464'"
                                ).fetchone() == ("Xã Diễn Châu",)
    page.id = outcome.page_id
    reingest(archive, page, site)
    assert archive.conn.execute("SELECT COUNT(*) FROM article_places").fetchone() == (2,)
