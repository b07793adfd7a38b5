"""`/trends`, `/trends.csv` and `/trends.json` with Datasette's own client: counts as the
library counts them, points that open the search for their period, small multiples,
and every bad parameter a 400 with a message, never a 500."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from newsarchive.archive import Archive
from tests.publish.test_browser import server  # noqa: F401 - the browser test's fixture
from tests.support.datasette import get, published
from tests.support.fixtures import manifest, registry
from tests.support.records import story


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    db = tmp_path_factory.mktemp("trends") / "papers.db"
    archive = Archive(db)
    archive.runs.sync_sites(s.row() for s in registry())
    for i in range(40):
        archive.articles.store(story(i, "baonghean", f"Giá vàng {i}", "Giá vàng tăng.",
                                     day=f"2025-{1 + i % 4:02d}-{1 + i % 20:02d}"))
    for i in range(40, 46):
        archive.articles.store(story(i, "baolaocai", "Mưa lũ", "Lũ lụt ở Lào Cai.",
                                     day=f"2025-0{1 + i % 2}-1{i % 9}"))
    archive.close()
    return published(db)


def _json(ds, path: str) -> dict:
    response = get(ds, path)
    assert response.status_code == 200, response.text
    return response.json()


def test_two_queries_side_by_side_as_json(ds):
    data = _json(ds, "/trends.json?q=gia+vang&q=lu+lut&period=month")
    gold, flood = data["series"]
    assert (gold["query"], gold["matches"], flood["matches"]) == ("gia vang", 40, 6)
    january = gold["points"][0]
    assert january == {"period": "2025-01", "matches": 10, "total": 13,
                       "share": round(10 / 13, 6), "little_data": True}
    assert [p["period"] for p in flood["points"]] == ["2025-01", "2025-02", "2025-03",
                                                      "2025-04"]


def test_csv_has_query_period_matches_total_share(ds):
    response = get(ds, "/trends.csv?q=lu+lut&period=year&site=baolaocai")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows == [{"query": "lu lut", "group": "", "period": "2025", "matches": "6",
                     "total": "6", "share": "1.0", "little_data": "True"}]


def test_the_page_draws_a_point_per_period_that_opens_the_search_for_it(ds):
    page = get(ds, "/trends?q=gia+vang&q=lu+lut&period=month&as=count")
    assert page.status_code == 200
    links = [unescape(h) for h in re.findall(r'<a href="([^"]+)"><circle', page.text)]
    assert len(links) == 2 * 4
    args = parse_qs(urlsplit(links[1]).query)
    assert args == {"q": ["gia vang"], "since": ["2025-02-01"], "until": ["2025-02-28"]}
    search = _json(ds, "/search.json?" + urlsplit(links[1]).query)
    gold = _json(ds, "/trends.json?q=gia+vang")["series"][0]["points"][1]
    assert search["total"] == gold["matches"] == 10
    assert "trends.csv?q=gia+vang&amp;q=lu+lut" in page.text


def test_small_multiples_per_paper(ds):
    data = _json(ds, "/trends.json?q=lu&by=site&period=year")
    assert {s["group"]: s["matches"] for s in data["series"]} == {"baolaocai": 6,
                                                                   "baonghean": 0}
    page = get(ds, "/trends?q=lu&by=site&period=year")
    assert page.text.count('class="na-multiple"') == 2
    assert "site=baolaocai" in page.text and "Báo Lào Cai (6)" in page.text


def test_the_search_page_links_to_the_trend_of_its_query(ds):
    page = get(ds, "/search?q=gia+vang&site=baonghean")
    assert "/trends?q=gia%20vang&amp;site=baonghean" in page.text
    assert get(ds, "/trends").status_code == 200


def test_an_empty_scope_is_an_answer_not_an_error(ds):
    page = get(ds, "/trends?q=gia+vang&since=2030-01-01")
    assert page.status_code == 200 and "no dated article in this scope" in page.text
    assert _json(ds, "/trends.json?q=khong+co+gi")["series"][0]["matches"] == 0


@pytest.mark.parametrize("query, message", [
    ("q=a&period=fortnight", "period: one of day, week, month, year"),
    ("q=a&as=percent", "as: one of share, count"),
    ("q=a&by=district", "by: one of site, province"),
    ("q=a&q=b&by=site", "one query"),
    ("&".join(["q=a"] * 6), "at most 5"),
    ("q=a&since=2025-13-01", "since"),
    ("q=a&until=" + quote("２０２５-01-01"), "until"),
    ("q=a&since=" + quote("٢٠٢٥-01-01"), "since"),
    ("q=a&site=nosuchpaper", "no paper"),
    ("q=" + "a" * 501, "at most 500"),
    ("q=-only", "nothing to search"),
    ("q=a&period=day&since=1990-01-01", "more than 4,000 days"),
])
def test_bad_parameters_are_400s_that_say_why(ds, query, message, tmp_path):
    if "4,000" in message:  # a day per point over a long span of dates
        db = tmp_path / "long.db"
        archive = Archive(db)
        for i, day in enumerate(("2001-01-01", "2025-01-01")):
            archive.articles.store(story(i, "baonghean", "a", "a", day))
        archive.close()
        ds = published(db)
    for fmt in ("", ".json", ".csv"):
        response = get(ds, f"/trends{fmt}?{query}")
        assert response.status_code == 400, (fmt, response.text[:300])
        assert message in unescape(response.text)


def test_the_page_offers_each_querys_articles_for_download(ds):
    page = unescape(get(ds, "/trends?q=gia+vang&q=lu&site=baolaocai").text)
    href = re.search(r'href="(/export\.csv\?q=lu&[^"]+)"', page).group(1)
    assert href == "/export.csv?q=lu&site=baolaocai"
    assert len(get(ds, href).text.splitlines()) == 1 + 6
    assert "/export/datapackage.json?q=gia+vang&site=baolaocai" in page


@pytest.mark.slow
def test_in_a_browser_two_queries_a_point_clicked_and_a_calendar_day(request):
    """Headless Chromium on the captured pages: a two-query trend, a click on a point of
    its chart, a paper's calendar and a day of it; screenshots in test-output/."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.publish.test_browser import OUTPUT, browser

    base = request.getfixturevalue("server")
    driver = browser()
    wait = WebDriverWait(driver, 30)
    try:
        driver.get(base + "/search?q=gia+vang")
        driver.find_element(By.CSS_SELECTOR, "a.na-trends-link").click()
        wait.until(lambda d: "/trends?q=gia%20vang" in d.current_url)
        second = driver.find_elements(By.CSS_SELECTOR, "input[name=q]")[1]
        second.send_keys("co phieu")
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait.until(lambda d: "q=co+phieu" in d.current_url)
        assert len(driver.find_elements(By.CSS_SELECTOR, "svg.na-trend polyline")) == 2
        OUTPUT.mkdir(exist_ok=True)
        driver.save_screenshot(str(OUTPUT / "trends-page.png"))
        point = driver.find_element(By.CSS_SELECTOR,
                                    "svg.na-trend a[href*='since=2026-03-01'] circle")
        point.click()
        wait.until(lambda d: "/search?" in d.current_url)
        assert "until=2026-03-31" in driver.current_url
        assert "Giá vàng giảm" in driver.find_element(By.CSS_SELECTOR, ".na-hits").text
        driver.get(base + "/paper/dantri")
        driver.find_element(By.CSS_SELECTOR, "a[href='/paper/dantri/2026']").click()
        wait.until(lambda d: d.current_url.endswith("/paper/dantri/2026"))
        driver.save_screenshot(str(OUTPUT / "paper-calendar.png"))
        driver.find_element(By.CSS_SELECTOR, "a[href='/paper/dantri/2026-03-07']").click()
        wait.until(lambda d: d.current_url.endswith("/2026-03-07"))
        assert "Giá vàng giảm" in driver.find_element(By.CSS_SELECTOR, ".na-hits").text
        # three papers run the story the next day, while the site is served
        ids = _copies(request.getfixturevalue("tmp_path") / "archive.db",
                      request.getfixturevalue("fixtures_path"))
        driver.find_element(By.CSS_SELECTOR, f".na-hits a[href='/article/{ids[0]}']").click()
        wait.until(lambda d: d.find_elements(By.ID, "na-story"))
        box = driver.find_element(By.ID, "na-story")
        assert "Also in 3 other papers" in box.text
        copies = box.find_elements(By.CSS_SELECTOR, "li")
        assert len(copies) == 4 and "first appearance" in copies[0].text
        assert "(this page)" in copies[0].text and "Dân trí" in copies[0].text
        assert "Theo TTXVN" in copies[1].text and "Báo Nghệ An" in copies[1].text
        assert sum("first appearance" in c.text for c in copies) == 1
        driver.execute_script("arguments[0].scrollIntoView()", box)
        driver.save_screenshot(str(OUTPUT / "story-copies.png"))
        copies[2].find_element(By.CSS_SELECTOR, "a").click()
        wait.until(lambda d: d.current_url.endswith(f"/article/{ids[2]}"))
        box = driver.find_element(By.ID, "na-story")
        assert "Also in 3 other papers" in box.text
        assert "(this page)" in box.find_elements(By.CSS_SELECTOR, "li")[2].text
    finally:
        driver.quit()
    assert (OUTPUT / "story-copies.png").stat().st_size > 10_000


