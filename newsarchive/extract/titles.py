"""The title a reader would write down: the visible headline (`h1`) read against the
structured titles (JSON-LD `headline`, `og:title`).

An `h1` is often made of parts: a kicker or section above the headline (`<span>Premier
League</span><span>Rückschlag …</span>`), or a headline in two inline halves whose
separator only the stylesheet shows (`<span>… pakda:</span>do din …`). The structured
titles spell the same words with their separators and without the kicker; the `h1`
shows the headline where the structured title is an SEO variant. The rules compare
words only (letters and digits), never the strings of one site.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .text import clean, element_text

SIMILAR = 0.6  # SequenceMatcher ratio from which the h1 and a structured title are one title
_NOT_WORD = re.compile(r"\W+")


def key(text: str) -> str:
    """The words of `text` alone: casefolded letters and digits, no spaces or punctuation."""
    return _NOT_WORD.sub("", clean(text).casefold())


def _parts(h1) -> list[str]:
    """The texts of the `h1`'s element children (kicker, headline halves)."""
    return [t for t in (element_text(c) for c in h1 if isinstance(c.tag, str)) if key(t)]


def reconcile(headline: str | None, h1, structured: list[tuple[str, str]]
              ) -> tuple[str, str] | None:
    """The title and its layer when the visible `headline` (the text of element `h1`)
    and the `structured` titles (value, layer) tell one title; None when they do not.

    - the same words: the structured title, which spells the separators;
    - the `h1` is a kicker plus a structured title (one of its parts): that title;
    - one part of the `h1` ends a structured title (each has its own kicker): that part;
    - a structured title is a lead-in plus the whole `h1` (`Nach X: <h1>`): the
      structured title; the `h1` plus a tail (a section or the outlet): the `h1`;
    - otherwise, when the first structured title reads like the `h1`: the `h1`, the
      headline readers see. A first structured title unlike the `h1` stands.
    """
    if not headline:
        return None
    whole = key(headline)
    titles = [(clean(value), layer) for value, layer in structured if value and key(value)]
    if not titles or not _related(headline, titles[0][0]):
        return None  # the first structured title tells another title: it stands
    for value, layer in titles:
        if key(value) == whole:
            return value, layer
    parts = _parts(h1) if h1 is not None else []
    for value, layer in titles:
        if any(key(p) == key(value) for p in parts):
            return value, layer
    for value, _ in titles:
        for part in parts:
            if len(key(part)) > len(key(value)) / 3 and key(value).endswith(key(part)):
                return part, "generic"
    for value, layer in titles:
        if whole in key(value):
            return (headline, "generic") if key(value).startswith(whole) else (value, layer)
    return headline, "generic"


def _related(headline: str, title: str) -> bool:
    """The words of one contain the other's, or the two read alike."""
    a, b = key(headline), key(title)
    return a in b or b in a or SequenceMatcher(None, headline, title).ratio() > SIMILAR
