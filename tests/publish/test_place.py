"""#18 item 3: places in the published archive. A page per unit (`/place/{code}`) with
its articles over time, those naming its former units included; the reader's search
filtered by place, with a place facet; place links on results and article pages."""

from __future__ import annotations

import pytest

from newsarchive.archive import Archive, places
from newsarchive.archive.search import Filters, find
from newsarchive.ground.page import Page
from newsarchive.places import tag
from tests.support.datasette import get, published
from tests.support.fixtures import registry
from tests.support.records import dien_chau

# 2018: a commune and a district that the 2025 reform merged and abolished
OLD = dien_chau(url="https://baonghean.vn/lua-xuan-2018.html", title="Lúa xuân bội thu",
                body_text="Nông dân xã Diễn Lâm, huyện Diễn Châu thu hoạch lúa xuân.",
                sapo="Mùa vụ thắng lợi.", published_at="2018-05-02T08:00:00+07:00")
# 2026: the commune that Diễn Lâm became
NEW = dien_chau(url="https://baonghean.vn/le-hoi-hung-chau.html", title="Lễ hội làng",
                body_text="Xã Hùng Châu tổ chức lễ hội truyền thống, đông người dự.",
                sapo="Lễ hội đầu xuân.", published_at="2026-02-10T08:00:00+07:00")
ELSEWHERE = dien_chau(url="https://baolaocai.vn/sa-pa-post1.html", site="baolaocai",
                      title="Du lịch Sa Pa", sapo="Khách đông.", tags=[],
                      body_text="Thị xã Sa Pa, tỉnh Lào Cai đón khách du lịch dịp Tết.",
                      published_at="2024-02-10T08:00:00+07:00")
HUNG_CHAU, DIEN_LAM, DIEN_CHAU, NGHE_AN = "c34-17395", "c63-17392", "d63-425", "p34-40"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("place") / "archive.db"
    archive = Archive(path)
    archive.runs.sync_sites(s.row() for s in registry())
    for a in (OLD, NEW, ELSEWHERE):
        site = registry().get(a.site)
        rows = [t.row() for t in tag(a, site)]
        archive.store_page(Page(url=a.url, body=b"<html></html>",
                                fetched_at="2026-03-07T02:00:00Z"), a, places=rows)
    archive.conn.close()
    return path


@pytest.fixture(scope="module")
def ds(db):
    return published(db)


def _ids(db, code: str) -> set[str]:
    archive = Archive(db)
    _, found = places.articles_about(archive.conn, code)
    return {a["title"] for a in found}


def test_a_unit_lists_the_articles_that_named_its_former_units(db):
    assert _ids(db, HUNG_CHAU) == {OLD.title, NEW.title}
    assert _ids(db, DIEN_LAM) == {OLD.title}
    assert _ids(db, DIEN_CHAU) == {OLD.title}
    assert _ids(db, NGHE_AN) == {OLD.title, NEW.title}
    archive = Archive(db)
    assert places.formerly(archive.conn, HUNG_CHAU) == [
        {"code": DIEN_LAM, "name": "Xã Diễn Lâm", "articles": 1}]
    old = places.unit(archive.conn, DIEN_LAM)
    assert old["former"] and old["now_code"] == HUNG_CHAU
    assert places.unit(archive.conn, NGHE_AN)["name"] == "Tỉnh Nghệ An"
    assert places.unit(archive.conn, "c34-99999") is None


def test_the_place_page_of_todays_unit(ds):
    page = get(ds, f"/place/{HUNG_CHAU}")
    assert page.status_code == 200
    text = page.text
    assert "<title>Xã Hùng Châu" in text and 'lang="vi"' in text
    assert OLD.title in text and NEW.title in text and ELSEWHERE.title not in text
    assert f'href="/place/{DIEN_LAM}"' in text  # the name older articles used
    assert "xã Diễn Lâm" in text  # as the 2018 article wrote it
    assert "<svg" in text  # articles per month


def test_the_place_page_of_a_former_unit_says_what_it_became(ds):
    for code, now in ((DIEN_LAM, HUNG_CHAU), (DIEN_CHAU, NGHE_AN)):
        text = get(ds, f"/place/{code}").text
        assert "trước ngày 1/7/2025" in text and f'href="/place/{now}"' in text
        assert OLD.title in text and NEW.title not in text


def test_a_province_page_lists_the_places_within(ds):
    text = get(ds, f"/place/{NGHE_AN}").text
    assert OLD.title in text and NEW.title in text
    assert f'href="/place/{HUNG_CHAU}"' in text


