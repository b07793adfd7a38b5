"""Time of publication from the visible dateline near the headline, on the generic path,
when structured data give only a date."""

from __future__ import annotations

import pytest

from newsarchive.extract.core import extract
from newsarchive.extract.dateline import url_date
from tests.support.pages import article_page

URL = "https://baothu.vn/dien-chau-doi-moi-123456.html"


def _page(dateline: str, ld_date: str = "2026-03-07") -> bytes:
    page = article_page().replace("2026-03-07T08:47:00+07:00", ld_date)
    return page.replace("</h1>", f'</h1><div class="info"><span>{dateline}</span></div>').encode()


@pytest.mark.parametrize("dateline", [
    "08:47 07/03/2026",
    "Thứ Bảy, 07/03/2026 - 08:47",
    "07-03-2026 | 08:47",
    "7/3/2026 8:47 (GMT+7)",
    "Mai Giang · Thứ Bảy, 7/3/2026, 08h47",
])
def test_time_of_day_from_the_dateline(dateline):
    art = extract(_page(dateline), URL, layouts=False)
    assert art.published_at == "2026-03-07T08:47:00+07:00"
    assert art.provenance["published_at"] == "dateline"
    assert not any("no time of day" in n for n in art.notes)


def test_dateline_is_read_day_first():
    art = extract(_page("08:47 05/03/2026", ld_date="2026-03-05"), URL, layouts=False)
    assert art.published_at == "2026-03-05T08:47:00+07:00"


def test_dateline_on_another_day_than_the_structured_date_is_not_taken():
    art = extract(_page("08:47 08/03/2026"), URL, layouts=False)
    assert art.published_at == "2026-03-07T00:00:00+07:00"
    assert any("no time of day" in n for n in art.notes)


def test_dateline_on_another_day_than_the_url_is_ignored_and_noted():
    url = "https://baothu.vn/2026/03/08/dien-chau-doi-moi-123456.html"
    art = extract(_page("08:47 07/03/2026"), url, layouts=False)
    assert art.published_at == "2026-03-07T00:00:00+07:00"
    assert any("not the URL's date" in n for n in art.notes)


def test_structured_time_wins_over_the_dateline():
    art = extract(_page("09:15 07/03/2026", ld_date="2026-03-07T08:47:00+07:00"), URL,
                  layouts=False)
    assert art.published_at == "2026-03-07T08:47:00+07:00"
    assert art.provenance["published_at"] == "jsonld"


def test_date_far_from_the_headline_is_not_a_dateline():
    page = article_page().replace("2026-03-07T08:47:00+07:00", "2026-03-07")
    page = page.replace("<footer>", "<footer>Cập nhật 08:47 07/03/2026 ")
    art = extract(page.encode(), URL, layouts=False)
    assert art.published_at == "2026-03-07T00:00:00+07:00"


@pytest.mark.parametrize("url, day", [
    ("https://baothu.vn/2026/03/07/bai-viet.html", "2026-03-07"),
    ("https://baothu.vn/bai-viet-2026-03-07.html", "2026-03-07"),
    ("https://baothu.vn/bai-viet-20260307080054340.htm", "2026-03-07"),
    ("https://baothu.vn/bai-viet-123456.html", None),
])
def test_url_date(url, day):
    got = url_date(url)
    assert (got.isoformat() if got else None) == day


def test_the_time_beside_a_headline_that_is_no_h1():
    """A date-only meta value gives way to the time the page prints under its headline,
    an `h3` with a kicker, in `25.04.24 | 14:07 Uhr` (a two-digit year)."""
    from newsarchive.extract.core import extract
    from tests.support.pages import PARAGRAPH

    html = ('<html><head><meta property="og:title" content="DDR-Hotel Lunik öffnet als '
            'Theater noch einmal seine Pforten"><meta property="article:published_time" '
            'content="2024-04-25"><meta property="og:type" content="article"></head><body>'
            '<article><h3><span>Premiere in Eisenhüttenstadt</span> <span>DDR-Hotel Lunik '
            'öffnet als Theater noch einmal seine Pforten</span></h3><div class="technicalline">'
            'Do 25.04.24 | 14:07 Uhr | Von <span class="authorname">Eva Kirchner-Rätsch</span>'
            f'</div><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article></body></html>')
    art = extract(html, "https://radio.example/kultur/beitrag/2024/04/lunik.html",
                  layouts=False)
    assert art.published_at == "2024-04-25T14:07:00+07:00"
    assert art.authors == ["Eva Kirchner-Rätsch"]
