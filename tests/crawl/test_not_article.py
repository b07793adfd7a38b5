"""A page that is not an article goes through `ingest` as `not-article`: the raw page is
kept and flagged, no article is stored."""

from __future__ import annotations

from newsarchive.archive import Archive, Page
from newsarchive.crawl.ingest import ingest
from tests.support.fixtures import fixtures_dir, manifest, registry


def test_captured_listing_stores_no_article(tmp_path, fixtures_path):
    fx = next(r for r in manifest(fixtures_path) if r.file.startswith("cafef.vn/listing"))
    archive = Archive(tmp_path / "archive.db")
    outcome = ingest(archive, Page(fx.url, (fixtures_dir() / fx.file).read_bytes()),
                     registry().for_url(fx.url))
    assert outcome.status == "not-article" and not outcome.stored
    assert outcome.reading.failure == "not-article" and outcome.reading.article is None
    assert "listing" in outcome.reading.detail
    assert outcome.flags == [f"not-article: {outcome.reading.detail}"]  # the reasons kept
    assert archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    (flags,), = archive.conn.execute("SELECT flags FROM pages").fetchall()
    assert flags.startswith("not-article: ") and "listing" in flags
