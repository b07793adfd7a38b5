"""Import keeps the good records: each bad line is named with its reason in words and
skipped, `strict` refuses the whole file in one transaction, and text no XML can carry
(a lone surrogate above all) is cleaned rather than aborting everything."""

from __future__ import annotations

import io
import json

import pytest

from newsarchive.archive import Archive
from newsarchive.archive.exchange import export_jsonl
from newsarchive.archive.imports import BadRecord, import_records
from tests.support.records import dien_chau


def _record(n: int = 1, **changes) -> dict:
    source = Archive(":memory:")
    source.articles.store(dien_chau(url=f"https://baonghean.vn/tin-{n}.html", **changes),
                          seen_at="2026-03-07T02:00:00Z")
    out = io.StringIO()
    export_jsonl(source, out)
    return json.loads(out.getvalue())


def _lines(*records: dict) -> list[bytes]:
    """Lines of a file; a lone surrogate is written `\\ud800`, as JSON escapes it."""
    return [json.dumps(r).encode("ascii") + b"\n" for r in records]


def _with(record: dict, path: str, value) -> dict:
    """`record` with the value at `path` (`article.title`, `versions.0.seen_at`) replaced,
    or removed when `value` is ...; a copy."""
    copy = json.loads(json.dumps(record))
    *parents, last = path.split(".")
    target = copy
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return copy


BAD = [
    ("article.site", ..., "article: missing field 'site'"),
    ("article.url", 5, "article: 'url' is a number, not text"),
    ("article.url", "", "article: 'url' is empty, not text"),
    ("article.url", "https://baonghean.vn/\ud800a.html",
     "article: 'url' holds a character no url has (a control character, a noncharacter "
     "or a lone surrogate)"),
    ("article.title", ["x"], "article: 'title' is a list, not text or null"),
    ("article.body_text", {"a": 1}, "article: 'body_text' is an object, not text"),
    ("article.authors", "Mai Giang", "article: 'authors' is text, not a list of texts"),
    ("article.tags", [1, 2], "article: 'tags' is a list, not a list of texts"),
    ("article.provenance", ["jsonld"], "article: 'provenance' is a list, not an object "
                                       "of texts"),
    ("article.images", [{"caption": "x"}], "article: 'images' item 1 is not an object with "
                                           "a 'url' text and a 'caption' text or null"),
    ("article", "x", "article: text, not an object"),
    ("first_seen", ..., "missing field 'first_seen'"),
    ("last_seen", "hôm qua", "'last_seen' is 'hôm qua', not a time such as "
                             "2026-03-07T02:00:00Z"),
    ("last_changed", True, "'last_changed' is true or false, not a time such as "
                           "2026-03-07T02:00:00Z"),
    ("versions", {"1": {}}, "'versions' is an object, not a list"),
    ("versions.0.seen_at", 3, "'versions' item 1: 'seen_at' is a number, not a time such as "
                              "2026-03-07T02:00:00Z"),
    ("versions.0.title", ..., "'versions' item 1: missing field 'title'"),
    ("versions.0.version", "1", "'versions' item 1: 'version' is text, not a whole number"),
    ("url_keys", "https://baonghean.vn/tin-1.html", "'url_keys' is text, not a list of texts"),
    ("url_keys", ["https://baonghean.vn/tin-2.html", "https://baonghean.vn/\ud800"],
     "'url_keys' item 2 holds a character no URL has (a control character, a noncharacter "
     "or a lone surrogate)"),
]


@pytest.mark.parametrize("path,value,reason", BAD, ids=[f"{p}={v!r}"[:40] for p, v, _ in BAD])
def test_a_bad_record_is_named_in_words_and_the_others_are_imported(path, value, reason):
    kept = Archive(":memory:")
    report = import_records(kept, _lines(_record(1), _with(_record(2), path, value),
                                         _record(3)))
    assert report.bad == [(2, reason)]
    assert report.counts == {"articles": 2, "bad": 1}
    assert kept.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_an_extracted_article_missing_its_site_says_so_in_words():
    kept = Archive(":memory:")
    report = import_records(kept, _lines({"url": "https://baonghean.vn/a.html"}))
    assert report.bad == [(1, "missing field 'site'")]  # not `Article.__init__() missing...`


def test_a_lone_surrogate_in_a_text_field_is_cleaned_not_an_error():
    dirty = _with(_record(1), "article.title", "\ud800Tiêu đề\uffff")
    dirty = _with(dirty, "versions.0.title", "\udfffTiêu đề")
    dirty = _with(dirty, "article.authors", ["Mai\ud800 Giang"])
    kept = Archive(":memory:")
    report = import_records(kept, _lines(dirty, _record(2)))
    assert report.bad == [] and report.counts == {"articles": 2, "cleaned": 1}
    assert kept.conn.execute("SELECT title, authors FROM articles WHERE id = 1").fetchone() \
        == ("Tiêu đề", '["Mai Giang"]')
    assert kept.conn.execute("SELECT title FROM article_versions WHERE article_id = 1"
                             ).fetchall() == [("Tiêu đề",)]


def test_strict_refuses_the_whole_file_in_one_transaction(tmp_path):
    kept = Archive(tmp_path / "a.db")
    lines = _lines(_record(1), _record(2), _with(_record(3), "article.site", 7), _record(4))
    with pytest.raises(BadRecord, match="^line 3: article: 'site' is a number, not text$"):
        import_records(kept, lines, strict=True)
    assert kept.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert import_records(kept, lines).counts == {"articles": 3, "bad": 1}


def test_an_import_that_stores_nothing_leaves_no_archive_behind(tmp_path):
    """`import_into` creates the archive where none is, and removes it again (with the
    files SQLite keeps beside it) when no article was stored: bad lines only, or a
    `strict` import refused."""
    from newsarchive.archive.imports import import_into

    good, bad = _lines(_record(1)), [b"{not json\n"]
    path = tmp_path / "new.db"
    report = import_into(path, bad)
    assert report.counts["bad"] == 1 and report.created
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(BadRecord):
        import_into(path, good + bad, strict=True)
    assert list(tmp_path.iterdir()) == []
    report = import_into(path, good)
    assert report.created and report.counts["articles"] == 1 and path.exists()
    again = import_into(path, bad)  # an archive that was there stays, whatever happens
    assert not again.created and path.exists()
    assert Archive(str(path)).conn.execute("SELECT count(*) FROM articles").fetchone() == (1,)
