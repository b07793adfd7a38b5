"""#17 item 6: the public surface. Each attack found against the published archive is
reproduced here: arbitrary SQL that outruns the time limit, raw pages and headers read
through a table view or a streamed CSV, parameters that made a 500."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import pytest
from datasette.app import Datasette

from bench.synthetic import article
from newsarchive.archive import Archive
from newsarchive.ground.fold import MAX_QUERY
from newsarchive.ground.page import Page
from newsarchive.publish import metadata, settings
from newsarchive.publish.plugin import na_fts, na_has_all, na_pairs, na_snippet
from tests.support.datasette import get, published
from tests.support.fixtures import registry
from tests.support.records import dien_chau

SLOW_SQL = ("/archive.json?sql=select+count(*)+from+articles+a,+articles+b,+articles+c+"
            "where+na_has_all(a.body_text||b.body_text,+'x')")
PRIVATE = ["/archive/pages", "/archive/pages.json", "/archive/pages.csv?_stream=1",
           "/archive/pages/1", "/archive/pages/1.json"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("surface") / "archive.db"
    archive = Archive(path)
    archive.runs.sync_sites(s.row() for s in registry())
    a = dien_chau(published_at="2026-03-07T08:47:00+07:00")
    page = Page(url=a.url, body=b"<html>raw page</html>", fetched_at="2026-03-07T02:00:00Z",
                headers={"set-cookie": "session=secret"})
    archive.store_page(page, a)
    for i in range(300):  # enough text for a search to take a few milliseconds
        archive.articles.store(article(i), seen_at="2026-03-07T02:00:00Z")
    archive.conn.close()
    return path


@pytest.fixture(scope="module")
def ds(db):
    return published(db)


def test_arbitrary_sql_is_off_by_default(ds):
    assert get(ds, "/archive.json?sql=select+1").status_code == 403
    assert get(ds, SLOW_SQL).status_code == 403
    assert get(ds, "/archive/articles.json?_where=1=1").status_code == 403
    assert 'name="sql"' not in get(ds, "/archive").text  # no SQL box offered


def test_canned_queries_table_views_and_pages_stay(ds):
    search = get(ds, "/archive/search.json?q=dien+chau&_shape=objects")
    assert search.status_code == 200 and search.json()["rows"]
    assert get(ds, "/archive/articles.json?site=baonghean").status_code == 200
    assert get(ds, "/archive/articles.csv?_stream=1").status_code == 200
    assert get(ds, "/search?q=dien+chau").status_code == 200
    assert get(ds, "/article/1").status_code == 200


def test_allow_sql_turns_it_on_for_a_trusted_network(db):
    trusted = published(db, allow_sql=True)
    assert get(trusted, "/archive.json?sql=select+1").status_code == 200
    slow = get(trusted, SLOW_SQL)  # still stopped by the time limit
    assert slow.status_code == 400 and "took too long" in slow.text.lower()


@pytest.mark.parametrize("path", PRIVATE)
def test_raw_pages_and_headers_are_not_served(ds, path):
    response = get(ds, path)
    assert response.status_code == 403, path
    assert "secret" not in response.text


def test_public_pages_serves_them_when_the_operator_says_so(db):
    opened = published(db, public_pages=True)
    rows = get(opened, "/archive/pages.json?_shape=objects").json()["rows"]
    assert "session=secret" in rows[0]["headers"]
    streamed = get(opened, "/archive/pages.csv?_stream=1")
    assert streamed.status_code == 200 and "session=secret" in streamed.text
    both = published(db, allow_sql=True, public_pages=True)
    assert "session=secret" in get(both, "/archive.json?sql=select+headers+from+pages").text


def test_allow_sql_alone_reads_no_raw_pages(db):
    """Datasette's table `allow` does not reach `?sql=`: an SQLite authorizer makes the
    private columns read as NULL, through any query, a join or a subquery."""
    trusted = published(db, allow_sql=True)
    for sql in ("select+headers,body,url+from+pages",
                "select+(select+headers+from+pages+limit+1)+as+h",
                "select+p.headers+from+articles+a+join+pages+p+on+p.article_id=a.id"):
        response = get(trusted, f"/archive.json?_shape=array&sql={sql}")
        assert response.status_code == 200, sql
        assert "secret" not in response.text and "raw page" not in response.text, sql
    assert get(trusted, "/archive/pages.csv?_stream=1").status_code == 403


def test_plain_datasette_with_the_plugin_serves_no_raw_pages(db):
    """`datasette archive.db` without our metadata: the plugin still hides the contents."""
    plain = Datasette([str(db)])
    asyncio.run(plain.invoke_startup())
    rows = get(plain, "/archive/pages.json?_shape=array").json()
    assert rows and all(r["headers"] is None and r["body"] is None for r in rows)
    assert "secret" not in get(plain, "/archive/pages.csv?_stream=1").text


@pytest.mark.parametrize("path", [
    "/", "/search?q=dien+chau", "/search.json?q=dien+chau", "/search.csv?q=dien+chau",
    "/paper/baonghean", "/article/1", "/-/newsarchive/chart",
    "/-/newsarchive/chart?days=7&format=svg", "/archive/articles_feed.atom?site=baonghean",
    "/archive/search_feed.atom?q=dien+chau", "/archive/latest", "/archive/per_day.csv",
    "/archive/articles/1", "/archive/articles.json?_search=dien&_sort=id",
])
def test_reader_routes_and_table_views_still_work(ds, path):
    assert get(ds, path).status_code == 200, path


def test_slow_queries_in_parallel_do_not_hold_the_reader_pages(db):
    """The attack that made an article page take 68 s: three slow queries at once (one
    per SQL thread), then an article. Each is stopped at the limit, so the page waits
    for one limit at most."""
    trusted = published(db, allow_sql=True)

    async def attack():
        started = time.perf_counter()
        slow = [asyncio.create_task(trusted.client.get(SLOW_SQL)) for _ in range(3)]
        await asyncio.sleep(0.05)
        page = await trusted.client.get("/article/1")
        waited = time.perf_counter() - started
        return page, waited, await asyncio.gather(*slow)

    page, waited, slow = asyncio.run(attack())
    limit = trusted.setting("sql_time_limit_ms") / 1000
    assert page.status_code == 200 and waited < 2 * limit + 1
    # each stopped at its budget (400), or given no turn by then (503: budget.py)
    assert {r.status_code for r in slow} <= {400, 503} and slow[0].status_code == 400


@pytest.mark.parametrize("path,status,says", [
    ("/article/99999999999999999999999", 404, "no article"),
    ("/article/9223372036854775807", 404, "no article"),
    ("/article/1?db=nosuch", 404, "no database"),
    ("/-/newsarchive/chart?db=nosuch", 404, "no database"),
    ("/-/newsarchive/chart?days=abc", 400, "days"),
    ("/-/newsarchive/chart?days=0", 400, "days"),
    ("/-/newsarchive/chart?days=-5", 400, "days"),
    ("/-/newsarchive/chart?days=99999999999999999999", 400, "days"),
    ("/search?q=" + "a" * (MAX_QUERY + 1), 400, "at most"),
    ("/search?q=dien&page=0", 400, "page"),
    ("/search.json?q=dien&page=99999999999999999999", 400, "page"),
    ("/place/p34-40?page=abc", 400, "page"),
    ("/place/nosuch", 404, "no place"),
    ("/paper/nosuch", 404, "no paper"),
    ("/archive/articles.json?_sort=nosuch", 400, "Cannot sort"),
    ("/archive/articles.json?_sort_desc=nosuch", 400, "Cannot sort"),
])
def test_bad_parameters_are_refused_with_a_message(ds, path, status, says):
    response = get(ds, path)
    assert response.status_code == status, (path, response.status_code)
    assert says in response.text


def test_the_sql_functions_refuse_queries_longer_than_a_search_box():
    text = "Diễn Châu " * 50_000
    huge = "dien chau " * 5_000
    started = time.perf_counter()
    assert na_fts(huge) == '""'
    assert na_has_all(text, huge) is False
    assert "<mark>" not in na_snippet(text, huge)
    assert time.perf_counter() - started < 0.5
    assert na_has_all(text, "dien chau") and "<mark>" in na_snippet(text, "dien chau")


def test_the_sql_functions_read_a_bounded_text():
    """One call is out of reach of the time limit, so its text is bounded too: a 10 MB
    text and a search box's worth of words took 15 s in na_snippet, 1 s in na_pairs."""
    words = ("dien chau nghe an " * 40)[:MAX_QUERY]
    text = "Diễn Châu xã Diễn Lâm cán bộ " * 350_000
    started = time.perf_counter()
    na_snippet(text, words), na_has_all(text, words), na_pairs(text)
    assert time.perf_counter() - started < 1
    assert na_pairs("Đài Diễn Châu") == "dai_dien dien_chau"


