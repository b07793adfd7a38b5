"""Shortcuts through lxml that must give what the plain calls gave: the body's HTML, its
element's children serialised (`body._inner_html`, one call into lxml), an element's
text content (`text.text_of`, lxml's text serialisation, no XPath), and the bound of a
page's visible text that spares joining it (`fallback.plainly_whole`)."""

from __future__ import annotations

import copy

import lxml.html
import pytest

from bench.peerpages import peer_pages, real_peer_pages
from newsarchive.extract.body import _inner_html
from newsarchive.extract.decode import decode_page, parse_html
from newsarchive.extract.fallback import NFC_GROWTH, SHORT_CHARS, SHORT_SHARE, plainly_whole
from newsarchive.extract.text import clean, element_text, text_of
from tests.support.fixtures import manifest, real_pages


def _one_by_one(root) -> str:
    return (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode")
                                       for child in root)


def _same_for_every_element(doc) -> int:
    count = 0
    for el in doc.iter():
        if isinstance(el.tag, str):
            assert _inner_html(copy.deepcopy(el)) == _one_by_one(el), el.tag
            text = text_of(el)
            assert text == el.text_content() and type(text) is str, el.tag
            count += 1
        else:  # a comment has no text content: both raise
            with pytest.raises(ValueError):
                el.text_content()
            with pytest.raises(ValueError):
                text_of(el)
    return count


def test_made_up_edges():
    doc = lxml.html.fromstring(
        "<html><body><div class='a>b' data-x='&quot;'>1 &lt; 2 &amp; <b>x</b> tail"
        "<!-- note --> after<br>line<img src='a.jpg' alt='>'><p>p</p>end</div>"
        "<script>if (a < b) {}</script><pre>  kept\n  </pre><td>cell</td>"
        "<p></p><span> </span><textarea>&lt;t&gt;</textarea><?pi x?>"
        "<p>a<![CDATA[b]]>&#160;c<!-- d -->\u00e9<style>s{}</style></p></body></html>")
    assert _same_for_every_element(doc) > 10


def test_captured_pages():
    folder = real_pages()
    if folder is None:
        pytest.skip("no captured pages")
    for fx in manifest(folder):
        _same_for_every_element(parse_html(decode_page((folder / fx.file).read_bytes(),
                                                       None).text))


def test_peer_pages():
    folder = real_peer_pages()
    if folder is None:
        pytest.skip("no peer pages")
    for page in peer_pages(folder)[:12]:
        _same_for_every_element(parse_html(decode_page(page.html(), None).text))


def _bound_holds(page) -> int:
    """Where `plainly_whole` answers without the page's text, the first test of
    `fuller_reading` (a body long enough against the visible text) passes."""
    shown = len(element_text(page))
    held = 0
    for body_chars in (1499, 1500, 2000, shown // 4, shown // 2, shown, 3 * shown, 10**6):
        if plainly_whole(body_chars, page):
            assert body_chars >= SHORT_CHARS and body_chars >= SHORT_SHARE * shown
            held += 1
    return held


def test_the_visible_text_bound_on_made_up_pages():
    import sys
    import unicodedata

    growth = max(len(unicodedata.normalize("NFC", chr(c))) for c in range(sys.maxunicode + 1)
                 if not 0xD800 <= c < 0xE000)
    assert growth <= NFC_GROWTH
    widest = "".join(c for c in map(chr, range(0x10000, 0x20000))
                     if len(unicodedata.normalize("NFC", c)) == 3)
    assert widest and len(clean(widest)) <= NFC_GROWTH * len(widest)
    for html in (f"<p>{widest * 40}</p>", "<div></div>" * 500 + "<p>a</p>",
                 "<p>" + "&amp;amp;" * 300 + "</p><script>x</script>",
                 "<p>" + "ễ" * 2000 + "</p>", "<p>" + "e\u0301" * 1000 + "</p>"):
        page = lxml.html.fromstring(f"<html><body>{html}</body></html>").find("body")
        _bound_holds(page)


def test_the_visible_text_bound_on_captured_and_peer_pages():
    pages = []
    if (folder := real_pages()) is not None:
        pages += [(folder / fx.file).read_bytes() for fx in manifest(folder)]
    if (peers := real_peer_pages()) is not None:
        pages += [page.html() for page in peer_pages(peers)]
    if not pages:
        pytest.skip("no captured pages")
    held = sum(_bound_holds(parse_html(decode_page(raw, None).text).find("body"))
               for raw in pages)
    assert held  # the shortcut is taken
