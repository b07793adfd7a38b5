"""#14 item 4: an article gone from the paper's site is marked on its page (the archived
copy still shown whole), counted on the paper's page and listed as data."""

from __future__ import annotations

from newsarchive.archive import Archive
from newsarchive.ground.page import Page
from tests.support.datasette import get, published
from tests.support.fixtures import registry
from tests.support.records import dien_chau


def test_the_article_page_says_it_is_gone_and_still_shows_it(tmp_path):
    db = tmp_path / "archive.db"
    archive = Archive(db)
    archive.runs.sync_sites(s.row() for s in registry())
    gone, kept = dien_chau(), dien_chau(url="https://baonghean.vn/con-day-123.html")
    for a in (gone, kept):
        archive.store_page(Page(a.url, b"<html></html>", fetched_at="2026-03-07T02:00:00Z"), a)
    gone_id = archive.gone.mark(gone.url, 404, "2026-04-01T03:00:00Z")
    kept_id = archive.articles.find(kept.url)["id"]
    archive.conn.close()
    ds = published(db)
    page = get(ds, f"/article/{gone_id}").text
    assert "không còn trên trang của báo" in page and "HTTP 404" in page
    assert "UBND xã Diễn Lâm" in page  # the archived body, whole
    assert "không còn trên trang" not in get(ds, f"/article/{kept_id}").text
    assert "1 no longer on the site" in get(ds, "/paper/baonghean").text
    rows = get(ds, "/archive/gone.json?_shape=objects").json()["rows"]
    assert [(r["article_id"], r["status"]) for r in rows] == [(gone_id, 404)]
