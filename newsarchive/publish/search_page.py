"""The search page for readers, on top of Datasette (the home page and a page per paper
are in browse.py): `/search`, `/search.json`, `/search.csv`. The search itself is
`archive.search.find` and its parameters are read by scope.py; this module renders the
results, their facets and the links between pages."""

from __future__ import annotations

import json
import sqlite3
from functools import lru_cache
from urllib.parse import quote_plus

import sqlite_utils
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from ..archive.search import FACETS, SORTS, Filters, find
from .charts import month_chart
from .pages import (
    archive_db,
    csv_text,
    date_vi,
    escape,
    limited,
    place_links_at,
    plain_rows,
    render_page,
    snippet_html,
)
from .scope import search_scope, site_rows

PER_PAGE = 20
TIER_WORDS = {"phrase": "the exact phrase (cụm từ chính xác)",
              "pairs": "all the words, nearest together first (đủ các từ)",
              "all": "all the words, anywhere (đủ các từ, ở bất kỳ đâu)",
              "any": "any of the alternatives joined by OR (một trong các lựa chọn)",
              "filters": "the filters, newest first (mới nhất theo bộ lọc)"}
FACET_NAMES = {"site": "Báo / Paper", "province": "Tỉnh / Province",
               "place": "Địa danh / Place", "section": "Chuyên mục / Section",
               "year": "Năm / Year",
               "month": "Tháng / Month"}
_quoted = lru_cache(maxsize=512)(quote_plus)  # the same values recur in every link of a page


def _link(base: str, args: dict, **changes) -> str:
    """`base` with the non-empty `args` (changed by `changes`) as its query string; the
    keys are our own parameter names, which need no quoting."""
    merged = {**args, **changes}
    return base + "?" + "&".join(f"{k}={_quoted(v)}" for k, v in merged.items() if v)


