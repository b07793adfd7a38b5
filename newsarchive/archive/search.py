"""Full-text search that ignores diacritics: `dien chau`, `Diễn Châu` and `DIEN CHAU`
find the same articles, and `dai` finds `Đài`.

A query of several syllables is tried in three tiers, narrowest first, and the first
that finds anything is ranked (bm25, title weighted up):
1. `phrase`: the syllables in order, as Vietnamese writes a word (`dien chau` is the
   place, not two syllables anywhere); matched on the pairs index.
2. `pairs`: every word of the query present, ranked by the neighbouring pairs of it an
   article shares (`xa thao dong moi` -> `xã Thảo Đông` ... `mới`). The best
   `CANDIDATES` articles by shared pairs are checked for every word.
3. `all`: every word anywhere (also the only tier for one word or a prefix `chau*`).

A query as people type it (`"gia vang" OR thue -mieng`) is read by `parse`, once for the
command line (`search`) and the web (`find`, which the reader's page calls), so both find
the same articles in the same order; `Filters` are the same for both too (days in
Vietnam time, both ends included).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import sqlite_utils

from ..ground.fold import fts_query, highlight, mentions, mentions_all
from . import places
from .migrations import FTS_COLUMNS
from .stories import first_of_each

# bm25 weights, in the FTS column order (title, sapo, body, authors, tags): the headline
# counts most, then the lead.
WEIGHTS = "10.0, 4.0, 1.0, 3.0, 3.0"
# Tier 2 checks this many articles sharing pairs with the query, best first.
CANDIDATES = 500
# A query matching more articles is ranked among its NEWEST most recently archived
# matches: bm25 reads the positions of every match, and two common syllables match most
# of an archive (README, "The archive": bench/archive.py). Finding the cutoff walks
# the index in rowid order and reads no positions.
NEWEST = 5000
# The searchable text of an article, as one string (tier 2 checks it for every word).
TEXT = " || char(10) || ".join(f"coalesce({c}, '')" for c in FTS_COLUMNS)
TIERS = (("phrase", "articles_pairs"), ("pairs", "articles_pairs"), ("all", "articles_fts"))


@dataclass
class Hit:
    id: int
    site: str
    url: str
    title: str | None
    published_at: str | None
    snippet: str
    rank: float


def tiers(query: str) -> list[tuple[str, str, str]]:
    """(mode, FTS table, MATCH expression) for each tier that applies to `query`."""
    out = [(mode, table, expr) for mode, table in TIERS if (expr := fts_query(query, mode))]
    if not out:
        raise ValueError("empty search query")
    return out


def _filters(site: str | None, since: str | None, until: str | None
             ) -> tuple[list[str], list[str]]:
    where, params = [], []
    for clause, value in (("a.site = ?", site), ("a.published_utc >= ?", since),
                          ("a.published_utc < ?", until)):
        if value:
            where.append(clause)
            params.append(value)
    return where, params


def _ranked(db: sqlite_utils.Database, table: str, expression: str,
            filters: tuple[list[str], list[str]], limit: int) -> list[tuple[int, float]]:
    """(article id, rank) best first; ranked on the index alone, joined to the articles
    only when a filter needs them; among the NEWEST most recently archived matches."""
    where, params = filters
    join = f" JOIN articles a ON a.id = {table}.rowid" if where else ""
    match = " AND ".join([f"{table} MATCH ?", *where])
    cutoff = db.execute(f"SELECT {table}.rowid FROM {table}{join} WHERE {match} "
                        f"ORDER BY {table}.rowid DESC LIMIT 1 OFFSET ?",
                        [expression, *params, NEWEST - 1]).fetchone()
    sql = (f"SELECT {table}.rowid, bm25({table}, {WEIGHTS}) AS rank FROM {table}{join} "
           f"WHERE {match} AND {table}.rowid >= ? ORDER BY rank, {table}.rowid LIMIT ?")
    return db.execute(sql, [expression, *params, cutoff[0] if cutoff else 0, limit]).fetchall()


def _with_every_word(db: sqlite_utils.Database, query: str,
                     candidates: list[tuple[int, float]], wanted: int
                     ) -> list[tuple[int, float]]:
    """The first `wanted` candidates (in their order) whose text has every word."""
    kept: list[tuple[int, float]] = []
    for i in range(0, len(candidates), 50):
        chunk = candidates[i:i + 50]
        texts = dict(db.execute(
            f"SELECT id, {TEXT} FROM articles WHERE id IN ({', '.join('?' * len(chunk))})",
            [c[0] for c in chunk]).fetchall())
        kept += [c for c in chunk if mentions_all(texts.get(c[0]) or "", query)]
        if len(kept) >= wanted:
            break
    return kept[:wanted]


def ranked_ids(db: sqlite_utils.Database, query: str, *, site: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = 20,
               offset: int = 0) -> tuple[str, list[tuple[int, float]]]:
    """(tier, [(article id, rank)]) for one page of results: the first tier that finds
    anything decides every page."""
    filters = _filters(site, since, until)
    for mode, table, expression in tiers(query):
        if mode == "pairs":  # the best candidates, then those that have every word
            candidates = _ranked(db, table, expression, filters, CANDIDATES)
            found = _with_every_word(db, query, candidates, offset + limit)
        else:
            found = _ranked(db, table, expression, filters, offset + limit)
        if found:
            return mode, found[offset:]
    return "all", []


# --- A reader's query: `OR` between alternatives, `-word` to leave out, facets, sorting.

# The most matches a reader's search considers (per alternative); counts above it are
# reported as "at least".
READER_LIMIT = 5000
FACETS = ("site", "province", "place", "section", "year", "month")
SORTS = ("relevance", "newest", "oldest")
SNIPPET = 240  # characters of text around the first hit
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')


@dataclass
class Query:
    """A reader's query parsed: alternatives (each searched as the library searches a
    query) and words whose articles are left out."""
    alternatives: list[str]
    excluded: list[str]

    @property
    def positive(self) -> str:
        """Every wanted word, for highlighting."""
        return " ".join(self.alternatives)


def parse(query: str) -> Query:
    """`gia OR vang -"the gioi"` -> alternatives [`gia`, `vang`], excluded [`"the gioi"`].
    `OR` must be written in capitals (as in Trove and Google); a lone `-` is ignored."""
    alternatives, current, excluded = [], [], []
    for token in _TOKEN.findall(query or ""):
        if token == "OR":
            alternatives.append(" ".join(current))
            current = []
        elif token.startswith("-") and len(token) > 1:
            excluded.append(token[1:])
        elif token != "-":
            current.append(token)
    alternatives.append(" ".join(current))
    return Query([a for a in alternatives if fts_query(a, "all")],
                 [e for e in excluded if fts_query(e, "all")])


class BadFilter(ValueError):
    """A filter that cannot be met as written (`since` after `until`, a place that is no
    unit's code): the command line's usage error, the web's 400."""


@dataclass
class Filters:
    """What a reader narrowed the results to; empty fields do not filter. Dates are days
    as the paper dated the article (Vietnam time), both ends included."""
    site: str = ""
    province: str = ""
    section: str = ""
    year: str = ""
    month: str = ""   # YYYY-MM
    since: str = ""   # YYYY-MM-DD, inclusive, Vietnam time
    until: str = ""   # YYYY-MM-DD, inclusive
    place: str = ""   # a unit's code: articles naming it, its former units or within it

    def __post_init__(self) -> None:
        if self.place and not places.CODE.fullmatch(self.place):
            raise BadFilter(f"place: a unit's code such as p34-40 or c34-17395, not "
                            f"{self.place!r}")
        if self.since and self.until and self.since > self.until:
            raise BadFilter(f"since {self.since} is after until {self.until}: no day is "
                            "in that range")

    @property
    def narrowing(self) -> bool:
        """Does any field filter?"""
        return any(vars(self).values())

    def keep(self, row: dict) -> bool:
        day = (row.get("published_at") or "")[:10]
        return all((
            not self.place or self.place in row.get("place_codes", ()),
            not self.site or row["site"] == self.site,
            not self.province or row["province"] == self.province,
            not self.section or row["section"] == self.section,
            not self.year or day[:4] == self.year,
            not self.month or day[:7] == self.month,
            not self.since or (day and day >= self.since),
            not self.until or (day and day <= self.until),
        ))


@dataclass
class Results:
    tier: str                          # phrase, pairs, all, "any" (an OR query) or
                                       # "filters" (no words: the filters' newest)
    total: int
    capped: bool                       # more matched than READER_LIMIT
    hits: list[dict]                   # one page, with snippets marked \x02..\x03
    facets: dict[str, list[tuple[str, int]]]
    months: list[tuple[str, int]]      # (YYYY-MM, matches), oldest first
    place_names: dict[str, str]        # today's unit code -> its name (and the names then)


def matches(db: sqlite_utils.Database, query: Query, filters: Filters | None = None
            ) -> tuple[str, list[tuple[int, float]]]:
    """(tier, [(id, rank)]) best first for every alternative, less the excluded words. A
    query without wanted words lists the `filters`' newest articles (tier `filters`)."""
    if not query.alternatives:
        if filters is None or not filters.narrowing:
            raise ValueError("empty search query")
        tier, best = "filters", dict(_newest(db, filters))
    else:
        best = {}
        for alternative in query.alternatives:
            tier, found = ranked_ids(db, alternative, limit=READER_LIMIT)
            for id_, rank in found:
                best[id_] = min(rank, best.get(id_, rank))
        if len(query.alternatives) > 1:
            tier = "any"
    out: set[int] = set()
    for word in query.excluded:
        out.update(r[0] for r in db.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
            [fts_query(word, "all")]).fetchall())
    return tier, sorted(((i, r) for i, r in best.items() if i not in out),
                        key=lambda x: x[1])


