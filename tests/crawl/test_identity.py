"""#17 item 2: one site cannot rewrite another's articles, and which article a page
updates does not depend on the hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

from newsarchive.archive import Archive, Page
from newsarchive.crawl.ingest import ingest
from newsarchive.sites import Site
from tests.support.pages import PARAGRAPH, article_page

A = Site(id="site-a", name="A", home="http://a.test/", platform=None,
         article_pattern=r"\.html$")
B = Site(id="site-b", name="B", home="http://b.test/", platform=None,
         article_pattern=r"\.html$")


def _page(url: str, title: str, canonical: str | None = None, n: int = 0) -> Page:
    head = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{PARAGRAPH}{title} {i}</p>" for i in range(4))
    return Page(url, article_page(body, head, title).encode(), fetched_at=f"2026-03-0{n + 1}")


def _articles(archive: Archive):
    return archive.conn.execute("SELECT id, site, url, title, version_count FROM articles "
                                "ORDER BY id").fetchall()


def test_a_redirect_to_another_sites_article_rewrites_nothing(tmp_path):
    archive = Archive(tmp_path / "a.db")
    b_url = "http://b.test/tin-b.html"
    assert ingest(archive, _page(b_url, "Bài của B"), B).status == "new"
    # A's URL 301s to B's article: the final URL is B's, A's is the redirect
    hostile = ingest(archive, _page(b_url, "Bài của A", n=1), A,
                     aliases=["http://a.test/tin-a.html"])
    assert hostile.status == "out-of-scope" and not hostile.stored
    assert "out-of-scope" in hostile.flags
    # later A serves its own page at its URL, claiming B's article as canonical
    own = ingest(archive, _page("http://a.test/tin-a.html", "Trang A", canonical=b_url, n=2), A)
    assert own.stored
    rows = _articles(archive)
    assert rows[0][1:] == ("site-b", "http://b.test/tin-b.html", "Bài của B", 1)
    assert rows[1][1:3] == ("site-a", "http://a.test/tin-a.html")
    owners = dict(archive.conn.execute("SELECT url_key, article_id FROM article_urls"))
    assert owners == {"https://b.test/tin-b.html": rows[0][0],
                      "https://a.test/tin-a.html": rows[1][0]}


def test_a_conflict_is_counted_not_overwritten(tmp_path):
    archive = Archive(tmp_path / "a.db")
    shared = Site(id="site-c", name="C", home="http://b.test/", platform=None,
                  article_pattern=r"\.html$")  # a second registry entry on B's host
    ingest(archive, _page("http://b.test/x.html", "Bài của B"), B)
    clash = ingest(archive, _page("http://b.test/x.html", "Bài khác", n=1), shared)
    assert clash.status == "identity-conflict" and not clash.stored
    assert _articles(archive)[0][1:] == ("site-b", "http://b.test/x.html", "Bài của B", 1)
    assert "identity-conflict" in archive.conn.execute(
        "SELECT flags FROM pages ORDER BY id DESC").fetchone()[0]


def test_no_alias_across_hosts_of_one_site(tmp_path):
    two = Site(id="two", name="Two", home="http://one.test/", platform=None,
               article_pattern=r"\.html$", hosts=("other.test",))
    archive = Archive(tmp_path / "a.db")
    ingest(archive, _page("http://one.test/a.html", "Một"), two,
           aliases=["http://other.test/z.html"])
    keys = [k for (k,) in archive.conn.execute("SELECT url_key FROM article_urls")]
    assert keys == ["https://one.test/a.html"]


SEEDED = """
import sys
from newsarchive.archive import Archive
from newsarchive.crawl.ingest import ingest
from tests.crawl.test_identity import A, _page
archive = Archive(sys.argv[1])
ingest(archive, _page("http://a.test/first.html", "Một"), A)
ingest(archive, _page("http://a.test/second.html", "Hai"), A)
ingest(archive, _page("http://a.test/second.html", "Ba", canonical="http://a.test/first.html",
       n=1), A)
print(archive.conn.execute("SELECT url FROM articles WHERE version_count = 2").fetchone()[0])
"""


def test_the_target_does_not_depend_on_the_hash_seed(tmp_path):
    """Canonical (in the site's hosts) first: the same article under every seed."""
    got = set()
    for seed in ("1", "2", "3", "4"):
        db = tmp_path / f"{seed}.db"
        out = subprocess.run([sys.executable, "-c", SEEDED, str(db)], capture_output=True,
                             text=True, env={**os.environ, "PYTHONHASHSEED": seed},
                             cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
        assert out.returncode == 0, out.stderr
        got.add(out.stdout.strip())
    assert got == {"http://a.test/first.html"}
