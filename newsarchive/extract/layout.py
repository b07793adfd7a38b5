"""Declarative page layouts: CSS selectors for each field of one CMS template.

A layout is data (see `newsarchive.extract.platforms`); this module applies it. A platform
keeps one layout per template generation, each with the dates it was in use, so pages
captured from an older template still extract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cssselect import parse as parse_css
from cssselect.parser import Attrib, Class, CombinedSelector, Hash, Negation
from cssselect.xpath import is_safe_name
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from .text import clean, element_text, has_text, is_boilerplate, split_names, text_of

Selector = str | tuple[str, ...] | None


@dataclass(frozen=True)
class Layout:
    """Where one template puts each field. A selector is CSS (a comma joins alternatives
    in document order) or a tuple of CSS selectors tried in priority order: the first
    that finds text wins. `detect` must match for the layout to apply."""

    name: str
    detect: str
    title: Selector = "h1"
    sapo: Selector = None
    body: Selector = None
    authors: Selector = None
    source: Selector = None
    published: Selector = None
    modified: Selector = None
    section: Selector = None
    tags: Selector = None
    drop: str | None = None
    date_order: str = "dmy"
    meta_date_order: str = "dmy"
    since: str | None = None
    until: str | None = None


@lru_cache(maxsize=512)
def css(selector: str) -> CSSSelector:
    """Compiled selector, cached: compiling costs more than matching."""
    return CSSSelector(selector)


def _priority(selector: Selector) -> tuple[str, ...]:
    if not selector:
        return ()
    return (selector,) if isinstance(selector, str) else selector


class Present:
    """The values each attribute takes on one page, read when a selector first asks (one
    walk of the page per attribute name), so that a selector naming a class, id or
    attribute value found nowhere on the page is answered without its XPath: one that
    tests an attribute on every element costs 0.1-0.3 ms on a real page, and a page
    without a layout tries thirty. The page must not change while this is used. On a
    page of more than MOST_ELEMENTS elements (a real one has a few thousand) every
    selector is evaluated: its values would be tens of megabytes under the memory
    ceiling of a page."""

    MOST_ELEMENTS = 100_000

    def __init__(self, doc) -> None:
        self._doc = doc
        self._pools: dict[str, str | None] = {}
        self._small: bool | None = None  # counted when first asked

    def _pool(self, attr: str) -> str | None:
        """Every value of `attr` on the page, joined by NUL (which no value holds); None
        when no element has it."""
        if attr not in self._pools:
            values = _values_of(attr)(self._doc)
            self._pools[attr] = "\x00".join(values) if values else None
        return self._pools[attr]

    def may_match(self, selector: str) -> bool:
        """False only when no alternative of `selector` can match anything on the page."""
        if self._small is None:
            self._small = _ELEMENTS(self._doc) <= self.MOST_ELEMENTS
        if not self._small:
            return True
        return any(all((pool := self._pool(attr)) is not None and text in pool
                       for attr, text in needs) for needs in _needs(selector))


_ELEMENTS = etree.XPath("count(//*)")


@lru_cache(maxsize=64)
def _values_of(attr: str) -> etree.XPath:
    return etree.XPath(f"//@{attr}", smart_strings=False)


@lru_cache(maxsize=512)
def _needs(selector: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    """For each comma-separated alternative of `selector`, (attribute, text) pairs that
    any element it matches, or an ancestor or sibling the match requires, must hold:
    that attribute with that text in its value ('' for any value). Only what is sure
    is listed (classes first: most selectors name one); an alternative with none can
    always match."""
    first = {"class": 0, "id": 1}
    return tuple(tuple(sorted(_required(sel.parsed_tree), key=lambda n: (first.get(n[0], 2), n)))
                 for sel in parse_css(selector))


def _required(tree) -> set[tuple[str, str]]:
    """What one parsed selector requires (see `_needs`); nothing from inside `:not()`,
    nor from a kind of selector not known here."""
    if isinstance(tree, CombinedSelector):
        return _required(tree.selector) | _required(tree.subselector)
    if isinstance(tree, Negation):
        return _required(tree.selector)
    if isinstance(tree, Class):
        return _required(tree.selector) | _text_in("class", tree.class_name)
    if isinstance(tree, Hash):
        return _required(tree.selector) | _text_in("id", tree.id)
    if isinstance(tree, Attrib):
        found = _required(tree.selector)
        if tree.namespace or not is_safe_name(tree.attrib) or tree.operator == "!=":
            return found  # `!=` matches elements without the attribute too
        if tree.operator == "exists":
            return found | {(tree.attrib, "")}
        return found | _text_in(tree.attrib, tree.value.value if tree.value else "")
    return set()


def _text_in(attr: str, text: str) -> set[tuple[str, str]]:
    """(attr, text), unless `text` holds whitespace: a class or `~=` word is compared
    with the value's whitespace normalised, so such a text need not be in the value."""
    return set() if any(c.isspace() for c in text) else {(attr, text)}


def select(selector: str, doc, present: Present | None = None) -> list:
    """`css(selector)(doc)`; nothing, without the XPath, when `present` (of `doc`) says
    that it cannot match."""
    if present is not None and not present.may_match(selector):
        return []
    return css(selector)(doc)


def _first(doc, selector: Selector, present: Present | None = None):
    for sel in _priority(selector):
        for el in select(sel, doc, present):
            if has_text(text_of(el)) or el.get("datetime") or el.get("content"):
                return el
    return None


def matches(layout: Layout, doc, present: Present | None = None) -> bool:
    return bool(select(layout.detect, doc, present))


def _text(doc, selector: Selector, present: Present | None = None) -> str | None:
    el = _first(doc, selector, present)
    if el is None:
        return None
    return clean(el.get("content")) or element_text(el) or None


def _date(doc, selector: Selector, present: Present | None = None) -> str | None:
    el = _first(doc, selector, present)
    if el is None:
        return None
    return el.get("datetime") or el.get("content") or element_text(el)


def _list(doc, selector: Selector, present: Present | None = None) -> list[str]:
    for sel in _priority(selector):
        out: list[str] = []
        for el in select(sel, doc, present):
            text = (clean(el.get("content")) or element_text(el)).strip("#,;|· ")
            if text and not is_boilerplate(text) and text not in out:
                out.append(text)
        if out:
            return out
    return []


READERS = {
    "title": _text, "sapo": _text, "authors": _list, "source": _text, "published": _date,
    "modified": _date, "section": _text, "tags": _list, "body": _first,
}


def apply(layout: Layout, doc: lxml_html.HtmlElement,
          fields: tuple[str, ...] = tuple(READERS), present: Present | None = None
          ) -> dict[str, Any]:
    """Candidate `fields` from the page; `body` gives `body_element`, the element
    holding the body. `present`: the page's attribute values (`Present`), if read."""
    out: dict[str, Any] = {}
    for name in fields:
        value = READERS[name](doc, getattr(layout, name), present)
        if name == "authors":
            names: list[str] = []
            for raw in value:
                names += [n for n in split_names(raw) if n not in names]
            value = names
        elif name == "source" and value:
            value = re.sub(r"^(theo|nguồn)\s*:?\s*", "", value, flags=re.I)
        if value is not None and value != "" and value != []:
            out["body_element" if name == "body" else name] = value
    return out
