"""clean_text: every stored text field free of what XML and HTML cannot carry."""

from __future__ import annotations

import json
import unicodedata

from lxml import etree

from newsarchive.ground import controls
from newsarchive.ground.article import Article, Image
from newsarchive.ground.controls import NONCHARACTERS, clean_text, without_controls

LONE = ("\ud800", "\udbff", "\udc00", "\udfff")


def test_the_66_noncharacters_are_the_standards():
    assert len(NONCHARACTERS) == 66
    assert {c for c in range(0x110000)
            if unicodedata.category(chr(c)) == "Cn" and (0xFDD0 <= c <= 0xFDEF
                                                         or c & 0xFFFE == 0xFFFE)} \
        == set(NONCHARACTERS)


def test_clean_text_removes_noncharacters_surrogates_and_controls():
    for char in [*map(chr, NONCHARACTERS), *LONE, "\x00", "\x1b", "\x7f", "\x85", "\r"]:
        assert clean_text(f"Tiêu{char} đề") == "Tiêu đề", hex(ord(char))


def test_clean_text_keeps_lines_tabs_and_every_other_character():
    kept = "Diễn Châu\n\tđổi mới 😀 𠀀 \U0010fffd \ufffd \ufdcf \ufdf0 \U0001fffd"
    assert clean_text(kept) == kept


def test_a_surrogate_pair_becomes_its_character_and_text_is_nfc():
    assert clean_text("a\ud83d\ude00b") == "a😀b"
    assert clean_text("\ud83d\ude00\ud83d") == "😀"
    assert clean_text("Die\u0302\u0323n\uffff Cha\u0302u") == "Diện Châu"


def test_clean_text_makes_text_xml_can_carry():
    nasty = "".join(chr(c) for c in range(0, 0x110000, 97)) + "".join(LONE) + "\uffff\ufffe"
    element = etree.Element("title")
    element.text = clean_text(nasty)  # lxml refuses any character XML 1.0 cannot carry
    assert clean_text(nasty).encode("utf-8")


def test_without_controls_cleans_every_text_field():
    dirty = Article(url="https://baonghean.vn/a-1.html\uffff", site="baonghean",
                    title="Tiêu\uffff đề\ud800", sapo="Sa\ufffepo", body_text="a\ufdd0\nb",
                    body_html="<p>a\U0010ffff</p>", authors=["Hồ\x00 Hương"],
                    source="TTXVN\ud800", published_at="2026-03-07T08:00:00+07:00\uffff",
                    section="Thời\x1b sự", tags=["x\ufffe"],
                    images=[Image("https://x.vn/a.jpg\uffff", "ảnh\ud800")], language="vi",
                    provenance={"title\uffff": "jsonld\ufffe"}, notes=["n\uffff"])
    clean = without_controls(dirty)
    assert clean.to_dict() == Article(
        url="https://baonghean.vn/a-1.html", site="baonghean", title="Tiêu đề", sapo="Sapo",
        body_text="a\nb", body_html="<p>a</p>", authors=["Hồ Hương"], source="TTXVN",
        published_at="2026-03-07T08:00:00+07:00", section="Thời sự", tags=["x"],
        images=[Image("https://x.vn/a.jpg", "ảnh")], language="vi",
        provenance={"title": "jsonld"}, notes=["n"]).to_dict()
    json.dumps(clean.to_dict(), ensure_ascii=False).encode("utf-8")  # no lone surrogate


def test_without_controls_returns_a_clean_article_itself():
    art = Article(url="https://baonghean.vn/a-1.html", site="baonghean", title="Tiêu đề")
    assert without_controls(art) is art


def _cleaned_field_by_field(art: Article) -> dict:
    """What `clean_text` makes of every text of `art`, walked one string at a time (the
    slow path, `controls._clean`, that the quick check stands in for)."""
    return {k: controls._clean(v) for k, v in vars(art).items()}


def test_the_quick_check_of_a_clean_article_agrees_with_cleaning_each_text():
    """The check of all texts at once (printable, NFC) must let through exactly the
    articles that cleaning each text leaves as they are: every 101st code point, and the
    characters at the edges of what `clean_text` keeps, in each kind of field."""
    chars = {chr(c) for c in range(0, 0x110000, 101)} | {
        *map(chr, NONCHARACTERS), *LONE, "\t", "\n", "\r", "\x7f", "\x85", "\xa0", "\xad",
        "\u200b", "\u2028", "\ue000", "\ufdcf", "\ufdf0", "\ufffd", "😀", "\U000f0000",
        "\u0302", "e\u0302"}
    for char in sorted(chars):
        for art in (Article(url="https://x.vn/a", site="x", title=f"Tiêu{char}đề"),
                    Article(url="https://x.vn/a", site="x", tags=["a", f"b{char}"]),
                    Article(url="https://x.vn/a", site="x", provenance={f"k{char}": "v"}),
                    Article(url="https://x.vn/a", site="x", images=[Image("u", char)])):
            clean = without_controls(art)
            assert vars(clean) == _cleaned_field_by_field(art), hex(ord(char[0]))
            assert (clean is art) == (vars(art) == _cleaned_field_by_field(art))


def test_fields_nfc_each_are_clean_together_and_one_that_is_not_is_cleaned():
    art = Article(url="https://x.vn/a", site="x", title="Diê", sapo="\u0302n Châu")
    assert without_controls(art) is art  # each NFC: a mark opening a field stays apart
    decomposed = Article(url="https://x.vn/a", site="x", title="Die\u0302n")
    assert without_controls(decomposed).title == "Diên"