def _copies(db, fixtures) -> list[int]:
    """The captured Dân trí article on gold and three provincial papers' copies of it a
    day later (the outlet tag and source line added, a headline changed, the last third
    cut), stored as a crawl stores them: the ids, the original's first."""
    from dataclasses import replace

    from newsarchive.extract.core import extract
    from newsarchive.ground.page import Page

    url = ("https://dantri.com.vn/kinh-doanh/gia-vang-giam-van-cao-hon-the-gioi-gan-20-"
           "trieu-dongluong-20260307080054340.htm")
    file = next(fx.file for fx in manifest(fixtures) if fx.url == url)
    original = extract((fixtures / file).read_bytes(), url, site=registry().for_url(url))
    body = [p for p in original.body_text.split("\n") if p]
    copies = [
        replace(original, url="https://baonghean.vn/gia-vang-giam-post10.html",
                site="baonghean", source="TTXVN", authors=["PV"],
                body_text="\n".join(["(TTXVN) - " + body[0], *body[1:]]),
                published_at="2026-03-08T07:30:00+07:00"),
        replace(original, url="https://baohatinh.vn/gia-vang-giam-post11.html",
                site="baohatinh", title="Giá vàng trong nước giảm",
                published_at="2026-03-08T09:00:00+07:00"),
        replace(original, url="https://baolaocai.vn/gia-vang-giam-post12.html",
                site="baolaocai", source="TTXVN",
                body_text="\n".join(body[:max(1, round(len(body) * 2 / 3))]),
                published_at="2026-03-08T10:15:00+07:00"),
    ]
    archive = Archive(db)
    ids = [archive.articles.find(url)["id"]]
    for copy in copies:
        archive.store_page(Page(copy.url, b"<html></html>", fetched_at="2026-03-08T04:00:00Z"),
                           copy)
        ids.append(archive.articles.find(copy.url)["id"])
    archive.close()
    return ids
