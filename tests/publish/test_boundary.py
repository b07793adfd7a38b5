"""What a visitor sends and what an old archive holds never makes a page fail: feeds
answer whatever a stored row holds, numbers in other digits than 0-9 are a 400, and no
page tells where the archive is on the machine."""

from __future__ import annotations

import logging

import pytest
from lxml import etree

from newsarchive.archive import Archive
from tests.support.datasette import get, published
from tests.support.fixtures import registry
from tests.support.records import dien_chau

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = dien_chau().site


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """An archive as an older version (or a hand edit) may have left it: U+FFFF, U+FFFE
    and a control character in titles, a `javascript:` URL, a lone surrogate's bytes,
    a date that is no date."""
    path = tmp_path_factory.mktemp("boundary") / "archive.db"
    kept = Archive(path)
    kept.runs.sync_sites(s.row() for s in registry())
    for n in range(1, 5):
        kept.articles.store(dien_chau(url=f"https://baonghean.vn/dien-chau-{n}.html",
                                      title=f"Diễn Châu {n}"))
    with kept.conn as conn:  # written by SQL: what no code of ours stores any more
        conn.execute("UPDATE articles SET title = 'Tiêu đề \uffff\ufffe\x01 một' WHERE id = 1")
        conn.execute("UPDATE articles SET url = 'javascript:alert(1)' WHERE id = 2")
        conn.execute("UPDATE articles SET url_key = CAST(X'6B6579EDA080' AS TEXT) WHERE id = 3")
        conn.execute("UPDATE articles SET published_utc = NULL, first_seen = 'không rõ' "
                     "WHERE id = 4")
    kept.conn.close()
    return path


@pytest.fixture(scope="module")
def ds(db):
    return published(db)


def _entries(response) -> list:
    assert response.status_code == 200, response.text[:300]
    return etree.fromstring(response.content).findall(f"{ATOM}entry")


@pytest.mark.parametrize("path", [f"/archive/articles_feed.atom?site={SITE}",
                                  "/archive/search_feed.atom?q=dien+chau&site="])
def test_a_feed_answers_whatever_a_stored_row_holds(ds, path, caplog):
    with caplog.at_level(logging.WARNING, logger="newsarchive.publish.feeds"):
        entries = _entries(get(ds, path))
    titles = sorted(e.findtext(f"{ATOM}title") for e in entries)
    assert titles == ["Diễn Châu 2", "Diễn Châu 3", "Tiêu đề  một"]  # cleaned, not lost
    assert "entry tag:newsarchive,https://baonghean.vn/dien-chau-4.html left out" \
        in caplog.text  # its date is none: the one entry that cannot be written
    links = [link.get("href") for e in entries for link in e.findall(f"{ATOM}link")]
    assert all(href.startswith(("http://", "https://")) for href in links), links
    assert "http://localhost/article/2" in links  # the archived copy, not javascript:


def test_a_feed_title_from_the_query_string_is_cleaned(ds):
    response = get(ds, f"/archive/articles_feed.atom?site={SITE}&_feed_title=A%EF%BF%BFB%01")
    assert len(_entries(response)) == 3
    assert etree.fromstring(response.content).findtext(f"{ATOM}title").startswith("AB")


def test_an_empty_feed_is_a_feed(ds):
    assert _entries(get(ds, "/archive/search_feed.atom?q=zzzzqq&site=")) == []


@pytest.mark.parametrize("path", [
    "/search?q=dien&page=%C2%B2", "/search?q=dien&page=%E2%91%A0",
    "/search?q=dien&page=%D9%A3", "/search?q=dien&page=" + "9" * 5000,
    "/search?q=dien&page=99999999999999999999", "/search?q=dien&year=%D9%A2%D9%A0%D9%A2%D9%A4",
    "/search?q=dien&month=%D9%A2%D9%A0%D9%A2%D9%A4-01",
    "/search?q=dien&since=%D9%A2%D9%A0%D9%A2%D9%A4-01-01",
    "/place/p34-40?page=%C2%B2", "/place/p34-40?page=" + "9" * 5000,
    "/-/newsarchive/chart?days=%C2%B2", "/-/newsarchive/chart?days=%D9%A3",
    "/-/newsarchive/chart?days=" + "9" * 5000,
    "/archive/articles.json?_facet_size=%C2%B2", "/archive/articles?_timelimit=%E2%91%A0",
    "/archive/articles.json?id__gt=%C2%B2",
])
def test_a_number_not_in_ascii_digits_is_a_400(ds, path):
    response = get(ds, path)
    assert response.status_code == 400, (path[:80], response.status_code)
    assert "Traceback" not in response.text


