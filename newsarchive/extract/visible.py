"""What any Vietnamese news page shows around its article, read without a layout: the
headline as readers see it, the breadcrumb's section, the tag box, the closing source line,
a bold lead just above the body and the byline beside the dateline.

Every rule here reads the shape of the page (labels, class names that say `tag` or
`breadcrumb`, link addresses, position), never the strings of one site.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from lxml import etree

from ..ground.fold import fold
from .text import (
    clean,
    element_text,
    has_text,
    is_boilerplate,
    is_outlet,
    looks_like_person,
    source_line,
    text_of,
)

SKIP = {"script", "style", "noscript", "svg", "template", "button", "input", "select"}
HOME = {"trang chủ", "home", "trang nhất", "trang chu"}
# Class or id tokens of tag boxes and breadcrumbs.
TAG_NAME = re.compile(r"(^|[-_ ])(tags?|keywords?|tu-?khoa|tukhoa|chu-?de|topics?)($|[-_ \d])",
                      re.IGNORECASE)
CRUMB_NAME = re.compile(r"bread-?crumb", re.IGNORECASE)
# Addresses of tag pages: /tag/…, /tags/…, /tu-khoa/…, /chu-de/…, …-tag123.html, …-ptag.html.
TAG_HREF = re.compile(r"/(tags?|tu-?khoa|chu-?de|topics?|keywords?)/|[-_]p?tag\d*[-_./]|"
                      r"[?&](tag|keyword|tukhoa)=", re.IGNORECASE)
LABEL = re.compile(r"^(tags?|từ kh(?:óa|oá|oa)|chủ đề|xem thêm về|keywords?)\s*:?$", re.IGNORECASE)
DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?|\d{1,2}:\d{2}")
TAG_MAX, TAGS_MAX = 60, 30       # characters of one tag; tags in a box
CRUMB_MAX = 50                   # characters of one crumb
AFTER_BODY = 2000                # characters of text read after the body for a source line


def joined_text(el) -> str:
    """The element's text by the one joining rule (`text.element_text`)."""
    return element_text(el)


def headline(doc, hint: str | None = None) -> str | None:
    """The visible `h1`: the one most like `hint` (the structured title), else the first
    that reads as a headline (three words or more)."""
    texts = [t for t in (joined_text(h) for h in doc.iter("h1")
                         if not _linked(h) and not _in_crumbs(h)) if t]
    if hint:
        hint = clean(hint).casefold()
        scored = [(_likeness(t.casefold(), hint), t) for t in texts]
        best = max(scored, default=(0, None))
        if best[0] > 0.6:
            return best[1]
    return next((t for t in texts if len(t.split()) >= 3), None)


def _likeness(a: str, b: str) -> float:
    """`SequenceMatcher(None, a, b).ratio()`, without its work when the two are equal (an
    `h1` that is the structured title, on most pages): 1.0 then, as it gives. Not for 200
    characters or more, where its autojunk heuristic starts to apply."""
    if a == b and 0 < len(b) < 200:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def _items(box) -> list[str]:
    """The short texts a box lists: its links, and its leaf elements with text."""
    out: list[str] = []

    def walk(el) -> None:
        if not isinstance(el.tag, str) or el.tag in SKIP:
            return
        has_text_child = any(isinstance(c.tag, str) and c.tag not in SKIP and
                             has_text(text_of(c)) for c in el)
        if el.tag == "a" or not has_text_child:
            text = joined_text(el)
            if text:
                out.append(text)
            return
        for child in el:
            walk(child)

    walk(box)
    return out


def _same(a: str, b: str | None) -> bool:
    if not b:
        return False
    a, b = a.casefold(), clean(b).casefold()
    return a == b or (len(a) > 20 and SequenceMatcher(None, a, b).ratio() > 0.8)


def crumbs_section(names: list[str], title: str | None) -> str | None:
    """The last crumb that is not the home page, the headline, a date or a separator."""
    kept = [n for n in (clean(n).strip(" >»/|›") for n in names)
            if n and n.casefold() not in HOME and not _same(n, title) and len(n) <= CRUMB_MAX
            and not DATE.search(n)]
    return kept[-1] if kept else None


