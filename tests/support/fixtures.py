"""The captured real pages (`../shared/fixtures`) for tests: reading them is
`bench.fixtures` (bench stands on its own, issue #25); the expected output kept in
`tests/expected` is read here."""

from __future__ import annotations

import json

from bench.fixtures import ROOT, field_checks, fixtures_dir, manifest, registry
from newsarchive.ground.captures import Capture

EXPECTED = ROOT / "tests" / "expected"

__all__ = ["EXPECTED", "ROOT", "expected", "field_checks", "fixtures_dir", "manifest",
           "real_pages", "registry"]


def real_pages():
    folder = fixtures_dir()
    return folder if (folder / "manifest.csv").exists() else None


def expected(capture: Capture):
    """The hand-checked expected output kept for a capture."""
    sub = "articles" if capture.kind == "article" else "links"
    return json.loads((EXPECTED / sub / f"{capture.slug}.json").read_text(encoding="utf-8"))
