"""The reader's pages (/, /search, /paper/ID, the article's citation) with Datasette's
own test client, on an archive whose file is not called archive.db."""

from __future__ import annotations

import asyncio
import html as html_module
import re
from urllib.parse import quote

import pytest
from datasette.utils.asgi import Request

from newsarchive.archive import Archive
from newsarchive.publish.pages import render_page
from tests.support.datasette import get, published
from tests.support.fixtures import registry
from tests.support.records import dien_chau

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def _gold(i: int, site: str, day: str, title: str, section: str):
    return dien_chau(url=f"https://{site}.vn/gia-vang-{i}-post{1000 + i}.html", site=site,
                     title=title, sapo="Giá vàng thế giới tăng mạnh trong phiên giao dịch.",
                     body_text=f"Thị trường vàng ngày {day}.\nNgười dân mua vàng miếng.",
                     tags=["giá vàng"], source=None, section=section,
                     published_at=f"{day}T09:00:00+07:00")


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    db = tmp_path_factory.mktemp("reader") / "bna.db"
    archive = Archive(db)
    archive.runs.sync_sites(s.row() for s in registry())
    archive.articles.store(dien_chau(published_at="2026-03-07T08:47:00+07:00"),
                           seen_at="2026-03-07T02:00:00Z")
    archive.articles.store(dien_chau(published_at="2026-03-07T08:47:00+07:00",
                                     body_text=dien_chau().body_text + "\nĐoạn thêm."),
                           seen_at="2026-03-07T05:00:00Z")
    for i in range(25):
        site, section = (("baolaocai", "Kinh tế") if i % 5 == 0 else
                         ("baonghean", "Thị trường"))
        archive.articles.store(_gold(i, site, f"2025-{1 + i % 12:02d}-{1 + i:02d}",
                                     f"Giá vàng tuần {i}", section))
    archive.articles.store(dien_chau(url="https://baonghean.vn/lu-lut-post9.html",
                                     title="Mưa lũ ở miền Tây", sapo="Lũ lụt gây thiệt hại.",
                                     body_text="Nước dâng cao.", tags=[], source=None,
                                     published_at="2024-10-01T07:00:00+07:00"))
    archive.conn.close()
    return published(db)


def search(ds, query: str, **args):
    extra = "".join(f"&{k}={quote(str(v))}" for k, v in args.items())
    response = get(ds, f"/search.json?q={quote(query)}{extra}")
    assert response.status_code == 200, response.text
    return response.json()


def test_search_page_lists_results_for_a_reader(ds):
    page = get(ds, "/search?q=dien+chau")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="vi">' in html
    assert "<title>dien chau — Tìm kiếm" in html
    assert '<a href="/article/1">Diễn Châu: Hướng đến chính quyền' in html
    assert "Báo Nghệ An" in html and "Nghệ An" in html and "Thứ Bảy, 07/03/2026 08:47" in html
    assert "<mark>Diễn Châu</mark>" in html and "Thời sự" in html
    assert "<strong>1</strong>" in html and "the exact phrase" in html
    assert 'href="/search.json?q=dien+chau' in html and 'href="/search.csv?q=dien+chau' in html
    assert "from articles" not in html.lower()  # no SQL on a reader's page


def test_search_without_a_query_explains_itself(ds):
    page = get(ds, "/search")
    assert page.status_code == 200 and "OR" in page.text and "kết quả" not in page.text


def test_facets_count_and_filter(ds):
    data = search(ds, "gia vang")
    assert data["total"] == 25 and data["tier"] == "phrase"
    assert data["facets"]["site"] == {"baonghean": 20, "baolaocai": 5}
    assert data["facets"]["province"]["Lào Cai"] == 5
    assert data["facets"]["section"] == {"Thị trường": 20, "Kinh tế": 5}
    assert data["facets"]["year"] == {"2025": 25}
    assert search(ds, "gia vang", site="baolaocai")["total"] == 5
    assert search(ds, "gia vang", province="Lào Cai", section="Kinh tế")["total"] == 5
    html = get(ds, "/search?q=gia+vang").text
    assert "site=baolaocai" in html and "Báo Lào Cai</a> (5)" in html
    assert "Tháng / Month" not in html  # months are offered within a year
    in_year = get(ds, "/search?q=gia+vang&year=2025").text
    assert "Tháng / Month" in in_year and "month=2025-03" in in_year
    assert search(ds, "gia vang", year="2025", month="2025-03")["total"] == 2


