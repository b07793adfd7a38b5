"""`/trends`: attention over time, QueryPic's way. Up to five queries side by side per
day, week, month or year, as counts or as a share of every article archived in the
period and scope; a chart drawn here whose points open the search for their period;
small multiples per paper or province; `/trends.csv` and `/trends.json`. The counting is
`archive.trends.compare`; this module reads the parameters (400 for a bad one, never a
500) and renders."""

from __future__ import annotations

import html
import json
from urllib.parse import urlencode

import sqlite_utils
from datasette.utils.asgi import BadRequest, Response
from markupsafe import Markup

from ..archive.search import Filters
from ..archive.trends import LITTLE, MAX_QUERIES, By, Period, Trend, bounds, compare
from ..ground.fold import MAX_QUERY
from .charts import PALETTE
from .pages import archive_db, csv_text, escape, limited, plain_rows, render_page
from .scope import search_scope, site_rows

SCOPE = ("site", "province", "place", "section", "since", "until")
AS = ("share", "count")
PERIOD_NAMES = {Period.DAY: "ngày / day", Period.WEEK: "tuần / week",
                Period.MONTH: "tháng / month", Period.YEAR: "năm / year"}


def _choice(args, name: str, allowed, default: str = "") -> str:
    value = args.get(name) or default
    if value and value not in allowed:
        raise BadRequest(f"{name}: one of {', '.join(allowed)}, not {value[:40]!r}")
    return value


def read(request, sites: dict) -> tuple[list[str], Filters, Period, str, str]:
    """(queries, scope, period, as, by) from the query string, or a 400 that says why."""
    args = request.args
    queries = [q.strip() for q in args.getlist("q") if q.strip()]
    if len(queries) > MAX_QUERIES:
        raise BadRequest(f"q: at most {MAX_QUERIES} queries side by side, not {len(queries)}")
    if any(len(q) > MAX_QUERY for q in queries):
        raise BadRequest(f"q: a query of at most {MAX_QUERY} characters")
    _, scope, _, _ = search_scope(request, sites)  # the search's own filters, checked as it does
    period = Period(_choice(args, "period", list(Period), Period.MONTH))
    shown = _choice(args, "as", AS, "share")
    by = _choice(args, "by", list(By))
    if by and len(queries) > 1:
        raise BadRequest("by: small multiples are drawn for one query; leave out the others")
    return queries, scope, period, shown, by


async def trends_page(datasette, request):
    db = archive_db(datasette)
    fmt = request.url_vars.get("format") or ""

    def count(conn):
        sites = site_rows(conn)
        queries, scope, period, shown, by = read(request, sites)
        trend = None
        if queries:
            with plain_rows(conn):
                try:
                    trend = compare(sqlite_utils.Database(conn), queries, scope, period, by)
                except ValueError as exc:  # only `-words`, too many days
                    raise BadRequest(str(exc)) from None
        return sites, queries, scope, period, shown, by, trend

    sites, queries, scope, period, shown, by, trend = await limited(datasette, db, count)
    root = str(datasette.urls.path("/"))
    if fmt == ".csv":
        return Response(as_csv(trend), content_type="text/csv; charset=utf-8")
    if fmt == ".json":
        return Response(json.dumps(as_json(trend, scope, by), ensure_ascii=False),
                        content_type="application/json")
    args = [("q", q) for q in queries] + [(k, getattr(scope, k)) for k in SCOPE
                                          if getattr(scope, k)]
    here = urlencode(args + [("period", period), ("as", shown)] + ([("by", by)] if by else []))
    context = {
        "queries": queries, "slots": [*queries, *[""] * (MAX_QUERIES - len(queries))],
        "scope": scope, "period": period, "shown": shown, "by": by, "trend": trend,
        "periods": PERIOD_NAMES, "sites": sites, "little": LITTLE, "database": db.name,
        "charts": Markup(charts(trend, scope, shown, root, by,
                                        {k: v["name"] for k, v in sites.items()})) if trend else "",
        "table": table(trend) if trend and not by else [],
        "csv_href": f"{root}trends.csv?{here}", "json_href": f"{root}trends.json?{here}",
        "one_href": f"{root}trends?" + urlencode(args[:1] + args[len(queries):]
                                                 + [("period", period), ("as", shown)]),
        "search_href": f"{root}search?" + urlencode(args[:1] + args[len(queries):]),
        "exports": [f"{root}export.csv?" + urlencode([("q", q), *args[len(queries):]])
                    for q in queries],
    }
    return Response.html(await render_page(datasette, request, "trends.html", context))


def search_link(root: str, query: str, scope: Filters, by: str, group: str, period: Period,
                key: str) -> str:
    """The search for `query` in the scope, narrowed to the period (and panel)."""
    first, last = bounds(period, key)
    since, until = max(first, scope.since or first), min(last, scope.until or last)
    args = {"q": query, **{k: getattr(scope, k) for k in SCOPE}, "since": since,
            "until": until}
    if by:
        args[by] = group
    return f"{root}search?" + urlencode({k: v for k, v in args.items() if v})


