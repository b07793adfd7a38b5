"""The compressors kept between bodies write what a fresh one would, for every
dictionary and window, and a new dictionary never meets an old one's compressor."""

from __future__ import annotations

import zstandard

from bench.synthetic import article
from newsarchive.archive import compression
from newsarchive.archive.compression import (
    Codec,
    compress,
    decompress,
    raw_dictionary,
    train,
    trained_dictionary,
)


def _page(i: int) -> bytes:
    a = article(i)
    return (f"<html><head><title>{a.title}</title></head><body><h1>{a.title}</h1>"
            + "".join(f"<p>{p}</p>" for p in a.body_text.split("\n"))
            + "</body></html>").encode()


def _fresh(body: bytes, dictionary=None, reach: int = 0) -> bytes:
    return zstandard.ZstdCompressor(compression_params=compression._params(len(body) + reach),
                                    dict_data=dictionary).compress(body)


def test_a_kept_compressor_writes_what_a_fresh_one_writes():
    pages = [_page(i) for i in range(60)]
    trained = trained_dictionary(train(pages[:40], [])[0])
    base = raw_dictionary(pages[0])
    big = pages[1] * 3000  # past the default window: a compressor of its own
    for body, dictionary, reach, codec in [
            *((p, trained, 0, Codec.DICT) for p in pages[40:]),
            *((p, base, len(pages[0]), Codec.REF) for p in pages[40:]),
            *((p, None, 0, Codec.ZSTD) for p in pages[40:]),
            (big, None, 0, Codec.ZSTD), (b"", None, 0, Codec.ZSTD)]:
        blob = compress(body, dictionary, reach)
        assert blob == _fresh(body, dictionary, reach)
        assert decompress(codec, blob, dictionary) == body


def test_a_new_dictionary_gets_its_own_compressor():
    pages = [_page(i) for i in range(80)]
    one = trained_dictionary(train(pages[:40], [])[0])
    compress(pages[70], one)
    del one  # its id may now be reused by the next dictionary made
    for _ in range(20):
        other = raw_dictionary(pages[41])
        blob = compress(pages[70], other, len(pages[41]))
        assert decompress(Codec.REF, blob, other) == pages[70]


def test_compressors_kept_are_bounded():
    pages = [_page(i) for i in range(compression.KEPT_COMPRESSORS + 5)]
    for p in pages:
        compress(p, raw_dictionary(p), len(p))
    assert len(compression._local.kept) <= compression.KEPT_COMPRESSORS