def test_date_range_and_sorting(ds):
    ranged = search(ds, "gia vang", since="2025-03-01", until="2025-03-31")
    assert {h["published_at"][:7] for h in ranged["hits"]} == {"2025-03"}
    newest = [h["published_at"] for h in search(ds, "gia vang", sort="newest")["hits"]]
    assert newest == sorted(newest, reverse=True)
    oldest = [h["published_at"] for h in search(ds, "gia vang", sort="oldest")["hits"]]
    assert oldest == sorted(oldest)


def test_pagination(ds):
    first, second = search(ds, "gia vang"), search(ds, "gia vang", page=2)
    assert len(first["hits"]) == 20 and len(second["hits"]) == 5
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    html = get(ds, "/search?q=gia+vang").text
    assert "page=2" in html and "Trang 1 / 2" in html
    past = get(ds, "/search?q=gia+vang&page=9")  # past the end: a 404, as /place/CODE
    assert past.status_code == 404 and "this search has 2 page(s)" in past.text


def test_or_and_minus_behave_as_a_reader_expects(ds):
    assert search(ds, "dien chau OR mua lu")["total"] == 2
    assert search(ds, "dien chau OR mua lu")["tier"] == "any"
    assert search(ds, "gia vang -\"mien tay\"")["total"] == 25
    assert search(ds, "gia vang OR mua lu -lut")["total"] == 25
    assert search(ds, "vang -mieng")["total"] == 0


def test_csv_has_the_same_results(ds):
    response = get(ds, "/search.csv?q=gia+vang&site=baolaocai")
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("id,title,site") and len(lines) == 6


def test_month_chart_is_drawn_on_the_server(ds):
    html = get(ds, "/search?q=gia+vang").text
    assert 'class="na-months"' in html and "2025-01: 3" in html


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=99999", "since=2025-13-01",
                                   "until=yesterday", "sort=random", "site=nosuchpaper",
                                   "year=20x5", "month=2025-13"])
def test_bad_parameters_are_400_not_500(ds, query):
    response = get(ds, f"/search?q=gia+vang&{query}")
    assert response.status_code == 400, response.text
    assert "Error 400" in response.text


def test_hostile_query_string_is_rendered_inert(ds):
    for path in ("/search?q=" + quote(HOSTILE), "/search?q=vang&section=" + quote(HOSTILE),
                 "/search?q=vang&since=" + quote(HOSTILE), "/search?q=vang&site=" + quote(HOSTILE)):
        response = get(ds, path)
        assert response.status_code in (200, 400)
        assert "<script>alert(1)" not in response.text and "<img src=x" not in response.text
    data = get(ds, "/search.json?q=" + quote(HOSTILE))
    assert data.headers["content-type"] == "application/json" and data.json()["total"] == 0
    assert "&lt;script&gt;" in get(ds, "/search?q=" + quote(HOSTILE)).text


def test_home_page_for_readers(ds):
    html = get(ds, "/").text
    assert '<html lang="vi">' in html and "<title>Kho lưu trữ báo địa phương" in html
    assert 'action="/search"' in html and 'name="q"' in html
    assert '<a href="/paper/baonghean">Báo Nghệ An</a>' in html
    assert "2024-10-01 – 2026-03-07" in html  # the dates Báo Nghệ An covers
    assert html.index("Giá vàng tuần") < html.index("Báo tỉnh")  # newest articles first
    assert 'href="/bna"' in html and "<svg" in html  # the tables, under "data"


def test_paper_page(ds):
    html = get(ds, "/paper/baolaocai").text
    assert "<title>Báo Lào Cai — " in html and "Lào Cai" in html
    assert "Giá vàng tuần 0" in html and "Kinh tế" in html
    assert "articles_feed.atom?site=baolaocai" in html and "No crawl recorded yet." in html
    assert get(ds, "/paper/nosuchpaper").status_code == 404
    moved = get(ds, "/paper/" + quote("<img src=x onerror=alert(2)>"))  # Datasette's ~ form
    hostile = get(ds, moved.headers["location"]) if moved.status_code == 302 else moved
    assert hostile.status_code == 404 and "<img src=x" not in hostile.text


def test_article_page_cites_the_archived_copy(ds):
    html = get(ds, "/article/1").text
    assert "Cite this article" in html
    assert "Mai Giang. (2026, March 7). Diễn Châu: Hướng đến chính quyền" in html
    assert "Archived copy, version 2, captured 2026-03-07T05:00:00Z" in html
    assert 'href="http://localhost/article/1"' in html
    assert "edited after publication" in html
    assert "edited after publication" not in get(ds, "/article/3").text


