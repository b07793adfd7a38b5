"""Trends: exact counts per period, checked against direct SQL on the same archive, and
the share's denominator against the archive's totals."""

from __future__ import annotations

import pytest

from newsarchive.archive import Archive
from newsarchive.archive.search import READER_LIMIT, Filters, find
from newsarchive.archive.trends import LITTLE, MAX_QUERIES, Period, bounds, compare
from tests.support.fixtures import registry
from tests.support.records import story


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    archive = Archive(tmp_path_factory.mktemp("trends") / "archive.db")
    archive.runs.sync_sites(s.row() for s in registry())
    stories = []
    for i in range(60):  # gold in Nghệ An (two a month), floods in Lào Cai in autumn
        stories.append(story(i, "baonghean", f"Giá vàng tuần {i}",
                             "Giá vàng tăng. Người dân mua vàng.",
                             day=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"))
    for i in range(60, 70):
        stories.append(story(i, "baolaocai", "Mưa lũ ở Lào Cai",
                             "Lũ lụt gây thiệt hại, giá vàng không đổi.",
                             day=f"2025-{9 + i % 3:02d}-0{1 + i % 9}", section="Xã hội"))
    for i in range(70, 75):  # neither word
        stories.append(story(i, "baonghean", "Bóng đá", "Đội nhà thắng.", "2025-03-15"))
    undated = story(75, "baonghean", "Vàng bạc", "Giá vàng.", "2025-03-16")
    undated.published_at = None
    stories.append(undated)
    for art in stories:
        archive.articles.store(art)
    yield archive.db
    archive.close()


def _sql(db, where: str, params=()) -> dict[str, int]:
    return dict(db.execute(f"SELECT substr(published_at, 1, 7) m, count(*) FROM articles "
                           f"WHERE published_at IS NOT NULL AND {where} GROUP BY m",
                           params).fetchall())


def test_counts_every_match_per_month_as_direct_sql_does(db):
    trend = compare(db, ["gia vang", "lu lut"], period="month")
    gold, flood = trend.series
    assert gold.tier == "phrase" and flood.tier == "phrase"
    fts = ("id IN (SELECT rowid FROM articles_pairs WHERE articles_pairs MATCH ?)")
    assert {p.period: p.matches for p in gold.points if p.matches} == _sql(db, fts,
                                                                            ['"gia_vang"'])
    assert {p.period: p.matches for p in flood.points if p.matches} == _sql(db, fts,
                                                                             ['"lu_lut"'])
    assert gold.matches == 70  # the undated one is in no period
    assert trend.periods == [f"2025-{m:02d}" for m in range(1, 13)]


def test_the_share_is_over_every_dated_article_of_the_period_and_scope(db):
    trend = compare(db, ["lu lut"], period="year")
    (point,) = trend.series[0].points
    assert point.total == db.execute(
        "SELECT count(*) FROM articles WHERE published_at IS NOT NULL").fetchone()[0] == 75
    assert point.share == pytest.approx(10 / 75)
    scoped = compare(db, ["lu lut"], Filters(site="baolaocai"), "year").series[0].points[0]
    assert (scoped.matches, scoped.total, scoped.share) == (10, 10, 1.0)
    assert scoped.little and LITTLE > 10


def test_filters_are_the_searchs(db):
    scope = Filters(province="Nghệ An", since="2025-03-01", until="2025-03-31")
    point = compare(db, ["vang"], scope, "month").series[0].points[0]
    assert (point.period, point.matches) == ("2025-03", find(db, "vang", scope).total)
    assert point.total == 5 + 5  # five gold stories and five football ones


def test_days_and_weeks_with_gaps_filled_and_weeks_named_by_monday(db):
    trend = compare(db, ["lu lut"], Filters(site="baolaocai"), "week")
    assert trend.periods[0] == "2025-09-01"  # 2025-09-01 is a Monday
    assert all(p.period >= "2025-09-01" for p in trend.series[0].points)
    days = compare(db, ["lu lut"], Filters(site="baolaocai"), "day")
    assert len(days.periods) == (61 + 9)  # 1 Sep to 9 Nov, the empty days included
    assert sum(p.matches for p in days.series[0].points) == 10


def test_or_and_excluded_words_count_as_the_search_does(db):
    either = compare(db, ["bong da OR lu lut"], period="year").series[0]
    assert either.tier == "any" and either.matches == 15
    without = compare(db, ["vang -lu"], period="year").series[0]
    assert without.matches == 60


def test_counts_are_exact_past_the_searchs_cutoff(db, monkeypatch):
    from newsarchive.archive import search
    monkeypatch.setattr(search, "READER_LIMIT", 3)
    assert find(db, "vang").capped
    assert compare(db, ["vang"], period="year").series[0].matches == 70
    assert READER_LIMIT == 5000


def test_small_multiples_per_province(db):
    trend = compare(db, ["gia vang"], period="year", by="province")
    shares = {s.group: (s.points[0].matches, s.points[0].total) for s in trend.series}
    assert shares == {"Nghệ An": (60, 65), "Lào Cai": (10, 10)}


@pytest.mark.parametrize("queries, period, by, message", [
    ([], "month", None, "no query"),
    (["a"] * (MAX_QUERIES + 1), "month", None, "at most 5"),
    (["a", "b"], "month", "site", "one query"),
    (["a"], "fortnight", None, "fortnight"),
    (["a"], "month", "district", "district"),
    (["-only"], "month", None, "nothing to search"),
])
def test_mistakes_are_value_errors(db, queries, period, by, message):
    with pytest.raises(ValueError, match=message):
        compare(db, queries, period=period, by=by)


def test_an_empty_scope_has_no_periods(db):
    trend = compare(db, ["vang"], Filters(site="nosuchpaper"))
    assert trend.periods == [] and trend.series[0].points == []


@pytest.mark.parametrize("period, key, first, last", [
    ("day", "2024-02-29", "2024-02-29", "2024-02-29"),
    ("week", "2024-12-30", "2024-12-30", "2025-01-05"),
    ("month", "2024-02", "2024-02-01", "2024-02-29"),
    ("month", "2024-12", "2024-12-01", "2024-12-31"),
    ("year", "2024", "2024-01-01", "2024-12-31"),
])
def test_bounds_of_a_period(period, key, first, last):
    assert bounds(Period(period), key) == (first, last)


@pytest.mark.parametrize("query", ["vang", "vang -lu", "bong da OR lu lut"])
@pytest.mark.parametrize("by", [None, "site", "province"])
@pytest.mark.parametrize("period", list(Period))
def test_matches_read_by_id_or_walked_count_the_same(db, monkeypatch, by, period, query):
    from newsarchive.archive import trends

    scope = Filters(since="2025-02-10", until="2025-10-20")
    monkeypatch.setattr(trends, "LOOKUP_COST", 10**9)  # always walked
    walked = compare(db, [query], scope, period, by)
    monkeypatch.setattr(trends, "LOOKUP_COST", 1e-9)  # always read by id
    read = compare(db, [query], scope, period, by)
    assert walked == read and sum(s.matches for s in read.series) > 0
    if query != "vang":
        return
    assert sum(s.matches for s in read.series) == db.execute(
        "SELECT count(*) FROM articles WHERE substr(published_at, 1, 10) BETWEEN "
        "'2025-02-10' AND '2025-10-20' AND id IN (SELECT rowid FROM articles_fts "
        "WHERE articles_fts MATCH 'vang')").fetchone()[0]


@pytest.mark.parametrize("cost", [1e-9, 10**9])
def test_periods_are_vietnam_time_at_their_edges(tmp_path, monkeypatch, cost):
    from newsarchive.archive import trends

    monkeypatch.setattr(trends, "LOOKUP_COST", cost)
    archive = Archive(tmp_path / "edges.db")
    for i, stamp in enumerate(("2025-02-28T23:50:00+07:00", "2025-03-01T00:10:00+07:00",
                               "2025-03-31T23:59:59+07:00", "2025-04-01T06:59:59+07:00")):
        art = story(i, "baonghean", "Giá vàng", "Giá vàng.", "2025-01-01")
        art.published_at = stamp
        archive.articles.store(art)
    trend = compare(archive.db, ["gia vang"], Filters(since="2025-03-01"), "month")
    assert [(p.period, p.matches, p.total) for p in trend.series[0].points] == [
        ("2025-03", 2, 2), ("2025-04", 1, 1)]
    days = compare(archive.db, ["gia vang"], Filters(until="2025-03-01"), "day")
    assert [(p.period, p.matches) for p in days.series[0].points] == [
        ("2025-02-28", 1), ("2025-03-01", 1)]
    archive.close()


def test_an_archive_from_before_m013_reads_matches_from_its_new_index(tmp_path, monkeypatch):
    """An archive written before `articles_dated` existed is upgraded (M013), and the
    matches read by id come from that index, not from the rows, with the same counts."""
    import sqlite3

    import sqlite_utils

    from newsarchive.archive import trends
    from newsarchive.archive.db import register_functions
    from newsarchive.archive.migrations import LATEST, migrate, version

    conn = sqlite3.connect(tmp_path / "old.db")
    register_functions(conn)
    old = sqlite_utils.Database(conn)
    migrate(old, target=12)
    for i in range(12):  # an Archive over a Database object stores without migrating
        Archive(old).articles.store(story(i, "baonghean", "Giá vàng", "Giá vàng tăng.",
                                          f"2025-{1 + i:02d}-05"))
    conn.close()
    archive = Archive(tmp_path / "old.db")
    assert version(archive.db) == LATEST
    assert "articles_dated" in {i.name for i in archive.db["articles"].indexes}
    plan = " ".join(str(r) for r in archive.conn.execute(
        "EXPLAIN QUERY PLAN SELECT a.site, a.published_utc FROM articles a INDEXED BY "
        "articles_dated WHERE a.id IN (1, 2) AND a.published_utc >= ''"))
    assert "COVERING INDEX articles_dated" in plan
    monkeypatch.setattr(trends, "LOOKUP_COST", 1e-9)  # always read by id
    read = compare(archive.db, ["gia vang"], None, "month")
    monkeypatch.setattr(trends, "LOOKUP_COST", 10**9)  # always walked
    assert read == compare(archive.db, ["gia vang"], None, "month")
    assert [p.matches for p in read.series[0].points] == [1] * 12
    archive.close()
