"""The archive library on its own: schema, upserts, history, search, pages, export."""

from __future__ import annotations

import io
import json
import random
import re
import unicodedata

import pytest

from bench.synthetic import article as synthetic
from newsarchive.archive import Archive, Page, connect
from newsarchive.archive.articles import _is_normal, _normal
from newsarchive.archive.exchange import export_csv, export_jsonl, export_warc, import_jsonl
from newsarchive.archive.migrations import LATEST, migrate, version
from newsarchive.archive.search import Filters, search
from newsarchive.ground.article import Article
from tests.support.fixtures import registry
from tests.support.records import dien_chau


@pytest.fixture
def archive(tmp_path):
    return Archive(tmp_path / "archive.db")


def test_fresh_database_is_at_latest_version_in_wal(tmp_path):
    db = connect(tmp_path / "a.db")
    assert version(db) == LATEST
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"articles", "article_versions", "authors", "article_authors", "tags", "article_tags",
            "images", "pages", "crawl_runs", "sites", "articles_fts"} <= set(db.table_names())


@pytest.mark.parametrize("start", range(1, LATEST))
def test_upgrade_in_place_from_every_version(tmp_path, start):
    import sqlite3

    import sqlite_utils

    from newsarchive.archive.db import register_functions

    conn = sqlite3.connect(tmp_path / "old.db")
    register_functions(conn)  # the pairs index (M007 on) needs na_pairs
    db = sqlite_utils.Database(conn)
    migrate(db, target=start)
    if start == 1:  # written by a version of newsarchive that had no search yet
        db.execute(
            "INSERT INTO articles (url_key, url, site, title, body_text, content_hash, "
            "first_seen, last_seen, last_changed) VALUES ('https://x.vn/a', 'https://x.vn/a', "
            "'x', 'Đài Diễn Châu', 'Thân bài', 'h', '2026-01-01', '2026-01-01', '2026-01-01')")
        db.conn.commit()
    else:  # an Archive over a Database object stores without migrating
        Archive(db).articles.store(dien_chau(title="Đài Diễn Châu"))
    upgraded = Archive(tmp_path / "old.db")
    assert version(upgraded.db) == LATEST
    assert [h.title for h in search(upgraded.db, "dai dien chau")] == ["Đài Diễn Châu"]
    upgraded.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_same_content_touches_last_seen_only(archive):
    assert archive.articles.store(dien_chau(), seen_at="2026-01-01T00:00:00Z")[0] == "new"
    noisy = dien_chau(body_text=unicodedata.normalize("NFD", dien_chau().body_text).replace(
        " ", "  \u00a0"))
    assert archive.articles.store(noisy, seen_at="2026-01-02T00:00:00Z")[0] == "unchanged"
    row = archive.conn.execute("SELECT first_seen, last_seen, last_changed, version_count "
                               "FROM articles").fetchone()
    assert row == ("2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z", 1)


def test_normal_text_fast_path_agrees_with_the_rule():
    """`_normal` skips work on text that is normal already; the skip must never differ
    from the rule itself: NFC, one space, no blank or padded lines."""
    def rule(text):
        lines = (" ".join(line.split()) for line in unicodedata.normalize("NFC", text).split("\n"))
        return "\n".join(line for line in lines if line)

    pieces = ["a", "đ", " ", "  ", "\n", "\t", "\r", "\u00a0", "\u2028", "\x1c", "e\u0301", "é"]
    rng = random.Random(3)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        assert _normal(text) == rule(text), repr(text)


def test_normal_text_printable_pass_agrees_with_the_odd_space_rule_for_every_character():
    """The printable pass that stands for the regex of odd whitespace (any whitespace but
    space and newline): each code point between two letters is normal exactly when the
    regex finds nothing."""
    odd = re.compile(r"[^\S \n]")
    for code in range(0x110000):
        text = f"a{chr(code)}b"
        assert bool(_is_normal(text)) == (odd.search(text) is None), hex(code)


