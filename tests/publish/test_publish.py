"""The archive through Datasette, with Datasette's own test client: every page, canned
query and feed, and scraped HTML rendered inert."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from newsarchive.archive import Archive
from newsarchive.ground.article import Image
from tests.support.datasette import get, published
from tests.support.fixtures import registry
from tests.support.records import dien_chau

XSS = ('<p>Đoạn một.</p><script>alert("x")</script>'
       '<img src="https://bna.1cdn.vn/a.jpg" onerror="alert(1)">'
       '<a href="javascript:alert(2)">bấm</a><p onclick="alert(3)">Đoạn hai.</p>')


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    db = tmp_path_factory.mktemp("publish") / "archive.db"
    archive = Archive(db)
    archive.runs.sync_sites(s.row() for s in registry())
    archive.articles.store(dien_chau(published_at="2026-03-07T08:47:00+07:00",
                            images=[Image("https://bna.1cdn.vn/2016/a.jpg", "Phòng một cửa")]),
                  seen_at="2026-03-07T02:00:00Z")
    archive.articles.store(dien_chau(published_at="2026-03-07T08:47:00+07:00",
                            images=[Image("https://bna.1cdn.vn/2016/a.jpg", "Phòng một cửa")],
                            body_text=dien_chau().body_text + "\nĐoạn bổ sung sau khi đăng."),
                  seen_at="2026-03-07T05:00:00Z")
    archive.articles.store(dien_chau(url="https://baolaocai.vn/song-dep-post404649.html",
                                     site="baolaocai",
                            title="Sống đẹp từ những điều giản dị", tags=["Lào Cai"],
                            published_at="2025-06-17T13:43:02+07:00", body_html=XSS,
                            authors=["Anh Dũng"], source=None))
    archive.conn.close()
    return published(db)


def rows(ds, path):
    response = get(ds, path + ("&" if "?" in path else "?") + "_shape=objects")
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def test_home_and_database_pages(ds):
    assert get(ds, "/").status_code == 200
    page = get(ds, "/archive")
    assert page.status_code == 200
    home = get(ds, "/").text
    assert "Kho lưu trữ báo địa phương" in home and 'action="/search"' in home
    tables = {t["name"]: t["hidden"] for t in get(ds, "/archive.json").json()["tables"]}
    assert not tables["articles"] and tables["articles_fts"]
    assert "pages" not in tables  # raw pages are not public (test_surface.py)


def test_articles_table_has_facets_and_newest_first(ds):
    data = get(ds, "/archive/articles.json?_shape=objects").json()
    assert [r["site"] for r in data["rows"]] == ["baonghean", "baolaocai"]  # newest first
    facets = data["facet_results"]
    assert {"site", "section", "authors", "tags"} <= set(facets)
    tag_values = {v["value"] for v in facets["tags"]["results"]}
    assert "Lào Cai" in tag_values
    filtered = rows(ds, "/archive/articles.json?tags__arraycontains=L%C3%A0o+Cai")
    assert [r["site"] for r in filtered] == ["baolaocai"]


@pytest.mark.parametrize("q", ["dien chau", "Diễn Châu", "dai dien chau", "DOI MOI"])
def test_search_query_with_or_without_diacritics(ds, q):
    found = {r["title"]: r for r in rows(ds, f"/archive/search.json?q={q}&site=&since=&until=")}
    hit = found["Diễn Châu: Hướng đến chính quyền 'vì dân phục vụ'"]
    assert "<mark>" in hit["snippet_html"]


def test_search_filters_by_site_and_dates(ds):
    base = "/archive/search.json?q=dien+chau"
    assert {r["site"] for r in rows(ds, f"{base}&site=baolaocai&since=&until=")} == {"baolaocai"}
    assert {r["site"] for r in rows(ds, f"{base}&site=&since=2026-01-01&until=")} == \
        {"baonghean"}
    assert rows(ds, f"{base}&site=&since=&until=2000-01-01") == []


def test_search_snippet_cell_is_rendered_safely(ds):
    page = get(ds, "/archive/search?q=dien+chau&site=&since=&until=").text
    assert "<mark>Diễn Châu</mark>" in page
    assert '<a href="/article/1">' in page


def test_search_and_facet_feeds_are_atom(ds):
    feed = get(ds, "/archive/search_feed.atom?q=dien+chau&site=")
    assert feed.status_code == 200 and "<feed" in feed.text and "<entry>" in feed.text
    assert "Diễn Châu: Hướng đến chính quyền" in feed.text
    by_site = get(ds, "/archive/articles_feed.atom?site=baolaocai")
    assert by_site.status_code == 200 and by_site.text.count("<entry>") == 1


def test_latest_edited_and_per_day_queries(ds):
    assert {r["site"] for r in rows(ds, "/archive/latest.json")} == {"baonghean", "baolaocai"}
    edited = rows(ds, "/archive/edited.json")
    assert len(edited) == 1 and edited[0]["version"] == 2
    assert "+Đoạn bổ sung sau khi đăng." in edited[0]["diff"]
    per_day = rows(ds, "/archive/per_day.json")
    assert {"day": "2026-03-07", "site": "baonghean", "articles": 1} in per_day
    assert rows(ds, "/archive/crawl_history.json") == []


def test_article_page_reads_like_the_newspaper(ds):
    page = get(ds, "/article/1")
    assert page.status_code == 200
    html = page.text
    assert "Diễn Châu: Hướng đến chính quyền" in html
    assert "Thứ Bảy, 07/03/2026 08:47" in html
    assert "Mai Giang" in html and "Theo Đài Diễn Châu" in html
    assert "tags__arraycontains=Di%E1%BB%85n%20Ch%C3%A2u" in html
    assert 'href="https://baonghean.vn/dien-chau' in html
    assert "Phòng một cửa" in html  # the picture's caption
    assert "Version 2" in html and "+Đoạn bổ sung sau khi đăng." in html
    assert get(ds, "/article/999").status_code == 404


@pytest.mark.parametrize("path", ["/", "/archive", "/article/1", "/-/newsarchive/chart"])
def test_the_footer_names_the_datasette_version(ds, path):
    from datasette.version import __version__

    html = get(ds, path).text
    assert f'title="Datasette v{__version__}"' in html and 'title="Datasette v"' not in html


def test_scraped_html_is_rendered_inert(ds):
    html = get(ds, "/article/2").text
    body = html[html.index('class="na-body"'):html.index("Từ khóa")]
    assert "Đoạn một." in body and "Đoạn hai." in body
    assert "<script" not in body and "alert(" not in body
    assert "onerror" not in body and "onclick" not in body and "javascript:" not in body


def test_chart_of_articles_per_day(ds):
    page = get(ds, "/-/newsarchive/chart")
    assert page.status_code == 200 and "<svg" in page.text
    svg = get(ds, "/-/newsarchive/chart?format=svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.count("<polyline") == 2  # one line per site
    assert "cdn" not in page.text.lower()


def test_served_read_only_with_limits(ds):
    write = get(ds, "/archive.json?sql=delete+from+articles")
    assert write.status_code == 400
    assert rows(ds, "/archive/articles.json?_size=max")  # capped by max_returned_rows
    assert ds.setting("allow_download") is False
    assert json.loads(get(ds, "/-/settings.json").text)["max_returned_rows"] == 1000


@pytest.mark.parametrize("newest", [None, 40])
def test_search_query_ranks_as_the_library_does(tmp_path, monkeypatch, newest):
    """The canned query is the library's tiers in SQL: same articles, same order, for a
    phrase, an every-word query and a query no word pair of which is in any article; and
    the same cutoff when a query matches more than NEWEST articles."""
    from bench.synthetic import article, queries
    from newsarchive.archive import search
    from newsarchive.archive.search import ranked_ids

    if newest:
        monkeypatch.setattr(search, "NEWEST", newest)

    db = tmp_path / "archive.db"
    archive = Archive(db)
    archive.articles.store_many([article(i) for i in range(300)])
    instance = published(db)
    seen = set()
    for q in [*queries(30), "xa thao dong moi", "nghe an chau", "phat", "va cua"]:
        tier, ranked = ranked_ids(archive.db, q, limit=50)
        seen.add(tier)
        found = [r["article"] for r in rows(instance, "/archive/search.json?" + urlencode(
            {"q": q, "site": "", "since": "", "until": ""}))]
        assert found == [i for i, _ in ranked], q
    assert seen == {"phrase", "pairs", "all"}
