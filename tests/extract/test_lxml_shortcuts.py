"""Shortcuts through lxml that must give what the plain calls gave: the body's HTML, its
element's children serialised (`body._inner_html`, one call into lxml), and an
element's text content (`text.text_of`, lxml's text serialisation, no XPath)."""

from __future__ import annotations

import copy

import lxml.html
import pytest

from bench.peerpages import peer_pages, real_peer_pages
from newsarchive.extract.body import _inner_html
from newsarchive.extract.decode import decode_page, parse_html
from newsarchive.extract.text import text_of
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
