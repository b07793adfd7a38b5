"""The coverage table behind `newsarchive sites`: one row per paper, filtered, as text,
JSON rows or Markdown. Archive counts are passed in, so this stays a view of the registry."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..ground.fold import fold
from . import Site

COLUMNS = ("id", "name", "province", "platform", "confidence", "feeds", "sitemaps",
           "listings")
ARCHIVE_COLUMNS = ("articles", "last_crawl", "last_result")
NO_PLATFORM = "none"
"""`--platform none`: the papers read by structured data and the generic layer only."""


def select(sites: Iterable[Site], *, province: str | None = None,
           platform: str | None = None, national: bool | None = None) -> list[Site]:
    """The papers matching every filter given. `province` matches a 2025 unit or a
    province merged into it, with or without diacritics (`quang nam` finds Đà Nẵng).
    Raises LookupError for a province or platform no paper has."""
    chosen = list(sites)
    if platform is not None:
        known = {s.platform or NO_PLATFORM for s in chosen}
        if platform not in known:
            raise LookupError(f"unknown platform {platform!r}; known: "
                              + ", ".join(sorted(known)))
        chosen = [s for s in chosen if (s.platform or NO_PLATFORM) == platform]
    if province is not None:
        wanted = fold(province).strip()
        chosen = [s for s in chosen if s.province and any(
            wanted in fold(p) for p in (s.province, *s.merged))]
        if not chosen:
            raise LookupError(f"no paper for province {province!r}")
    if national is not None:
        chosen = [s for s in chosen if s.national == national]
    return chosen


def rows(sites: Iterable[Site],
         counts: Mapping[str, Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One dict per paper (the table's columns, then `merged`, `national`, `home` and
    `evidence`); with `counts` (from the archive, by site id) the archive columns too."""
    out = []
    for s in sites:
        row: dict[str, Any] = {
            "id": s.id, "name": s.name,
            "province": s.province,
            "merged": list(s.merged), "national": s.national,
            "platform": s.platform, "confidence": s.confidence,
            "feeds": len(s.feeds), "sitemaps": len(s.sitemaps), "listings": len(s.listings),
            "home": s.home, "evidence": s.evidence,
        }
        if counts is not None:
            got = counts.get(s.id, {})
            row.update({"articles": got.get("articles", 0),
                        "last_crawl": got.get("last_crawl"),
                        "last_result": got.get("last_result")})
        out.append(row)
    return out


def _cells(row: Mapping[str, Any], columns: tuple[str, ...]) -> list[str]:
    cells = []
    for col in columns:
        value = row[col]
        if col == "province":
            value = value or "(national)"
            if row["merged"]:
                value = f"{value} (+ {', '.join(row['merged'])})"
        cells.append("-" if value is None else str(value))
    return cells


def _columns(table: list[dict[str, Any]]) -> tuple[str, ...]:
    return COLUMNS + (ARCHIVE_COLUMNS if table and "articles" in table[0] else ())


def text(table: list[dict[str, Any]]) -> str:
    """Aligned columns for a terminal."""
    columns = _columns(table) or COLUMNS
    lines = [list(columns), *(_cells(r, columns) for r in table)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
                     for line in lines)


def markdown(table: list[dict[str, Any]]) -> str:
    """A Markdown table (the README's coverage table)."""
    columns = _columns(table) or COLUMNS
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cells(r, columns)) + " |" for r in table]
    return "\n".join(lines)
