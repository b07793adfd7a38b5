"""Vietnamese alphabetical order (ground/collation.py): ă â đ ê ô ơ ư are letters of
their own, words compare letter by letter before tones, tones in dictionary order."""

from __future__ import annotations

import random

from newsarchive.ground.collation import collation_key

ORDERED = ["An Giang", "Ăn", "Ẩm", "Bạc Liêu", "Bắc Ninh", "ca", "cà", "cả", "cã", "cá", "cạ",
           "Cà Mau", "Cao Bằng", "Cần Thơ", "Dak Lak", "Đà Nẵng", "Điện Biên", "Đồng Tháp",
           "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng", "Hậu Giang", "Huế", "Hưng Yên",
           "Ô Môn", "Ơ", "Quảng Ngãi", "Tây Ninh", "Thái Nguyên", "Ư", "Vĩnh Long", "Yên Bái"]


def test_names_sort_as_a_vietnamese_dictionary_does():
    shuffled = ORDERED[:]
    random.Random(26).shuffle(shuffled)
    assert sorted(shuffled, key=collation_key) == ORDERED
    assert sorted(ORDERED) != ORDERED  # code point order is not it


def test_decomposed_text_and_none_sort_like_the_rest():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Cà Mau")
    assert collation_key(decomposed)[:2] == collation_key("Cà Mau")[:2]
    assert sorted(["b", None, "a"], key=collation_key) == [None, "a", "b"]
