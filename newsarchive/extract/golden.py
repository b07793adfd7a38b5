"""Expected records of a folder of captured pages, kept beside the code so that every
change in extraction shows as a reviewable diff (`newsarchive fixtures update`)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..ground.article import EXTRACTOR_VERSION
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


class VersionNotBumped(Exception):
    """Extraction output changed but EXTRACTOR_VERSION did not."""


def fingerprint(records: list[dict]) -> str:
    """A hash of article records, their `extractor_version` left out."""
    text = json.dumps(sorted(json.dumps({k: v for k, v in r.items() if k != "extractor_version"},
                                         ensure_ascii=False, sort_keys=True) for r in records))
    return hashlib.sha256(text.encode()).hexdigest()


def expected_fingerprint(out: Path) -> str:
    """The fingerprint of the expected article records kept under `out`."""
    return fingerprint([json.loads(p.read_text(encoding="utf-8"))
                        for p in sorted((out / "articles").glob("*.json"))])


def write_expected(out: Path, folder: Path, registry: Registry) -> list[Path]:
    """Rewrite one JSON file per capture under `out`; returns the files written. Each
    extractor version's output is recorded in `out/versions.json`: output that changes
    under the same EXTRACTOR_VERSION is refused (VersionNotBumped), so every change in
    what the archive stores is a new version."""
    captures = read_manifest(folder)
    outputs = {c: expected_output(c, folder, registry) for c in captures}
    versions_file = out / "versions.json"
    versions = json.loads(versions_file.read_text()) if versions_file.exists() else {}
    now = fingerprint([o for c, o in outputs.items() if c.kind == "article"])
    if versions.get(EXTRACTOR_VERSION, now) != now:
        raise VersionNotBumped(
            f"extraction output changed under EXTRACTOR_VERSION {EXTRACTOR_VERSION}: bump it "
            "in newsarchive/ground/article.py, then run this again")
    written = []
    for capture in captures:
        sub = out / ("articles" if capture.kind == "article" else "links")
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"{capture.slug}.json"
        path.write_text(json.dumps(outputs[capture], ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
        written.append(path)
    versions[EXTRACTOR_VERSION] = now
    versions_file.write_text(json.dumps(versions, indent=1, sort_keys=True) + "\n")
    return written
