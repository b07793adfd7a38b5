"""`/words`, `/words.csv` and `/words.json` with Datasette's own client: the scores as the
library and a hand computation give them, every parameter, the links from the trends and
search pages, empty scopes, and every bad or hostile parameter a 400 with a message."""

from __future__ import annotations

import csv
import io
import math
import re
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from newsarchive.archive import Archive
from newsarchive.archive.keywords import keywords
from tests.support.datasette import get, published
from tests.support.fixtures import registry
from tests.support.records import story


# Electricity in Nghệ An in March (10), football in Nghệ An (12) and Lào Cai (8) in April.
@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("words") / "papers.db"
    archive = Archive(path)
    archive.runs.sync_sites(s.row() for s in registry())
    for i in range(10):
        archive.articles.store(story(i, "baonghean", f"Điện lực Nghệ An {i}",
                                      "Cắt điện ở xã Diễn Lâm, trạm biến áp cũ.",
                                      f"2025-03-{1 + i:02d}"))
    for i in range(10, 30):
        archive.articles.store(story(i, "baonghean" if i < 22 else "baolaocai", "Bóng đá",
                                      "Đội nhà thắng trận, cổ động viên vui mừng.",
                                      f"2025-04-{1 + i % 20:02d}"))
    archive.close()
    return path


@pytest.fixture(scope="module")
def ds(archive_path):
    return published(archive_path)


def _json(ds, path: str) -> dict:
    response = get(ds, path)
    assert response.status_code == 200, response.text
    return response.json()


def _g2(a: int, n1: int, b: int, n2: int) -> float:
    cells = [(a, n1 * (a + b)), (n1 - a, n1 * (n1 + n2 - a - b)),
             (b, n2 * (a + b)), (n2 - b, n2 * (n1 + n2 - a - b))]
    return 2 * sum(o * math.log(o * (n1 + n2) / e) for o, e in cells if o)


def test_json_scores_are_the_hand_computed_ones(ds):
    data = _json(ds, "/words.json?q=dien")
    assert (data["matches"], data["scope_articles"], data["baseline_articles"]) == (10, 30, 20)
    assert (data["matches_read"], data["baseline_read"]) == (10, 20)
    words = {w["term"]: w for w in data["words"]}
    assert (words["luc"]["matches"], words["luc"]["baseline"]) == (10, 0)
    assert words["luc"]["g2"] == round(_g2(10, 10, 0, 20), 3)
    assert words["luc"]["direction"] == "over"
    assert words["luc"]["ratio"] == round((10.5 / 10.5) / (0.5 / 20.5), 4)
    pairs = {p["term"]: p for p in data["pairs"]}
    assert {"dien luc", "bien ap", "dien lam", "tram bien"} <= set(pairs)
    assert pairs["bien ap"]["baseline_counted"] == 20


def test_folding_dien_and_dien_with_marks_give_the_same_words(ds):
    plain, marked = _json(ds, "/words.json?q=dien"), _json(ds, "/words.json?q=" + quote("điện"))
    assert plain["words"] == marked["words"] and plain["pairs"] == marked["pairs"]
    assert _json(ds, "/words.json?q=" + quote("ĐIỆN"))["words"] == plain["words"]


def test_csv_has_every_field_and_agrees_with_the_library(ds, archive_path):
    rows = list(csv.DictReader(io.StringIO(get(ds, "/words.csv?q=dien&limit=5").text)))
    assert list(rows[0]) == ["kind", "term", "written", "g2", "direction", "ratio", "matches",
                             "matches_read", "baseline", "baseline_counted", "baseline_basis"]
    assert sum(r["kind"] == "word" for r in rows) <= 5
    archive = Archive(archive_path)
    found = keywords(archive.db, "dien", limit=5)
    archive.close()
    assert [(r["term"], float(r["g2"])) for r in rows if r["kind"] == "word"] == [
        (k.term, round(k.g2, 3)) for k in found.words]


