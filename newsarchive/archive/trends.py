"""Attention over time: how many articles match each of a few queries per day, week,
month or year, beside how many articles the archive holds in that period and scope (the
denominator of the share).

A query is matched as the reader's search matches it (`search.parse`: `OR` between
alternatives, `-word` left out; each alternative in the first tier that finds anything
in the archive: phrase, then every word with a neighbouring pair, then every word), but
every match is counted: the search's ranking cutoff (`READER_LIMIT`) does not apply.
Periods are calendar periods of Vietnam time (UTC+7, the date the papers print and the
search's date filters read); undated articles are in no period. Weeks start on Monday
and are named by that day. Each period is a range of `published_utc`, so that the
counting walks the indexes on it (and the paper's) and never reads an article's row
(whose texts make a row span several pages). A query's matches are counted in a walk of
the scope, or, when they are few beside it, have their date read by id from the index
`articles_dated` (id, date, paper, section), not from the row.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

import sqlite_utils

from ..ground.fold import fts_query
from .places import ABOUT
from .search import Filters, parse, tiers

MAX_QUERIES = 5
MAX_PERIODS = 4000   # a day per point over eleven years: past it, a longer period
# Reading a match's date by its id (from `articles_dated`) and putting it in its period
# costs about as much as this many index entries walked: a query matching fewer than
# 1/5 of the articles in scope has its matches read by id, else they are counted in a
# walk. (Read from the row, past its texts, it cost 25.)
LOOKUP_COST = 5
DATED = "INDEXED BY articles_dated"  # where a match's date is read (M013)
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


VIETNAM = timedelta(hours=7)
NEXT = {Period.DAY: lambda d: d + timedelta(days=1),
        Period.WEEK: lambda d: d + timedelta(days=7),
        Period.MONTH: lambda d: date(d.year + d.month // 12, d.month % 12 + 1, 1),
        Period.YEAR: lambda d: date(d.year + 1, 1, 1)}
GROUP = {None: "''", By.SITE: "a.site", By.PROVINCE: "coalesce(s.province, '')"}


def start_of(period: Period, day: date) -> date:
    """The first day of the period that holds `day`."""
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    if period is Period.MONTH:
        return day.replace(day=1)
    if period is Period.YEAR:
        return day.replace(month=1, day=1)
    return day


def name_of(period: Period, first: date) -> str:
    """`2025-03-07` (a day, or the Monday of a week), `2025-03`, `2025`."""
    return first.isoformat()[:{Period.MONTH: 7, Period.YEAR: 4}.get(period, 10)]


def utc(day: date | None) -> str:
    """The archive's UTC stamp at which `day` begins in Vietnam (the day before, 17:00),
    as a bound: "" before every stamp, "~" after every one (None: past 9999)."""
    if day is None:
        return "~"
    if day == date.min:
        return ""
    return (datetime.combine(day, time()) - VIETNAM).strftime("%Y-%m-%dT%H:%M:%S")


def _next(period: Period, first: date) -> date | None:
    try:
        return NEXT[period](first)
    except (OverflowError, ValueError):  # past 9999-12-31
        return None


def vietnam_day(stamp: str | None) -> date | None:
    """The Vietnam date of one of the archive's UTC stamps (None if unreadable)."""
    try:
        return (datetime.fromisoformat((stamp or "").replace("Z", "+00:00"))
                .astimezone(UTC) + VIETNAM).date()
    except (ValueError, OverflowError):
        return None


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
    where, params, low, high = _scope(scope)
    buckets = _buckets(db, period, where, params, low, high)
    groups = _groups(db, by)
    totals = {name: _walk(db, buckets, sites, where, params) for name, sites in groups}
    few = int(sum(sum(counts) for counts in totals.values()) / LOOKUP_COST)
    series = []
    for n, query in enumerate(queries):
        tier, matched, found, ids = _matched(db, query, f"q{n}", few)
        if ids is None:  # many: counted in a walk of the index
            counts = {name: _walk(db, buckets, sites, where, {**params, **found}, matched)
                      for name, sites in groups}
        else:
            counts = _read(db, buckets, groups, where, params, ids, low, high)
        series += [Series(query, name, tier, [
            Point(k, matches, total) for (k, _, _), matches, total
            in zip(buckets, counts[name], totals[name], strict=True)]) for name, _ in groups]
    return Trend(period, [k for k, _, _ in buckets], series)


