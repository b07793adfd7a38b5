"""How a raw page's body is compressed, in one place: the codecs a `pages` row may name,
and the zstd calls that write and read them. No database here (see `pages.py`).

A first capture of a URL is compressed with its paper's trained dictionary (or plain
zstd before the paper has one); a later capture with the first capture's raw body as a
raw-content dictionary, so it costs only what changed. Every frame is standard zstd: the
`zstd` command reads each with `-D` (README, "How raw pages are stored")."""

from __future__ import annotations

import hashlib
import math
import threading
import zlib
from collections import OrderedDict
from enum import StrEnum
from functools import cache

import zstandard

LEVEL = 3                     # zstd's default level: fast, and the revisits are tiny at any level
DICTIONARY_SIZE = 112 * 1024  # zstd's own default (`zstd --train`: 110 KB)
SAMPLE_BYTES = 128 * 1024     # of each training page: the shared markup is at the top
MAX_WINDOW_LOG = 27           # 128 MiB: what `zstd -d` accepts without --long
KEPT_COMPRESSORS = 8          # per thread: a paper's dictionary and recent references


class Codec(StrEnum):
    """The `pages.codec` of a row: how its `body` blob is to be read."""

    ZLIB = "zlib"            # zlib (RFC 1950), alone: rows written before zstd
    ZSTD = "zstd"            # one zstd frame, no dictionary
    DICT = "zstd-dict"       # zstd with the trained dictionary `pages.dictionary`
    REF = "zstd-ref"         # zstd with the raw body of page `pages.ref` as its dictionary


class CorruptBody(ValueError):
    """A stored body that cannot be read back as it was stored (bad frame, missing
    dictionary or reference, or a sha1 that does not match)."""


def sha1(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()


def raw_dictionary(base: bytes) -> zstandard.ZstdCompressionDict:
    """A whole earlier body as a dictionary (zstd's "raw content" type)."""
    return zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


def trained_dictionary(data: bytes) -> zstandard.ZstdCompressionDict:
    """A dictionary made by `train` (or `zstd --train`), from its stored bytes."""
    return zstandard.ZstdCompressionDict(data, dict_type=zstandard.DICT_TYPE_FULLDICT)


def _params(size: int) -> zstandard.ZstdCompressionParameters:
    """Level LEVEL, with a window that spans a reference and the body (else a revisit of
    a page over 2 MiB could not point back at its first capture)."""
    wanted = min(MAX_WINDOW_LOG, math.ceil(math.log2(max(size, 2))))
    return _with_window(max(wanted, _DEFAULT_WINDOW))


@cache
def _with_window(window: int) -> zstandard.ZstdCompressionParameters:
    return zstandard.ZstdCompressionParameters.from_level(
        LEVEL, window_log=window, write_checksum=True, write_content_size=True)


_DEFAULT_WINDOW = zstandard.ZstdCompressionParameters.from_level(LEVEL).window_log
_local = threading.local()


def _compressor(dictionary: zstandard.ZstdCompressionDict | None,
                params: zstandard.ZstdCompressionParameters) -> zstandard.ZstdCompressor:
    """A compressor for `dictionary` and `params`, kept for the next body: making one
    loads its dictionary, which costs 25 times compressing a page with it (a compressor
    serves one thread, hence one cache per thread)."""
    kept: OrderedDict = _local.__dict__.setdefault("kept", OrderedDict())
    key = (id(dictionary), params.window_log)
    found = kept.get(key)
    if found is None or found[0] is not dictionary:  # an id reused by a new dictionary
        found = (dictionary, zstandard.ZstdCompressor(compression_params=params,
                                                      dict_data=dictionary))
        kept[key] = found
        if len(kept) > KEPT_COMPRESSORS:
            kept.popitem(last=False)
    kept.move_to_end(key)
    return found[1]


def compress(body: bytes, dictionary: zstandard.ZstdCompressionDict | None = None,
             reach: int = 0) -> bytes:
    """One zstd frame of `body` (with its size and a checksum in the frame), with
    `dictionary` when given; `reach` is the size of a raw-content dictionary."""
    return _compressor(dictionary, _params(len(body) + reach)).compress(body)


def decompress(codec: Codec | str, blob: bytes | None,
               dictionary: zstandard.ZstdCompressionDict | None = None) -> bytes:
    """The body of a blob written with `codec` (and its dictionary, for DICT and REF)."""
    if not blob:
        return b""
    try:
        if codec == Codec.ZLIB:
            return zlib.decompress(blob)
        if codec in (Codec.DICT, Codec.REF) and dictionary is None:
            raise CorruptBody(f"a {codec} body needs its dictionary")
        if codec not in (Codec.ZSTD, Codec.DICT, Codec.REF):
            raise CorruptBody(f"unknown codec {codec!r}")
        return zstandard.ZstdDecompressor(
            dict_data=dictionary, max_window_size=2 ** MAX_WINDOW_LOG).decompress(blob)
    except (zlib.error, zstandard.ZstdError) as exc:
        raise CorruptBody(f"{codec}: {exc}") from exc


def train(samples: list[bytes], held_out: list[bytes]) -> tuple[bytes, float]:
    """A dictionary trained on `samples` (each cut to SAMPLE_BYTES), and the ratio it
    gives on `held_out` pages (compressed size over raw size), or on the samples when
    none is held out. Raises zstandard.ZstdError when the samples are too few or too
    alike to train on."""
    cut = [s[:SAMPLE_BYTES] for s in samples if s]
    trained = zstandard.train_dictionary(DICTIONARY_SIZE, cut, k=1024, d=8, level=LEVEL)
    data = trained.as_bytes()
    measured = held_out or cut
    dictionary = trained_dictionary(data)
    stored = sum(len(compress(page, dictionary)) for page in measured)
    return data, stored / max(1, sum(len(page) for page in measured))