def breadcrumb(doc, title: str | None) -> str | None:
    """The section as the page's breadcrumb markup shows it (its last crumb that is not
    the title)."""
    boxes = [el for el in _CRUMB_XPATH(doc) if CRUMB_NAME.search(
        f"{el.get('class')} {el.get('id')} {el.get('aria-label')} {el.get('itemtype')}")]
    found = set(boxes)  # the outermost boxes: a set, for pages of thousands
    boxes = [b for b in boxes if not any(a in found for a in b.iterancestors())]
    for box in boxes:
        section = crumbs_section(_items(box), title)
        if section:
            return section
    for sep in _SEPARATOR_XPATH(doc):  # a trail without a name: `THỜI SỰ > Cần Thơ`
        holder = sep.getparent()
        for box in (holder, *holder.iterancestors())[:3] if holder is not None else ():
            if is_trail(box):
                return crumbs_section(_items(box), title)
    return None


# The elements whose class, id, aria-label or itemtype holds `rumb`, in document order:
# found from the attributes (four to ten times faster than four `contains` on each element)
_CRUMB_XPATH = etree.XPath(
    "(//@class | //@id | //@aria-label | //@itemtype)[contains(., 'rumb')]/..")
_FOLLOWING = etree.XPath(
    "following::text()[position() <= 300][not(ancestor::script or ancestor::style)]")
# A text node that is `>`, `»` or `›` and whitespace: normalised once, not three times
_SEPARATOR_XPATH = etree.XPath(
    "//body//text()[string-length(normalize-space(.)) = 1]"
    "[contains('>»›', normalize-space(.))]")

_BOLD_TEXT = etree.XPath(".//b//text()|.//strong//text()")
_NEXT_40 = etree.XPath("following::*[position() <= 40]")


def is_trail(el) -> bool:
    """Two to six links and nothing between them but `>`, `»` or `›`: a breadcrumb that
    does not say its name (`THỜI SỰ > Cần Thơ`)."""
    links = list(el.iterdescendants("a"))  # as `.//a`, without an XPath evaluation
    if not 2 <= len(links) <= 6:
        return False
    rest = clean(text_of(el))
    for a in links:
        rest = rest.replace(clean(text_of(a)), " ", 1)
    rest = rest.replace(" ", "")
    return bool(rest) and set(rest) <= set(">»›") and len(rest) >= len(links) - 1


def _in_crumbs(el) -> bool:
    """`el` is (in) a breadcrumb: its or an ancestor's class, id or attribute names say so
    (a page's last crumb is often an `h1` repeating a short title)."""
    return any(CRUMB_NAME.search(" ".join((n.get("class") or "", n.get("id") or "", *n.keys())))
               for n in (el, *el.iterancestors()))


def _linked(el) -> bool:
    text = len(clean(text_of(el)))
    return text > 0 and sum(len(clean(text_of(a))) for a in el.iter("a")) > 0.9 * text


def _tag_candidates(doc, keywords: set[str]) -> list:
    """Boxes that say they list tags: by name, by label, by where their links go, or by
    links that repeat the page's keywords. One pass over the page, cheap tests first."""
    seen = []
    texts: dict = {}
    for el in doc.iter():
        tag = el.tag
        if tag == "a":
            href = el.get("href") or ""
            if _taggish(href) and TAG_HREF.search(href) or (
                    keywords and " ".join(text_of(el).split()).casefold() in keywords):
                seen.append(_box_of(el, texts))
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if len(names) > 4 and _taggish(names) and _TAGGISH.search(names) and \
                TAG_NAME.search(names) and tag not in ("html", "body"):
            seen.append(el)
        text = el.text
        if text and len(text) < 40 and not len(el) and text.lstrip()[:1] in "TtKkCcXx" and \
                LABEL.match(clean(text)):
            seen.append(_box_of(el, texts))
    return [b for b in seen if b is not None and b.tag not in SKIP]


_TAGGISH = re.compile(r"tag|keyword|khoa|chu-?de|topic", re.IGNORECASE)
# What every match of TAG_HREF and _TAGGISH holds, lower-cased: looked for with `in`,
# several times faster than either regex, which most of a page's links and names fail.
# (No i, k or s: re's IGNORECASE also matches ı, İ, K and ſ to them, `lower()` does not.)
_TAGGISH_PARTS = ("tag", "hoa", "chu", "top", "eyword")


def _taggish(text: str) -> bool:
    low = text.lower()
    return any(part in low for part in _TAGGISH_PARTS)


