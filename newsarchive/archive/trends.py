"""Attention over time: how many articles match each of a few queries per day, week,
month or year, beside how many articles the archive holds in that period and scope (the
denominator of the share).

A query is matched as the reader's search matches it (`search.parse`: `OR` between
alternatives, `-word` left out; each alternative in the first tier that finds anything
in the archive: phrase, then every word with a neighbouring pair, then every word), but
every match is counted: the search's ranking cutoff (`READER_LIMIT`) does not apply.
Periods are calendar periods of the publication date as the paper printed it (Vietnam
time, `published_at`); undated articles are in no period. Weeks start on Monday and are
named by that day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

import sqlite_utils

from ..ground.fold import fts_query
from .places import ABOUT
from .search import Filters, parse, tiers

MAX_QUERIES = 5
MAX_PERIODS = 4000   # a day per point over eleven years: past it, a longer period
LITTLE = 20          # a period with fewer articles in scope gives a share to distrust


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class By(StrEnum):
    """What small multiples are drawn for: one panel per paper or per province."""
    SITE = "site"
    PROVINCE = "province"


_DAY = "substr(a.published_at, 1, 10)"
KEY = {Period.DAY: _DAY, Period.WEEK: f"date({_DAY}, '-6 days', 'weekday 1')",
       Period.MONTH: "substr(a.published_at, 1, 7)",
       Period.YEAR: "substr(a.published_at, 1, 4)"}
# ASCII digits only: `\d` takes `٣`
_YMD = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
SHAPE = {Period.DAY: re.compile(_YMD), Period.WEEK: re.compile(_YMD),
         Period.MONTH: re.compile("[0-9]{4}-(0[1-9]|1[0-2])"), Period.YEAR: re.compile("[0-9]{4}")}
GROUP = {None: "''", By.SITE: "a.site", By.PROVINCE: "coalesce(s.province, '')"}


@dataclass(frozen=True)
class Point:
    period: str
    matches: int
    total: int       # every dated article of the scope (and group) in the period

    @property
    def share(self) -> float | None:
        return self.matches / self.total if self.total else None

    @property
    def little(self) -> bool:
        """Too few articles in the period for its share to mean much."""
        return self.total < LITTLE


@dataclass
class Series:
    query: str
    group: str       # the paper or province of a small multiple; "" for the whole scope
    tier: str        # how the query matched: phrase, pairs, all, any (an OR query)
    points: list[Point] = field(default_factory=list)

    @property
    def matches(self) -> int:
        return sum(p.matches for p in self.points)


@dataclass
class Trend:
    period: Period
    periods: list[str]   # every period from the scope's first to its last, gaps included
    series: list[Series]


def compare(db: sqlite_utils.Database, queries: list[str], scope: Filters | None = None,
            period: Period | str = Period.MONTH, by: By | str | None = None) -> Trend:
    """Every match of each query per period in `scope`, beside the scope's total; with
    `by`, one series per paper or province (for one query). ValueError for a mistake."""
    period, scope = Period(period), scope or Filters()
    by = By(by) if by else None
    queries = [q.strip() for q in queries if q and q.strip()]
    if not queries:
        raise ValueError("no query: give at least one")
    if len(queries) > MAX_QUERIES:
        raise ValueError(f"at most {MAX_QUERIES} queries side by side, not {len(queries)}")
    if by and len(queries) > 1:
        raise ValueError("small multiples per paper or province are drawn for one query")
    where, params = _scope(scope)
    totals = _counts(db, period, by, where, params)
    keys = _periods(period, {p for _, p in totals})
    series = []
    for n, query in enumerate(queries):
        tier, matched, found = _matched(db, query, f"q{n}")
        counts = _counts(db, period, by, [*where, f"a.id IN ({matched})"], {**params, **found})
        groups = sorted({g for g, _ in totals}) if by else [""]
        for group in groups:
            series.append(Series(query, group, tier, [
                Point(k, counts.get((group, k), 0), totals.get((group, k), 0))
                for k in keys]))
    return Trend(period, keys, series)


def in_scope(db: sqlite_utils.Database, query: str, scope: Filters | None = None
             ) -> tuple[str, dict]:
    """(SQL selecting `a.id` of every article of the scope matching `query`, its
    parameters): what an export of the scope holds. An empty query takes the whole scope,
    undated articles too unless a date narrows it."""
    where, params = _scope(scope or Filters(), dated=False)
    if query.strip():
        _, matched, found = _matched(db, query, "q")
        where.append(f"a.id IN ({matched})")
        params.update(found)
    return ("SELECT a.id FROM articles a LEFT JOIN sites s ON s.id = a.site"
            + (f" WHERE {' AND '.join(where)}" if where else "")), params


def _scope(scope: Filters, dated: bool = True) -> tuple[list[str], dict]:
    """SQL conditions on `articles a` (joined to `sites s`) for the reader's filters;
    `dated`: only articles with a publication date."""
    tests = {"site": "a.site = :site", "province": "s.province = :province",
             "section": "a.section = :section", "year": "substr(a.published_at, 1, 4) = :year",
             "month": "substr(a.published_at, 1, 7) = :month",
             "since": f"{_DAY} >= :since", "until": f"{_DAY} <= :until",
             "place": f"a.id IN ({ABOUT.replace(':code', ':place')})"}
    where = ["a.published_at IS NOT NULL"] if dated else []
    params = {}
    for name, test in tests.items():
        if value := getattr(scope, name):
            where.append(test)
            params[name] = value
    return where, params


def _counts(db: sqlite_utils.Database, period: Period, by: By | None, where: list[str],
            params: dict) -> dict[tuple[str, str], int]:
    """{(group, period): articles} for the conditions."""
    sql = (f"SELECT {GROUP[by]} AS g, {KEY[period]} AS p, count(*) FROM articles a "
           f"LEFT JOIN sites s ON s.id = a.site WHERE {' AND '.join(where)} GROUP BY g, p")
    return {(g, p): n for g, p, n in db.execute(sql, params).fetchall()
            if _readable(period, p)}


def _readable(period: Period, key: str | None) -> bool:
    """Is `key` a period's name? A date stored unreadable is in no period."""
    if not key or not SHAPE[period].fullmatch(key):
        return False
    try:
        return period in (Period.MONTH, Period.YEAR) or bool(date.fromisoformat(key))
    except ValueError:
        return False


