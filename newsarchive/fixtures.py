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
