"""Expected records of a folder of captured pages, kept beside the code so that every
change in extraction shows as a reviewable diff (`newsarchive fixtures update`)."""

from __future__ import annotations

import json
from pathlib import Path

from ..ground.captures import Capture, read_manifest
from ..sites import Registry
from .core import extract
from .links import article_links


def expected_output(capture: Capture, folder: Path, registry: Registry) -> dict | list:
    """What the extractor makes of one capture: an Article dict, or a list of URLs."""
    data = (Path(folder) / capture.file).read_bytes()
    site = registry.for_url(capture.url)
    if capture.kind == "article":
        return extract(data, capture.url, site=site).to_dict()
    return [link.url for link in
            article_links(data, capture.url, capture.kind, site.is_article_url if site else None)]


def write_expected(out: Path, folder: Path, registry: Registry) -> list[Path]:
    """Rewrite one JSON file per capture under `out`; returns the files written."""
    written = []
    for capture in read_manifest(folder):
        sub = out / ("articles" if capture.kind == "article" else "links")
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"{capture.slug}.json"
        path.write_text(json.dumps(expected_output(capture, folder, registry),
                                   ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written
