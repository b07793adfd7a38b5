"""Imported or crawled values that are not text: a `javascript:` URL and control
characters must never become a live link, a broken Atom feed, or terminal escapes."""

from __future__ import annotations

import asyncio
import io
import json

from click.testing import CliRunner
from datasette.app import Datasette

from newsarchive.archive import Archive
from newsarchive.archive.exchange import export_jsonl, import_jsonl
from newsarchive.cli import main
from newsarchive.extract.text import clean
from newsarchive.ground.article import Image
from newsarchive.ground.controls import strip_controls, web_url
from newsarchive.publish import SETTINGS, metadata
from tests.support.fixtures import registry
from tests.support.records import dien_chau

EVIL_TITLE = "Diễn Châu\x1b]0;pwned\x07\x1b[2J đổi mới\x00\x85 chính quyền"
SAFE_TITLE = "Diễn Châu]0;pwned[2J đổi mới chính quyền"


def _exported(**changes) -> str:
    """One exported record of `dien_chau(**changes)`."""
    source = Archive(":memory:")
    source.articles.store(dien_chau(**changes), seen_at="2026-03-07T02:00:00Z")
    out = io.StringIO()
    export_jsonl(source, out)
    return out.getvalue()


def test_clean_strips_control_characters():
    assert clean("Giá\x00 vàng\x1b[31m\x9b tăng\x7f") == "Giá vàng[31m tăng"
    assert strip_controls("a\nb\tc\x0bd") == "a\nb\tcd"
    assert strip_controls("a\nb\tc", keep_lines=False) == "abc"


def test_web_url_is_http_or_https_only():
    assert web_url("https://baonghean.vn/a.html") and web_url("HTTP://x.vn/")
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                "//x.vn/a", "https://", "https://x.vn/\x00", "vbscript:x", None, ""):
        assert not web_url(bad), bad


def test_import_refuses_javascript_urls_and_strips_controls(tmp_path):
    lines = (_exported(url="https://baonghean.vn/a-1.html", title=EVIL_TITLE)
             + _exported(url="https://baonghean.vn/a-2.html").replace(
                 "https://baonghean.vn/a-2.html", "javascript:alert(document.cookie)"))
    kept = Archive(tmp_path / "a.db")
    counts = import_jsonl(kept, io.StringIO(lines))
    assert counts == {"articles": 1, "refused-url": 1}
    assert kept.conn.execute("SELECT url, title FROM articles").fetchall() == \
        [("https://baonghean.vn/a-1.html", SAFE_TITLE)]
    assert kept.conn.execute("SELECT title FROM article_versions").fetchall() == \
        [(SAFE_TITLE,)]


def test_stored_text_has_no_control_characters(tmp_path):
    kept = Archive(tmp_path / "a.db")
    kept.articles.store(dien_chau(title=EVIL_TITLE, body_text="a\x1b[2J\nb\x00",
                                  tags=["x\x07"], images=[Image("https://x.vn/a.jpg", "c\x1b")]))
    row = kept.conn.execute("SELECT title, body_text, tags FROM articles").fetchone()
    assert row == (SAFE_TITLE, "a[2J\nb", '["x"]')


def test_rendering_never_links_a_non_web_url(tmp_path):
    """An archive written before the rule (or edited by hand) is rendered safely."""
    db = tmp_path / "a.db"
    kept = Archive(db)
    kept.runs.sync_sites(s.row() for s in registry())
    kept.articles.store(dien_chau(title=EVIL_TITLE,
                                  images=[Image("https://x.vn/a.jpg", "ảnh")]))
    with kept.conn as conn:  # what an old archive may hold
        conn.execute("UPDATE articles SET url = 'javascript:alert(1)', "
                     "title = 'Tiêu đề\x01\x1b'")
        conn.execute("UPDATE images SET url = 'javascript:alert(2)'")
    kept.conn.close()
    ds = Datasette([str(db)], metadata=metadata(db), settings=SETTINGS)
    asyncio.run(ds.invoke_startup())
    page = asyncio.run(ds.client.get("/article/1"))
    assert page.status_code == 200 and "javascript:" not in page.text
    feed = asyncio.run(ds.client.get("/a/search_feed.atom?q=dien+chau&site="))
    assert "javascript:" not in feed.text


def test_search_prints_printable_text_only(tmp_path):
    db = tmp_path / "a.db"
    kept = Archive(db)
    kept.articles.store(dien_chau())
    kept.conn.execute("UPDATE articles SET title = ? ", (EVIL_TITLE,))  # an old archive
    kept.conn.commit()
    kept.conn.close()
    result = CliRunner().invoke(main, ["search", "dien chau", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "pwned" in result.output
    assert not any(ch in result.output for ch in "\x1b\x07\x00\x85\x01")
    hits = CliRunner().invoke(main, ["search", "dien chau", "--db", str(db), "--json"])
    line = hits.output.split("\n")[0]
    assert not any(ch in line for ch in "\x1b\x07\x00\x85\x01")
    assert json.loads(line)["title"] == EVIL_TITLE  # the value, escaped