def test_edit_adds_a_version_with_a_readable_diff(archive):
    archive.articles.store(dien_chau(), seen_at="2026-01-01T00:00:00Z")
    edited = dien_chau(body_text=dien_chau().body_text.replace("đào tạo", "đào tạo, bồi dưỡng"))
    assert archive.articles.store(edited, seen_at="2026-01-01T05:00:00Z")[0] == "changed"
    versions = archive.conn.execute(
        "SELECT version, seen_at, diff FROM article_versions ORDER BY version").fetchall()
    assert [v[:2] for v in versions] == [(1, "2026-01-01T00:00:00Z"), (2, "2026-01-01T05:00:00Z")]
    assert "-UBND xã Diễn Lâm đã tập trung đào tạo đội ngũ cán bộ." in versions[1][2]
    assert "+UBND xã Diễn Lâm đã tập trung đào tạo, bồi dưỡng đội ngũ cán bộ." in versions[1][2]
    assert archive.conn.execute("SELECT version_count, last_changed FROM articles").fetchone() \
        == (2, "2026-01-01T05:00:00Z")


def test_metadata_change_updates_in_place_without_version(archive):
    archive.articles.store(dien_chau())
    archive.articles.store(dien_chau(tags=["Diễn Châu", "Nghệ An"],
                                     authors=["Mai Giang", "Hồ Hương"]))
    assert archive.conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 1
    tags = [r[0] for r in archive.conn.execute(
        "SELECT name FROM tags JOIN article_tags ON id = tag_id ORDER BY position")]
    assert tags == ["Diễn Châu", "Nghệ An"]
    assert archive.conn.execute("SELECT count(*) FROM article_authors").fetchone()[0] == 2


def test_url_variants_are_one_article(archive):
    url = dien_chau().url
    variants = [url, url.replace("https://", "http://"), url.replace("//", "//www."),
                url.replace("//", "//m.") + "/", url + "?utm_source=zalo&fbclid=1#binh-luan"]
    for v in variants:
        archive.articles.store(dien_chau(url=v))
    assert archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert archive.articles.find(variants[-1])["version_count"] == 1


def test_no_duplicates_whatever_the_order(archive):
    arts = [synthetic(i) for i in range(60)]
    rng = random.Random(7)
    for round_ in range(5):
        batch = arts[:]
        rng.shuffle(batch)
        for art in batch:
            if rng.random() < 0.5:
                art = Article.from_dict(art.to_dict() | {"url": art.url.replace("https", "http")
                                                         + f"?utm_campaign={round_}"})
            archive.articles.store(art)
    q = archive.conn.execute
    assert q("SELECT count(*), count(DISTINCT url_key) FROM articles").fetchone() == (60, 60)
    assert q("SELECT count(*) FROM article_versions").fetchone()[0] == 60
    assert q("SELECT count(*) FROM articles_fts").fetchone()[0] == 60
    assert q("SELECT count(*) FROM (SELECT name FROM authors GROUP BY name "
             "HAVING count(*) > 1)").fetchone()[0] == 0


@pytest.mark.parametrize("query", ["dien chau", "dai dien chau", "doi moi", "Diễn Châu",
                                   "DIEN CHAU", "đài", "Dien Chau*", "cai cach"])
def test_search_without_diacritics(archive, query):
    archive.articles.store(dien_chau())
    for i in range(20):
        archive.articles.store(synthetic(i))
    hits = search(archive.db, query)
    assert dien_chau().title in [h.title for h in hits]


def test_search_ranks_title_hits_first_and_marks_snippets(archive):
    archive.articles.store(dien_chau())
    archive.articles.store(dien_chau(url="https://baonghean.vn/khac-10304596.html",
                                     title="Tin khác",
                                     body_text="Chuyện ở Diễn Châu hôm nay. " * 3))
    hits = search(archive.db, "dien chau")
    assert hits[0].title.startswith("Diễn Châu")
    assert "[Diễn Châu]" in hits[0].snippet