async def search_page(datasette, request):
    db = archive_db(datasette)
    fmt = request.url_vars.get("format") or ""
    by_story = request.args.get("stories") == "1"  # one result per story (its first copy)

    def search(conn):  # one trip to the database thread: the papers, then the search
        sites = site_rows(conn)
        query, filters, sort, page = search_scope(request, sites)
        results = None
        if query or filters.narrowing:  # no words: the filters' newest articles
            try:
                results = find(sqlite_utils.Database(conn), query, filters, sort=sort,
                               limit=PER_PAGE, offset=(page - 1) * PER_PAGE,
                               stories=by_story)
            except ValueError:  # nothing searchable in the query (only `-word`s)
                results = None
        return sites, query, filters, sort, page, results

    def run(conn):
        try:
            with plain_rows(conn):
                return search(conn)
        except sqlite3.OperationalError as exc:
            if "decode" not in str(exc):
                raise
            return search(conn)  # text that is no UTF-8: Datasette's lenient decoding

    sites, query, filters, sort, page, results = await limited(datasette, db, run)
    pages = max(1, -(-results.total // PER_PAGE)) if results else 1
    if page > pages:  # as /place/CODE?page=N does
        raise NotFound(f"page {page}: this search has {pages} page(s) of results")
    args = {"q": query, **{k: getattr(filters, k) for k in
                            ("site", "province", "place", "section", "year", "month", "since",
                             "until")},
            "sort": "" if sort == "relevance" else sort, "stories": "1" if by_story else ""}
    if fmt:
        return _as_data(fmt, query, page, results)
    context = _context(datasette, db.name, sites, query, filters, sort, page, results, args)
    return Response.html(await render_page(datasette, request, "search.html", context))


def _context(datasette, database: str, sites: dict, query: str, filters: Filters, sort: str,
             page: int, results, args: dict) -> dict:
    """What the page shows. Links are plain strings made from one prefix (Datasette's
    `urls.path` gives a str subclass whose every attribute lookup lists `dir(str)`)."""
    root = str(datasette.urls.path("/"))
    base = root + "search"
    hits = Markup("".join(hit_html(hit, root) for hit in (results.hits if results else [])))
    facets = []
    if results:
        for name in FACETS:
            if name == "month" and not filters.year:
                continue  # months are offered within a year, as Trove does
            labels = ({k: s["name"] for k, s in sites.items()} if name == "site" else
                      results.place_names if name == "place" else {})
            counts = (sorted(results.facets[name]) if name == "month"
                      else results.facets[name][:15])
            if counts:
                facets.append(facet_html(FACET_NAMES[name], counts, labels,
                                         getattr(filters, name),
                                         lambda v, name=name: _link(base, args, page="",
                                                                    **{name: v})))
    pages = -(-results.total // PER_PAGE) if results else 0
    return {
        "query": query, "filters": filters, "sort": sort, "sorts": SORTS, "page": page,
        "pages": pages, "results": results, "hits": hits, "facets": Markup("".join(facets)),
        "tier": TIER_WORDS.get(results.tier, "") if results else "",
        "sites": sites, "chart": Markup(month_chart(results.months)) if results else "",
        "prev_href": _link(base, args, page=str(page - 1)) if page > 1 else "",
        "next_href": _link(base, args, page=str(page + 1)) if page < pages else "",
        "json_href": _link(base + ".json", args, page=str(page)),
        "csv_href": _link(base + ".csv", args, page=str(page)),
        "feed_href": _link(str(datasette.urls.query(database, "search_feed")) + ".atom",
                           {"q": query, "site": filters.site}) if query else "",
        "clear_href": _link(base, {"q": query}),
        "by_story": bool(args["stories"]),
        "stories_href": _link(base, args, page="", stories="" if args["stories"] else "1"),
        "first": (page - 1) * PER_PAGE + 1, "database": database, "urls": datasette.urls,
    }


def hit_html(hit: dict, root: str) -> str:
    """One result of the list, escaped: headline, paper, province, date, section, snippet
    with its hits marked, places. One string here: as template pieces, the escaping and
    joining of twenty results weighed on the page's rendering (README, bench/publish.py)."""
    e = escape
    meta = [f'<a href="{root}paper/{e(hit["site"])}">{e(hit["paper"] or "")}</a>']
    meta += [e(v) for v in (hit["province"], date_vi(hit["published_at"]), hit["section"])
             if v]
    places = " · ".join(
        f'<a href="{e(p["href"])}"' + (f' title="{e(p["title"])}"' if p["title"] else "")
        + f'>{e(p["name"])}</a>' for p in place_links_at(root, hit["places"]))
    return (f'  <li class="na-hit">\n    <h2><a href="{root}article/{hit["id"]}">'
            f'{e(hit["title"] or "(no headline)")}</a></h2>\n'
            f'    <div class="na-meta">{" · ".join(meta)}</div>\n'
            f'    <p class="na-snippet">{snippet_html(hit["snippet"])}</p>\n'
            + (f'    <div class="na-meta">Địa danh / places: {places}</div>\n' if places else "")
            + "  </li>\n")


def facet_html(name: str, counts: list[tuple[str, int]], labels: dict, chosen: str,
               link) -> str:
    """One facet: its values with their counts, each a link that adds the value to the
    search (`link(value)`), the chosen one a link that takes it away."""
    items = []
    for value, n in counts:
        label = escape(labels.get(value, value))
        if value == chosen:
            items.append(f'<li class="chosen"><a href="{escape(link(""))}" aria-current="true" '
                         f'title="remove this filter">✕ {label}</a> ({n})</li>')
        else:
            items.append(f'<li><a href="{escape(link(value))}">{label}</a> ({n})</li>')
    return f'  <h2>{escape(name)}</h2>\n  <ul>{"".join(items)}</ul>\n'


def _as_data(fmt: str, query: str, page: int, results) -> Response:
    fields = ("id", "title", "site", "paper", "province", "section", "published_at", "url",
              "rank")
    hits = [{**{f: h.get(f) for f in fields},
             "places": "; ".join(dict.fromkeys(p["name_now"] for p in h["places"])),
             "snippet": h["snippet"].replace("\x02", "").replace("\x03", "")}
            for h in (results.hits if results else [])]
    if fmt == ".csv":
        return Response(csv_text([*fields, "places", "snippet"], hits),
                        content_type="text/csv; charset=utf-8")
    data = {"q": query, "page": page, "per_page": PER_PAGE,
            "tier": results.tier if results else None,
            "total": results.total if results else 0,
            "capped": results.capped if results else False, "hits": hits,
            "facets": {k: dict(v) for k, v in results.facets.items()} if results else {},
            "months": dict(results.months) if results else {}}
    return Response(json.dumps(data, ensure_ascii=False), content_type="application/json")
