"""Authors as a structure: the article's own byline, never names from the boxes around it.

The generic byline is the first author element of the page that is not in page chrome
(`aside`, `footer`, `nav`), with the other author elements of the same byline: those that
share with it an ancestor holding no heading (a related-articles box repeats headings).



"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from ..ground.fold import fold
from .layout import Present, select
from .text import clean, element_text, split_names

CHROME = ("aside", "footer", "nav")
HEADINGS = etree.XPath("h1 | h2 | h3 | h4")  # compiled once, not at each `.xpath()`
_SITE_NAMES = etree.XPath('//meta[@property="og:site_name" or @name="application-name"]'
                          '/@content')
BYLINE_MAX = 400  # characters of the element that holds every name of one byline
_INITIALS = re.compile(r"\s*\(\s*[^\W\d_]{1,5}\.?\s*\)?\s*$")
# One short lowercase word between two full names: a conjunction (`A B und C D`).
_CONJUNCTION = re.compile(r"(?<=\w{2})\s+(?![A-ZÀ-Ý])[^\W\d_]{1,4}\s+(?=[A-ZÀ-ÝĐ])")


def byline(doc, selectors: tuple[str, ...], present: Present | None = None) -> list[str]:
    """The names of the page's own byline, by the first selector that finds one
    (`present`: the page's attribute values, `layout.Present`, if read)."""
    for selector in selectors:
        found = [el for el in select(selector, doc, present) if element_text(el)
                 and not any(a.tag in CHROME for a in el.iterancestors())]
        if not found:
            continue
        first, verdicts = found[0], {}
        group = [first] + [el for el in found[1:] if not _apart(first, el, verdicts)]
        names: list[str] = []
        for el in group:
            names += [n for n in split_names(_own_words(el)) if n not in names]
        return names
    return []


def _own_words(el) -> str:
    """The byline's text without a short word written apart before the name
    (`<span>By</span> <span>Name</span>`, `von <a>Name</a>`)."""
    text = element_text(el)
    first, _, rest = text.partition(" ")
    if rest and len(first) <= 4 and any(element_text(d) == rest for d in el.iterdescendants()):
        return rest
    return text


def _apart(a, b, verdicts: dict) -> bool:
    """Do `a` and `b` meet only in an element that holds a heading or more text than
    one byline line (different articles)? `verdicts` keeps the answer per meeting
    element: the bylines of a long page mostly meet in one, read once."""
    mine = set(a.iterancestors())
    common = next((el for el in b.iterancestors() if el in mine), None)
    if common is None:
        return True
    if common not in verdicts:
        verdicts[common] = bool(HEADINGS(common)) or \
            len(element_text(common)) > BYLINE_MAX
    return verdicts[common]


def clean_names(values: list[str], not_names: set[str]) -> list[str]:
    """Names of people from author values: split, stripped of a prefix word and
    bracketed initials, without descriptions, lowercase values and `not_names` (the
    site's and sections' names, folded by `key`)."""
    out: list[str] = []
    for value in values:
        parts = split_names(value)
        if parts and _names_site(parts[0], not_names):
            continue  # the site describing itself (`example.de, Frankfurt, Germany`)
        for part in parts:
            for name in _CONJUNCTION.split(part) if _two_names(part) else [part]:
                name = _INITIALS.sub("", name).strip(" ,.")
                if name and _is_name(name) and not _names_site(name, not_names) \
                        and name not in out:
                    out.append(name)
    return out


def _names_site(name: str, not_names: set[str]) -> bool:
    """Is `name` one of `not_names`, or one of them followed by more words (a site's
    regional desk: `Mdr Thüringen` on mdr.de)?"""
    first = name.split()[0]
    return key(name) in not_names or (len(key(first)) >= 3 and key(first) in not_names)


def not_names(doc, host: str, sections: list[str | None]) -> set[str]:
    """Names that are the site's or a section's, never an author's: `og:site_name`,
    `application-name`, the host and its name (`lrt.lt`, `lrt`), the sections."""
    values = [*_SITE_NAMES(doc), *sections]
    bare = host.removeprefix("www.")
    values += [bare, bare.split(".")[-2] if bare.count(".") >= 1 else bare]
    return {key(v) for v in values if v and key(v)}


def _two_names(part: str) -> bool:
    pieces = _CONJUNCTION.split(part)
    return len(pieces) == 2 and all(len(p.split()) >= 2 for p in pieces)


def _is_name(name: str) -> bool:
    """No lowercase word longer than a particle (`von`, `de la`), not all lowercase."""
    words = name.split()
    cased = [w for w in words if w[:1].isalpha() and w[:1].lower() != w[:1].upper()]
    if cased and not any(w[:1].isupper() for w in cased):
        return False
    return (not any(w[:1].islower() and len(w) > 3 for w in cased) and len(words) <= 6
            and not any(c.isdigit() for c in name))


_NOT_KEY = re.compile(r"[\W_]")


def key(text: str) -> str:
    """A name folded for comparison: `Lrt.lt`, `LRT` and `lrt-lt` meet."""
    return _key(str(text))  # a plain str: lxml's strings would keep their tree in the cache


@lru_cache(maxsize=1024)  # the same site, section and author names, page after page
def _key(text: str) -> str:
    return _NOT_KEY.sub("", fold(clean(text)))
