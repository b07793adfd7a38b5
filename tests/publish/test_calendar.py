"""A paper's calendar (`/paper/{site}/{year}`, `/paper/{site}/{yyyy-mm-dd}`) with
Datasette's own client: days counted by the printed date, gaps shown, a day's articles in
order, and bad years or days a 400 with a message."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import pytest

from newsarchive.archive import Archive
from tests.support.datasette import get, published
from tests.support.fixtures import registry
from tests.support.records import dien_chau


def _story(i: int, stamp: str, site: str = "baonghean"):
    return dien_chau(url=f"https://{site}.vn/bai-{i}-post{1000 + i}.html", site=site,
                     title=f"Bài số {i}", published_at=stamp)


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    db = tmp_path_factory.mktemp("calendar") / "archive.db"
    archive = Archive(db)
    archive.runs.sync_sites(s.row() for s in registry())
    stamps = ["2025-03-07T21:00:00+07:00", "2025-03-07T06:30:00+07:00",
              "2025-03-07T00:10:00+07:00",  # the day before in UTC: still 7 March
              "2025-03-09T10:00:00+07:00", "2024-12-31T23:59:00+07:00"]
    for i, stamp in enumerate(stamps):
        archive.articles.store(_story(i, stamp))
    archive.articles.store(_story(9, "2025-03-07T08:00:00+07:00", site="baolaocai"))
    archive.close()
    return published(db)


def test_a_year_of_days_with_counts_and_gaps(ds):
    page = get(ds, "/paper/baonghean/2025")
    assert page.status_code == 200
    text = unescape(page.text)
    assert 'title="2025-03-07: 3 articles"' in text
    assert 'title="2025-03-09: 1 articles"' in text
    assert 'title="2025-03-08: no article archived"' in text  # the gap between
    assert "4 articles on 2 days, 2025-03-07 – 2025-03-09; 1 day(s) between" in text
    assert re.search(r'href="/paper/baonghean/2024">2024</a>', text)
    assert text.count('class="na-cal"') == 12


def test_a_day_lists_its_articles_in_the_order_published(ds):
    page = get(ds, "/paper/baonghean/2025-03-07")
    assert page.status_code == 200
    titles = re.findall(r">(Bài số \d)</a>", page.text)
    assert titles == ["Bài số 2", "Bài số 1", "Bài số 0"]  # the other paper's is not here
    assert "/paper/baonghean/2025-03-06" in page.text and "/paper/baonghean/2025" in page.text
    assert "no article of this paper" in get(ds, "/paper/baonghean/2025-03-08").text


def test_the_paper_page_links_to_its_years(ds):
    page = get(ds, "/paper/baonghean")
    assert 'href="/paper/baonghean/2024"' in page.text
    assert 'href="/paper/baonghean/2025"' in page.text


def test_a_year_without_articles_is_an_empty_calendar(ds):
    page = get(ds, "/paper/baonghean/1999")
    assert page.status_code == 200 and "0 articles on 0 days" in page.text


@pytest.mark.parametrize("when, status, message", [
    ("2025-02-30", 400, "no such day"),
    ("2025-3-7", 400, "a year (2025) or a day"),
    (quote("٢٠٢٥"), 400, "digits 0-9"),
    (quote("２０２５-03-07"), 400, "digits 0-9"),
    ("0000", 400, "a year from 0001"),
    ("9999-12-31", 200, "9999-12-31"),
    ("0001-01-01", 200, "0001-01-01"),
    ("9999", 200, "9999"),
    ("latest", 400, "a year (2025)"),
])
def test_bad_years_and_days_are_400s(ds, when, status, message):
    response = get(ds, f"/paper/baonghean/{when}")
    assert response.status_code == status, response.text[:300]
    assert message in unescape(response.text)


def test_an_unknown_paper_is_a_404(ds):
    assert get(ds, "/paper/nosuchpaper/2025").status_code == 404