def test_empty_feeds_answer_200(ds):
    for path in ("/bna/search_feed.atom?q=zzzzqq&site=",
                 "/bna/articles_feed.atom?site=nosuchpaper"):
        feed = get(ds, path)
        assert feed.status_code == 200, path
        assert "<feed" in feed.text and "<entry>" not in feed.text
    full = get(ds, "/bna/search_feed.atom?q=gia+vang&site=")
    assert full.status_code == 200 and full.text.count("<entry>") == 25


@pytest.mark.parametrize("path", ["/", "/search", "/search?q=vang", "/paper/baonghean",
                                  "/article/1", "/bna", "/bna/articles", "/-/newsarchive/chart"])
def test_every_page_is_vietnamese_with_a_title_and_a_search_link(ds, path):
    html = get(ds, path).text
    assert '<html lang="vi">' in html and "<title></title>" not in html
    assert 'href="/search"' in html


def test_an_empty_archive_says_how_to_fill_it(tmp_path):
    db = tmp_path / "bna.db"
    Archive(db).close()
    html = get(published(db), "/").text
    assert "Nothing archived yet" in html
    assert "newsarchive crawl --all --db bna.db" in html


def test_search_page_shows_text_that_is_no_utf8(tmp_path):
    """The search reads rows with SQLite's own decoding (pages.plain_rows); a text that
    is not UTF-8 (written by some other tool) falls back to Datasette's lenient one."""
    db = tmp_path / "odd.db"
    archive = Archive(db)
    archive.runs.sync_sites(s.row() for s in registry())
    archive.articles.store(dien_chau())
    with archive.conn:
        archive.conn.execute("UPDATE articles SET section = CAST(X'4b696e68ff' AS TEXT)")
    archive.conn.close()
    page = get(published(db), "/search?q=dien+chau")
    assert page.status_code == 200, page.text
    assert "Kinh\ufffd" in page.text and "<mark>Diễn Châu</mark>" in page.text



def test_pages_rendered_synchronously_keep_datasettes_menu(ds):
    """pages.render_page renders without Jinja's async mode: the menu Datasette's hooks
    give a signed-in root, an async call in base.html, is still there."""
    request = Request.fake("/search")
    request.scope.update(actor={"id": "root"}, csrftoken=lambda: "token")
    page = asyncio.run(render_page(ds, request, "base.html", {}))
    assert 'href="/-/plugins"' in page and "<strong>root</strong>" in page
    assert '<p class="crumbs">' in page and "coroutine" not in page


def test_stored_markup_in_results_and_facets_is_escaped(tmp_path):
    """Results and facets are built as strings in Python (search_page.hit_html, facet_html), not
    by the autoescaping template: a title, section or paper name holding markup is shown
    as text."""
    db = tmp_path / "bna.db"
    archive = Archive(db)
    archive.runs.sync_sites(s.row() for s in registry())
    archive.articles.store(dien_chau(title="Diễn Châu " + HOSTILE, section=HOSTILE))
    with archive.conn:
        archive.conn.execute("UPDATE sites SET name = ?, province = ? WHERE id = 'baonghean'",
                             ["Báo " + HOSTILE, HOSTILE])
    archive.conn.close()
    html = get(published(db), "/search?q=dien+chau").text
    assert "<mark>Diễn Châu</mark>" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5  # title, meta, facets


# --- #26 item 9: the reader's details


@pytest.fixture(scope="module")
def detailed(tmp_path_factory):
    """One paper with one dated article naming places and a crawl with errors; one whose
    every crawl failed, one whose crawl went well."""
    from newsarchive.ground.outcomes import RunStatus
    from newsarchive.ground.page import Page
    from newsarchive.places import tag

    db = tmp_path_factory.mktemp("details") / "archive.db"
    archive = Archive(db)
    archive.runs.sync_sites(s.row() for s in registry())
    article = dien_chau(published_at="2026-03-07T08:47:00+07:00")
    archive.store_page(Page(url=article.url, body=b"<html></html>",
                            fetched_at="2026-03-07T02:00:00Z"), article,
                       places=[t.row() for t in tag(article, registry().get("baonghean"))])
    archive.runs.record("baonghean", "2026-03-07T01:00:00Z", {"new": 1},
                        {"not-captured": 19, "article-http-404": 2})
    for _ in range(2):
        archive.runs.record("baocamau", "2026-03-07T01:00:00Z", {}, {"discovery-dns": 3},
                            RunStatus.FAILED)
    archive.runs.record("baocaobang", "2026-03-06T01:00:00Z", {}, {})
    archive.conn.close()
    return published(db)


def _atom_title(response) -> str:
    assert response.status_code == 200, response.text
    return re.search(r"<title>([^<]*)</title>", response.text).group(1)


