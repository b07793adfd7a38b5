"""The scope a reader asks for in a query string, as the search page, trends and the
data export all read it: the words `q`, the filters (paper, province, place, section,
year, month, days), the order and the page. A bad parameter is a 400 that says so,
never a 500."""

from __future__ import annotations

import re
from datetime import date

from datasette.utils.asgi import BadRequest

from ..archive.search import SORTS, BadFilter, Filters
from ..ground.fold import MAX_QUERY
from .pages import whole

# ASCII digits: `\d` takes `٣`, which `date.fromisoformat()` refuses
_DAY = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile("[0-9]{4}-(0[1-9]|1[0-2])")


def _day(args, name: str) -> str:
    value = (args.get(name) or "").strip()
    if value:
        try:
            if not _DAY.fullmatch(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            raise BadRequest(f"{name}: a date is written YYYY-MM-DD, not {value!r}") from None
    return value


def site_rows(conn) -> dict[str, dict]:
    """The archive's papers by id: id, name, province, home page."""
    rows = conn.execute("SELECT id, name, province, home FROM sites ORDER BY name").fetchall()
    return {r[0]: {"id": r[0], "name": r[1], "province": r[2], "home": r[3]} for r in rows}


def search_scope(request, sites: dict) -> tuple[str, Filters, str, int]:
    """(query, filters, sort, page) of `request`, checked; `sites` are `site_rows`."""
    args = request.args  # parsed anew at every use of `request.args`
    query = (args.get("q") or "").strip()
    if len(query) > MAX_QUERY:
        raise BadRequest(f"q: a search of at most {MAX_QUERY} characters")
    try:
        filters = Filters(**{f: (args.get(f) or "").strip() for f in
                             ("site", "province", "section", "year", "month", "place")},
                          since=_day(args, "since"), until=_day(args, "until"))
    except BadFilter as exc:  # a place that is no code, `since` after `until`
        raise BadRequest(str(exc)) from None
    if filters.site and filters.site not in sites:
        raise BadRequest(f"site: no paper {filters.site!r} in this archive")
    if filters.year and not re.fullmatch("[0-9]{4}", filters.year):
        raise BadRequest(f"year: four digits 0-9, not {filters.year!r}")
    if filters.month and not _MONTH.fullmatch(filters.month):
        raise BadRequest(f"month: YYYY-MM, not {filters.month!r}")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"sort: one of {', '.join(SORTS)}, not {sort!r}")
    return query, filters, sort, whole(args, "page")
