"""Decoding under attack: one stray byte, a body cut inside a character, or a charset
name that is no text encoding must not turn a page into mojibake or a traceback."""

from __future__ import annotations

import json
from difflib import SequenceMatcher

import pytest
from click.testing import CliRunner

from newsarchive.archive import Archive
from newsarchive.cli import main
from newsarchive.crawl.reparse import reparse
from newsarchive.extract.core import extract
from newsarchive.extract.decode import decode, decode_page
from newsarchive.ground.page import Page
from tests.support.fixtures import EXPECTED, expected, fixtures_dir, manifest, real_pages, registry
from tests.support.pages import article_page, to_windows_1258

URL = "https://baothu.vn/dien-chau-doi-moi-123456.html"
TITLE = "Diễn Châu đổi mới chính quyền"
ARTICLES = [r for r in manifest() if r.kind == "article"] if real_pages() else []
NOT_TEXT = ("rot13", "rot_13", "zlib_codec", "zlib", "base64", "hex", "uu", "bz2")


def _ascii_gap(data: bytes, at: int) -> int:
    """The first position from `at` between two ASCII bytes (not inside a character)."""
    while data[at - 1] > 0x7F or data[at] > 0x7F:
        at += 1
    return at


def test_one_stray_byte_is_replaced_not_mojibake():
    data = article_page().encode()
    at = _ascii_gap(data, data.index(b"<p>") + 20)
    decoded = decode_page(data[:at] + b"\xff" + data[at:])
    assert decoded.encoding == "utf-8" and "\ufffd" in decoded.text
    assert "Giao" not in decoded.text and TITLE in decoded.text
    assert decoded.notes and "invalid UTF-8" in decoded.notes[0]


def test_stray_byte_is_noted_on_the_article():
    data = article_page().encode()
    at = _ascii_gap(data, data.index(b"<p>") + 20)
    art = extract(data[:at] + b"\xff" + data[at:], URL)
    assert art.title == TITLE
    assert any("invalid UTF-8" in note for note in art.notes)


def test_body_cut_inside_a_character_stays_utf8():
    data = article_page().encode()
    cut = data.index("Nghệ".encode()) + len(b"Ngh") + 1  # inside the 3-byte ệ
    text, enc = decode(data[:cut])
    assert enc == "utf-8" and text.endswith("Ngh\ufffd") and TITLE in text


def test_legacy_pages_still_read_as_windows_1258():
    text, enc = decode(to_windows_1258(article_page(charset="windows-1258")))
    assert enc == "windows-1258" and "Diễn Châu đổi mới" in text


@pytest.mark.parametrize("fx", ARTICLES, ids=lambda r: r.file)
def test_captured_article_with_one_invalid_byte(fx):
    data = (fixtures_dir() / fx.file).read_bytes()
    if not (EXPECTED / "articles" / f"{fx.slug}.json").exists():
        pytest.skip("no expected output kept for this capture")
    want = expected(fx)
    # the middle of the body: just after the start of its middle paragraph
    paras = [p for p in want["body_text"].split("\n") if len(p) > 30]
    anchor = paras[len(paras) // 2][:12].encode()
    at = _ascii_gap(data, data.index(anchor) + len(anchor) if anchor in data else len(data) // 2)
    art = extract(data[:at] + b"\xff" + data[at:], fx.url, site=registry().for_url(fx.url))
    assert art.title == want["title"]
    assert SequenceMatcher(None, art.body_text, want["body_text"]).ratio() > 0.98
    assert any("invalid UTF-8" in note for note in art.notes)


@pytest.mark.parametrize("name", NOT_TEXT)
@pytest.mark.parametrize("where", ["header", "meta"])
def test_charset_that_is_no_text_encoding_is_ignored(name, where):
    page = article_page(charset=name if where == "meta" else "")
    data = to_windows_1258(page)
    header = f"text/html; charset={name}" if where == "header" else None
    text, enc = decode(data, header)
    assert enc == "windows-1258" and "Diễn Châu đổi mới" in text
    assert extract(data, URL, content_type=header).title == TITLE


def test_cli_extract_with_rot13_charset(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(to_windows_1258(article_page()))
    result = CliRunner().invoke(main, ["extract", str(path), "--url", URL,
                                       "--content-type", "text/html; charset=zlib_codec"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == TITLE


def test_reparse_with_base64_charset(tmp_path):
    kept = Archive(tmp_path / "a.db")
    page = Page(URL, to_windows_1258(article_page()), fetched_at="2026-03-07T09:00:00+07:00",
                headers={"content-type": "text/html; charset=base64"})
    kept.store_page(page, None)
    counts = reparse(kept, registry())
    assert counts == {"new": 1}
    title = kept.conn.execute("select title from articles").fetchone()[0]
    assert title == TITLE


def test_every_parsed_element_is_a_plain_html_element():
    """The tree's classes are chosen in C: each element an HtmlElement (a form's too),
    with every lxml.html method extraction uses (text, drop_tree, serialising)."""
    import lxml.html

    from newsarchive.extract.decode import parse_html

    doc = parse_html("<html><body><form><label>L</label><input name='q'><select>"
                     "<option>o</option></select><textarea>t</textarea></form><p>x</p>"
                     "</body></html>")
    assert {type(el) for el in doc.iter()} == {lxml.html.HtmlElement}
    form = doc.find(".//form")
    assert form.text_content() == "Lot" and doc.find(".//p").text_content() == "x"
    form.drop_tree()
    assert lxml.html.tostring(doc.find("body"), encoding="unicode") == "<body><p>x</p></body>"
