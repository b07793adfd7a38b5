"""`layout.Present`: a selector is skipped only when it cannot match. Checked against
the plain XPath for every selector of every layout, on each captured page and on pages
made to sit at the edges (a class word inside another, whitespace, `!=`, `:not`)."""

from __future__ import annotations

import lxml.html
import pytest

from newsarchive.extract import layout
from newsarchive.extract.decode import decode_page, parse_html
from newsarchive.extract.layout import Present, css, select
from newsarchive.extract.platforms import GENERIC, PLATFORMS
from tests.support.fixtures import manifest, real_pages


def _selectors() -> list[str]:
    found = []
    for lay in [*GENERIC, *(lay for pool in PLATFORMS.values() for lay in pool)]:
        for name in ("detect", *layout.READERS, "drop"):
            found += layout._priority(getattr(lay, name))
    return sorted(set(found))


EDGES = [".a", ".a.b", "div.ab", ".a-b", "#x", "#x .a", "p#x", "[rel=tag]", "[rel~=tag]",
         "[rel|=tag]", "[rel^=ta]", "[rel$=ag]", "[rel*=a]", "[rel!=tag]", "[rel]",
         "[data-role=content]", "[Rel=tag]", "[class*='']", "p:not(.a)", ":not([rel])",
         "h1 ~ #x", "h1 + p.a", ".a > .b", "li:first-child.a", "[title='a b']", ".a, .zz",
         ".zz, [rel=tag]", "*", "p"]
PAGES = [
    "<div class='a b'><p id='x' class='ab'>t</p><a rel='tag-x'>x</a></div>",
    "<div class='ab'><p class=' a-b  '>t</p><a rel='nofollow tag'>x</a></div>",
    "<div class='a\tb' data-role='content'><h1>h</h1><p id='x' class='a' title='a b'>t</p>"
    "<a rel=''>x</a></div>",
    "<ul><li class='a'>1</li><li class='b'>2</li></ul><p>no attributes</p>",
]


@pytest.mark.parametrize("html", PAGES)
def test_a_skipped_selector_matches_nothing(html):
    doc = lxml.html.fromstring(f"<html><body>{html}</body></html>")
    present = Present(doc)
    for selector in [*EDGES, *_selectors()]:
        assert select(selector, doc, present) == css(selector)(doc), selector


def test_every_layout_selector_on_the_captured_pages():
    folder = real_pages()
    if folder is None:
        pytest.skip("no captured pages")
    pages = [fx for fx in manifest(folder) if fx.kind == "article"]
    skipped = 0
    for fx in pages:
        doc = parse_html(decode_page((folder / fx.file).read_bytes(), None).text)
        present = Present(doc)
        for selector in _selectors():
            plain = css(selector)(doc)
            assert select(selector, doc, present) == plain, (fx.file, selector)
            skipped += not present.may_match(selector)
    assert skipped > len(pages)  # the shortcut is taken


def test_what_a_selector_requires():
    assert layout._needs(".a, #x .b") == ((("class", "a"),), (("class", "b"), ("id", "x")))
    assert layout._needs("[rel!=tag]") == ((),)
    assert layout._needs("p:not(.a)") == ((),)
    assert layout._needs("[title='a b']") == ((),)
    assert layout._needs("time[datetime]") == ((("datetime", ""),),)


def test_a_page_of_very_many_elements_has_every_selector_evaluated(monkeypatch):
    """Past MOST_ELEMENTS, no attribute's values are gathered (they would take memory a
    page may not have): every selector is evaluated, with the same answers."""
    doc = lxml.html.fromstring("<html><body>" + "<i class='c'>x</i>" * 50 + "</body></html>")
    monkeypatch.setattr(Present, "MOST_ELEMENTS", 40)
    present = Present(doc)
    assert present.may_match(".sapo") and select(".sapo", doc, present) == []
    assert len(select(".c", doc, present)) == 50 and not present._pools
    monkeypatch.setattr(Present, "MOST_ELEMENTS", 100)
    assert not Present(doc).may_match(".sapo")
