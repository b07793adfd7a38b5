"""#25 item 4: `keep` flags a page with the aliases its article could not take, as the
storing call returned them."""

from __future__ import annotations

from newsarchive.archive import Archive
from newsarchive.crawl.ingest import Reading, keep
from newsarchive.ground.page import Page
from newsarchive.ground.urls import url_key
from tests.support.records import dien_chau

SEEN = "2026-03-07T02:00:00Z"
OLD = "https://baonghean.vn/bai-cu-123.html"  # an old URL that redirects
OTHER = "https://baonghean.vn/bai-khac-10304596.html"


def test_an_alias_of_another_article_is_flagged_on_the_page(tmp_path):
    archive = Archive(tmp_path / "a.db")
    keep(archive, Page(dien_chau().url, b"<html>a</html>", fetched_at=SEEN),
         Reading(article=dien_chau()), aliases=[OLD])
    other = dien_chau(url=OTHER, title="Bài khác")
    outcome = keep(archive, Page(OTHER, b"<html>b</html>", fetched_at=SEEN),
                   Reading(article=other), aliases=[OLD])
    assert outcome.status == "new" and outcome.flags == [f"identity-conflict: {url_key(OLD)}"]
    assert archive.conn.execute("SELECT flags FROM pages ORDER BY id DESC").fetchone()[0] \
        == f"identity-conflict: {url_key(OLD)}"
    clean = keep(archive, Page(OTHER, b"<html>b2</html>", fetched_at=SEEN),
                 Reading(article=other))
    assert clean.flags == []  # the next call starts afresh
