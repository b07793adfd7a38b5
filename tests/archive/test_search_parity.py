"""#26 item 6: the command line and the web search alike. `newsarchive search --json`
and the reader's `/search.json`, on the archive the offline Quick start makes (a replay
of the captured pages), give the same articles in the same order for the same query:
tiers, `OR`, `-word`, phrases, no diacritics, days included at both ends, paper and
place filters."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from newsarchive.cli import main
from tests.support.crawling import crawl, rows
from tests.support.datasette import get, published

pytestmark = pytest.mark.slow  # a replayed crawl in a subprocess

# the replay stores one article per paper, in the order the crawl met them: named by paper
ZNEWS_GOLD, DANTRI_GOLD, NLD_TAX = "znews", "dantri", "nld"
# (query, filters, the papers of the articles expected, in order; None: only "the same
# on both")
QUERIES = [
    ("gia vang", {}, [ZNEWS_GOLD, DANTRI_GOLD]),
    ("GIÁ VÀNG", {}, [ZNEWS_GOLD, DANTRI_GOLD]),
    ("vang OR thue", {}, None),
    ("gia vang", {"until": "2025-12-23"}, [ZNEWS_GOLD]),   # 2025-12-23 09:02: included
    ("gia vang", {"since": "2025-12-23", "until": "2025-12-23"}, [ZNEWS_GOLD]),
    ("gia vang", {"since": "2026-03-07"}, [DANTRI_GOLD]),
    ('thue -"ho kinh doanh"', {}, None),
    ('"co phieu"', {}, None),
    ("Cổ phiếu", {}, None),
    ("co phieu", {"site": "vietnamnet"}, None),
    ("chinh sach moi", {}, None),
    ("nang luong trung dong", {}, None),                  # the pairs tier
    ("trieu", {"place": "p34-79"}, None),
    ("", {"place": "p34-79"}, None),                      # no words: the place's newest
    ("ho kinh doanh", {}, None),
    ('vang OR "co phieu" -gia', {}, None),
    ("nha may OR co phieu", {"since": "2026-03-01", "until": "2026-03-07"}, None),
    ("kiem tra thanh tra", {}, None),
    ("dan*", {}, None),                                   # a prefix
    ("tang", {"until": "2026-03-06"}, None),
]


@pytest.fixture(scope="module")
def replayed(tmp_path_factory, fixtures_path):
    db = tmp_path_factory.mktemp("parity") / "archive.db"
    done = crawl("--all", "--replay", str(fixtures_path), "--db", str(db))
    assert db.exists(), done.stderr
    return db


@pytest.fixture(scope="module")
def web(replayed):
    return published(replayed)


def command_line(db, query: str, filters: dict) -> list[dict]:
    options = [x for name, value in filters.items() for x in (f"--{name}", value)]
    result = CliRunner().invoke(main, ["search", query, "--db", str(db), "--json",
                                       "--limit", "20", *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def on_the_web(ds, query: str, filters: dict) -> list[dict]:
    response = get(ds, "/search.json?" + urlencode({"q": query, **filters}))
    assert response.status_code == 200, response.text
    return response.json()["hits"]


def article_of(db, paper: str) -> int:
    return rows(db, "SELECT id FROM articles WHERE site = ?", paper)[0][0]


@pytest.mark.parametrize(("query", "filters", "expected"), QUERIES)
def test_the_command_line_and_the_web_find_the_same(replayed, web, query, filters, expected):
    cli = command_line(replayed, query, filters)
    site = on_the_web(web, query, filters)
    assert [h["id"] for h in cli] == [h["id"] for h in site]
    assert cli, "every query of the list finds something in the replayed archive"
    if expected is not None:
        assert [h["site"] for h in cli] == expected
    assert [h["snippet"].replace("[", "").replace("]", "") for h in cli] == \
        [h["snippet"] for h in site]  # the same snippet, marked differently


def test_or_finds_either_word(replayed):
    found = {h["id"] for h in command_line(replayed, "vang OR thue", {})}
    assert {article_of(replayed, p) for p in (ZNEWS_GOLD, DANTRI_GOLD, NLD_TAX)} <= found
    assert found == {h["id"] for h in command_line(replayed, "vang", {})} | \
        {h["id"] for h in command_line(replayed, "thue", {})}


def test_a_left_out_word_leaves_its_articles_out(replayed):
    found = {h["site"] for h in command_line(replayed, 'thue -"ho kinh doanh"', {})}
    assert found and NLD_TAX not in found


def test_snippets_keep_paragraphs_apart(replayed):
    hit = next(h for h in command_line(replayed, "thue", {}) if h["site"] == NLD_TAX)
    assert "ngày 5-3. Cục [Thuế]" in hit["snippet"] and "\n" not in hit["snippet"]


@pytest.mark.parametrize(("options", "message"), [
    (["--since", "2026-03-08", "--until", "2026-03-01"], "since 2026-03-08 is after until"),
    (["--place", "Nghe An"], "place: a unit's code such as p34-40"),
    ([], "empty search query"),
])
def test_a_query_that_cannot_be_met_is_a_usage_error(replayed, options, message):
    query = "" if not options else "vang"
    result = CliRunner().invoke(main, ["search", query, "--db", str(replayed), *options])
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output
