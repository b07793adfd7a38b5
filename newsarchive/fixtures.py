"""The captured real pages (`../shared/fixtures`) and the expected output kept for them.

`newsarchive fixtures update` rewrites `tests/expected/` from the current extractor so
that every change in output shows as a reviewable diff.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .extract.core import extract
from .extract.links import article_links


@dataclass(frozen=True)
class Fixture:
    file: str
    url: str
    kind: str
    captured: str

    @property
    def slug(self) -> str:
        return self.file.replace("/", "__").rsplit(".", 1)[0]


def fixtures_dir() -> Path:
    """`$NEWSARCHIVE_FIXTURES`, else `shared/fixtures` beside the checkout."""
    env = os.environ.get("NEWSARCHIVE_FIXTURES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    return here.parent / "shared" / "fixtures"


def manifest(folder: Path | None = None) -> list[Fixture]:
    folder = folder or fixtures_dir()
    with open(folder / "manifest.csv", encoding="utf-8") as fh:
        return [Fixture(**row) for row in csv.DictReader(fh)]


def expected_output(fx: Fixture, folder: Path | None = None) -> dict | list:
    """What the extractor makes of one fixture: an Article dict, or a list of URLs."""
    data = ((folder or fixtures_dir()) / fx.file).read_bytes()
    if fx.kind == "article":
        return extract(data, fx.url).to_dict()
    return [link.url for link in article_links(data, fx.url, fx.kind)]


def write_expected(out: Path, folder: Path | None = None) -> list[Path]:
    """Rewrite one JSON file per fixture under `out`; returns the files written."""
    written = []
    for fx in manifest(folder):
        sub = out / ("articles" if fx.kind == "article" else "links")
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"{fx.slug}.json"
        path.write_text(json.dumps(expected_output(fx, folder), ensure_ascii=False, indent=1)
                        + "\n", encoding="utf-8")
        written.append(path)
    return written


CHECKED_FIELDS = ("title", "sapo", "authors", "published_at", "body")


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


def trafilatura_record(data: bytes, url: str) -> dict:
    """What trafilatura alone makes of a page, in Article field names (for comparison)."""
    import trafilatura

    doc = trafilatura.bare_extraction(data, url=url, with_metadata=True)
    if doc is None:
        return {}
    authors = [a.strip() for a in (doc.author or "").replace(";", ",").split(",") if a.strip()]
    return {"title": doc.title, "sapo": doc.description, "authors": authors,
            "published_at": doc.date, "body_text": doc.text or ""}