def test_search_filters_by_site_and_date(archive):
    archive.articles.store(dien_chau())
    archive.articles.store(dien_chau(url="https://baolaocai.vn/x-post1.html", site="baolaocai",
                            published_at="2025-06-17T13:43:02+07:00"))
    def sites(**filters) -> list[str]:
        return [h.site for h in search(archive.db, "dien chau", Filters(**filters))]

    assert sites(site="baolaocai") == ["baolaocai"]
    assert sites(since="2025-01-01") == ["baolaocai"]
    assert sites(until="2020-01-01") == ["baonghean"]
    # days, both ends included: the day of publication is in `since` and in `until`
    assert sites(since="2025-06-17", until="2025-06-17") == ["baolaocai"]


def test_search_index_follows_updates_and_deletes(archive):
    _, article_id = archive.articles.store(dien_chau())
    archive.articles.store(dien_chau(title="Quỳnh Lưu đổi mới",
                                     body_text="Nội dung mới hoàn toàn."))
    assert search(archive.db, "quynh luu") and not search(archive.db, "dien lam")
    with archive.conn:
        archive.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    assert not search(archive.db, "quynh luu")
    archive.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_search_tiers_phrase_then_every_word_then_anywhere(archive):
    """A phrase wins when an article has it; else every word must be there, ranked by
    the word pairs shared; else every word anywhere."""
    ids = {}
    for key, title, body in [
        ("phrase", "Xã Thảo Đông mới có đường", "Đường về xã Thảo Đông."),
        ("words", "Xã Thảo Đông vào mùa", "Mùa lúa mới ở Đông Thành."),
        ("no-pair", "Thảo nói về Đông", "Xã bên có mới."),
        ("missing", "Xã Thảo Đông", "Chỉ có tên xã."),
    ]:
        ids[key] = archive.articles.store(dien_chau(
            url=f"https://baonghean.vn/{key}-1.html", title=title, sapo="", body_text=body,
            tags=[], authors=[]))[1]
    top = [h.id for h in search(archive.db, "xa thao dong moi")]
    assert top == [ids["phrase"]]
    top = [h.id for h in search(archive.db, "Thảo Đông mùa lúa")]  # no article has the phrase
    assert top == [ids["words"]]  # every word; `missing` and `no-pair` lack some
    top = [h.id for h in search(archive.db, "thao noi xa ben")]  # `thảo nói` is a pair
    assert top == [ids["no-pair"]]
    assert [h.id for h in search(archive.db, "ben thao")] == [ids["no-pair"]]  # no pair: anywhere
    assert search(archive.db, "ben thao dong lua") == []


def test_pages_join_up_in_every_tier(archive):
    """Page 2 continues page 1, in the tier page 1 used; past the end is empty."""
    from newsarchive.archive.search import ranked_ids

    archive.articles.store_many([synthetic(i) for i in range(300)])
    for query in ("nghe an", "xa thao dong moi", "phat"):
        tier, whole = ranked_ids(archive.db, query, limit=10)
        pages = [ranked_ids(archive.db, query, limit=5, offset=o) for o in (0, 5)]
        assert {t for t, _ in pages} == {tier}
        assert pages[0][1] + pages[1][1] == whole and len(whole) > 5, query
        assert ranked_ids(archive.db, query, limit=5, offset=10_000)[1] == []


@pytest.mark.parametrize("query, expected", [
    ('dai "dien chau" moi', True), ("DAI chau*", True), ("dien dai", True),
    ("dai die", False), ('"chau dien"', False), ("dai chau* hue", False)])
def test_every_word_check(query, expected):
    from newsarchive.ground.fold import mentions_all

    assert mentions_all("Đài-Diễn Châu, mới", query) is expected


