"""Full-text search that ignores diacritics: `dien chau`, `Diễn Châu` and `DIEN CHAU`
find the same articles; a query typed with its tone marks ranks exact matches first."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import sqlite_utils

from .fold import fts_query, highlight, terms

FOLDED = "{title_folded sapo_folded body_folded meta_folded}"
ORIGINAL = "{title sapo body_text authors_text tags_text}"
# bm25 weights, in the FTS column order: the headline counts most, then the lead.
WEIGHTS = "10.0, 4.0, 1.0, 3.0, 3.0, 10.0, 4.0, 1.0, 3.0"


@dataclass
class Hit:
    id: int
    site: str
    url: str
    title: str | None
    published_at: str | None
    snippet: str
    rank: float


def _exact_terms(query: str) -> str:
    words = [w.lower() for w in unicodedata.normalize("NFC", query).replace('"', " ").split()]
    return " ".join(f'"{w}"' for w in words if w.isalnum() or w.replace("-", "").isalnum())


def match_expression(query: str) -> str:
    """The FTS5 MATCH for a user query: every folded term on the folded columns, or the
    exact words on the original columns (which counts twice in the ranking)."""
    folded = fts_query(query)
    if not folded:
        raise ValueError("empty search query")
    exact = _exact_terms(query)
    if exact and exact != folded and not query.isascii():
        return f"({FOLDED} : ({folded})) OR ({ORIGINAL} : ({exact}))"
    return f"{FOLDED} : ({folded})"


def search(db: sqlite_utils.Database, query: str, *, site: str | None = None,
           since: str | None = None, until: str | None = None, limit: int = 20,
           offset: int = 0, marks: tuple[str, str] = ("[", "]")) -> list[Hit]:
    """Ranked hits (best first) with a snippet whose hits are marked in the original text.
    `since`/`until` are ISO dates compared with the publication time."""
    where, params = ["articles_fts MATCH ?"], [match_expression(query)]
    if site:
        where.append("a.site = ?")
        params.append(site)
    if since:
        where.append("a.published_utc >= ?")
        params.append(since)
    if until:
        where.append("a.published_utc < ?")
        params.append(until)
    sql = (f"SELECT a.id, a.site, a.url, a.title, a.published_at, a.sapo, a.body_text, "
           f"bm25(articles_fts, {WEIGHTS}) AS rank FROM articles_fts "
           f"JOIN articles a ON a.id = articles_fts.rowid WHERE {' AND '.join(where)} "
           f"ORDER BY rank LIMIT ? OFFSET ?")
    rows = db.execute(sql, [*params, limit, offset]).fetchall()
    hits = []
    for id_, site_, url, title, published, sapo, body, rank in rows:
        text = next((t for t in (sapo, body) if t and _mentions(t, query)), sapo or body or "")
        hits.append(Hit(id_, site_, url, title, published,
                        highlight(text, query, *marks), rank))
    return hits


def _mentions(text: str, query: str) -> bool:
    from .fold import fold

    folded = fold(text)
    return any(t.rstrip("*") in folded for t in terms(query))