def test_a_text_built_in_sql_cannot_outrun_the_limit(db):
    trusted = published(db, allow_sql=True)
    words = ("dien+chau+nghe+an+" * 40)[:MAX_QUERY]
    started = time.perf_counter()
    response = get(trusted, "/archive.json?sql=select+length(na_snippet(printf('%25.*c',"
                            f"5000000,'a'),'{words}'))")
    assert response.status_code == 200, response.text
    assert time.perf_counter() - started < trusted.setting("sql_time_limit_ms") / 1000


def test_a_canned_search_with_a_huge_query_finds_nothing_quickly(ds):
    started = time.perf_counter()
    response = get(ds, "/archive/search.json?_shape=objects&q=" + "dien+chau+" * 2_000)
    assert response.status_code == 200 and response.json()["rows"] == []
    assert time.perf_counter() - started < 3


def test_the_reader_search_stops_at_the_time_limit(db):
    """The reader page runs the library search on Datasette's thread (execute_fn, which
    Datasette does not time-limit): it is stopped at the limit all the same."""
    hurried = Datasette([str(db)], metadata=metadata(db),
                        settings={**settings(), "sql_time_limit_ms": 1})
    asyncio.run(hurried.invoke_startup())
    response = get(hurried, "/search?q=ha+noi+dien+chau")
    assert response.status_code == 400
    assert "took longer than" in response.text


SERVE_ORDER = """import sys
from newsarchive.publish import datasette_args
from datasette.cli import cli
cli.main(args=["serve", *datasette_args(sys.argv[1], immutable=True), "--get", sys.argv[2]],
         prog_name="datasette")
"""


def test_serve_starts_with_the_plugin_hooks(db):
    """`newsarchive serve` imports our package before Datasette loads its plugins: a
    module of ours importing one of Datasette's that loads them would register the
    package half-imported, without hooks (every reader page a 500)."""
    done = subprocess.run([sys.executable, "-c", SERVE_ORDER, str(db),
                           "/article/99999999999999999999999"],
                          capture_output=True, text=True, timeout=60)
    assert "no article" in done.stdout and '<html lang="vi">' in done.stdout, done.stderr