def test_the_page_shows_tables_links_and_what_was_read(ds):
    page = get(ds, "/words?q=dien")
    assert page.status_code == 200
    text = unescape(page.text)
    assert "every matching article" in text and "every one" in text
    assert text.count("<caption>") == 2
    assert 'href="/words.csv?q=dien&direction=over&limit=50"' in text
    link = re.search(r'<a href="(/search\?q=[^"]+)" title="luc">lực</a>', text).group(1)
    assert parse_qs(urlsplit(link).query) == {"q": ['dien "luc"']}
    assert _json(ds, "/search.json?" + urlsplit(link).query)["total"] == 10
    assert "/words?q=dien&direction=under&limit=50" in text


def test_a_word_of_a_query_of_alternatives_links_to_the_word_in_the_scope(ds):
    text = unescape(get(ds, "/words?q=" + quote("luc OR trạm") + "&site=baonghean").text)
    link = re.search(r'<a href="(/search\?q=[^"]+)" title="bien ap">biến áp</a>',
                     text).group(1)
    assert parse_qs(urlsplit(link).query) == {"q": ['"bien ap"'], "site": ["baonghean"]}


def test_direction_and_limit(ds):
    under = _json(ds, "/words.json?q=dien&direction=under&limit=2")
    assert under["direction"] == "under" and len(under["words"]) == 2
    assert all(w["direction"] == "under" and w["matches"] == 0 for w in under["words"])
    assert len(_json(ds, "/words.json?q=dien&limit=1")["pairs"]) == 1


def test_exact_counts_the_baseline_by_the_index_when_it_is_sampled(ds, monkeypatch):
    assert _json(ds, "/words.json?q=dien&exact=1")["words_basis"] == "read"  # all read
    monkeypatch.setattr("newsarchive.archive.keywords.SAMPLE", 10)
    sampled = _json(ds, "/words.json?q=dien")
    assert sampled["words_basis"] == "sample" and 0 < sampled["baseline_read"] <= 10
    page = unescape(get(ds, "/words?q=dien").text)
    assert 'href="/words?q=dien&limit=50&exact=1" class="na-exact-link"' in page
    exact = _json(ds, "/words.json?q=dien&exact=1")
    assert (exact["words_basis"], exact["pairs_basis"]) == ("index", "sample")
    luc = {w["term"]: w for w in exact["words"]}["luc"]
    assert (luc["baseline"], luc["baseline_counted"]) == (0, 20)
    assert luc["g2"] == round(_g2(10, 10, 0, 20), 3)
    assert "counted exactly by the search index" in get(ds, "/words?q=dien&exact=1").text
    narrowed = _json(ds, "/words.json?q=dien&exact=1&site=baonghean")
    assert narrowed["words_basis"] == "sample"  # the index counts the whole archive


def test_scope_parameters_narrow_matches_and_baseline(ds):
    data = _json(ds, "/words.json?q=dien&site=baonghean")
    assert (data["matches"], data["scope_articles"]) == (10, 22)
    assert data["scope"] == {"site": "baonghean"}
    assert _json(ds, "/words.json?q=bong&province=" + quote("Lào Cai"))["matches"] == 8
    assert _json(ds, "/words.json?q=dien&since=2025-03-05&until=2025-04-10")[
        "matches"] == 6
    assert _json(ds, "/words.json?q=bong&month=2025-04")["scope_articles"] == 20
    assert _json(ds, "/words.json?q=bong&year=2025&section=" + quote("Thời sự"))[
        "matches"] == 20


def test_empty_scope_and_no_match_are_explained(ds):
    page = unescape(get(ds, "/words?q=dien&since=2030-01-01").text)
    assert "this scope holds no article" in page
    page = " ".join(unescape(get(ds, "/words?q=khong+co+gi").text).split())
    assert "no article of the 30 in this scope matches" in page
    page = " ".join(unescape(get(ds, "/words?q=dien&since=2025-03-01&until=2025-03-31").text)
                    .split())
    assert "every one of the 10 articles in this scope matches" in page
    assert _json(ds, "/words.json?q=dien&site=baolaocai")["words"] == []
    assert get(ds, "/words.csv?q=dien&site=baolaocai").text.strip().count("\n") == 0