def _matched(db: sqlite_utils.Database, query: str, name: str) -> tuple[str, str, dict]:
    """(tier, SQL of the ids of every article matching `query`, its parameters, named
    from `name`)."""
    parsed = parse(query)
    if not parsed.alternatives:
        raise ValueError(f"nothing to search for in {query!r}")
    params: dict[str, str] = {}
    selects, tier = [], "any"
    for k, alternative in enumerate(parsed.alternatives):
        tier, sql, found = _alternative(db, alternative, f"{name}_{k}")
        selects.append(sql)
        params.update(found)
    if len(selects) > 1:
        tier = "any"
    sql = " UNION ".join(selects)
    for k, word in enumerate(parsed.excluded):
        sql += f" EXCEPT SELECT rowid FROM articles_fts WHERE articles_fts MATCH :{name}_x{k}"
        params[f"{name}_x{k}"] = fts_query(word, "all")
    return tier, sql, params


def _alternative(db: sqlite_utils.Database, text: str, name: str) -> tuple[str, str, dict]:
    """The first tier of the search that finds anything in the archive, as SQL."""
    every = fts_query(text, "all")
    sql, params = "", {}
    for mode, table, expression in tiers(text):
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH :{name}_{mode}"
        params = {f"{name}_{mode}": expression}
        if mode == "pairs":  # a neighbouring pair and every word
            sql += f" INTERSECT SELECT rowid FROM articles_fts WHERE articles_fts MATCH :{name}"
            params[name] = every
        if db.execute(f"SELECT EXISTS ({sql})", params).fetchone()[0]:
            return mode, sql, params
    return "all", sql, params


def _periods(period: Period, seen: set[str]) -> list[str]:
    """Every period from the first seen to the last, those without articles included."""
    if not seen:
        return []
    first, last = min(seen), max(seen)
    if period is Period.YEAR:
        keys = [str(y) for y in range(int(first), int(last) + 1)]
    elif period is Period.MONTH:
        y0, m0, y1, m1 = int(first[:4]), int(first[5:7]), int(last[:4]), int(last[5:7])
        keys = [f"{k // 12:04d}-{k % 12 + 1:02d}" for k in range(y0 * 12 + m0 - 1, y1 * 12 + m1)]
    else:
        step = 7 if period is Period.WEEK else 1
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        if (end - start).days // step + 1 > MAX_PERIODS:
            raise ValueError(f"more than {MAX_PERIODS:,} {period}s: choose a longer period "
                             "or fewer years")
        keys = [(start + timedelta(days=d)).isoformat()
                for d in range(0, (end - start).days + 1, step)]
    return keys


def bounds(period: Period | str, key: str) -> tuple[str, str]:
    """The first and last day (YYYY-MM-DD) of the period named `key`."""
    period = Period(period)
    if period is Period.DAY:
        return key, key
    if period is Period.WEEK:
        return key, (date.fromisoformat(key) + timedelta(days=6)).isoformat()
    if period is Period.YEAR:
        return f"{key}-01-01", f"{key}-12-31"
    y, m = int(key[:4]), int(key[5:7])
    end = date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)
    return f"{key}-01", end.isoformat()
