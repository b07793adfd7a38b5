"""#24 item 7: a table view's queries together (rows, count, facets) stay within one
request budget, and heavy table views never starve the reader's pages.

The archive is small, so the heavy part is SQL that counts to a billion (pure SQLite,
no Python function holding the interpreter), given as `_where=` (with `--allow-sql`) to
a table view; the budget is set low in the plugin's configuration."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import quote

import pytest
from datasette.app import Datasette

from bench.synthetic import article
from newsarchive.archive import Archive
from newsarchive.publish import budget, metadata, settings
from tests.support.datasette import get, published
from tests.support.fixtures import registry

BUDGET_MS = 600
SLOW = ("(with recursive c(x) as (select 1 union all select x + 1 from c "
        "where x < 1000000000) select count(*) from c) > 0")
SLOW_ROWS = "/archive/articles.json?_where=" + quote(SLOW)
# rows 1 and 2 are cheap (the page of one row needs two); the count and facets are not
SLOW_COUNT = ("/archive/articles.json?_shape=objects&_size=1&_sort=id&_where="
              + quote(f"id <= 5 or {SLOW}"))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("heavy") / "archive.db"
    archive = Archive(path)
    archive.runs.sync_sites(s.row() for s in registry())
    for i in range(60):
        archive.articles.store(article(i), seen_at="2026-03-07T02:00:00Z")
    archive.conn.close()
    return path


def budgeted(db, ms: int = BUDGET_MS, allow_sql: bool = True) -> Datasette:
    """`serve`'s Datasette with a table budget of `ms` (SQL limit 5 s, far above) and
    one table thread."""
    meta = metadata(db)
    meta["plugins"]["newsarchive"].update(table_time_limit_ms=ms, table_threads=1)
    instance = Datasette([str(db)], metadata=meta,
                         settings={**settings(allow_sql), "sql_time_limit_ms": 5000})
    asyncio.run(instance.invoke_startup())
    return instance


@pytest.fixture(scope="module")
def ds(db):
    return budgeted(db)


@pytest.fixture(scope="module")
def roomy(db):
    """A budget no light request comes near, however busy the machine."""
    return budgeted(db, ms=4000)


def timed(ds, path):
    start = time.perf_counter()
    response = get(ds, path)
    return response, time.perf_counter() - start


def test_a_heavy_table_view_stops_at_its_budget_with_a_clear_error(ds, caplog):
    response, seconds = timed(ds, SLOW_ROWS)
    assert "articles.json?_where=" in caplog.text and "stopped at its time budget" in caplog.text
    assert response.status_code == 400
    error = response.json()["error"]
    assert "took too long" in error and "rows, count and facets together" in error
    assert "0.6 s" in error and "_nocount=1" in error
    assert seconds < 2.5  # stopped near its 0.6 s budget, not at the 5 s SQL limit
    page = get(ds, SLOW_ROWS.replace(".json", ""))
    assert page.status_code == 400 and "took too long" in page.text


def test_count_and_facets_past_the_budget_are_left_out_not_waited_for(ds):
    response, seconds = timed(ds, SLOW_COUNT + "&_facet=section")
    assert response.status_code == 200, response.text
    data = response.json()
    assert [row["id"] for row in data["rows"]] == [1]
    assert data["filtered_table_rows_count"] is None  # the count was cut
    assert seconds < 2.5


def test_a_light_table_view_is_whole(roomy):
    data = get(roomy, "/archive/articles.json?_facet=section&site=baonghean").json()
    assert data["filtered_table_rows_count"] == 60
    assert sum(r["count"] for r in data["facet_results"]["section"]["results"]) == 60
    assert get(roomy, "/archive/articles.csv?_stream=1").text.count("baonghean.vn/") >= 60


def test_the_readers_pages_answer_while_heavy_requests_run(ds):
    """Six heavy requests hold the database until their budget runs out; the reader's
    pages meanwhile answer at once (Datasette's three SQL threads alone: ~0.6 s late)."""
    pages = ("/article/3", "/search?q=nghe+an", "/article/7")

    async def run():
        heavy_done, reader = [], []
        for path in pages:  # warm: templates compiled, connections open
            await ds.client.get(path)

        async def heavy():
            response = await ds.client.get(SLOW_ROWS)
            heavy_done.append(time.perf_counter())
            return response

        async def read():
            await asyncio.sleep(0.2)  # the heavy requests are running by now
            for path in pages:
                start = time.perf_counter()
                response = await ds.client.get(path)
                assert response.status_code == 200, path
                reader.append((start, time.perf_counter()))

        responses, _ = await asyncio.gather(
            asyncio.gather(*(heavy() for _ in range(6))), read())
        return responses, heavy_done, reader

    responses, heavy_done, reader = asyncio.run(run())
    # one at a time per table thread: the first is stopped at its budget, the others
    # arrived with it and their deadlines pass while it holds the turn
    statuses = [r.status_code for r in responses]
    assert set(statuses) == {400, 503}, statuses
    busy = next(r for r in responses if r.status_code == 503)
    assert busy.text.startswith("Busy: other heavy requests held the database for 0.6 s")
    assert busy.headers["retry-after"] == "10"
    assert reader[-1][1] < min(heavy_done)  # all read before any heavy one ended
    assert max(end - start for start, end in reader) < 0.4


def test_pages_outside_the_databases_have_no_budget(db):
    ds = budgeted(db, ms=1, allow_sql=False)  # a budget no table view could meet
    assert get(ds, "/article/3").status_code == 200
    assert get(ds, "/search?q=nghe+an").status_code == 200
    assert get(ds, "/-/newsarchive/chart").status_code == 200


def test_the_budget_is_a_share_of_the_time_limit(db):
    ds = published(db, time_limit_ms=3000)  # as `serve --time-limit 3000` sets it
    assert budget.seconds(ds) == pytest.approx(3000 * budget.SHARE / 1000)
    assert budget.seconds(budgeted(db, ms=250)) == 0.25


def test_suggested_facets_are_off(roomy):
    data = get(roomy, "/archive/articles.json?_facet=section").json()
    assert not data.get("suggested_facets")


@pytest.mark.parametrize("value", ["abc", "%C2%B2", "1e3", "9999999999"])
def test_a_time_limit_that_is_no_number_is_refused_with_one_line(roomy, value):
    response = get(roomy, f"/archive/articles.json?_timelimit={value}")  # was a 500
    assert response.status_code == 400
    assert response.text == "_timelimit must be a number of milliseconds\n"
    assert get(roomy, "/archive/articles.json?_timelimit=100").status_code == 200


def test_a_database_named_with_dots_has_its_budget_too(db, tmp_path):
    dotted = tmp_path / "bna.v2.db"
    dotted.write_bytes(db.read_bytes())
    ds = budgeted(dotted)
    path = SLOW_ROWS.replace("/archive/", "/bna~2Ev2/")
    response, seconds = timed(ds, path)
    assert response.status_code == 400 and "took too long" in response.text
    assert seconds < 2.5


@pytest.mark.parametrize("value", ["0", "-5", "abc"])
def test_serve_refuses_a_time_limit_it_cannot_keep_with_one_line(db, value):
    from click.testing import CliRunner

    from newsarchive.cli import main

    result = CliRunner().invoke(main, ["serve", "--db", str(db), "--time-limit", value])
    assert result.exit_code == 2 and "--time-limit" in result.output
    assert "Traceback" not in result.output


def test_an_html_page_of_more_rows_than_it_can_render_quickly_is_refused(roomy):
    """1,000 articles as an HTML page took ~1 s of the event loop that serves every
    page; the JSON and CSV of the same rows take a fraction of that."""
    for size in ("max", "201", "1000"):
        response = get(roomy, f"/archive/articles?_size={size}")
        assert response.status_code == 400
        assert response.text.startswith("_size must be <= 200 on an HTML page")
    assert get(roomy, "/archive/articles?_size=200").status_code == 200
    assert len(get(roomy, "/archive/articles.json?_size=max").json()["rows"]) == 60
    assert get(roomy, "/archive/articles.csv?_size=max").status_code == 200
