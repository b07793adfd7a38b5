"""A folder of captured pages: `manifest.csv` (`file,url,kind,captured`) beside the files,
as in shared/fixtures. Read by `crawl --replay` and by `fixtures update`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


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


def read_manifest(folder: Path) -> list[Capture]:
    """The captures listed in `folder/manifest.csv`, in file order."""
    path = Path(folder) / "manifest.csv"
    if not path.exists():
        raise FileNotFoundError(f"{folder} has no manifest.csv")
    with open(path, encoding="utf-8") as fh:
        return [Capture(**row) for row in csv.DictReader(fh)]
