import html
import random
import re
import unicodedata

import lxml.html
import pytest

from newsarchive.extract import text as text_module
from newsarchive.extract.text import (
    INVISIBLE,
    clean,
    is_boilerplate,
    looks_like_byline,
    parse_byline,
    split_names,
    strip_outlet_tag,
)
from newsarchive.ground.controls import strip_controls


def test_clean_nfc_whitespace_entities():
    decomposed = unicodedata.normalize("NFD", "Nghệ An")
    assert clean(f"  {decomposed}\u00a0&nbsp; tỉnh\n\t") == "Nghệ An tỉnh"
    assert clean("Chi&amp;#7871;n s&amp;#7921;") == "Chiến sự"  # escaped twice (tuoitre JSON-LD)
    assert clean("a\u200bb\u00adc\ufeffd\u2060e") == "abcde"  # invisible: removed, not spaced


@pytest.mark.parametrize(
    "lead, text, tag",
    [
        ("(Baonghean.vn) - Nghị quyết Đại hội", "Nghị quyết Đại hội", "Baonghean.vn"),
        ("(Baonghean) - Sáng nay", "Sáng nay", "Baonghean"),
        ("(CTO) - Ngày 8-1", "Ngày 8-1", "CTO"),
        ("(NLĐO)- Không ít hộ", "Không ít hộ", "NLĐO"),
        ("(Dân trí) – Giá vàng", "Giá vàng", "Dân trí"),
        ("Giá vàng (SJC) - tăng", "Giá vàng (SJC) - tăng", None),
    ],
)
def test_outlet_tag(lead, text, tag):
    assert strip_outlet_tag(lead) == (text, tag)


@pytest.mark.parametrize(
    "line, authors, source",
    [
        ("Theo Hồ Hương", ["Hồ Hương"], None),
        ("Theo TTXVN", [], "TTXVN"),
        ("Mai Giang", ["Mai Giang"], None),
        ("Đài Diễn Châu", [], "Đài Diễn Châu"),
        ("Tin, ảnh: P.Y", ["P.Y"], None),
        ("Bài và ảnh: Thành Cường - Quang An", ["Thành Cường", "Quang An"], None),
        ("Hà Thu (tổng hợp)", ["Hà Thu"], None),
        ("NHẬT XUÂN;NGHI VŨ", ["Nhật Xuân", "Nghi Vũ"], None),
        ("Theo Báo Xây dựng", [], "Báo Xây dựng"),
        ("Minh Phong, Hà An và Lê Nam", ["Minh Phong", "Hà An", "Lê Nam"], None),
    ],
)
def test_bylines(line, authors, source):
    assert looks_like_byline(line)
    assert parse_byline(line) == (authors, source)


@pytest.mark.parametrize("line", [
    "Giá vàng trong nước tiếp tục giảm mạnh trong phiên sáng nay.",
    "Ông Nguyễn Văn Lợi cho biết: “Để nâng cao hiệu quả hoạt động bộ máy chính quyền xã.",
    "Hết.",
])
def test_sentences_are_not_bylines(line):
    assert not looks_like_byline(line)


def test_split_names_drops_editing_notes():
    assert split_names("Hà Thu (theo Reuters)") == ["Hà Thu"]


@pytest.mark.parametrize("text", ["Tin mới", "Bình luận", "TIN MỚI", "Xem thêm: Giá vàng hôm nay",
                                  ">> 'Siêu cường' châu Á", "Từ khóa: giá vàng"])
def test_boilerplate(text):
    assert is_boilerplate(text)


def test_article_text_is_not_boilerplate():
    assert not is_boilerplate("Tin mới nhận được cho biết giá vàng tăng.")


_OLD_SPACE = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _clean_by_regex(text: str) -> str:
    """`clean` as it was written before split-join: the reference it must still match."""
    for _ in range(3):
        if "&" not in text or not re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+\d*);", text, re.I):
            break
        text = html.unescape(text)
    text = strip_controls(INVISIBLE.sub("", text))
    text = _OLD_SPACE.sub(" ", text)
    return unicodedata.normalize("NFC", text).strip()