def test_pairs_index_follows_updates_and_deletes(archive):
    _, article_id = archive.articles.store(dien_chau())
    assert search(archive.db, "dien lam")
    archive.articles.store(dien_chau(body_text="Quỳnh Lưu đổi mới hoàn toàn."))
    assert not search(archive.db, "dien lam") and search(archive.db, "quynh luu doi")
    with archive.conn:
        archive.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    count = "SELECT count(*) FROM articles_pairs WHERE articles_pairs MATCH ?"
    assert archive.conn.execute(count, ('"quynh_luu"',)).fetchone()[0] == 0
    archive.conn.execute("INSERT INTO articles_pairs(articles_pairs) VALUES ('integrity-check')")


def test_a_writer_without_the_search_functions_changes_nothing(archive, tmp_path):
    """A plain sqlite3 connection cannot keep the search indexes (their triggers call
    Python functions): it fails, loudly."""
    import sqlite3

    archive.articles.store(dien_chau())
    plain = sqlite3.connect(tmp_path / "archive.db")
    with pytest.raises(sqlite3.OperationalError, match="no such function: na_"):
        plain.execute("UPDATE articles SET title = 'x'")
    plain.rollback()
    assert archive.conn.execute("SELECT title FROM articles").fetchone()[0] == dien_chau().title


def test_search_rejects_empty_query(archive):
    with pytest.raises(ValueError):
        search(archive.db, '  "" ')


def test_raw_pages_are_compressed_and_flagged_not_dropped(archive):
    body = "<html>Diễn Châu</html>".encode() * 200
    page_id = archive.pages.add(Page("https://baonghean.vn/a-10304595.html", body,
                                    headers={"content-type": "text/html"}))
    assert archive.pages.body(page_id) == body
    stored = archive.conn.execute("SELECT length(body), size FROM pages").fetchone()
    assert stored[0] < stored[1] == len(body)
    truncated = archive.pages.add(Page("https://baonghean.vn/b-10304596.html", body[:37],
                                      flags="truncated"))
    archive.pages.flag(truncated, "truncated; not-article")
    assert archive.conn.execute("SELECT flags FROM pages WHERE id = ?",
                                (truncated,)).fetchone()[0] == "truncated; not-article"


def test_reparse_records_versions_only_for_real_changes(archive, fixtures_path):
    from newsarchive.crawl.reparse import reparse
    from newsarchive.extract.core import extract
    from tests.support.fixtures import manifest

    articles = [f for f in manifest(fixtures_path) if f.kind == "article"]
    for fx in articles:
        data = (fixtures_path / fx.file).read_bytes()
        page_id = archive.pages.add(Page(fx.url, data, fetched_at="2026-03-08T00:00:00Z"))
        art = extract(data, fx.url, site=registry().for_url(fx.url))
        if fx.file.startswith("baolaocai"):  # as if an old layout had kept the byline
            art.body_text += "\nAnh Dũng"
        archive.articles.store(art, fetched_url=fx.url, page_id=page_id)
    counts = reparse(archive, registry())
    n = len(articles)  # one per captured article; new captures arrive from time to time
    assert counts == {"unchanged": n - 1, "changed": 1}
    assert reparse(archive, registry()) == {"unchanged": n}
    assert archive.conn.execute("SELECT sum(version_count) FROM articles").fetchone()[0] == n + 1


def test_jsonl_round_trip_is_lossless(archive, tmp_path):
    archive.articles.store(dien_chau(), seen_at="2026-01-01T00:00:00Z")
    archive.articles.store(dien_chau(sapo="Lead đã sửa."), seen_at="2026-01-02T00:00:00Z")
    for i in range(5):
        archive.articles.store(synthetic(i), seen_at="2026-01-03T00:00:00Z")
    first = io.StringIO()
    assert export_jsonl(archive, first) == 6
    other = Archive(tmp_path / "other.db")
    import_jsonl(other, io.StringIO(first.getvalue()))
    import_jsonl(other, io.StringIO(first.getvalue()))  # idempotent
    second = io.StringIO()
    export_jsonl(other, second)
    assert second.getvalue() == first.getvalue()
    record = json.loads(first.getvalue().splitlines()[0])
    assert [v["version"] for v in record["versions"]] == [1, 2]