def test_feeds_are_titled_in_words_not_sql(detailed):
    paper = get(detailed, "/paper/baonghean").text
    href = html_module.unescape(re.search(r'href="([^"]*articles_feed\.atom[^"]*)"',
                                          paper).group(1))
    assert _atom_title(get(detailed, href)) == "Báo Nghệ An — Kho lưu trữ báo địa phương"
    bare = _atom_title(get(detailed, "/archive/articles_feed.atom?site=baonghean"))
    assert "select" not in bare.lower() and "baonghean" in bare
    search = _atom_title(get(detailed, "/archive/search_feed.atom?q=dien+chau&site="))
    assert search == "Tìm / Search: dien chau — Kho lưu trữ báo địa phương"
    other = _atom_title(get(detailed, "/archive/search_feed.atom?q=zzzzqq&site=baonghean"))
    assert other.startswith("Tìm / Search: zzzzqq (baonghean)")  # an empty feed too
    page = get(detailed, "/search?q=dien+chau").text
    feed = html_module.unescape(re.search(r'href="([^"]*search_feed\.atom[^"]*)"',
                                          page).group(1))
    assert "dien chau" in _atom_title(get(detailed, feed))


def test_a_place_without_words_lists_the_places_articles(detailed):
    page = get(detailed, "/search?place=p34-40")  # Nghệ An
    assert page.status_code == 200
    assert '<a href="/article/1">Diễn Châu' in page.text and "<strong>1</strong>" in page.text
    assert 'name="place" value="p34-40"' in page.text  # the filter is kept
    data = get(detailed, "/search.json?place=p34-40").json()
    assert [h["id"] for h in data["hits"]] == [1] and data["tier"] == "filters"
    assert get(detailed, "/search.json?place=p34-01").json()["hits"] == []  # Hà Nội


def test_past_the_last_page_and_an_empty_date_range_are_errors_that_say_so(detailed):
    past = get(detailed, "/search?q=dien+chau&page=99")
    assert past.status_code == 404 and "page 99: this search has 1 page(s)" in past.text
    backwards = get(detailed, "/search?q=dien+chau&since=2026-03-08&until=2026-03-01")
    assert backwards.status_code == 400
    assert "since 2026-03-08 is after until 2026-03-01" in backwards.text
    same_day = get(detailed, "/search.json?q=dien+chau&since=2026-03-07&until=2026-03-07")
    assert [h["id"] for h in same_day.json()["hits"]] == [1]  # both ends included


def test_the_paper_page_says_its_errors_and_counts_in_words(detailed):
    html = get(detailed, "/paper/baonghean").text
    assert "1 dated article " in html.replace("<", " <") and "dated articles" not in html
    assert "19 pages: not in the capture, 2 articles: HTTP error 404" in html
    assert "{&#34;" not in html and '{"' not in html  # no JSON


def test_the_home_page_sorts_papers_in_vietnamese_order(detailed):
    html = get(detailed, "/").text
    names = re.findall(r'<td><a href="/paper/[^"]+">([^<]+)</a>', html)
    assert names[0] == "Báo Nghệ An"  # papers with articles first
    assert names.index("Báo Cà Mau") < names.index("Báo Cao Bằng")  # `ca` before `cao`
    assert names.index("Báo Cần Thơ") < names.index("Báo Đà Nẵng")  # Đ after C, D
    assert names.index("Báo Đồng Tháp") < names.index("Báo Gia Lai")  # ... before G


def test_the_home_page_shows_no_last_crawl_for_papers_whose_crawls_all_failed(detailed):
    html = get(detailed, "/").text
    rows = dict(re.findall(r'<a href="/paper/([^"]+)">.*?</tr>', html, re.S) and
                [(m.group(1), m.group(0)) for m in
                 re.finditer(r'<a href="/paper/([^"]+)">.*?</tr>', html, re.S)])
    assert "2026-03-07T01:00:00Z" not in rows["baocamau"]
    assert "2026-03-06T01:00:00Z" in rows["baocaobang"]
    assert "2026-03-07T01:00:00Z" in rows["baonghean"]


def test_the_canned_search_query_includes_both_days_too(detailed):
    base = "/archive/search.json?_shape=objects&q=dien+chau&site="
    for since, until, found in (("2026-03-07", "2026-03-07", 1), ("", "2026-03-07", 1),
                                ("2026-03-08", "", 0), ("", "2026-03-06", 0)):
        rows = get(detailed, f"{base}&since={since}&until={until}").json()["rows"]
        assert len(rows) == found, (since, until)