def in_scope(db: sqlite_utils.Database, query: str, scope: Filters | None = None
             ) -> tuple[str, dict]:
    """(SQL selecting `a.id` of every article of the scope matching `query`, its
    parameters): what an export of the scope holds. An empty query takes the whole scope,
    undated articles too unless a date narrows it."""
    where, params, low, high = _scope(scope or Filters())
    if low or high != "~":
        where += ["a.published_utc >= :lo", "a.published_utc < :hi"]
        params.update(lo=low, hi=high)
    if query.strip():
        _, matched, found, _ = _matched(db, query, "q")
        where.append(f"a.id IN ({matched})")
        params.update(found)
    return ("SELECT a.id FROM articles a"
            + (f" WHERE {' AND '.join(where)}" if where else "")), params


def _scope(scope: Filters) -> tuple[list[str], dict, str, str]:
    """(SQL conditions on `articles a` for the reader's filters but dates, their
    parameters, and the range of `published_utc` the dates allow: [low, high))."""
    tests = {"site": "a.site = :site",
             "province": "a.site IN (SELECT id FROM sites WHERE province = :province)",
             "section": "a.section = :section",
             "place": f"a.id IN ({ABOUT.replace(':code', ':place')})"}
    where, params = [], {}
    for name, test in tests.items():
        if value := getattr(scope, name):
            where.append(test)
            params[name] = value
    first, last = date.min, date.max
    for name in ("year", "month", "since", "until"):
        value = getattr(scope, name)
        if not value:
            continue
        try:
            day = date.fromisoformat({"year": f"{value}-01-01", "month": f"{value}-01"}
                                     .get(name, value))
        except ValueError:
            raise ValueError(f"{name}: not a date: {value!r}") from None
        if name == "until":
            last = min(last, day)
        else:
            first = max(first, day)
        if name in ("year", "month"):
            period = Period.YEAR if name == "year" else Period.MONTH
            after = _next(period, day)
            last = min(last, after - timedelta(days=1) if after else date.max)
    return where, params, utc(first), utc(_next(Period.DAY, last))


def _buckets(db: sqlite_utils.Database, period: Period, where: list[str], params: dict,
             low: str, high: str) -> list[tuple[str, str, str]]:
    """(name, low, high) of every period from the scope's first article to its last,
    those without any included, each a range of `published_utc` within [low, high)."""
    conditions = " AND ".join(["a.published_utc >= :lo", "a.published_utc < :hi", *where])
    first, last = (vietnam_day(db.execute(  # apart: one min() or max() reads one entry
        f"SELECT {end}(a.published_utc) FROM articles a WHERE {conditions}",
        {**params, "lo": low, "hi": high}).fetchone()[0]) for end in ("min", "max"))
    if first is None or last is None:
        return []
    out: list[tuple[str, str, str]] = []
    day: date | None = start_of(period, first)
    while day is not None and day <= last:
        if len(out) == MAX_PERIODS:
            raise ValueError(f"more than {MAX_PERIODS:,} {period}s: choose a longer period "
                             "or fewer years")
        after = _next(period, day)
        out.append((name_of(period, day), max(utc(day), low), min(utc(after), high)))
        day = after
    return out


def _groups(db: sqlite_utils.Database, by: By | None) -> list[tuple[str, list[str] | None]]:
    """(name, its papers) of each small multiple: the whole scope (None: every paper),
    each paper, or each province (its papers; "" for the papers of none)."""
    if by is None:
        return [("", None)]
    sites = [r[0] for r in db.execute("SELECT DISTINCT site FROM articles ORDER BY site")]
    if by is By.SITE:
        return [(site, [site]) for site in sites]
    province = dict(db.execute("SELECT id, province FROM sites").fetchall())
    groups: dict[str, list[str]] = {}
    for site in sites:
        groups.setdefault(province.get(site) or "", []).append(site)
    return sorted(groups.items())


_BUCKETS = ("WITH b(k, lo, hi) AS (SELECT value ->> 0, value ->> 1, value ->> 2 FROM "
            "json_each(:buckets)) ")