def test_csv_export(archive):
    archive.articles.store(dien_chau())
    out = io.StringIO()
    assert export_csv(archive, out) == 1
    header, row = out.getvalue().splitlines()[:2]
    assert header.startswith("id,url,site,title") and "Diễn Châu" in row


def test_warc_export_is_readable_by_warcio(archive):
    from warcio.archiveiterator import ArchiveIterator

    body = "<html><body>Diễn Châu</body></html>".encode()
    archive.pages.add(Page("https://baonghean.vn/a-10304595.html", body, status=200,
                          headers={"content-type": "text/html; charset=utf-8"},
                          fetched_at="2026-03-08T01:02:03Z"))
    out = io.BytesIO()
    assert export_warc(archive, out) == 1
    records = [(r.rec_headers.get_header("WARC-Target-URI"),
                r.rec_headers.get_header("WARC-Date"), r.content_stream().read())
               for r in ArchiveIterator(io.BytesIO(out.getvalue()))]
    assert records == [("https://baonghean.vn/a-10304595.html", "2026-03-08T01:02:03Z", body)]


def test_a_query_matching_very_many_articles_is_ranked_among_the_newest(tmp_path,
                                                                         monkeypatch):
    """bm25 over every match of two common syllables takes seconds at a million articles:
    above NEWEST matches, the most recently archived NEWEST are ranked. A filter applies
    before the cutoff, so an old date range still finds old articles."""
    from bench.synthetic import article
    from newsarchive.archive import search as search_module
    from newsarchive.archive.search import ranked_ids

    archive = Archive(tmp_path / "a.db")
    archive.articles.store_many([article(i) for i in range(200)])
    everything = ranked_ids(archive.db, "va", limit=1000)[1]
    assert len(everything) > 100
    monkeypatch.setattr(search_module, "NEWEST", 50)
    newest = ranked_ids(archive.db, "va", limit=1000)[1]
    assert len(newest) == 50
    assert min(i for i, _ in newest) == sorted(i for i, _ in everything)[-50]
    assert [i for i, _ in newest] == [i for i, _ in everything if i in dict(newest)]
    early = ranked_ids(archive.db, "va", until="2026-01-01T10:00:00Z", limit=1000)[1]
    assert early and max(i for i, _ in early) < min(i for i, _ in newest)


def test_a_plain_query_ranks_only_its_page_and_agrees_with_find(archive):
    """`search` of one alternative without filters ranks the page it shows; the same
    articles in the same order as `find`, equal ranks (identical articles) included."""
    from newsarchive.archive.search import find

    for i in range(30):
        archive.articles.store(dien_chau(url=f"https://baonghean.vn/same-{i}.html"))
        archive.articles.store(synthetic(i))
    for query in ("dien chau", "dai dien chau", "doi moi", "chau*", "xa dien lam"):
        for offset in (0, 7, 25):
            fast = [h.id for h in search(archive.db, query, limit=7, offset=offset)]
            full = [h["id"] for h in find(archive.db, query, limit=7, offset=offset).hits]
            assert fast == full and (fast or offset), (query, offset)


def test_totals_count_articles_and_the_raw_pages_apart(archive):
    """`reparse` tells an import (articles without their pages) from an empty archive."""
    assert archive.totals() == (0, 0)
    archive.articles.store(dien_chau(), seen_at="2026-03-07T02:00:00Z")  # as an import does
    assert archive.totals() == (1, 0)
    archive.store_page(Page("https://baonghean.vn/b-2.html", b"<html>not news</html>",
                            fetched_at="2026-03-08T00:00:00Z"), None)
    assert archive.totals() == (1, 1)
