"""A calendar per paper, Chronicling America's way: `/paper/{site}/{year}`, every day of
a year with the articles the archive holds for it (a day without any shows as a gap: the
paper published nothing, or was not crawled back that far), and
`/paper/{site}/{yyyy-mm-dd}`, the day's articles in the order they were published."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta

from datasette.utils.asgi import BadRequest, NotFound, Response

from .pages import archive_db, limited, render_page

_YEAR = re.compile("[0-9]{4}")  # ASCII digits: `\d` takes `٣`
_DAY = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")  # Thứ hai ... Chủ nhật
MONTHS_VI = tuple(f"Tháng {m}" for m in range(1, 13))


def _utc_range(first: date, last: date) -> tuple[str, str]:
    """UTC bounds that hold every article printed (in any offset) from `first` to
    `last`: a day more on each side, for the index; the printed date decides."""
    low = first - timedelta(days=1) if first > date.min else first
    high = last + timedelta(days=1) if last < date.max else last
    return low.isoformat(), high.isoformat() + "~"  # `~` sorts after any time of that day


def days_of(conn, site: str, year: int) -> dict[str, int]:
    """{YYYY-MM-DD: articles} of the paper's year, by the date the paper printed."""
    low, high = _utc_range(date(year, 1, 1), date(year, 12, 31))
    rows = conn.execute(
        "SELECT substr(published_at, 1, 10) AS day, count(*) FROM articles "
        "WHERE site = ? AND published_utc >= ? AND published_utc < ? "
        "AND substr(published_at, 1, 4) = ? GROUP BY day", (site, low, high, f"{year:04d}"))
    return dict(rows.fetchall())


def articles_of(conn, site: str, day: date) -> list[dict]:
    """The paper's articles printed on `day`, in the order of publication."""
    low, high = _utc_range(day, day)
    cursor = conn.execute(
        "SELECT id, title, section, published_at FROM articles "
        "WHERE site = ? AND published_utc >= ? AND published_utc < ? "
        "AND substr(published_at, 1, 10) = ? ORDER BY published_utc, id",
        (site, low, high, day.isoformat()))
    return [dict(zip(("id", "title", "section", "published_at"), r, strict=True))
            for r in cursor.fetchall()]


def years_of(conn, site: str) -> list[str]:
    """The years the paper has articles in, oldest first."""
    first, last = conn.execute(
        "SELECT min(substr(published_at, 1, 4)), max(substr(published_at, 1, 4)) "
        "FROM articles WHERE site = ? AND published_at IS NOT NULL", (site,)).fetchone()
    if not (first and last and _YEAR.fullmatch(first) and _YEAR.fullmatch(last)):
        return []
    return [str(y) for y in range(int(first), int(last) + 1)]


def month_grid(year: int, month: int, counts: dict[str, int]) -> list[list[dict | None]]:
    """Weeks (Monday first) of the month, each day {day, iso, n}; None outside it."""
    first = date(year, month, 1)
    weeks: list[list[dict | None]] = [[None] * first.weekday()]
    for number in range(1, monthrange(year, month)[1] + 1):  # no day past 9999-12-31
        if len(weeks[-1]) == 7:
            weeks.append([])
        iso = date(year, month, number).isoformat()
        weeks[-1].append({"day": number, "iso": iso, "n": counts.get(iso, 0)})
    weeks[-1] += [None] * (7 - len(weeks[-1]))
    return weeks


def shade(n: int, top: int) -> str:
    """The background of a day with `n` articles, darker for more; a gap stays white."""
    if not n:
        return "#fff"
    level = 0.15 + 0.85 * n / max(1, top)
    return f"rgba(42, 111, 151, {level:.2f})"


async def calendar_page(datasette, request):
    db = archive_db(datasette)
    site, when = request.url_vars["site"], request.url_vars["when"]
    if _YEAR.fullmatch(when):
        year, day = int(when), None
        if year < 1:
            raise BadRequest(f"{when}: a year from 0001")
    elif _DAY.fullmatch(when):
        try:
            day = date.fromisoformat(when)
        except ValueError:
            raise BadRequest(f"{when}: no such day (YYYY-MM-DD)") from None
        year = day.year
    else:
        raise BadRequest(f"{when[:40]!r}: a year (2025) or a day (2025-03-07) in digits 0-9")

    def read(conn):
        paper = conn.execute("SELECT id, name, province FROM sites WHERE id = ?",
                             (site,)).fetchone()
        if paper is None:
            return None
        found = articles_of(conn, site, day) if day else days_of(conn, site, year)
        return (dict(zip(("id", "name", "province"), paper, strict=True)), found,
                years_of(conn, site))

    got = await limited(datasette, db, read)
    if got is None:
        raise NotFound(f"no paper {site!r} in this archive")
    paper, found, years = got
    root = str(datasette.urls.path("/"))
    base = f"{root}paper/{site}"
    context = {"paper": paper, "year": year, "years": years, "database": db.name,
               "paper_href": base, "base": base}
    if day:
        for article in found:
            stamp = article["published_at"] or ""
            article["time"] = stamp[11:16]
            article["href"] = f"{root}article/{article['id']}"
        context.update(day=day.isoformat(), weekday=WEEKDAYS[day.weekday()],
                       articles=found, year_href=f"{base}/{year}",
                       prev_href=f"{base}/{(day - timedelta(days=1)).isoformat()}"
                       if day > date.min else "",
                       next_href=f"{base}/{(day + timedelta(days=1)).isoformat()}"
                       if day < date.max else "")
        return Response.html(await render_page(datasette, request, "paper_day.html", context))
    top = max(found.values(), default=0)
    first, last = (min(found), max(found)) if found else ("", "")
    months = [{"name": MONTHS_VI[m - 1], "weeks": month_grid(year, m, found)}
              for m in range(1, 13)]
    gaps = 0
    if found:
        span = (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
        gaps = span - len(found)
    context.update(months=months, total=sum(found.values()), days=len(found), gaps=gaps,
                   first=first, last=last, top=top, weekdays=WEEKDAYS,
                   shade=lambda n: shade(n, top))
    return Response.html(await render_page(datasette, request, "paper_year.html", context))
