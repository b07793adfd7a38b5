"""Synthetic articles for tests: generated in `bench.synthetic` (bench stands on its own,
issue #25); this module only names them for the tests."""

from bench.synthetic import (
    AUTHORS,
    PARAGRAPH,
    PLACES,
    SECTIONS,
    WORDS,
    article,
    names,
    queries,
    sentence,
)

__all__ = ["AUTHORS", "PARAGRAPH", "PLACES", "SECTIONS", "WORDS", "article", "names",
           "queries", "sentence"]
