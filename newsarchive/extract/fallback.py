"""The generic fallback: trafilatura finds the body on pages no layout describes.

Trafilatura's text is then mapped back to the element of the original page that holds
it, so that pictures, captions and bylines go through the same rules as on known sites.
"""

from __future__ import annotations

import logging
from typing import Any

import trafilatura
from lxml import etree

from ..ground import dates
from .text import clean, text_of

log = logging.getLogger(__name__)


def _text_index(doc) -> dict[str, list]:
    """Elements of the page body by the first three words of their own text."""
    index: dict[str, list] = {}
    for node in doc.xpath("//body//text()"):
        words = node.split()[:3]
        if len(words) == 3:
            parent = node.getparent()
            if node.is_tail:
                parent = parent.getparent()
            if parent is not None:
                index.setdefault(" ".join(words), []).append(parent)
    return index


def _container(doc, paragraphs: list[str], share: float = 0.8):
    """The deepest element holding at least `share` of the paragraphs found on the page."""
    counts: dict = {}
    matched = 0
    index = _text_index(doc)
    for paragraph in paragraphs:
        seen = set()
        for holder in index.get(" ".join(paragraph.split()[:3]), []):
            for el in (holder, *holder.iterancestors()):
                if el not in seen:
                    seen.add(el)
                    counts[el] = counts.get(el, 0) + 1
        matched += bool(seen)
    if not matched:
        return None
    need = share * matched
    best = [el for el, n in counts.items() if n >= need]
    if not best:
        return None
    # The deepest: the one with the most ancestors.
    return max(best, key=lambda el: sum(1 for _ in el.iterancestors()))


FAST_ENOUGH = 1000  # characters of text from trafilatura's own pass that make a body
COMPARE_MAX_CHARS = 100_000
"""Pages with more text than this skip trafilatura's comparison with readability and
jusText: it costs 1 s per MB of text and pass (jusText re-normalises each paragraph's
text at every look) where the rest of the extraction costs a tenth of that, and the
captured real article pages have at most 40,000 characters of text."""


def comparable(doc) -> bool:
    """Is the page's text (outside scripts and styles) short enough for trafilatura's
    comparison passes? Counted in one walk, stopping at the bound."""
    chars = 0
    for el in doc.iter():
        if el.tag not in ("script", "style"):
            chars += len(el.text or "") if isinstance(el.tag, str) else 0
        chars += len(el.tail or "")
        if chars > COMPARE_MAX_CHARS:
            return False
    return True


def _run(doc, url: str, metadata: bool, fast: bool, precise: bool, recall: bool = False):
    """trafilatura on the page: `fast`, its own extractor only, first favouring precision,
    then not; only when both find little, also its comparison with readability and
    jusText, which costs two thirds of its time."""
    try:
        # trafilatura cleans a copy of the tree it is given; ours stays intact.
        return trafilatura.bare_extraction(
            doc, url=url, with_metadata=metadata, include_comments=False, fast=fast,
            include_tables=True, favor_precision=precise, favor_recall=recall)
    except MemoryError:  # the page is past the memory ceiling: not trafilatura's fault
        raise
    except Exception as exc:  # trafilatura raises many kinds on odd trees
        log.warning("trafilatura failed on %s: %s", url, exc)
        return None


def locate_body(doc, url: str, metadata: bool = True) -> tuple[Any, dict[str, Any]]:
    """(body element or None, what trafilatura found: `text`, and with `metadata`
    `date` and `title`). Its metadata (htmldate's search for a date above all) costs
    about as much as the body: asked for only when the other layers lack them."""
    result = None
    for fast, precise in ((True, True), (True, False), (False, True)):
        if not fast and not comparable(doc):
            break
        result = _run(doc, url, metadata, fast, precise) or result
        if result is not None and len(result.text or "") >= FAST_ENOUGH:
            break
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
    holder = _container(doc, paragraphs[:80])
    if holder is None or holder.tag in ("html", "body"):
        return None, found
    if len(clean(text_of(holder))) > 3 * len(text) + 500:
        return None, found
    if holder.tag == "p":
        holder = holder.getparent()
    return holder, found


SHORT_SHARE = 0.25    # a body under this share of the page's visible text may be a fragment
SHORT_CHARS = 1500    # ... and so may any body shorter than this
FULLER = 4.0          # the fuller reading wins when it is this many times longer
READS_AT_MOST = 2.0   # trafilatura's text of a page, at most this share of what it shows


NFC_GROWTH = 3  # NFC makes a text at most three times as long (UAX #15); `clean` no more
_ELEMENTS = etree.XPath("count(descendant-or-self::*)")


def plainly_whole(body_chars: int, page) -> bool:
    """Whether `fuller_reading` returns None whatever the page shows, told from a bound
    of the visible text, `len(element_text(page))`, that costs no walk in Python: all
    the text below `page` (scripts too) with a space at each edge of each element,
    `clean`ed at its longest. A body of SHORT_CHARS or more that is SHORT_SHARE of the
    bound is no fragment (most articles), and the page's text need not be joined."""
    if body_chars < SHORT_CHARS:
        return False
    bound = NFC_GROWTH * (len(text_of(page)) + 2 * int(_ELEMENTS(page)))
    return body_chars >= SHORT_SHARE * bound


def fuller_reading(doc, url: str, body_chars: int, visible_chars: int) -> list[str] | None:
    """The paragraphs of trafilatura's recall-favouring comparison (with readability and
    jusText) when the body found is short against the page's visible text and that
    reading is `FULLER` times longer: the fast pass returned a fragment (what it does on
    the peer pages: README, "Accuracy and speed", from bench/peers.py)."""
    if body_chars >= SHORT_CHARS and body_chars >= SHORT_SHARE * visible_chars:
        return None
    if visible_chars > COMPARE_MAX_CHARS:  # as `comparable`, from the count at hand
        return None
    if FULLER * body_chars > READS_AT_MOST * visible_chars:  # no reading could be fuller
        return None
    result = _run(doc, url, False, fast=False, precise=False, recall=True)
    text = (result.text or "") if result is not None else ""
    if len(text) < FULLER * max(body_chars, 1):
        return None
    return [p for p in (clean(line) for line in text.split("\n")) if p]
