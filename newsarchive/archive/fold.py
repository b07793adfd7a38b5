"""Vietnamese folding for search: tone marks and vowel marks removed, đ/Đ -> d, lower case.

SQLite's `remove_diacritics 2` folds tone marks but not đ (a letter of its own, not a d
with a mark), so `dai` would miss `Đài`. We index a folded copy instead. Folding maps
each character to exactly one character, so positions in the folded text are positions
in the original: that is how snippets are highlighted in the original text.
"""

from __future__ import annotations

import re
import unicodedata


def _table() -> dict[int, str]:
    table = {}
    for code in range(0x80, 0x2000):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[:1].lower()
        if len(base) == 1 and base != ch and base.isalpha():
            table[code] = base
    table[ord("đ")] = table[ord("Đ")] = "d"
    return table


_FOLD = _table()


def fold(text: str | None) -> str:
    """`Đài Diễn Châu` -> `dai dien chau`, one character for one character (NFC input)."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_FOLD)
    return text.lower()


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


def _quoted(term: str) -> str:
    return f'"{term[:-1]}"*' if term.endswith("*") else f'"{term}"'


def fts_query(query: str, mode: str = "all") -> str:
    """A safe FTS5 MATCH expression for a user query (no FTS syntax is passed through).

    `all`: every term anywhere (`dien chau` -> `"dien" "chau"`); `phrase`: the words in
    order, as Vietnamese writes a word of several syllables (`"dien chau"`); `near`: the
    terms within ten tokens of each other. Quoted input stays a phrase, `chau*` a prefix."""
    parts = terms(query)
    if mode == "phrase" and len(parts) > 1 and not any(p.endswith("*") for p in parts):
        return '"' + " ".join(parts) + '"'
    if mode == "near" and len(parts) > 1:
        return "NEAR(" + " ".join(_quoted(p) for p in parts) + ", 10)"
    return " ".join(_quoted(p) for p in parts)


def _spans(folded: str, parts: list[str]) -> list[tuple[int, int]]:
    spans = []
    for term in parts:
        pattern = re.escape(term.rstrip("*")).replace(r"\ ", r"\W+")
        suffix = r"\w*" if term.endswith("*") else r"\b"
        spans += [m.span() for m in re.finditer(rf"\b{pattern}{suffix}", folded)]
    return spans


def mentions(text: str, query: str) -> bool:
    """Does `text` contain a term of `query` (by the rules `highlight` marks)?"""
    return bool(_spans(fold(text), terms(query)))


def highlight(text: str, query: str, before: str = "[", after: str = "]",
              width: int = 160) -> str:
    """A snippet of `text` around the first hit of `query`, hits marked in the original
    (accented) text: `... tại [Diễn Châu] ...`."""
    if not text:
        return ""
    folded = fold(text)
    parts = terms(query)
    phrase = " ".join(parts) if len(parts) > 1 and not query.count('"') else None
    spans = _spans(folded, [phrase]) if phrase else []
    spans = spans or _spans(folded, parts)
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
