"""Vietnamese folding for search: tone marks and vowel marks removed, đ/Đ -> d, lower case.

SQLite's `remove_diacritics 2` folds tone marks but not đ (a letter of its own, not a d
with a mark), so `dai` would miss `Đài`. We index a folded copy instead. Folding maps
each character to exactly one character. Snippets are found and marked in the original
text by patterns that accept every accented form of a folded word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache


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


# The longest query anyone is served: a search box's worth. Longer ones are refused by
# the reader page and match nothing in the SQL functions, whose cost grows with it.
MAX_QUERY = 500


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


def _plain(text: str) -> str:
    """A quick fold for tests of presence, not positions: marks dropped by decomposing,
    then anything not ASCII (the same as `fold` for Vietnamese, several times faster)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode().lower()


# Syllables for the pairs index: ASCII letters and digits (never `_`, which joins a pair);
# everything else separates them.
_SEPARATE = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


def syllables(text: str | None) -> list[str]:
    """`Đài Diễn Châu` -> [`dai`, `dien`, `chau`] (letters outside Latin are dropped:
    their words are found by the single-syllable index)."""
    return _plain(text).translate(_SEPARATE).split() if text else []


def pairs(text: str | None) -> str:
    """Each two neighbouring syllables as one token, folded: `Đài Diễn Châu` ->
    `dai_dien dien_chau`. Vietnamese writes a word as several syllables, and the common
    ones (`xã`, `nam`, `hòa`...) are in most articles; a phrase matched on pairs reads
    short lists where a phrase of single syllables reads long ones."""
    words = syllables(text)
    return " ".join(map("_".join, zip(words, words[1:], strict=False)))  # as `_paired`


def _paired(words: list[str]) -> list[str]:
    return list(map("_".join, zip(words, words[1:], strict=False)))


def fts_query(query: str, mode: str = "all") -> str:
    """A safe FTS5 MATCH expression for a user query (no FTS syntax is passed through).

    `all` (over `articles_fts`): every term anywhere (`dien chau` -> `"dien" "chau"`);
    quoted input stays a phrase, `chau*` a prefix. Over `articles_pairs`, for queries of
    two syllables or more and no prefix: `phrase`, the syllables in order
    (`"dien_chau"`), and `pairs`, any two neighbouring ones (`"dai_dien" OR "dien_chau"`).
    An empty string when the mode does not apply."""
    parts = terms(query)
    if mode == "all":
        return " ".join(_quoted(p) for p in parts)
    tokens = _paired(syllables(query))
    if not tokens or any(p.endswith("*") for p in parts):
        return ""
    if mode == "phrase":
        return '"' + " ".join(tokens) + '"'
    if mode == "pairs":
        return " OR ".join(f'"{t}"' for t in dict.fromkeys(tokens))
    raise ValueError(f"unknown search mode {mode!r}")


def _variants() -> dict[str, str]:
    """Each folded letter with every character that folds to it: `d` -> `dDđĐ`."""
    out: dict[str, set[str]] = {}
    for code, base in _FOLD.items():
        out.setdefault(base, {base, base.upper()}).add(chr(code))
    return {base: "".join(sorted(chars)) for base, chars in out.items()}


_VARIANTS = _variants()


def _compile(term: str, letter: Callable[[str], str]) -> re.Pattern[str]:
    """A folded term as a regex: `letter` gives each character's pattern, words are
    apart by any non-word run, and `chau*` is a word that starts so."""
    body = "".join(r"\W+" if ch == " " else letter(ch) for ch in term.rstrip("*"))
    return re.compile(r"\b" + body + (r"\w*" if term.endswith("*") else r"\b"))


def _accented(ch: str) -> str:
    chars = _VARIANTS.get(ch) or "".join(dict.fromkeys(ch + ch.upper()))
    return f"[{chars}]" if len(chars) > 1 else re.escape(ch)


@lru_cache(maxsize=1024)
def _pattern(term: str) -> re.Pattern[str]:
    """A regex that finds a folded term in the original text: `dien chau` matches
    `Diễn Châu` and `DIỄN  CHÂU`. Matching the accented text directly is several times
    faster than folding every text first."""
    return _compile(term, _accented)


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def mentions(text: str, query: str) -> bool:
    """Does `text` contain a term of `query` (by the rules `highlight` marks)?"""
    text = _nfc(text)
    return any(_pattern(term).search(text) for term in terms(query))


@lru_cache(maxsize=1024)
def _plain_pattern(term: str) -> re.Pattern[str]:
    """A folded phrase or prefix as a regex over `_plain` text."""
    return _compile(term, re.escape)


def mentions_all(text: str, query: str) -> bool:
    """Does `text` contain every term of `query` (each word, quoted phrase or prefix)?
    A word is a substring between spaces of the folded, space-separated text (faster
    than a regex that starts at a word boundary); phrases and prefixes are searched."""
    plain = _plain(text)
    spaced = f" {plain.translate(_SEPARATE)} "
    return all(f" {term} " in spaced if term.isalnum()
               else bool(_plain_pattern(term).search(plain)) for term in terms(query))


def highlight(text: str, query: str, before: str = "[", after: str = "]",
              width: int = 160) -> str:
    """A snippet of `text` around the first hit of `query`, hits marked in the original
    (accented) text: `... tại [Diễn Châu] ...`."""
    if not text:
        return ""
    text = _nfc(text)
    parts = terms(query)
    phrase = " ".join(parts) if len(parts) > 1 and not query.count('"') else None
    marked = [phrase] if phrase and _pattern(phrase).search(text) else parts
    firsts = [m.start() for term in marked if (m := _pattern(term).search(text))]
    if not firsts:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, min(firsts) - width // 3)
    end = min(len(text), start + width)
    spans = sorted(m.span() for term in marked
                   for m in _pattern(term).finditer(text, start, end))
    out, pos = [], start
    for s, e in spans:
        if s < pos or e > end:
            continue
        out += [text[pos:s], before, text[s:e], after]
        pos = e
    out.append(text[pos:end])
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")
