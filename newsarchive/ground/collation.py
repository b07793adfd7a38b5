"""Vietnamese alphabetical order, as a dictionary sorts: the letters
`a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y` (ă, â, đ... are letters of
their own, after a, d...), words compared letter by letter before their tones, and the
tones in the order ngang, huyền, hỏi, ngã, sắc, nặng (`ca cà cả cã cá cạ`).

`sorted(names, key=collation_key)` puts `Cà Mau` before `Cao Bằng` (a space sorts
before any letter) and `Đà Nẵng` after `Dak Lak`; code point order does neither."""

from __future__ import annotations

import unicodedata

# Foreign letters (f j w z) are in their Latin places.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: i for i, letter in enumerate(ALPHABET)}
# Marks that make another letter: breve (ă), circumflex (â ê ô), horn (ơ ư).
_SHAPES = {"\u0306", "\u0302", "\u031b"}
# Tone marks, in dictionary order after the level tone (0).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTERS = 1_000_000  # letters sort after every space, punctuation mark and digit


def _letters(text: str) -> tuple[list[int], list[int]]:
    """Each character's rank, and each one's tone (0: none)."""
    ranks: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", text).lower():
        parts = unicodedata.normalize("NFD", char)
        base = parts[0]
        letter = unicodedata.normalize("NFC", base + "".join(
            m for m in parts[1:] if m in _SHAPES))
        tone = next((_TONES[m] for m in parts[1:] if m in _TONES), 0)
        if letter in _RANK:
            ranks.append(_LETTERS + _RANK[letter])
        elif base.isalpha():  # a letter of another alphabet: after ours, by code point
            ranks.append(_LETTERS + len(ALPHABET) + ord(base))
        else:
            ranks.append(ord(char))
        tones.append(tone)
    return ranks, tones


def collation_key(text: str | None) -> tuple:
    """A sort key for `text` in Vietnamese order: the letters first, then the tones,
    then the text itself (so that different spellings never compare equal)."""
    ranks, tones = _letters(text or "")
    return ranks, tones, text or ""
