"""`/words`: the words of coverage, Media Cloud's way. For one query in a scope (the
search's syntax and filters), the words and two-syllable words most over- (or under-)
represented in its matches against the rest of the scope, with G², the counts on both
sides and their ratio; `/words.csv` and `/words.json`. The counting is
`archive.keywords.keywords`; this module reads the parameters (400 for a bad one, never
a 500) and renders."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import sqlite_utils
from datasette.utils.asgi import BadRequest, Response

from ..archive.keywords import (
    MIN_ARTICLES,
    MOST,
    SIGNIFICANT,
    Basis,
    Direction,
    Keyword,
    Keywords,
    TooSlow,
    keywords,
)
from ..archive.search import Filters
from .budget import SHARE
from .pages import archive_db, csv_text, limited, plain_rows, render_page, whole
from .scope import search_scope, site_rows

SCOPE = ("site", "province", "place", "section", "year", "month", "since", "until")
LIMIT = 50
BASES = {Basis.INDEX: "counted exactly by the search index",
         Basis.READ: "every article read",
         Basis.SAMPLE: "a sample read"}


def read(request, sites: dict) -> tuple[str, Filters, int, Direction, bool]:
    """(query, scope, how many, direction, exact) from the query string, or a 400 that
    says why."""
    query, scope, _, _ = search_scope(request, sites)  # the search's own checks
    limit = whole(request.args, "limit", LIMIT, MOST)
    value = request.args.get("direction") or Direction.OVER
    if value not in list(Direction):
        raise BadRequest(f"direction: one of {', '.join(Direction)}, not {value[:40]!r}")
    exact = request.args.get("exact") or ""
    if exact not in ("", "0", "1"):
        raise BadRequest(f"exact: 1 or 0, not {exact[:40]!r}")
    return query, scope, limit, Direction(value), exact == "1"


async def words_page(datasette, request):
    db = archive_db(datasette)
    fmt = request.url_vars.get("format") or ""
    seconds = datasette.setting("sql_time_limit_ms") / 1000 * SHARE

    def count(conn):
        sites = site_rows(conn)
        query, scope, limit, direction, exact = read(request, sites)
        if not query and fmt:
            raise BadRequest("q: give the query whose words to read")
        found = None
        if query:
            with plain_rows(conn):
                try:
                    found = keywords(sqlite_utils.Database(conn), query, scope, limit,
                                     direction, seconds=seconds, exact=exact)
                except ValueError as exc:  # nothing to search for, a bad date
                    raise BadRequest(str(exc)) from None
                except TooSlow:
                    raise BadRequest("the words took longer than the time limit to count: "
                                     "choose a paper, a year or a narrower query") from None
        return sites, query, scope, limit, direction, exact, found

    sites, query, scope, limit, direction, exact, found = await limited(datasette, db, count)
    if fmt == ".csv":
        return Response(as_csv(found), content_type="text/csv; charset=utf-8")
    if fmt == ".json":
        return Response(json.dumps(as_json(found, scope, direction), ensure_ascii=False),
                        content_type="application/json")
    root = str(datasette.urls.path("/"))
    args = [("q", query)] + [(k, getattr(scope, k)) for k in SCOPE if getattr(scope, k)]
    here = urlencode(args + [("direction", direction), ("limit", limit)]
                     + ([("exact", "1")] if exact else []))
    context = {
        "query": query, "scope": scope, "limit": limit, "direction": direction,
        "found": found, "sites": sites, "exact": exact, "database": db.name, "bases": BASES,
        "significant": SIGNIFICANT, "least": MIN_ARTICLES, "most": MOST,
        "words": rows(found.words, found, found.words_basis, root, args) if found else [],
        "pairs": rows(found.pairs, found, found.pairs_basis, root, args) if found else [],
        "csv_href": f"{root}words.csv?{here}", "json_href": f"{root}words.json?{here}",
        "search_href": f"{root}search?" + urlencode(args),
        "trends_href": f"{root}trends?" + urlencode(args),
        "exact_href": f"{root}words?" + urlencode(args + [("limit", limit), ("exact", "1")]),
        "other_href": f"{root}words?" + urlencode(args + [
            ("direction", Direction.UNDER if direction is Direction.OVER else Direction.OVER),
            ("limit", limit)]),
    }
    return Response.html(await render_page(datasette, request, "words.html", context))


def counted(found: Keywords, basis: Basis) -> int:
    """How many baseline articles a count of `basis` is out of."""
    return found.baseline if basis is Basis.INDEX else found.baseline_read


def rows(keywords_: list[Keyword], found: Keywords, basis: Basis, root: str,
         args: list[tuple[str, str]]) -> list[dict]:
    """A table's rows: each term with its counts, shares, and the search for the query
    and the term together in the scope."""
    n1, n2 = found.matches_read, counted(found, basis)
    return [{"term": k.term, "written": k.written or k.term, "g2": f"{k.g2:,.1f}",
             "matches": k.matches,
             "matches_share": f"{k.matches / n1:.1%}" if n1 else "-",
             "baseline": k.baseline, "baseline_share": f"{k.baseline / n2:.1%}" if n2 else "-",
             "ratio": f"{k.ratio:,.2f}",
             "href": f"{root}search?" + urlencode([("q", _with(args[0][1], k.term)),
                                                  *args[1:]])}
            for k in keywords_]


def _with(query: str, term: str) -> str:
    """The search for the query's articles that have `term` (for a query of
    alternatives, which the search cannot group, the term alone)."""
    return f'"{term}"' if " OR " in f" {query} " else f'{query} "{term}"'


FIELDS = ("kind", "term", "written", "g2", "direction", "ratio", "matches", "matches_read",
          "baseline", "baseline_counted", "baseline_basis")


def _rows(found: Keywords | None):
    if found is None:
        return
    for kind, items, basis in (("word", found.words, found.words_basis),
                               ("pair", found.pairs, found.pairs_basis)):
        for k in items:
            yield {"kind": kind, "term": k.term, "written": k.written or k.term,
                   "g2": round(k.g2, 3),
                   "direction": k.direction.value, "ratio": round(k.ratio, 4),
                   "matches": k.matches, "matches_read": found.matches_read,
                   "baseline": k.baseline, "baseline_counted": counted(found, basis),
                   "baseline_basis": basis.value}


def as_csv(found: Keywords | None) -> str:
    return csv_text(FIELDS, _rows(found))


def as_json(found: Keywords | None, scope: Filters, direction: Direction) -> dict:
    if found is None:
        return {}
    listed = list(_rows(found))
    return {"query": found.query, "direction": direction.value,
            "scope": {k: getattr(scope, k) for k in SCOPE if getattr(scope, k)},
            "matches": found.matches, "scope_articles": found.scope,
            "baseline_articles": found.baseline, "matches_read": found.matches_read,
            "baseline_read": found.baseline_read,
            "words_basis": found.words_basis.value, "pairs_basis": found.pairs_basis.value,
            "significant_above": SIGNIFICANT, "least_matches": MIN_ARTICLES,
            "words": [r for r in listed if r["kind"] == "word"],
            "pairs": [r for r in listed if r["kind"] == "pair"]}