def _walk(db: sqlite_utils.Database, buckets: list, sites: list[str] | None,
          where: list[str], params: dict, matched: str = "") -> list[int]:
    """Per period, the articles of the scope (among `sites`), or with `matched` those of
    them it selects: a walk of the index on `published_utc` (or the paper's), where a
    match is a look-up in the matches, not a read of the article's row."""
    conditions = ["a.published_utc >= b.lo", "a.published_utc < b.hi", *where]
    if sites is not None:
        conditions.append("a.site IN (SELECT value FROM json_each(:sites))")
    what = f"coalesce(sum(a.id IN ({matched})), 0)" if matched else "count(*)"
    sql = (f"{_BUCKETS}SELECT (SELECT {what} FROM articles a "
           f"WHERE {' AND '.join(conditions)}) FROM b")
    return [n for (n,) in db.execute(sql, {**params, "buckets": json.dumps(buckets),
                                           "sites": json.dumps(sites)}).fetchall()]


def _read(db: sqlite_utils.Database, buckets: list, groups: list, where: list[str],
          params: dict, ids: list[int], low: str, high: str) -> dict[str, list[int]]:
    """{group: matches per period} of a few matches, their dates read by id and put in
    periods here."""
    group_of = {site: name for name, sites in groups for site in sites or ()}
    lows = [lo for _, lo, _ in buckets]
    counts = {name: [0] * len(buckets) for name, _ in groups}
    rows = db.execute(f"SELECT a.site, a.published_utc FROM articles a {DATED} WHERE "
                      + " AND ".join(["a.id IN (SELECT value FROM json_each(:ids))",
                                      "a.published_utc >= :lo", "a.published_utc < :hi",
                                      *where]),
                      {**params, "ids": json.dumps(ids), "lo": low, "hi": high}).fetchall()
    for site, stamp in rows:
        k = bisect_right(lows, stamp) - 1
        name = group_of.get(site) if groups[0][1] is not None else ""
        if k >= 0 and stamp < buckets[k][2] and name is not None:
            counts[name][k] += 1
    return counts


def _matched(db: sqlite_utils.Database, query: str, name: str, few: int = 0
             ) -> tuple[str, str, dict, list[int] | None]:
    """(tier, SQL of the ids of every article matching `query`, its parameters named
    from `name`, and those ids when they are no more than `few`)."""
    parsed = parse(query)
    if not parsed.alternatives:
        raise ValueError(f"nothing to search for in {query!r}")
    params: dict[str, str] = {}
    selects, tier, ids = [], "any", None
    for k, alternative in enumerate(parsed.alternatives):
        tier, sql, found, ids = _alternative(db, alternative, f"{name}_{k}", few)
        selects.append(sql)
        params.update(found)
    if len(selects) > 1:
        tier = "any"
    sql = " UNION ".join(selects)
    for k, word in enumerate(parsed.excluded):
        sql += f" EXCEPT SELECT rowid FROM articles_fts WHERE articles_fts MATCH :{name}_x{k}"
        params[f"{name}_x{k}"] = fts_query(word, "all")
    if len(selects) > 1 or parsed.excluded:  # overlaps and exclusions: the whole query
        ids = _few(db, sql, params, few)
    return tier, sql, params, ids


def _few(db: sqlite_utils.Database, sql: str, params: dict, few: int) -> list[int] | None:
    """The ids `sql` selects if they are no more than `few` (else None): counted first,
    in SQLite, so that a query with many matches never brings `few` ids into Python."""
    limited = f"SELECT rowid FROM ({sql}) LIMIT :few"
    if db.execute(f"SELECT count(*) FROM ({limited})",
                  {**params, "few": few + 1}).fetchone()[0] > few:
        return None
    return [r[0] for r in db.execute(limited, {**params, "few": few}).fetchall()]


def _alternative(db: sqlite_utils.Database, text: str, name: str, few: int
                 ) -> tuple[str, str, dict, list[int] | None]:
    """The first tier of the search that finds anything in the archive, as SQL, and the
    ids it finds when they are no more than `few`."""
    every = fts_query(text, "all")
    sql, params = "", {}
    for mode, table, expression in tiers(text):
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH :{name}_{mode}"
        params = {f"{name}_{mode}": expression}
        if mode == "pairs":  # a neighbouring pair and every word
            sql += f" INTERSECT SELECT rowid FROM articles_fts WHERE articles_fts MATCH :{name}"
            params[name] = every
        ids = _few(db, sql, params, few)
        if ids != []:  # found some: a few (listed) or many (None)
            return mode, sql, params, ids
    return "all", sql, params, []


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