@pytest.mark.parametrize("path,status", [
    ("/place/c34-99999", 404), ("/place/abc", 404), ("/place/~3Cscript~3Ealert(1)", 404),
    (f"/place/{HUNG_CHAU}?page=abc", 400), (f"/place/{HUNG_CHAU}?page=0", 400),
    ("/search?q=le+hoi&place=abc", 400),
    ("/search?q=le+hoi&place=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 400),
])
def test_bad_places_are_refused_with_a_message(ds, path, status):
    response = get(ds, path)
    assert response.status_code == status, path
    assert "<script>alert" not in response.text


def test_search_filtered_by_place_with_a_place_facet(ds):
    text = get(ds, "/search?q=xuan").text
    assert "Địa danh / Place" in text
    assert "Xã Hùng Châu (Xã Diễn Lâm)" in text  # today's name, with the name then
    assert f"place={HUNG_CHAU}" in text
    both = get(ds, "/search.json?q=le+hoi+OR+lua+OR+du+lich").json()
    assert both["total"] == 3
    assert both["facets"]["place"][HUNG_CHAU] == 2
    narrowed = get(ds, f"/search.json?q=le+hoi+OR+lua+OR+du+lich&place={HUNG_CHAU}").json()
    assert {h["title"] for h in narrowed["hits"]} == {OLD.title, NEW.title}
    assert "Xã Hùng Châu" in narrowed["hits"][0]["places"]
    assert get(ds, f"/search.json?q=le+hoi&place={HUNG_CHAU}&site=baolaocai"
               ).json()["total"] == 0


def test_results_and_article_pages_link_to_places(ds, db):
    text = get(ds, "/search?q=le+hoi").text
    assert f'href="/place/{HUNG_CHAU}"' in text
    archive = Archive(db)
    old_id = archive.conn.execute("SELECT id FROM articles WHERE url = ?",
                                  [OLD.url]).fetchone()[0]
    article = get(ds, f"/article/{old_id}").text
    assert f'href="/place/{HUNG_CHAU}"' in article and "xã Diễn Lâm" in article


def test_the_library_search_filters_by_place(db):
    archive = Archive(db)
    results = find(archive.db, "le hoi OR lua OR du lich", Filters(place=DIEN_CHAU))
    assert [h["title"] for h in results.hits] == [OLD.title]
    assert results.place_names[HUNG_CHAU] == "Xã Hùng Châu (Xã Diễn Lâm)"


def test_the_place_queries_read_indexes_never_the_whole_table(db):
    """A unit's articles come from three indexed lookups: one `? IN (three columns)`
    read every row of article_places (1 s at 300,000 articles; bench/place_page.py)."""
    archive = Archive(db)
    for sql in (f"SELECT count(*) FROM ({places.ABOUT})",
                f"SELECT id FROM articles WHERE id IN ({places.ABOUT}) "
                "ORDER BY published_utc DESC LIMIT 50"):
        plan = " | ".join(r[-1] for r in archive.conn.execute(
            "EXPLAIN QUERY PLAN " + sql, {"code": HUNG_CHAU}))
        assert "SCAN article_places" not in plan, plan
        assert plan.count("USING INDEX article_places_") + plan.count(
            "USING COVERING INDEX article_places_") == 3, plan


def test_the_chart_keeps_the_time_between_articles(ds):
    """2018-05 to 2026-02 is 94 months: a bar for each, empty months included."""
    text = get(ds, f"/place/{HUNG_CHAU}").text
    chart = text[text.index("<svg"):text.index("</svg>")]
    assert chart.count("<rect") == 94
    assert "<title>2018-05: 1</title>" in chart and "<title>2022-01: 0</title>" in chart
    assert "Bài theo tháng / articles per month" in text


def test_over_ten_years_the_chart_counts_years():
    from newsarchive.publish.charts import periods

    assert periods([("2015-03", 2), ("2015-04", 1), ("2026-01", 5)]) == (
        "year", [(str(y), {2015: 3, 2026: 5}.get(y, 0)) for y in range(2015, 2027)])
    assert periods([("2025-11", 1), ("2026-02", 4), ("bad", 9)]) == (
        "month", [("2025-11", 1), ("2025-12", 0), ("2026-01", 0), ("2026-02", 4)])
    assert periods([]) == ("month", [])


def test_the_place_page_pages_newest_first(db, monkeypatch):
    from newsarchive.publish import browse

    monkeypatch.setattr(browse, "PLACE_PAGE", 1)
    ds = published(db)
    first, second = (get(ds, f"/place/{HUNG_CHAU}?page={n}").text for n in (1, 2))
    assert NEW.title in first and OLD.title not in first and "Trang 1 / 2" in first
    assert f'href="/place/{HUNG_CHAU}?page=2"' in first
    assert OLD.title in second and NEW.title not in second
    beyond = get(ds, f"/place/{HUNG_CHAU}?page=3")
    assert beyond.status_code == 404 and "2 page(s)" in beyond.text


def test_the_place_filter_combines_with_the_others(ds):
    query = "/search.json?q=le+hoi+OR+lua+OR+du+lich"
    assert [h["title"] for h in get(ds, f"{query}&place={HUNG_CHAU}&year=2018").json()[
        "hits"]] == [OLD.title]
    assert get(ds, f"{query}&place={HUNG_CHAU}&since=2026-01-01").json()["hits"][0][
        "title"] == NEW.title
    lao_cai = get(ds, f"{query}&site=baolaocai").json()["facets"]["place"]
    assert HUNG_CHAU not in lao_cai and lao_cai  # the facet counts what is left
    page = get(ds, f"/search?q=le+hoi+OR+lua&place={HUNG_CHAU}").text
    assert f'name="place" value="{HUNG_CHAU}"' in page  # kept when the words change


@pytest.mark.parametrize("code", [HUNG_CHAU, NGHE_AN, DIEN_CHAU])
def test_pages_are_the_same_walked_newest_first_or_sorted(db, code):
    """A dense unit's page walks the articles newest first, a sparse one's sorts its
    matches (articles_about picks by count): page by page, the same articles in order."""
    archive = Archive(db)
    total, everything = places.articles_about(archive.conn, code, limit=50)
    assert total == len(everything) >= 1
    one_by_one = [places.articles_about(archive.conn, code, 1, n)[1][0]
                  for n in range(total)]  # page 1 of 1 article is walked: 1 * 3 <= total²
    assert one_by_one == everything
    dates = [a["published_at"] for a in everything]
    assert dates == sorted(dates, reverse=True)
