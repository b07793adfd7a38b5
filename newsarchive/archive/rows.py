"""The one mapping between an Article and its `articles` row (and back, for export)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..ground.article import Article, Image
from ..ground.dates import to_utc_stamp

# json.dumps(value, ensure_ascii=False), without making an encoder at every call
as_json = json.JSONEncoder(ensure_ascii=False).encode


def to_row(art: Article) -> dict[str, Any]:
    """The `articles` columns an Article fills (JSON for lists and dicts)."""
    return {
        "url": art.url, "site": art.site, "title": art.title, "sapo": art.sapo,
        "body_text": art.body_text, "body_html": art.body_html,
        "authors": as_json(art.authors),
        "tags": as_json(art.tags), "source": art.source,
        "published_at": art.published_at, "published_utc": to_utc_stamp(art.published_at),
        "modified_at": art.modified_at, "section": art.section, "language": art.language,
        "provenance": as_json(art.provenance),
        "notes": as_json(art.notes),
        "extractor_version": art.extractor_version,
    }


def from_row(row: Mapping[str, Any], images: list[tuple[str, str | None]]) -> Article:
    """The Article an `articles` row (and its `images` rows) hold."""
    return Article(
        url=row["url"], site=row["site"], title=row["title"], sapo=row["sapo"],
        body_text=row["body_text"] or "", body_html=row["body_html"] or "",
        authors=json.loads(row["authors"] or "[]"), source=row["source"],
        published_at=row["published_at"], modified_at=row["modified_at"],
        section=row["section"], tags=json.loads(row["tags"] or "[]"),
        images=[Image(url, caption) for url, caption in images], language=row["language"],
        provenance=json.loads(row["provenance"] or "{}"),
        notes=json.loads(row["notes"] or "[]"), extractor_version=row["extractor_version"])
