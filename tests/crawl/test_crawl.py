"""End-to-end crawls in subprocesses: replays of the real captured pages, and a
synthetic newspaper on 127.0.0.1 with every failure a crawler meets."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.crawling import FAST, crawl, rows
from tests.support.fixtures import ROOT, manifest
from tests.support.fixtures import expected as _expected
from tests.support.sitesrv import SyntheticSite

pytestmark = pytest.mark.slow  # end-to-end, in subprocesses

@pytest.fixture(scope="module")
def replayed(tmp_path_factory, fixtures_path):
    db = tmp_path_factory.mktemp("replay") / "archive.db"
    first = crawl("--all", "--replay", str(fixtures_path), "--db", str(db))
    second = crawl("--all", "--replay", str(fixtures_path), "--db", str(db))
    return db, first, second


def test_replay_archives_every_captured_article(replayed, fixtures_path):
    """Each captured article is stored as extracted, also those that no captured feed or
    listing links (discovery cannot reach them offline; #26 item 11)."""
    db, first, _ = replayed
    assert "Traceback" not in first.stderr
    linked = set()
    from newsarchive.extract.links import article_links
    from newsarchive.ground.urls import url_key

    for fx in manifest(fixtures_path):
        if fx.kind != "article":
            data = (fixtures_path / fx.file).read_bytes()
            linked |= {url_key(link.url) for link in article_links(data, fx.url, fx.kind)}
    captured = [fx for fx in manifest(fixtures_path) if fx.kind == "article"]
    unlinked = [fx for fx in captured if url_key(fx.url) not in linked]
    assert len(captured) >= 13 and unlinked  # plo's, baolaocai's, an old nguoiquansat's
    for fx in captured:
        want = _expected(fx)
        got = rows(db, "SELECT title, sapo, body_text, published_at, authors, source "
                       "FROM articles WHERE url_key = ?", url_key(want["url"]))
        assert got == [(want["title"], want["sapo"], want["body_text"], want["published_at"],
                        json.dumps(want["authors"], ensure_ascii=False), want["source"])], fx.file
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == len(captured)
    # plo: no captured listing; its captured article is found and stored all the same
    plo = rows(db, "SELECT discovered, new, errors FROM crawl_runs WHERE site = 'plo' "
                   "ORDER BY id LIMIT 1")[0]
    assert plo[:2] == (1, 1) and json.loads(plo[2]) == {"not-captured": 6}


def test_replay_records_a_run_per_site_and_counts_missing_pages(replayed):
    db, first, _ = replayed
    runs = rows(db, "SELECT site, count(*) FROM crawl_runs GROUP BY site")
    from tests.support.fixtures import registry

    assert {site for site, n in runs} == set(registry().ids())
    assert all(n == 2 for _, n in runs)  # two crawls
    vnexpress = rows(db, "SELECT discovered, new, failed, errors FROM crawl_runs "
                         "WHERE site = 'vnexpress' ORDER BY id LIMIT 1")[0]
    assert vnexpress[0] == 50 and vnexpress[1] == 1
    # linked but not captured: not-captured, counted once, not a failure of the site
    assert vnexpress[2] == 0 and json.loads(vnexpress[3]) == {"not-captured": 50}


def test_the_readme_replay_exits_0_and_says_not_captured_once(replayed):
    _, first, _ = replayed
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stdout + first.stderr
    assert "http-404" not in first.stdout + first.stderr
    row = next(line for line in first.stdout.splitlines() if line.startswith("vnexpress"))
    assert row.split()[1] == "ok" and row.endswith("not-captured ×50")
    said = [line for line in first.stderr.splitlines() if "not in the capture" in line]
    assert len(said) == 1 and "not failures" in said[0]


def test_second_replay_fetches_nothing_already_archived(replayed):
    db, _, second = replayed
    assert rows(db, "SELECT sum(new), sum(changed) FROM crawl_runs WHERE id > "
                    "(SELECT max(id) / 2 FROM crawl_runs)") == [(0, 0)]
    assert rows(db, "SELECT count(*), count(DISTINCT url_key) FROM articles")[0][0] == \
        rows(db, "SELECT count(DISTINCT url_key) FROM articles")[0][0]
    assert rows(db, "SELECT max(version_count) FROM articles") == [(1,)]


def test_synthetic_site_end_to_end(tmp_path):
    db = tmp_path / "archive.db"
    with SyntheticSite() as site:
        env = {"NEWSARCHIVE_SITES": str(site.registry_file(tmp_path))}
        first = crawl("testsite", "--db", str(db), *FAST, env=env)
        assert "Traceback" not in first.stderr, first.stderr
        assert first.returncode == 0, first.stderr
        run = rows(db, "SELECT discovered, new, changed, unchanged, failed, errors, status "
                       "FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
        stored = {u for (u,) in rows(db, "SELECT url FROM articles")}
        assert stored == {f"{site.base}/bai-{n}.html" for n in SyntheticSite.OK}
        # 1,2,3,9 (feed) + 4,105,10,11 (sitemap) + 6,7,8,12,13 (listing pages 1-2); 99 is
        # matched by the pattern but listed only in the feed and forbidden by robots.txt.
        assert run[:5] == (14, len(SyntheticSite.OK), 0, 0, 3)
        assert json.loads(run[5]) == {"article-http-500": 1, "article-timeout": 1,
                                      "truncated": 1}
        assert run[6] == "ok"
        assert site.hits.get("/bai-99.html") is None and "/sitemap-old.xml" not in site.hits
        assert site.hits["/bai-11.html"] == 2  # waited for Retry-After, then fetched
        flags = dict(rows(db, "SELECT url, flags FROM pages"))
        assert flags[f"{site.base}/bai-12.html"] == "truncated"  # kept, no article
        assert rows(db, "SELECT title FROM articles WHERE url LIKE '%bai-13.html'") == \
            [("Diễn Châu đổi mới thủ tục, bài 13",)]
        assert rows(db, "SELECT url FROM articles WHERE url LIKE '%bai-5.html'")  # redirect

        site.edited = True
        fetched_before = dict(site.hits)
        second = crawl("testsite", "--db", str(db), *FAST, env=env)
        assert second.returncode == 0, second.stderr
        refetched = {p for p, n in site.hits.items() if n > fetched_before.get(p, 0)
                     and p.startswith("/bai-")}
        # Only the edited article (its feed entry is newer) and the three that failed.
        assert refetched == {"/bai-2.html", "/bai-9.html", "/bai-10.html", "/bai-12.html"}
        run = rows(db, "SELECT new, changed, failed FROM crawl_runs ORDER BY id DESC LIMIT 1")
        assert run == [(0, 1, 3)]
        versions = rows(db, "SELECT v.version, v.diff FROM article_versions v JOIN articles a "
                            "ON a.id = v.article_id WHERE a.url LIKE '%bai-2.html' "
                            "ORDER BY v.version")
        assert [v for v, _ in versions] == [1, 2]
        assert "+Cập nhật: UBND huyện bổ sung" in versions[1][1]
    assert rows(db, "SELECT count(*), count(DISTINCT url_key) FROM articles") == [(10, 10)]


def test_second_crawl_while_one_runs_exits_75(tmp_path):
    import fcntl

    db = tmp_path / "archive.db"
    with open(f"{db}.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        proc = crawl("baonghean", "--db", str(db))
    assert proc.returncode == 75
    assert "another crawl is running" in proc.stderr


def test_a_warc_export_replays_the_same_crawl(replayed, tmp_path, fixtures_path):
    db, _, _ = replayed
    warc = tmp_path / "pages.warc.gz"
    export = subprocess.run([sys.executable, "-m", "newsarchive.cli", "export", "--format",
                             "warc", "--db", str(db), "-o", str(warc)], cwd=ROOT,
                            capture_output=True, text=True)
    assert export.returncode == 0, export.stderr
    from newsarchive.ground.urls import url_key
    from tests.support.fixtures import registry

    starts = {url_key(u) for s in registry()
              for u in (*s.feeds, *s.sitemaps, *s.listings)}
    captured = {url_key(fx.url) for fx in manifest(fixtures_path) if fx.kind != "article"}
    kinds = dict(rows(db, "SELECT kind, count(*) FROM pages GROUP BY kind"))
    assert kinds["discovery"] == len(starts & captured) and kinds["article"] >= 9
    # the second crawl found every feed and listing unchanged: none stored twice
    assert rows(db, "SELECT count(*) FROM pages WHERE kind = 'discovery' GROUP BY url_key "
                    "HAVING count(*) > 1") == []
    again = tmp_path / "again.db"
    crawl("--all", "--replay", str(warc), "--db", str(again))
    assert rows(again, "SELECT url_key, content_hash FROM articles ORDER BY url_key") == \
        rows(db, "SELECT url_key, content_hash FROM articles ORDER BY url_key")


def test_replayed_articles_carry_their_places_and_place_pages(replayed):
    """#18's "done when": an archive built by `crawl --all --replay` has places, and the
    place page and facet work on it."""
    from markupsafe import escape

    from tests.support.datasette import get, published

    db, _, _ = replayed
    named = rows(db, "SELECT p.now_code, a.title FROM article_places p "
                     "JOIN articles a ON a.id = p.article_id WHERE p.place_code IS NOT NULL")
    assert len({title for _, title in named}) >= 3
    code, title = named[0]
    ds = published(db)
    page = get(ds, f"/place/{code}")
    assert page.status_code == 200 and escape(title) in page.text
    word = title.split()[0]
    assert code in get(ds, "/search.json?q=" + word).json()["facets"]["place"]
    narrowed = get(ds, f"/search.json?q={word}&place={code}").json()
    assert narrowed["total"] >= 1 and title in {h["title"] for h in narrowed["hits"]}
    # a unit from before the 2025 reform that an article names: its page says what it
    # became, and today's unit's page lists the article and links back to it
    former, now, old_title = rows(
        db, "SELECT p.place_code, p.now_code, a.title FROM article_places p JOIN articles a"
            " ON a.id = p.article_id WHERE p.place_code != p.now_code ORDER BY a.id")[0]
    was = get(ds, f"/place/{former}").text
    assert "trước ngày 1/7/2025" in was and f'href="/place/{now}"' in was
    today = get(ds, f"/place/{now}").text
    assert escape(old_title) in today and f'href="/place/{former}"' in today
