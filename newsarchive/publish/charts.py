"""Charts drawn on the server as SVG: no JavaScript, no CDN, readable offline."""

from __future__ import annotations

import html
import re

from .pages import escape

_MONTH = re.compile("[0-9]{4}-(0[1-9]|1[0-2])")  # ASCII digits: `\d` takes `٣`
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


async def daily_svg(db, days: int) -> str:
    """Articles per day per site over the last `days` days that have articles."""
    rows = (await db.execute(
        "SELECT substr(published_at, 1, 10) AS day, site, count(*) FROM articles "
        "WHERE published_at IS NOT NULL AND substr(published_at, 1, 10) IN ("
        "  SELECT DISTINCT substr(published_at, 1, 10) FROM articles "
        "  WHERE published_at IS NOT NULL ORDER BY 1 DESC LIMIT ?) "
        "GROUP BY day, site", [days])).rows
    return _svg([(r[0], r[1], r[2]) for r in rows])


def _svg(rows: list[tuple[str, str, int]], width: int = 900, height: int = 320) -> str:
    """A line per site over days: no JavaScript, no CDN; readable offline."""
    if not rows:
        return "<p>No dated articles yet.</p>"
    days = sorted({d for d, _, _ in rows})
    sites = sorted({s for _, s, _ in rows})
    counts = {(d, s): n for d, s, n in rows}
    top = max(n for _, _, n in rows)
    left, bottom, plot_w, plot_h = 40, 30, width - 200, height - 50

    def x(i: int) -> float:
        return left + (plot_w * i / max(1, len(days) - 1))

    def y(n: int) -> float:
        return 10 + plot_h - plot_h * n / top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" style="max-width:{width}px" '
             f'role="img" aria-label="Articles per day per site">',
             f'<line x1="{left}" y1="{10 + plot_h}" x2="{left + plot_w}" y2="{10 + plot_h}" '
             'stroke="#999"/>',
             f'<text x="4" y="16" font-size="11">{top}</text>',
             f'<text x="4" y="{10 + plot_h}" font-size="11">0</text>',
             f'<text x="{left}" y="{height - bottom + 24}" font-size="11">'
             f'{html.escape(days[0])}</text>',
             f'<text x="{left + plot_w - 60}" y="{height - bottom + 24}" font-size="11">'
             f'{html.escape(days[-1])}</text>']
    for k, site in enumerate(sites):
        color = PALETTE[k % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(counts.get((d, site), 0)):.1f}"
                          for i, d in enumerate(days))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                     f'points="{points}"><title>{html.escape(site)}</title></polyline>')
        parts.append(f'<rect x="{left + plot_w + 20}" y="{14 + 16 * k}" width="10" height="10" '
                     f'fill="{color}"/><text x="{left + plot_w + 36}" y="{23 + 16 * k}" '
                     f'font-size="12">{html.escape(site)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def periods(months: list[tuple[str, int]], most: int = 120) -> tuple[str, list[tuple[str, int]]]:
    """(`month` or `year`, every period from the first to the last with its count, 0 where
    there is none): months, or years when the months span more than `most`, so that the
    bars keep the time between them."""
    months = [(m, n) for m, n in months if _MONTH.fullmatch(m or "")]
    if not months:
        return "month", []
    counts = dict(months)
    first, last = months[0][0], months[-1][0]
    y0, m0, y1, m1 = int(first[:4]), int(first[5:7]), int(last[:4]), int(last[5:7])
    if (y1 - y0) * 12 + m1 - m0 + 1 > most:
        years: dict[str, int] = {str(y): 0 for y in range(y0, y1 + 1)}
        for month, n in months:
            years[month[:4]] += n
        return "year", list(years.items())
    out = []
    for k in range(y0 * 12 + m0 - 1, y1 * 12 + m1):
        month = f"{k // 12:04d}-{k % 12 + 1:02d}"
        out.append((month, counts.get(month, 0)))
    return "month", out


def month_chart(months: list[tuple[str, int]], width: int = 640, height: int = 90,
                label: str = "Kết quả theo tháng / matches per month") -> str:
    """Matches per month (or any period) as bars, drawn here (no JavaScript); nothing for
    one period."""
    if len(months) < 2:
        return ""
    top = max(n for _, n in months)
    step = min(24.0, width / len(months))
    bars = []
    for i, (month, n) in enumerate(months):
        h = max(1.0, (height - 20) * n / top) if n else 0.0
        bars.append(f'<rect x="{i * step:.1f}" y="{height - 16 - h:.1f}" '
                    f'width="{max(1.0, step - 2):.1f}" height="{h:.1f}" fill="#2a6f97">'
                    f'<title>{escape(month)}: {n}</title></rect>')
    drawn = max(160.0, step * len(months))
    return (f'<svg viewBox="0 0 {drawn:.0f} {height}" width="{drawn:.0f}" role="img" '
            f'aria-label="{html.escape(label)}" class="na-months">'
            + "".join(bars)
            + f'<text x="0" y="{height - 2}" font-size="11">{html.escape(months[0][0])}</text>'
            + f'<text x="{drawn:.0f}" y="{height - 2}" font-size="11" '
            + 'text-anchor="end">'
            + f'{html.escape(months[-1][0])}</text></svg>')
