"""The captured real pages (`../shared/fixtures`) and the registry, for benchmarks and
tests alike (tests/support/fixtures.py adds the expected output kept in tests/)."""

from __future__ import annotations

import os
from pathlib import Path

from newsarchive.ground.captures import Capture, read_manifest

ROOT = Path(__file__).resolve().parent.parent  # the checkout


def fixtures_dir() -> Path:
    """`$NEWSARCHIVE_FIXTURES`, else `shared/fixtures` beside the checkout."""
    env = os.environ.get("NEWSARCHIVE_FIXTURES")
    return Path(env) if env else ROOT.parent / "shared" / "fixtures"


def manifest(folder: Path | None = None) -> list[Capture]:
    return read_manifest(folder or fixtures_dir())


def field_checks(got: dict, expected: dict) -> dict[str, bool]:
    """Which of the fields readers judge first came out right: exact title, sapo,
    authors and date with time; body paragraphs with recall and precision >= 0.9."""
    want = [p for p in expected["body_text"].split("\n") if p]
    have = [p for p in (got.get("body_text") or "").split("\n") if p]
    common = len(set(want) & set(have))
    body_ok = bool(want) and common >= 0.9 * len(set(want)) and common >= 0.9 * len(set(have))
    return {
        "title": got.get("title") == expected["title"],
        "sapo": got.get("sapo") == expected["sapo"],
        "authors": got.get("authors") == expected["authors"],
        "published_at": got.get("published_at") == expected["published_at"],
        "body": body_ok,
    }


def registry():
    """The registry as the CLI builds it."""
    from newsarchive import sites

    return sites.load(os.environ.get("NEWSARCHIVE_SITES"))
