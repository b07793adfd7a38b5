"""#25 item 4: an alias that is another article's URL is returned by the call that found
it (`Articles.upsert`, `Archive.store_page`), never left as state to read back."""

from __future__ import annotations

from newsarchive.archive import Archive
from newsarchive.ground.page import Page
from newsarchive.ground.urls import url_key
from tests.support.records import dien_chau

SEEN = "2026-03-07T02:00:00Z"
OLD = "https://baonghean.vn/bai-cu-123.html"  # an old URL that redirects
OTHER = "https://baonghean.vn/bai-khac-10304596.html"


def test_upsert_returns_the_aliases_it_could_not_take(tmp_path):
    articles = Archive(tmp_path / "a.db").articles
    first = articles.upsert(dien_chau(), SEEN, [dien_chau().url, OLD], None)
    assert (first.outcome, first.conflicts) == ("new", ())
    clash = articles.upsert(dien_chau(url=OTHER, title="Bài khác"), SEEN, [OTHER, OLD], None)
    assert clash.outcome == "new" and clash.article_id != first.article_id
    assert clash.conflicts == (url_key(OLD),)
    again = articles.upsert(dien_chau(url=OTHER, title="Bài khác"), SEEN, [OTHER], None)
    assert (again.outcome, again.conflicts) == ("unchanged", ())  # nothing left over
    assert articles.find(OLD)["id"] == first.article_id  # kept where it was
    assert not hasattr(articles, "conflicts")


def test_store_page_returns_them(tmp_path):
    archive = Archive(tmp_path / "a.db")
    archive.store_page(Page(dien_chau().url, b"<html>a</html>", fetched_at=SEEN), dien_chau(),
                       aliases=[OLD])
    other = dien_chau(url=OTHER, title="Bài khác")
    stored = archive.store_page(Page(OTHER, b"<html>b</html>", fetched_at=SEEN), other,
                                aliases=[OLD])
    assert stored.outcome == "new" and stored.conflicts == (url_key(OLD),)