def test_without_a_query_the_page_explains_itself(ds):
    page = get(ds, "/words")
    assert page.status_code == 200 and "Dunning" in page.text


def test_the_trends_and_search_pages_link_to_the_words(ds):
    trends = unescape(get(ds, "/trends?q=dien&site=baonghean").text)
    href = re.search(r'href="(/words\?[^"]+)" class="na-words-link"', trends).group(1)
    assert parse_qs(urlsplit(href).query) == {"q": ["dien"], "site": ["baonghean"]}
    assert get(ds, href).status_code == 200
    search = unescape(get(ds, "/search?q=dien&site=baonghean").text)
    href = re.search(r'href="(/words\?[^"]+)" class="na-words-link"', search).group(1)
    assert parse_qs(urlsplit(href).query) == {"q": ["dien"], "site": ["baonghean"]}


@pytest.mark.parametrize("query, message", [
    ("q=", "q: give the query"),
    ("q=-only", "nothing to search"),
    ("q=" + quote('"'), "nothing to search"),
    ("q=" + "a" * 501, "at most 500"),
    ("q=a&direction=sideways", "direction: one of over, under"),
    ("q=a&exact=yes", "exact: 1 or 0"),
    ("q=a&limit=0", "limit: a number from 1 to 200"),
    ("q=a&limit=201", "limit: a number from 1 to 200"),
    ("q=a&limit=" + quote("٣"), "limit: a number"),
    ("q=a&since=2025-13-01", "since"),
    ("q=a&until=" + quote("２０２５-01-01"), "until"),
    ("q=a&since=2025-05-01&until=2025-01-01", "after until"),
    ("q=a&site=nosuchpaper", "no paper"),
    ("q=a&place=" + quote("<script>"), "place: a unit's code"),
    ("q=a&month=2025-13", "month: YYYY-MM"),
])
def test_bad_parameters_are_400s_that_say_why(ds, query, message):
    for fmt in ("", ".json", ".csv"):
        if fmt == "" and query == "q=":
            continue  # the page without a query is the form
        response = get(ds, f"/words{fmt}?{query}")
        assert response.status_code == 400, (fmt, query, response.text[:300])
        assert message in unescape(response.text), (fmt, query)


@pytest.mark.parametrize("query", ['dien OR "', "NEAR(dien luc)", "dien*", "luc AND -",
                                   "'; DROP TABLE articles; --", "{title}: dien",
                                   "dien" + " OR x" * 60, "\u0000dien", "dien\u202e"])
def test_hostile_queries_never_give_a_500(ds, query):
    for fmt in ("", ".json", ".csv"):
        response = get(ds, f"/words{fmt}?q=" + quote(query))
        assert response.status_code in (200, 400), (fmt, query, response.text[:300])


def test_a_time_limit_too_short_is_a_400_not_a_500(archive_path):
    hurried = published(archive_path, time_limit_ms=1)
    for _ in range(3):  # whichever part runs past 1 ms, the answer says so
        response = get(hurried, "/words.json?q=dien")
        assert response.status_code in (200, 400)
        if response.status_code == 400:
            assert "time limit" in response.text or "took longer" in response.text


def test_the_readme_lists_the_download_fields():
    """"`/words.csv?q=dien` and `/words.json?...` give `kind, term, …`"."""
    from pathlib import Path

    from newsarchive.publish.words import as_csv

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"`/words\.json\?\.\.\.`\s+give\s+`([^`]+)`", readme)
    assert listed, "the README no longer lists the words fields"
    assert [f.strip() for f in listed.group(1).split(",")] == \
        as_csv(None).splitlines()[0].split(",")