def charts(trend: Trend, scope: Filters, shown: str, root: str, by: str,
           names: dict[str, str]) -> str:
    """One chart of every series, or with `by` a small chart per paper or province, all
    on one scale (`names`: a paper's name by its id)."""
    if not trend.periods:
        return "<p>Không có bài nào trong phạm vi này / no dated article in this scope.</p>"
    top = _top(trend.series, shown)
    if not by:
        return svg(trend, trend.series, scope, shown, root, "", top)
    return "".join(
        f'<figure class="na-multiple"><figcaption>'
        f'{escape(names.get(s.group, s.group) or "(no province: national papers)")} '
        f'({s.matches:,})</figcaption>'
        f'{svg(trend, [s], scope, shown, root, by, top, 320, 150)}</figure>'
        for s in trend.series)


def _value(point, shown: str) -> float:
    return (point.share or 0.0) * 100 if shown == "share" else float(point.matches)


def _top(series, shown: str) -> float:
    return max((_value(p, shown) for s in series for p in s.points), default=0.0) or 1.0


def svg(trend: Trend, series, scope: Filters, shown: str, root: str, by: str, top: float,
        width: int = 900, height: int = 300) -> str:
    """A line per query, a point per period (a link to the search for that period),
    the periods with little data shaded and their points hollow."""
    left, right, top_pad, bottom = 50, 10, 10, 28
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    n = len(trend.periods)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top_pad + plot_h - plot_h * v / top

    unit = "%" if shown == "share" else ""
    label = f"{top:.2f}%" if shown == "share" else f"{top:,.0f}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" style="max-width:{width}px" role="img" class="na-trend" '
             f'aria-label="{"share of articles" if unit else "matching articles"} per '
             f'{trend.period}">']
    band = plot_w / n
    for i, point in enumerate(series[0].points):
        if point.little:
            parts.append(f'<rect x="{x(i) - band / 2:.1f}" y="{top_pad}" width="{band:.2f}" '
                         f'height="{plot_h}" fill="#eee"><title>{escape(point.period)}: '
                         f'{point.total} articles in scope (fewer than {LITTLE})</title></rect>')
    parts += [f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" '
              f'y2="{top_pad + plot_h}" stroke="#999"/>',
              f'<text x="{left - 4}" y="{top_pad + 10}" font-size="11" text-anchor="end">'
              f'{label}</text>',
              f'<text x="{left - 4}" y="{top_pad + plot_h}" font-size="11" '
              f'text-anchor="end">0</text>',
              f'<text x="{left}" y="{height - 8}" font-size="11">'
              f'{escape(trend.periods[0])}</text>',
              f'<text x="{left + plot_w}" y="{height - 8}" font-size="11" text-anchor="end">'
              f'{escape(trend.periods[-1])}</text>']
    radius = 3.5 if n <= 120 else 2.0
    for s in series:
        color = PALETTE[trend.series.index(s) % len(PALETTE)] if not by else PALETTE[0]
        points = " ".join(f"{x(i):.1f},{y(_value(p, shown)):.1f}" for i, p in enumerate(s.points))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" '
                     f'points="{points}"/>')
        for i, p in enumerate(s.points):
            share = f"{p.share:.2%}" if p.share is not None else "-"
            href = search_link(root, s.query, scope, by, s.group, trend.period, p.period)
            parts.append(f'<a href="{html.escape(href)}"><circle cx="{x(i):.1f}" '
                         f'cy="{y(_value(p, shown)):.1f}" r="{radius}" stroke="{color}" '
                         f'fill="{"#fff" if p.little else color}"><title>'
                         f'{escape(s.query)} · {escape(p.period)}: {p.matches:,} of '
                         f'{p.total:,} articles ({share})</title></circle></a>')
    parts.append("</svg>")
    return "".join(parts)


def table(trend: Trend) -> list[dict]:
    """Rows per period: the scope's total, then each query's matches and share."""
    rows = []
    for i, key in enumerate(trend.periods):
        points = [s.points[i] for s in trend.series]
        rows.append({"period": key, "total": points[0].total, "little": points[0].little,
                     "cells": [(p.matches, f"{p.share:.2%}" if p.share is not None else "-")
                               for p in points]})
    return rows


FIELDS = ("query", "group", "period", "matches", "total", "share", "little_data")


def _rows(trend: Trend | None):
    for s in trend.series if trend else []:
        for p in s.points:
            yield {"query": s.query, "group": s.group, "period": p.period,
                   "matches": p.matches, "total": p.total,
                   "share": round(p.share, 6) if p.share is not None else None,
                   "little_data": p.little}


def as_csv(trend: Trend | None) -> str:
    return csv_text(FIELDS, _rows(trend))


def as_json(trend: Trend | None, scope: Filters, by: str) -> dict:
    return {"period": trend.period if trend else None, "by": by or None,
            "scope": {k: getattr(scope, k) for k in SCOPE if getattr(scope, k)},
            "little_data_below": LITTLE,
            "series": [{"query": s.query, "group": s.group, "tier": s.tier,
                        "matches": s.matches,
                        "points": [{k: r[k] for k in FIELDS[2:]} for r in _rows(
                            Trend(trend.period, trend.periods, [s]))]}
                       for s in (trend.series if trend else [])]}
