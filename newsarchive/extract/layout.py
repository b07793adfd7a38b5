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

from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from .text import clean, element_text, has_text, is_boilerplate, split_names

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


def _first(doc, selector: Selector):
    for sel in _priority(selector):
        for el in css(sel)(doc):
            if has_text(el.text_content()) or el.get("datetime") or el.get("content"):
                return el
    return None


def matches(layout: Layout, doc) -> bool:
    return bool(css(layout.detect)(doc))


def _text(doc, selector: Selector) -> str | None:
    el = _first(doc, selector)
    if el is None:
        return None
    return clean(el.get("content")) or element_text(el) or None


def _date(doc, selector: Selector) -> str | None:
    el = _first(doc, selector)
    if el is None:
        return None
    return el.get("datetime") or el.get("content") or element_text(el)


def _list(doc, selector: Selector) -> list[str]:
    for sel in _priority(selector):
        out: list[str] = []
        for el in css(sel)(doc):
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
          fields: tuple[str, ...] = tuple(READERS)) -> dict[str, Any]:
    """Candidate `fields` from the page; `body` gives `body_element`, the element
    holding the body."""
    out: dict[str, Any] = {}
    for name in fields:
        value = READERS[name](doc, getattr(layout, name))
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
