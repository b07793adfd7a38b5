"""The Article record: one clean, normalised newspaper article.

Every extractor, pipeline and archive function speaks this one dataclass. Field
values are already normalised (NFC, collapsed whitespace, absolute URLs, ISO dates
with the +07:00 offset); the extractor is the only place that builds them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

EXTRACTOR_VERSION = "1.3.0"


@dataclass
class Image:
    """A picture of the article: absolute `url` and its `caption` (None if it has none)."""

    url: str
    caption: str | None = None


@dataclass
class Article:
    """One article, as the reader saw it.

    Fields:
        url: canonical URL (the page's rel=canonical when it is on the same site, else
            the fetched URL), with tracking parameters and fragment removed.
        site: id of the newspaper in `newsarchive.sites` (its host when unknown).
        title: the headline.
        sapo: the lead paragraph, without an outlet tag such as `(Baonghean.vn) -`.
        body_text: body paragraphs separated by a newline; without the sapo, image
            captions, bylines, related-link boxes or other boilerplate.
        body_html: the same body as HTML sanitised with nh3 (paragraphs, headings,
            lists, quotes, tables, figures with images and captions, http(s) links).
        authors: names of the writers, e.g. `Theo Hồ Hương` gives `["Hồ Hương"]`.
        source: the original outlet of a syndicated article (`Theo TTXVN`), else None.
        published_at: first publication, ISO 8601 with the +07:00 offset.
        modified_at: last modification the page declares, same format, or None.
        section: the newspaper section (chuyên mục), e.g. `Thời sự`.
        tags: keywords the newspaper attached, one per item.
        images: pictures in the body (or the lead image when the body has none).
        language: ISO 639-1 code, `vi` for nearly everything.
        provenance: for each filled field, the layer that produced it: `jsonld`,
            `meta`, `layout:<name>`, `generic`, `fallback` (trafilatura), `body`,
            `dateline` (the visible dateline or the byline beside it) or `visible`
            (breadcrumb, tag box, source line or lead read by the generic path).
        notes: what went wrong on the way (broken JSON-LD, an implausible date...).
        extractor_version: version of the extraction rules that built the record.
    """

    url: str
    site: str
    title: str | None = None
    sapo: str | None = None
    body_text: str = ""
    body_html: str = ""
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    published_at: str | None = None
    modified_at: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    language: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    extractor_version: str = EXTRACTOR_VERSION

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, fields in declaration order."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an Article from `to_dict()` output; unknown keys are ignored."""
        names = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in names}
        kwargs["images"] = [
            img if isinstance(img, Image) else Image(**img) for img in data.get("images") or []
        ]
        return cls(**kwargs)
