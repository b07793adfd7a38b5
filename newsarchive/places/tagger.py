"""Find the administrative units an article names, and resolve each to the unit of the
article's date and to today's unit.

A mention is a unit type word and a capitalised name (`xã Diễn Lâm`, `huyện Diễn Châu`,
`TP. Vinh`, `H. Quỳnh Lưu`, `các xã Diễn Lâm, Diễn Đoài`), or a province's name alone
(`Nghệ An`) where it stands apart from other capitalised words (so `Nguyễn Hà Nam` and
`Báo Nghệ An` are not places). Only names of the right kind in the gazetteer count.

Ambiguity (`xã Hưng Lộc` is in several provinces) is settled by narrowing the
candidates, in turn, to the districts named in the article, its provinces, and the
paper's province; whatever is still ambiguous is kept unresolved with a note, never
guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..ground.article import Article
from ..ground.fold import fold
from ..sites import Site
from .gazetteer import REFORM, Gazetteer, Unit, gazetteer

PLACES_VERSION = "1"

# type word -> (levels, kinds) it may name
TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "xã": (("commune",), ("Xã",)),
    "phường": (("commune",), ("Phường",)),
    "thị trấn": (("commune",), ("Thị trấn",)),
    "đặc khu": (("commune",), ("Đặc khu",)),
    "huyện": (("district",), ("Huyện",)),
    "quận": (("district",), ("Quận",)),
    "thị xã": (("district",), ("Thị xã",)),
    "thành phố": (("district", "province"), ("Thành phố",)),
    "tỉnh": (("province",), ("Tỉnh",)),
}
ABBREVIATIONS = {"tp.": "thành phố", "tp": "thành phố", "h.": "huyện", "tx.": "thị xã",
                 "q.": "quận"}
ALIASES = {"hcm": "Hồ Chí Minh", "hồ chí minh": "Hồ Chí Minh"}

_UPPER = "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isupper() and c.isalpha())
_CAP = rf"(?:[{_UPPER}]\w*|\d+)"
_NAME = rf"{_CAP}(?:[ \t]+{_CAP}){{0,4}}"
_WORDS = "|".join(sorted(TYPES, key=len, reverse=True))
MENTION = re.compile(
    rf"(?<!\w)(?P<many>(?i:các|hai|ba|bốn|năm|\d+)\s+)?"
    rf"(?P<type>(?i:{_WORDS})|TP\.?|Tp\.?|TX\.|H\.|Q\.)[ \t]*(?P<name>{_NAME})")
MORE = re.compile(rf"\s*(?:,|\bvà\b)\s*(?P<name>{_NAME})")
FIELDS = ("title", "sapo", "body")
# A MENTION holds its type word at its start, or after a number word and spaces: one of
# TYPES in any case, or an abbreviation as written.
WRITTEN_TYPES = ("TP", "Tp", "TX.", "H.", "Q.")


@dataclass
class Tag:
    """One unit an article names (or one name left unresolved: `code` is None)."""

    level: str
    as_written: str
    code: str | None = None
    name_then: str = ""
    now_code: str | None = None
    name_now: str = ""
    province_now: str = ""
    province_code: str | None = None
    mentions: int = 0
    found_in: list[str] = field(default_factory=list)
    note: str = ""

    def row(self) -> dict:
        return {"place_code": self.code, "level": self.level, "as_written": self.as_written,
                "name_then": self.name_then, "now_code": self.now_code,
                "name_now": self.name_now, "province_now": self.province_now,
                "province_code": self.province_code,
                "mentions": self.mentions, "found_in": ",".join(self.found_in),
                "note": self.note or None, "tagger_version": PLACES_VERSION}


@dataclass
class Mention:
    where: str
    written: str
    name: str
    levels: tuple[str, ...]
    kinds: tuple[str, ...]
    candidates: list[Unit]
    old: bool = False


def marks(name: str) -> tuple:
    """A name with its accents, whatever the tone placement (`Hoà` = `Hòa`), lower case:
    `Diễn` and `Diên` differ here though they fold alike."""
    out = []
    for syllable in name.lower().split():
        nfd = unicodedata.normalize("NFD", syllable)
        out.append((fold(syllable), "đ" in syllable,
                    tuple(sorted(c for c in nfd if unicodedata.combining(c)))))
    return tuple(out)


def _type_of(word: str) -> str:
    low = word.lower()
    return ABBREVIATIONS.get(low, low)


def _candidates(g: Gazetteer, name: str, levels, kinds) -> tuple[str, list[Unit]]:
    """The longest prefix of `name` (by syllables) that names units of the right kind."""
    words = name.split()
    for n in range(len(words), 0, -1):
        head = " ".join(words[:n])
        found = [u for u in g.lookup(ALIASES.get(head.lower(), head))
                 if u.level in levels and u.kind in kinds]
        if found:
            exact = [u for u in found if marks(u.name) == marks(head)]
            return head, exact or found
    return "", []


def find(text: str, where: str, g: Gazetteer) -> list[Mention]:
    """Every mention in one field, typed ones first, then province names alone."""
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _mentions(text):
        typ = _type_of(m["type"])
        if typ not in TYPES or (m["type"] == m["type"].upper() and len(m["type"]) > 3):
            continue
        levels, kinds = TYPES[typ]
        head, cands = _candidates(g, m["name"], levels, kinds)
        if not cands:
            continue
        end = m.start("name") + len(head)
        old = text[end:end + 6].lstrip(" (").startswith("cũ")
        out.append(Mention(where, f"{m['type']} {head}", head, levels, kinds, cands, old))
        taken.append((m.start(), end))
        if m["many"]:  # các xã A, B và C
            pos = end
            while (more := MORE.match(text, pos)) is not None:
                head, cands = _candidates(g, more["name"], levels, kinds)
                if not cands:
                    break
                pos = more.start("name") + len(head)
                out.append(Mention(where, f"{m['type']} {head}", head, levels, kinds, cands))
                taken.append((more.start(), pos))
    for m in _scan(_bare_provinces(g), text, _word_starts(text, _initials(g))):
        if any(a <= m.start() < b for a, b in taken) or m[0] in NOT_BARE:
            continue
        before = PREVIOUS.search(text, 0, m.start())
        if before and (before[1][0].isupper() and before[1] not in CONNECTORS
                       or before[1].lower() == "báo"):
            continue  # Nguyễn Hà Nam, Báo Nghệ An
        cands = [u for u in g.lookup(m[0]) if u.level == "province"]
        out.append(Mention(where, m[0], m[0], ("province",), ("Tỉnh", "Thành phố"), cands))
    return out


def _scan(pattern: re.Pattern, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
    """`pattern.finditer(text)`, given (ascending) every position where one of its matches
    may start: it is tried there alone, not at each character of the text."""
    end = 0
    for start in starts:
        if start >= end and (m := pattern.match(text, start)) is not None:
            end = max(m.end(), start + 1)
            yield m


def _mentions(text: str) -> Iterator[re.Match]:
    """`MENTION.finditer(text)`, the regex tried only at the type words (found by
    `str.find`, TYPES in the lower-cased text) and at the number word before one."""
    low = text.lower()
    if len(low) != len(text):  # a letter lower-cased into two: positions would shift
        yield from MENTION.finditer(text)
        return
    starts = set()
    for hay, word in [*((low, w) for w in TYPES), *((text, w) for w in WRITTEN_TYPES)]:
        at = hay.find(word)
        while at >= 0:
            starts.add(at)
            before = at
            while before and text[before - 1].isspace():
                before -= 1
            if before < at:  # `các xã`: the number word's start, if any
                first = before
                while first and (text[first - 1].isalnum() or text[first - 1] == "_"):
                    first -= 1
                if first < before:
                    starts.add(first)
            at = hay.find(word, at + 1)
    yield from _scan(MENTION, text, sorted(starts))


def _word_starts(text: str, firsts: re.Pattern) -> Iterator[int]:
    """Where a province name may start: the first word of one (`firsts` finds them)
    after no word character nor `.` (as `_bare_provinces` wants)."""
    for m in firsts.finditer(text):
        at = m.start()
        if not at or not (text[at - 1].isalnum() or text[at - 1] in "_."):
            yield at


# names that alone are mostly not the place: Chủ tịch Hồ Chí Minh, tư tưởng Hồ Chí Minh
NOT_BARE = {"Hồ Chí Minh"}
PREVIOUS = re.compile(r"(\w+)[ \t]*$")
# capitalised words after which a province name is still a place (at a sentence start)
CONNECTORS = {"Tại", "Ở", "Về", "Từ", "Đến", "Với", "Và", "Cả", "Riêng", "Trong", "Như"}

_BARE: list[re.Pattern] = []
_INITIALS: list[re.Pattern] = []


def _bare_provinces(g: Gazetteer) -> re.Pattern:
    """Province names standing alone: no capitalised word right before or after."""
    if not _BARE:
        names = sorted({u.name for u in g.units.values() if u.level == "province"},
                       key=len, reverse=True)
        alt = "|".join(re.escape(n) for n in names)
        _BARE.append(re.compile(rf"(?<![\w.])(?:{alt})(?![ \t]*[{_UPPER}\d])"
                                rf"(?!\w)"))
    return _BARE[0]


def _initials(g: Gazetteer) -> re.Pattern:
    """The first words of province names (`Bà`, `Nghệ`, `Thừa`...), any of them: a regex
    of literals, which `re` scans for by their first letters. A word holds no space, so
    a match never covers where another name could start."""
    if not _INITIALS:
        words = {u.name.split()[0] for u in g.units.values() if u.level == "province"}
        _INITIALS.append(re.compile("|".join(re.escape(w) for w in sorted(words))))
    return _INITIALS[0]


def _era(published: str | None) -> int:
    return 63 if published and published[:10] < REFORM else 34


def _paper_provinces(g: Gazetteer, site: Site | None) -> set[str]:
    names = [site.province, *site.merged] if site and site.province else []
    out = set()
    for name in names:
        for u in g.lookup(name):
            if u.level == "province":
                out.add(g.province_now(u))
    return out


def _narrow(g: Gazetteer, m: Mention, era: int, districts: set[str], provinces: set[str],
            paper: set[str]) -> list[Unit]:
    cands = m.candidates
    want = 63 if m.old or "district" in m.levels and "province" not in m.levels else era
    same = [u for u in cands if u.era == want]
    cands = same or cands
    if {u.level for u in cands} == {"district", "province"}:  # thành phố X: the city
        cands = [u for u in cands if u.level == "province"] or cands
    for keep in (lambda u: u.district in districts or u.code in districts,
                 lambda u: g.province_now(u) in provinces,
                 lambda u: g.province_now(u) in paper):
        if len(cands) == 1:
            break
        narrowed = [u for u in cands if keep(u)]
        cands = narrowed or cands
    return cands


def tag(article: Article, site: Site | None = None, g: Gazetteer | None = None) -> list[Tag]:
    """The places `article` names, resolved at its date; unresolved ones carry a note."""
    g = g or gazetteer()
    era = _era(article.published_at)
    mentions = []
    for where, text in zip(FIELDS, (article.title, article.sapo, article.body_text),
                           strict=True):
        if text:
            mentions += find(text, where, g)
    districts = {u.code for m in mentions if len(m.candidates) == 1
                 for u in m.candidates if u.level == "district"}
    provinces = {g.province_now(u) for m in mentions for u in m.candidates
                 if u.level == "province" and len({c.code for c in m.candidates}) <= 2}
    paper = _paper_provinces(g, site)
    tags: dict[tuple, Tag] = {}
    for m in mentions:
        cands = _narrow(g, m, era, districts, provinces, paper)
        if len(cands) == 1:
            unit = cands[0]
            key: tuple = (unit.code,)
            if key not in tags:
                tags[key] = _resolved(g, unit, m.written)
        else:
            key = (m.levels, fold(m.name))
            if key not in tags:
                where = sorted({g.units[g.province_now(u)].name for u in cands
                                if g.province_now(u) in g.units})
                tags[key] = Tag(m.levels[0], m.written, name_then=m.written,
                                note=f"ambiguous: {len(cands)} units named {m.name} "
                                     f"({', '.join(where)})")
        t = tags[key]
        t.mentions += 1
        if m.where not in t.found_in:
            t.found_in.append(m.where)
    return list(tags.values())


def _resolved(g: Gazetteer, unit: Unit, written: str) -> Tag:
    now = g.now(unit)
    prov = g.units.get(g.province_now(unit))
    note = "former district; its ground is now in communes of this province" \
        if unit.level == "district" else ""
    return Tag(unit.level, written, unit.code, unit.full, now.code, now.full,
               prov.full if prov else "", prov.code if prov else None, note=note)
