"""#29 item 4 on the published archive: the article page lists the other copies of its
story (paper, date, source line, the first appearance marked); the search page counts
stories with `stories=1`; an archive older than stories still serves its pages."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from click.testing import CliRunner

from bench.synthetic import article
from newsarchive.archive import Archive
from newsarchive.cli import main
from newsarchive.ground.page import Page
from tests.support.datasette import get, published
from tests.support.fixtures import registry


def _archive(db, *, stories: bool = True) -> list[int]:
    """One story in three papers (one of them twice) and an unrelated article."""
    archive = Archive(db, stories=stories)
    archive.runs.sync_sites(s.row() for s in registry())
    original = replace(article(1), published_at="2026-01-05T08:00:00+07:00",
                       source="TTXVN", title="Lũ trên sông Lam <b>gây</b> thiệt hại")
    arts = [
        original,
        replace(original, url="https://baohatinh.vn/lu-song-lam-1.html", site="baohatinh",
                published_at="2026-01-04T21:00:00+07:00", title="Lũ sông Lam"),
        replace(original, url="https://baolaocai.vn/lu-song-lam-2.html", site="baolaocai",
                published_at="2026-01-06T08:00:00+07:00", source=None),
        replace(original, url="https://baonghean.vn/dang-lai-3.html",
                published_at="2026-01-09T08:00:00+07:00"),
        article(2),
    ]
    ids = []
    for art in arts:
        archive.store_page(Page(art.url, b"<html></html>", fetched_at="2026-03-07T02:00:00Z"),
                           art)
        ids.append(archive.articles.find(art.url)["id"])
    archive.close()
    return ids


def test_the_article_page_lists_the_copies_first_appearance_marked(tmp_path):
    db = tmp_path / "archive.db"
    ids = _archive(db)
    ds = published(db)
    page = get(ds, f"/article/{ids[0]}").text
    assert "Also in 2 other papers; re-published 1 time by this paper" in page
    story = page[page.index('id="na-story"'):page.index('id="na-cite"')]
    copies = story.split("<li")[1:]
    assert len(copies) == 4
    assert "first appearance" in copies[0] and "Báo Hà Tĩnh" in copies[0]
    assert f'href="/article/{ids[1]}"' in copies[0]
    assert "(this page)" in copies[1] and "Theo TTXVN" in copies[1]
    assert "Theo" not in copies[2]  # the Lào Cai copy names no source
    assert sum("first appearance" in c for c in copies) == 1
    assert "<b>gây</b>" not in page and "&lt;b&gt;gây&lt;/b&gt;" in page
    assert 'id="na-story"' not in get(ds, f"/article/{ids[4]}").text


def test_the_search_page_counts_stories_on_request(tmp_path):
    db = tmp_path / "archive.db"
    _archive(db)
    ds = published(db)
    every = get(ds, "/search.json?q=s%C3%B4ng+Lam").json()
    one = get(ds, "/search.json?q=s%C3%B4ng+Lam&stories=1").json()
    assert every["total"] == 4 and one["total"] == 1
    assert one["hits"][0]["site"] == "baohatinh"  # the first published copy
    page = get(ds, "/search?q=s%C3%B4ng+Lam&stories=1")
    assert page.status_code == 200 and "Mọi bản / every copy" in page.text
    assert "stories=1" in get(ds, "/search?q=s%C3%B4ng+Lam").text


def test_an_archive_without_signatures_shows_no_story_until_backfilled(tmp_path):
    db = tmp_path / "archive.db"
    ids = _archive(db, stories=False)
    assert 'id="na-story"' not in get(published(db), f"/article/{ids[0]}").text
    result = CliRunner().invoke(main, ["stories", "--db", str(db), "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "alone: 2, joined: 3"
    again = CliRunner().invoke(main, ["stories", "--db", str(db)])
    assert again.output.strip() == "every article already has its story"
    assert "Also in 2 other papers" in get(published(db), f"/article/{ids[0]}").text


def test_the_stories_command_refuses_a_missing_archive_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["stories", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert result.output.strip().endswith("(crawl or import first)")
    assert "Traceback" not in result.output


def test_an_archive_older_than_stories_serves_its_article_page(tmp_path):
    db = tmp_path / "archive.db"
    ids = _archive(db)
    with sqlite3.connect(db) as conn:  # as if read from an immutable pre-stories copy
        conn.execute("DROP TABLE article_stories")
    page = get(published(db), f"/article/{ids[0]}")
    assert page.status_code == 200 and 'id="na-story"' not in page.text
