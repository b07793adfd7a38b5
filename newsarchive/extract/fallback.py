"""The generic fallback: trafilatura finds the body on pages no layout describes.

Trafilatura's text is then mapped back to the element of the original page that holds
it, so that pictures, captions and bylines go through the same rules as on known sites.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import trafilatura

from . import dates
from .text import clean

log = logging.getLogger(__name__)


def _holder(doc, paragraph: str):
    """The element whose own text begins `paragraph`."""
    words = paragraph.split()[:6]
    if len(words) < 3:
        return None
    snippet = " ".join(words)
    for node in doc.xpath("//text()[contains(normalize-space(.), $s)]", s=snippet):
        parent = node.getparent()
        if node.is_tail:
            parent = parent.getparent()
        if parent is not None:
            return parent
    return None


def _common_ancestor(a, b):
    ancestors = {id(x) for x in a.iterancestors()} | {id(a)}
    for el in [b, *b.iterancestors()]:
        if id(el) in ancestors:
            return el
    return None


def locate_body(doc, url: str) -> tuple[Any, dict[str, Any]]:
    """(body element or None, what trafilatura found: `text`, `date`, `title`)."""
    try:
        result = trafilatura.bare_extraction(
            copy.deepcopy(doc), url=url, with_metadata=True, include_comments=False,
            include_tables=True, favor_precision=True)
    except Exception as exc:  # trafilatura raises many kinds on odd trees
        log.warning("trafilatura failed on %s: %s", url, exc)
        return None, {}
    if result is None:
        return None, {}
    text = result.text or ""
    found: dict[str, Any] = {"text": text, "title": result.title}
    if result.date:
        dt, _ = dates.parse_date(result.date)
        if dt:
            found["date"] = dates.iso(dt)
    paragraphs = [clean(p) for p in text.split("\n") if len(clean(p)) > 40]
    if not paragraphs:
        return None, found
    first, last = _holder(doc, paragraphs[0]), _holder(doc, paragraphs[-1])
    if first is None or last is None:
        return None, found
    holder = _common_ancestor(first, last)
    if holder is None or holder.tag in ("html", "body"):
        return None, found
    if len(clean(holder.text_content())) > 3 * len(text) + 500:
        return None, found
    if holder.tag == "p":
        holder = holder.getparent()
    return holder, found