def _box_of(el, texts: dict | None = None):
    """The nearest ancestor (three levels at most) that holds more than `el`'s text.
    `texts` keeps each element's text across calls: the links of one large box share
    their ancestors, whose text is then read once, not once per link."""
    texts = {} if texts is None else texts

    def text(node) -> str:
        if node not in texts:
            texts[node] = clean(text_of(node))
        return texts[node]

    own = text(el)
    box = el
    for _ in range(3):
        box = box.getparent()
        if box is None:
            return None
        if text(box) != own:
            return box
    return None


def tag_box(doc, start, keywords: list[str]) -> list[str]:
    """The tags of the visible tag box after `start` (the body, else the headline)."""
    wanted = {clean(k).casefold() for k in keywords if clean(k)}
    boxes = set(_tag_candidates(doc, wanted))
    if not boxes:
        return []
    place = {el: i for i, el in enumerate(doc.iter())}  # document order, in one pass
    order = {box: place[box] for box in boxes}
    after = place.get(start, 0) if start is not None else 0
    for box in sorted(order, key=order.__getitem__):
        if order[box] < after or any(a.tag in ("nav", "header") for a in
                                     box.iterancestors()):
            continue
        items = [t.strip("#,;|· ") for t in _items(box)]
        items = [t for t in items if t and not is_boilerplate(t) and not LABEL.match(t)]
        text = len(clean(text_of(box)))
        if not items or len(items) > TAGS_MAX or any(len(t) > TAG_MAX for t in items) or \
                text > sum(map(len, items)) + 40 + 3 * len(items):
            continue
        out: list[str] = []
        for t in items:
            if t.casefold() not in {o.casefold() for o in out}:
                out.append(t)
        return out
    return []


def source_after(body_el) -> str | None:
    """A `Theo <outlet>` / `Nguồn: <outlet>` line standing on its own just after the body."""
    if body_el is None:
        return None
    read = 0
    for node in _FOLLOWING(body_el):
        text = clean(node)
        if not text:
            continue
        found = source_line(text)
        if found and found[1]:
            return found[1]
        read += len(text)
        if read > AFTER_BODY:
            break
    return None


def lead_before(body_el) -> str | None:
    """A lead set just above the body: the nearest element before it with text, when
    that text is all bold or a subheading and reads as a sentence (40-600 characters)."""
    if body_el is None:
        return None
    prev = body_el.getprevious()
    while prev is not None and (not isinstance(prev.tag, str) or prev.tag in SKIP
                                or not has_text(text_of(prev))):
        prev = prev.getprevious()
    if prev is None or prev.tag not in ("p", "div", "h2", "strong", "b"):
        return None
    text = joined_text(prev)
    bold = clean(" ".join(_BOLD_TEXT(prev)))
    if 40 <= len(text) <= 600 and (prev.tag in ("h2", "strong", "b") or bold == text):
        return text
    return None


def dateline_byline(doc) -> list[str]:
    """A person's name beside the time in the row under the headline
    (`15-01-2024 13:04 | Quỳnh Vân`): not a link to a section, not an outlet."""
    h1 = next(iter(doc.iter("h1")), None)
    if h1 is None:
        return []
    for el in _NEXT_40(h1):
        if el.tag in SKIP or len(el) or not DATE.search(clean(el.text)):
            continue
        row = el.getparent()
        names = []
        for sib in row if row is not None else []:
            if sib is el or not isinstance(sib.tag, str) or len(sib):
                continue
            text = clean(sib.text)
            href = sib.get("href") or ""
            if sib.tag == "a" and not re.search(r"tac-?gia|author", href, re.I):
                continue
            if text and looks_like_person(text) and not is_outlet(text):
                names.append(text)
        return names
    return []


_SUFFIX = re.compile(r"\s+[-|–—:]+\s+([^-|–—:]{2,40})$")


def without_outlet(title: str, site_name: str | None, host: str) -> str:
    """A structured title without the outlet's name after it (`… - Báo Nghệ An`,
    `… | Znews.vn`): the tail goes when it is the page's `og:site_name`, part of its host
    name, or reads as an outlet (`Báo …`, a domain)."""
    m = _SUFFIX.search(title)
    if not m:
        return title
    tail = m.group(1).strip()
    key = re.sub(r"[^a-z0-9]", "", fold(tail))
    named = bool(site_name) and key == re.sub(r"[^a-z0-9]", "", fold(site_name))
    in_host = len(key) >= 3 and key in re.sub(r"[^a-z0-9]", "", host.lower())
    if named or in_host or is_outlet(tail):
        return title[:m.start()].strip()
    return title
