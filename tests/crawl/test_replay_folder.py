"""A replay folder never reads outside itself: a manifest row naming an absolute path, a
`..` path or a link out refuses the whole folder (one line per row, exit 2) before
anything is crawled; a file swapped for a link out after the check is not served."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.archive.pages import Pages
from newsarchive.cli import main
from newsarchive.crawl import replay
from newsarchive.ground.captures import Outside, UnsafeManifest, inside, read_manifest
from tests.support.crawling import crawl, rows
from tests.support.fixtures import ROOT
from tests.support.pages import article_page

BASE = "https://baothu.vn"
SECRET = Path("/etc/passwd")
FEED = ('<?xml version="1.0"?><rss version="2.0"><channel>'
        + "".join(f"<item><link>{BASE}/bai-{n}.html</link></item>" for n in (1, 2, 3, 4))
        + "</channel></rss>")


def _folder(tmp_path: Path, hostile: bool = True) -> Path:
    """A capture folder of one feed and one article; `hostile` adds rows 4-6 naming a
    `..` path, an absolute path and a link out, each for an article the feed lists."""
    folder = tmp_path / "captures"
    (folder / "site").mkdir(parents=True)
    (folder / "site" / "rss.xml").write_text(FEED, encoding="utf-8")
    (folder / "site" / "bai-1.html").write_text(article_page(), encoding="utf-8")
    (folder / "site" / "same.html").symlink_to("bai-1.html")  # a link inside is fine
    (folder / "site" / "out.html").symlink_to(SECRET)
    lines = ["file,url,kind,captured", f"site/rss.xml,{BASE}/rss.xml,rss,2026-03-07",
             f"site/bai-1.html,{BASE}/bai-1.html,article,2026-03-07"]
    if hostile:
        lines += [f"../../../../../../../..{SECRET},{BASE}/bai-2.html,article,2026-03-07",
                  f"{SECRET},{BASE}/bai-3.html,article,2026-03-07",
                  f"site/out.html,{BASE}/bai-4.html,article,2026-03-07"]
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _registry(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "sites.json"
    path.write_text(json.dumps([{
        "id": "testsite", "name": "Báo Thử", "home": BASE + "/", "platform": None,
        "article_pattern": r"/bai-\d+\.html$", "feeds": [BASE + "/rss.xml"]}]),
        encoding="utf-8")
    return {"NEWSARCHIVE_SITES": str(path)}


def test_every_row_leaving_the_folder_is_named_with_its_line(tmp_path):
    folder = _folder(tmp_path)
    with pytest.raises(UnsafeManifest) as refused:
        read_manifest(folder)
    manifest = folder / "manifest.csv"
    assert refused.value.lines == [
        f"{manifest}:4: path leaves the folder: ../../../../../../../..{SECRET}",
        f"{manifest}:5: path leaves the folder: {SECRET}",
        f"{manifest}:6: path leaves the folder: site/out.html"]
    with pytest.raises(UnsafeManifest):
        replay.load(folder)  # the middleware's own reading refuses it too


def test_inside_follows_links_and_refuses_every_way_out(tmp_path):
    folder = _folder(tmp_path, hostile=False)
    assert inside(folder, "site/same.html") == (folder / "site" / "bai-1.html").resolve()
    for name in ("site/out.html", str(SECRET), "../captures/site/bai-1.html", "", "."):
        with pytest.raises(Outside):
            inside(folder, name)
    assert len(read_manifest(folder)) == 2


def test_a_file_swapped_for_a_link_out_after_the_check_is_not_read(tmp_path):
    folder = _folder(tmp_path, hostile=False)
    index = replay.load(folder)
    article = folder / "site" / "bai-1.html"
    article.unlink()
    article.symlink_to(SECRET)
    from newsarchive.ground.urls import url_key

    with pytest.raises(Outside):
        index[url_key(f"{BASE}/bai-1.html")]()


@pytest.mark.parametrize("command", ["crawl", "check"])
def test_a_hostile_manifest_is_one_line_per_row_and_exit_2(tmp_path, monkeypatch, command):
    folder = _folder(tmp_path)
    for name, value in _registry(tmp_path).items():
        monkeypatch.setenv(name, value)
    db = tmp_path / "archive.db"
    args = [command, "testsite", "--replay", str(folder)]
    result = CliRunner().invoke(main, args + (["--db", str(db)] if command == "crawl" else []))
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith("newsarchive: --replay refused: ")
                                   for line in lines)
    assert [line.split("manifest.csv:")[1].split(":")[0] for line in lines] == ["4", "5", "6"]
    assert "Traceback" not in result.output and not db.exists()


@pytest.mark.slow
def test_nothing_of_the_secret_reaches_pages_or_a_warc_export(tmp_path):
    env = _registry(tmp_path)
    db = tmp_path / "archive.db"
    refused = crawl("testsite", "--replay", str(_folder(tmp_path)), "--db", str(db), env=env)
    assert refused.returncode == 2 and "path leaves the folder" in refused.stderr
    assert not db.exists()
    # the same folder without its hostile rows crawls, and its export holds its own pages
    clean = tmp_path / "clean"
    clean.mkdir()
    done = crawl("testsite", "--replay", str(_folder(clean, hostile=False)), "--db", str(db),
                 env=env)
    assert done.returncode == 0, done.stderr
    assert rows(db, "SELECT url FROM articles") == [(f"{BASE}/bai-1.html",)]
    warc = tmp_path / "pages.warc.gz"
    export = subprocess.run([sys.executable, "-m", "newsarchive.cli", "export", "--format",
                             "warc", "--db", str(db), "-o", str(warc)], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, **env})
    assert export.returncode == 0, export.stderr
    with gzip.open(warc) as fh:
        exported = fh.read()
    assert b"bai-1.html" in exported and b"root:x:0:0" not in exported
    with sqlite3.connect(db) as conn:
        pages = Pages(conn)
        bodies = [pages.body(pid) for (pid,) in conn.execute("SELECT id FROM pages")]
    assert len(bodies) == 2 and not any(b"root:x:0:0" in body for body in bodies)
