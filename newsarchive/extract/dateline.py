"""The visible dateline near the headline: a time of publication for pages whose
structured data give only a date (`08:47 07/03/2026`, `Thứ Bảy, 07/03/2026 - 08:47`,
`07-03-2026 | 08:47`, `7/3/2026 8:47 (GMT+7)`, `25.04.24 | 14:07`), read day-first and
checked against the date in the URL where it has one."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from lxml import etree

from ..ground import dates
from .text import clean, text_of
from .titles import key

BEFORE, AFTER = 200, 400   # characters of text read before and after the headline
HEADLINE_MIN = 15
_DAY = re.compile(r"(?<!\d)(\d{1,2}[/.-]\d{1,2}[/.-])(\d{4}|\d{2})(?![\d/.-]\d)")
_UNREAD = ("script", "style", "noscript")
# A date in the URL: /2026/03/07/, 2026-03-07, or an id that starts with 20YYMMDD.
_URL_DATES = (re.compile(r"/(20\d{2})/(\d{1,2})/(\d{1,2})/"),
              re.compile(r"(?<!\d)(20\d{2})-(\d{2})-(\d{2})(?!\d)"),
              re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})\d{6,}"))


def url_date(url: str) -> date | None:
    path = urlsplit(url).path
    for pattern in _URL_DATES:
        if m := pattern.search(path):
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def _headline(doc, title: str | None):
    """The page's first long `h1`, else (a page whose headline is an `h2` or `h3`) the
    heading that holds the words of `title` (a kicker may stand before them)."""
    first = next((h for h in doc.iter("h1") if len(clean(text_of(h))) >= HEADLINE_MIN),
                 None)
    if first is not None or not title:
        return first
    words = key(title)
    return next((h for h in doc.iter("h2", "h3") if words and words in key(text_of(h))),
                None)


def _texts(doc, headline):
    """(text, in the headline?) for each text of the page body outside scripts, styles
    and noscript, in document order, as the page is walked: a reader that stops early
    stops the walk (a page's whole text is not gathered to read 400 characters of it)."""
    body = next(doc.iter("body"), None)
    if body is None:
        return
    skipped = None  # a script, style or noscript being passed over
    inside = False
    for event, node in etree.iterwalk(body, events=("start", "end")):
        if skipped is not None:
            if event == "end" and node is skipped:
                skipped = None
                if node.tail:
                    yield node.tail, inside
            continue
        if event == "start":
            if node.tag in _UNREAD:
                skipped = node
            elif node is headline:
                inside = True
            if skipped is None and isinstance(node.tag, str) and node.text:
                yield node.text, inside
            continue
        if node is headline:
            inside = False
        if node is not body and node.tail:
            yield node.tail, inside


def _window(doc, title: str | None = None) -> str | None:
    """The text just before and after the page's headline (`_headline`)."""
    headline = _headline(doc, title)
    if headline is None:
        return None
    before = ""
    after: list[str] = []
    seen_headline = False
    for raw, in_headline in _texts(doc, headline):
        if in_headline:
            seen_headline = True
            continue
        text = clean(raw)
        if not text:
            continue
        if not seen_headline:  # only the last BEFORE characters are kept
            before = (f"{before} {text}" if before else text)[-BEFORE:]
        else:
            after.append(text)
            if sum(map(len, after)) > AFTER:
                break
    return before + " \n " + " ".join(after)[:AFTER]


def find(doc, url: str, notes: list[str] | None = None, title: str | None = None
         ) -> str | None:
    """The dateline's date and time near the headline (`title`: the structured title, to
    find a headline that is no `h1`), as the text to parse, or None. Only a dateline with
    a time of day counts; one on another day than the URL's is noted and left out."""
    window = _window(doc, title)
    if not window:
        return None
    expected = url_date(url)
    previous = 0
    for m in _DAY.finditer(window):  # with the time just before or after it
        start = max(previous, m.start() - 16)
        snippet = window[start:m.end() + 24]
        previous = m.end()
        if len(m.group(2)) == 2:  # `25.04.24 | 14:07 Uhr`: a two-digit year of this century
            at = m.start(2) - start
            snippet = f"{snippet[:at]}20{snippet[at:]}"
        dt, has_time = dates.parse_date(snippet, "dmy")
        if dt is None or not has_time:
            continue
        if expected and dt.date() != expected:
            if notes is not None:
                notes.append(f"published: dateline {dates.iso(dt)} is not the URL's date "
                             f"{expected.isoformat()}, ignored")
            continue
        return dates.iso(dt)
    return None