def test_clean_collapses_every_space_as_the_regex_did():
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    pieces = [*spaces, "a", "Nghệ", unicodedata.normalize("NFD", "Đài"), "&nbsp;",
              "&amp;#7871;", "\x00", "\x85", "\u200b", "\u2000\u2001", "x"]
    rng = random.Random(28)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert clean(text) == _clean_by_regex(text), repr(text)


def test_clean_keeps_no_tree_alive_and_gives_plain_text():
    doc = lxml.html.fromstring("<div><p> Nghệ   An </p></div>")
    found = doc.xpath("string(//p)")
    assert type(found) is not str  # lxml's own string, which holds its tree
    cleaned = clean(found)
    assert cleaned == "Nghệ An" and type(cleaned) is str
    assert clean(None) == "" and clean(2026) == "2026"


def test_clean_keeps_only_short_strings():
    long = "Nghệ  An " * 1000
    assert len(long) > text_module.KEPT_CHARS
    text_module._clean_kept.cache_clear()
    assert clean(long) == long.strip().replace("  ", " ") and clean(" Vinh ") == "Vinh"
    assert text_module._clean_kept.cache_info().currsize == 1  # " Vinh ", not the long one


def test_has_text_is_whether_clean_leaves_anything():
    """`has_text` answers `bool(clean(...))` without cleaning: whitespace of every kind,
    invisible and control characters alone are no text; an entity that decodes to an
    invisible character is none either."""
    import random

    from newsarchive.extract.text import has_text

    atoms = [" ", "\t", "\n", "\xa0", "\u2003", "\u3000", "\x1c", "\x0b", "\r", "\ufeff",
             "\u200b", "\u200d", "\u2060", "\xad", "\x00", "\x85", "\x9f", "a", "ễ", "1",
             ".", "&", "&amp;", "&#8203;", "&nbsp;", "&amp;#8203;", "&#x200b;", "&lt;",
             "e\u0301", "\u0301"]
    rng = random.Random(3)
    values = [None, "", *atoms] + ["".join(rng.choice(atoms) for _ in range(rng.randint(1, 6)))
                                   for _ in range(20000)]
    for value in values:
        assert has_text(value) == bool(clean(value)), repr(value)
    assert not has_text("\u200b&#8203; \xa0") and has_text(" ễ ")


def test_clean_removes_what_invisible_and_strip_controls_remove():
    """`clean` removes invisible and control characters with one regex: the same
    characters as INVISIBLE and `strip_controls` (every code point of the BMP tried)."""
    chars = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    assert text_module._UNSEEN.sub("", chars) == strip_controls(INVISIBLE.sub("", chars))


def test_clean_collapses_whitespace_as_split_and_join():
    """`clean` leaves text alone when its only whitespace is single spaces inside, and
    otherwise joins its `str.split()` words with one space: every kind of whitespace,
    at the ends, doubled, or alone."""
    spaces = [" ", "  ", "\t", "\n", "\r", "\xa0", "\u2003", "\u3000", "\u2028", "\x1c", "\x85"]
    rng = random.Random(5)
    for _ in range(20000):
        value = "".join(rng.choice([*spaces, "a", "ễ", "bc"]) for _ in range(rng.randint(0, 8)))
        want = " ".join(INVISIBLE.sub("", strip_controls(value)).split())
        assert clean(value) == unicodedata.normalize("NFC", want), repr(value)


def test_a_printable_text_holds_nothing_clean_removes_but_spaces():
    """`clean` skips its scans for invisible characters and for whitespace other than
    the space when `str.isprintable()`: no printable code point is one of those (every
    code point tried), and a printable text comes out as the scans would leave it."""
    import sys

    printable = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isprintable())
    assert not text_module._UNSEEN.search(printable)
    assert not text_module._NOT_SPACE.search(printable)
    assert [c for c in printable if c.isspace()] == [" "]
    for value in ("Nghệ An", " Nghệ  An ", "a\u00a0b", "Đài\u200bDiễn", "x\ny", "&amp;nbsp;"):
        assert clean(value) == _clean_by_regex(value), repr(value)