def _newest(db: sqlite_utils.Database, filters: Filters) -> list[tuple[int, float]]:
    """The READER_LIMIT newest articles that the paper, place and days of `filters`
    allow, ranked by age (the rest of `filters` is applied by `find`)."""
    where, params = [], {}
    for clause, name in (("site = :site", "site"), ("id IN (" + places.ABOUT + ")", "place"),
                         ("substr(published_at, 1, 10) >= :since", "since"),
                         ("substr(published_at, 1, 10) <= :until", "until")):
        if getattr(filters, name):
            where.append(clause)
            params[name] = getattr(filters, name)
    if "place" in params:
        params["code"] = params.pop("place")
    rows = db.execute(
        f"SELECT id FROM articles WHERE {' AND '.join(where or ['1'])} "
        "ORDER BY published_utc IS NULL, published_utc DESC, id DESC LIMIT :most",
        {**params, "most": READER_LIMIT}).fetchall()
    return [(id_, float(i)) for i, (id_,) in enumerate(rows)]


def _described(db: sqlite_utils.Database, ids: list[int]) -> list[dict]:
    sql = ("SELECT a.id, a.site, coalesce(s.name, a.site) AS paper, s.province, a.section, "
           "a.published_at, a.published_utc FROM articles a LEFT JOIN sites s ON s.id = a.site "
           "WHERE a.id IN (SELECT value FROM json_each(?))")
    cursor = db.execute(sql, [json.dumps(ids)])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _count(rows: list[dict], key) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for row in rows:
        value = key(row)
        if value:
            counts[value] = counts.get(value, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def one_line(text: str) -> str:
    """Paragraphs (one a line) joined by a space, as a browser shows them: a snippet
    never runs `ngày 5-3.` into `Cục Thuế`."""
    return " ".join(text.split())


def find(db: sqlite_utils.Database, query: str, filters: Filters | None = None, *,
         sort: str = "relevance", limit: int = 20, offset: int = 0,
         stories: bool = False, facets: bool = True) -> Results:
    """A reader's search: every match (up to READER_LIMIT per alternative), filtered,
    counted by facet and month (unless not `facets`: the command line shows none),
    sorted, and one page of it with snippets. `stories`: one result per story, its
    first published copy (archive/stories.py), counted once."""
    parsed = parse(query)
    filters = filters or Filters()
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    tier, ranked = matches(db, parsed, filters)
    rank_of = dict(ranked)
    placed = places.of_articles(db.conn, list(rank_of)) if facets or filters.place else {}
    rows = []
    for row in _described(db, list(rank_of)):
        row["places"] = placed.get(row["id"], [])
        row["place_codes"] = set().union(*(p["codes"] for p in row["places"]))
        if filters.keep(row):
            rows.append(row)
    if stories:
        rows = first_of_each(db.conn, rows)
    for row in rows:
        row["rank"] = rank_of[row["id"]]
        row["year"] = (row["published_at"] or "")[:4]
        row["month"] = (row["published_at"] or "")[:7]
    counts: dict[str, list[tuple[str, int]]] = {}
    place_names: dict[str, str] = {}
    if facets:
        counts = {f: _count(rows, lambda r, f=f: r[f]) for f in FACETS if f != "place"}
        counts["place"], place_names = _place_facet(rows)
    if sort == "relevance":
        rows.sort(key=lambda r: (r["rank"], r["id"]))
    else:
        dated = sorted((r for r in rows if r["published_utc"]),
                       key=lambda r: r["published_utc"], reverse=sort == "newest")
        rows = dated + [r for r in rows if not r["published_utc"]]
    page = _snippets(db, rows[offset:offset + limit], parsed.positive)
    return Results(tier, len(rows), len(ranked) >= READER_LIMIT, page, counts,
                   sorted(counts.get("month", [])), place_names)


def _snippets(db: sqlite_utils.Database, page: list[dict], positive: str) -> list[dict]:
    """`page`'s rows (each with its `id`) with their site, date, url, title and a
    snippet around `positive`'s words, marked \x02..\x03."""
    texts = {r[0]: r[1:] for r in db.execute(
        "SELECT id, site, published_at, url, title, sapo, body_text FROM articles "
        "WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps([r["id"] for r in page])]).fetchall()}
    for row in page:
        site, published, url, title, sapo, body = texts[row["id"]]
        text = next((t for t in (sapo, body) if t and mentions(t, positive)),
                    sapo or body or "")
        row.update(site=site, published_at=published, url=url, title=title,
                   snippet=highlight(one_line(text), positive, "\x02", "\x03",
                                     width=SNIPPET))
    return page


def _place_facet(rows: list[dict]) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """Articles per today's unit named, and each unit's name with the names the articles
    used then (`Xã Hùng Châu (Xã Diễn Lâm)`)."""
    counts: dict[str, int] = {}
    now: dict[str, str] = {}
    then: dict[str, set[str]] = {}
    for row in rows:
        for code in {p["now_code"] for p in row["places"]}:
            counts[code] = counts.get(code, 0) + 1
        for p in row["places"]:
            now[p["now_code"]] = p["name_now"]
            if p["name_then"] and p["name_then"] != p["name_now"]:
                then.setdefault(p["now_code"], set()).add(p["name_then"])
    names = {code: now[code] + (f" ({', '.join(sorted(then[code]))})" if code in then else "")
             for code in counts}
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])), names


def search(db: sqlite_utils.Database, query: str, filters: Filters | None = None, *,
           sort: str = "relevance", limit: int = 20, offset: int = 0,
           marks: tuple[str, str] = ("[", "]")) -> list[Hit]:
    """`find`'s page of hits as `Hit`s, their hits marked with `marks`: what the command
    line prints, the same articles in the same order as the reader's search page. A
    plain query (one alternative, nothing left out, no filter) ranks only the page it
    shows: the first of `find`'s ranking, without reading its 5,000 matches."""
    parsed = parse(query)
    if (sort == "relevance" and len(parsed.alternatives) == 1 and not parsed.excluded
            and not (filters and filters.narrowing)):
        _, ranked = ranked_ids(db, parsed.alternatives[0], limit=limit, offset=offset)
        rows = [dict(zip(("id", "rank"), r, strict=True)) for r in ranked]
        hits = _snippets(db, rows, parsed.positive)
    else:
        hits = find(db, query, filters, sort=sort, limit=limit, offset=offset,
                    facets=False).hits
    return [Hit(h["id"], h["site"], h["url"], h["title"], h["published_at"],
                h["snippet"].replace("\x02", marks[0]).replace("\x03", marks[1]), h["rank"])
            for h in hits]
