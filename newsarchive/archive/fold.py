"""Vietnamese folding for search: tone marks and vowel marks removed, đ/Đ -> d, lower case.

SQLite's `remove_diacritics 2` folds tone marks but not đ (a letter of its own, not a d
with a mark), so `dai` would miss `Đài`. We index a folded copy instead. Folding maps
each character to exactly one character, so positions in the folded text are positions
in the original: that is how snippets are highlighted in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[:1]
    return base.lower() if len(base.lower()) == 1 else ch


def fold(text: str | None) -> str:
    """`Đài Diễn Châu` -> `dai dien chau`, one character for one character (NFC input)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(ch) for ch in text)


_TOKEN = re.compile(r'"[^"]*"|[^\s"]+')
_WORD = re.compile(r"\w+")


def terms(query: str) -> list[str]:
    """The words and quoted phrases of a user query, folded; FTS syntax is not passed on."""
    out = []
    for tok in _TOKEN.findall(query):
        words = _WORD.findall(fold(tok))
        if words:
            out.append(" ".join(words) + ("*" if tok.endswith("*") and not tok.startswith('"')
                                          else ""))
    return out


def fts_query(query: str) -> str:
    """A safe FTS5 MATCH expression over the folded columns: every term must appear.
    `dien chau` -> `"dien" "chau"`; `"doi moi"` stays a phrase; `chau*` a prefix."""
    parts = []
    for term in terms(query):
        if term.endswith("*"):
            parts.append(f'"{term[:-1]}"*')
        else:
            parts.append(f'"{term}"')
    return " ".join(parts)


def highlight(text: str, query: str, before: str = "[", after: str = "]",
              width: int = 160) -> str:
    """A snippet of `text` around the first hit of `query`, hits marked in the original
    (accented) text: `... tại [Diễn Châu] ...`."""
    if not text:
        return ""
    folded = fold(text)
    spans = []
    for term in terms(query):
        pattern = re.escape(term.rstrip("*")).replace(r"\ ", r"\W+")
        suffix = r"\w*" if term.endswith("*") else r"\b"
        spans += [m.span() for m in re.finditer(rf"\b{pattern}{suffix}", folded)]
    if not spans:
        return text[:width] + ("…" if len(text) > width else "")
    spans.sort()
    start = max(0, spans[0][0] - width // 3)
    end = min(len(text), start + width)
    out, pos = [], start
    for s, e in spans:
        if s < pos or e > end:
            continue
        out += [text[pos:s], before, text[s:e], after]
        pos = e
    out.append(text[pos:end])
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")
