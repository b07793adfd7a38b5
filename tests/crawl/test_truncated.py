"""A page cut short (body shorter than its Content-Length, or a revisit much shorter than
the stored version without its closing `</html>`) is kept for the record but never
creates an article or a version, nor replaces stored text: not at the crawl, not at
`reparse`, and it is not used to validate the next conditional GET."""

from __future__ import annotations

from newsarchive.archive import Archive
from newsarchive.crawl.ingest import ingest
from newsarchive.crawl.reparse import reparse
from newsarchive.ground.outcomes import PageOutcome
from newsarchive.ground.page import Page
from tests.support.fixtures import registry
from tests.support.pages import PARAGRAPH, article_page

URL = "https://baothu.vn/dien-chau-doi-moi-123456.html"
GOOD = article_page().encode()
# An edited article served cut short: 30 bytes before the end, inside a paragraph.
EDITED = article_page(title="Diễn Châu đổi mới hoàn toàn").encode()
CUT = EDITED[: EDITED.index(b"</div>") - 30]
# The same page cut after a paragraph and a third, served with an honest Content-Length.
HALF = EDITED[: EDITED.index(b"</p>") + 4 + 80]
# A real edit: two paragraphs of four removed, the page complete.
SHORTENED = article_page(body="".join(f"<p>{PARAGRAPH}{i}</p>" for i in range(2))).encode()


def _page(body: bytes, when: str, etag: str | None = None) -> Page:
    headers = {"content-type": "text/html; charset=utf-8", **({"etag": etag} if etag else {})}
    return Page(URL, body, fetched_at=when, headers=headers)


def _article(kept: Archive):
    return kept.conn.execute(
        "SELECT title, body_text, version_count FROM articles").fetchall()


def test_truncated_page_never_creates_an_article(tmp_path):
    kept = Archive(tmp_path / "a.db")
    outcome = ingest(kept, _page(CUT, "2026-03-07T09:00:00+07:00"), None, truncated=True)
    assert outcome.status == "truncated" and not outcome.stored
    assert _article(kept) == []
    assert kept.conn.execute("SELECT flags FROM pages").fetchall() == [("truncated",)]


def test_truncated_revisit_never_replaces_stored_text(tmp_path):
    kept = Archive(tmp_path / "a.db")
    first = ingest(kept, _page(GOOD, "2026-03-07T09:00:00+07:00", '"a"'), None)
    assert first.status == PageOutcome.NEW
    before = _article(kept)
    outcome = ingest(kept, _page(CUT, "2026-03-08T09:00:00+07:00", '"b"'), None,
                     truncated=True)
    assert outcome.status == "truncated"
    assert _article(kept) == before and before[0][2] == 1
    assert kept.conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 1
    # the next conditional GET is validated by the complete page, not the cut one
    assert kept.pages.validators(URL) == ('"a"', None)
    # reparse reads the newest complete page, never the truncated one
    assert reparse(kept, registry()) == {"unchanged": 1}
    assert _article(kept) == before


def _seen(kept: Archive) -> list[tuple]:
    return kept.conn.execute("SELECT last_seen, version_count FROM articles").fetchall()


def test_an_honest_half_page_is_suspect_and_no_version(tmp_path):
    kept = Archive(tmp_path / "a.db")
    first = ingest(kept, _page(GOOD, "2026-03-07T09:00:00+07:00", '"a"'), None)
    assert first.status == PageOutcome.NEW
    before, seen = _article(kept), _seen(kept)
    outcome = ingest(kept, _page(HALF, "2026-03-08T09:00:00+07:00", '"b"'), None)
    assert outcome.reading.storable  # extraction alone would take it for an edit
    assert outcome.status == PageOutcome.SUSPECT_TRUNCATED and not outcome.stored
    assert _article(kept) == before and _seen(kept) == seen  # not a fresh visit: due again
    assert kept.conn.execute("SELECT flags FROM pages ORDER BY id").fetchall() == [
        (None,), (PageOutcome.SUSPECT_TRUNCATED,)]
    assert kept.pages.validators(URL) == ('"a"', None)  # the next GET is not conditional on it
    assert reparse(kept, registry()) == {"unchanged": 1}
    assert _article(kept) == before


def test_an_edit_that_shortens_a_complete_page_is_a_version(tmp_path):
    kept = Archive(tmp_path / "a.db")
    assert ingest(kept, _page(GOOD, "2026-03-07T09:00:00+07:00"), None).status == PageOutcome.NEW
    outcome = ingest(kept, _page(SHORTENED, "2026-03-08T09:00:00+07:00"), None)
    assert outcome.status == PageOutcome.CHANGED and outcome.flags == []
    assert _seen(kept) == [("2026-03-08T09:00:00+07:00", 2)]


def test_a_cut_first_visit_has_nothing_to_be_measured_against(tmp_path):
    kept = Archive(tmp_path / "a.db")
    assert ingest(kept, _page(HALF, "2026-03-07T09:00:00+07:00"), None).status == PageOutcome.NEW
