"""#17 item 8: export -> import is lossless: every version (an A -> B -> A -> B history
comes back as four versions) and every URL alias; importing twice adds nothing."""

from __future__ import annotations

import io

from newsarchive.archive import Archive
from newsarchive.archive.exchange import export_jsonl, import_jsonl
from tests.support.records import dien_chau


def _history(archive: Archive):
    return archive.conn.execute("SELECT v.version, v.title FROM article_versions v "
                                "ORDER BY v.article_id, v.version").fetchall()


def test_every_version_and_alias_comes_back(tmp_path):
    kept = Archive(tmp_path / "a.db")
    a, b = dien_chau(title="Tiêu đề A"), dien_chau(title="Tiêu đề B")
    for day, art in enumerate((a, b, a, b), 1):
        kept.articles.store(art, seen_at=f"2026-03-0{day}T00:00:00Z",
                            fetched_url=[art.url, art.url.replace(".html", "-cu.html")])
    out = io.StringIO()
    export_jsonl(kept, out)
    again = Archive(tmp_path / "b.db")
    import_jsonl(again, io.StringIO(out.getvalue()))
    import_jsonl(again, io.StringIO(out.getvalue()))  # twice: nothing added
    assert _history(again) == _history(kept) == [
        (1, "Tiêu đề A"), (2, "Tiêu đề B"), (3, "Tiêu đề A"), (4, "Tiêu đề B")]
    keys = "SELECT url_key FROM article_urls ORDER BY url_key"
    assert again.conn.execute(keys).fetchall() == kept.conn.execute(keys).fetchall()
    assert len(kept.conn.execute(keys).fetchall()) == 2
