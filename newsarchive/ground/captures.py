"""A folder of captured pages: `manifest.csv` (`file,url,kind,captured`) beside the files,
as in shared/fixtures. Read by `crawl --replay`, `check --replay` and `fixtures update`.

A manifest is input from outside: every `file` must name a file inside the folder. An
absolute path, a `..` part, or a link that resolves outside the folder is refused, so a
hostile manifest cannot read `/etc/passwd` into the archive."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path, PurePath


@dataclass(frozen=True)
class Capture:
    """One captured page: its file in the folder, its URL, its kind (`article`,
    `listing`, `rss`, `sitemap`) and when it was captured (free text)."""

    file: str
    url: str
    kind: str
    captured: str

    @property
    def slug(self) -> str:
        """A file name for what is kept about it: `site/article-1.html` -> `site__article-1`."""
        return self.file.replace("/", "__").rsplit(".", 1)[0]


class UnsafeManifest(ValueError):
    """manifest.csv names files outside its folder; one `manifest.csv:LINE: ...` line
    per such row."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


class Outside(ValueError):
    """A capture's file name leads out of its folder."""


def inside(folder: Path, name: str) -> Path:
    """The path of `name` in `folder`, links followed; Outside if it is absolute, has a
    `..` part, or resolves (through a link) to somewhere outside the folder."""
    pure = PurePath(name)
    if not name or pure.is_absolute() or ".." in pure.parts or "\x00" in name:
        raise Outside(name)
    root = Path(folder).resolve()
    path = (root / pure).resolve()
    if not path.is_relative_to(root) or path == root:
        raise Outside(name)
    return path


def read_manifest(folder: Path) -> list[Capture]:
    """The captures listed in `folder/manifest.csv`, in file order; UnsafeManifest
    (naming every bad row) if any row's file is outside the folder."""
    path = Path(folder) / "manifest.csv"
    if not path.exists():
        raise FileNotFoundError(f"{folder} has no manifest.csv")
    captures, bad = [], []
    with open(path, encoding="utf-8") as fh:
        rows = csv.DictReader(fh)
        for row in rows:
            capture = Capture(**row)
            try:
                inside(folder, capture.file)
            except Outside:
                bad.append(f"{path}:{rows.line_num}: path leaves the folder: {capture.file}")
            captures.append(capture)
    if bad:
        raise UnsafeManifest(bad)
    return captures