@pytest.mark.parametrize("path,status", [
    (f"/paper/{SITE}?page=%C2%B2", 200), ("/article/" + "9" * 5000, 404),
    ("/article/%D9%A1", 404), ("/article/1", 200), ("/search?q=dien&page=2", 404),
    ("/-/newsarchive/chart?days=007", 200),
])
def test_numbers_in_paths_and_ignored_parameters(ds, path, status):
    response = get(ds, path)
    while response.status_code == 302:  # Datasette's redirect of an unknown path
        response = get(ds, response.headers["location"])
    assert response.status_code == status, path[:80]


def test_no_page_shows_where_the_archive_is(ds, db):
    listed = get(ds, "/-/databases.json").json()
    assert [(d["name"], d["path"]) for d in listed] == [("archive", "archive.db")]
    for path in ("/-/databases", "/-/databases.json", "/-/metadata.json", "/-/settings.json",
                 "/-/plugins.json", "/-/versions.json", "/-/threads.json", "/.json", "/",
                 "/archive", "/archive.json", "/archive/articles.json", "/-/actor.json",
                 "/_internal", "/_internal/databases.json", "/archive/nosuchtable"):
        response = get(ds, path)
        assert str(db.parent) not in response.text, path


def test_a_few_bad_entries_among_many_cost_a_few_writes(ds):
    from datasette.utils.asgi import Request
    from datasette_atom import render_atom

    from newsarchive.publish.feeds import safe_feed

    writes = []

    def render(*args):
        writes.append(len(args[4]))
        return render_atom(*args)

    rows = [{"atom_id": f"id{n}", "atom_title": f"t{n}", "atom_content": "nội dung",
             "atom_updated": "không rõ" if n % 250 == 0 else "2026-03-07T02:00:00Z"}
            for n in range(1, 1001)]
    response = safe_feed(render)(ds, Request.fake("/archive/x.atom"), "select 1",
                                 list(rows[0]), rows, "archive", "x", None, None, {})
    assert response.status == 200
    entries = etree.fromstring(response.body).findall(f"{ATOM}entry")
    assert len(entries) == 996 and len(writes) < 100  # not one write per entry
    one = safe_feed(render)(ds, Request.fake("/archive/x.atom"), "select 1", list(rows[0]),
                            rows[249:250], "archive", "x", None, None, {})
    assert one.status == 200 and etree.fromstring(one.body).findall(f"{ATOM}entry") == []


def test_a_crawled_title_with_u_ffff_is_in_the_feed_cleaned(tmp_path):
    """The finding as it happened: a page's title with U+FFFF, extracted and stored."""
    from newsarchive.extract.core import extract
    from tests.support.pages import article_page

    page = article_page(title="Diễn Châu\uffff đổi\ufffe mới chính quyền").encode("utf-8")
    art = extract(page, "https://baonghean.vn/dien-chau-doi-moi-123456.html",
                  site=registry().get(SITE))
    kept = Archive(tmp_path / "archive.db")
    kept.runs.sync_sites(s.row() for s in registry())
    kept.articles.store(art)
    kept.conn.close()
    ds = published(tmp_path / "archive.db")
    for path in (f"/archive/articles_feed.atom?site={SITE}",
                 "/archive/search_feed.atom?q=doi+moi&site="):
        titles = [e.findtext(f"{ATOM}title") for e in _entries(get(ds, path))]
        assert titles == ["Diễn Châu đổi mới chính quyền"], path
