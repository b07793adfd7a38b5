"""Full-text search that ignores diacritics: `dien chau`, `Diễn Châu` and `DIEN CHAU`
find the same articles, and `dai` finds `Đài`. Several words match as a phrase first."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from .fold import fts_query, highlight, mentions

# bm25 weights, in the FTS column order (title, sapo, body, authors, tags): the headline
# counts most, then the lead.
WEIGHTS = "10.0, 4.0, 1.0, 3.0, 3.0"


@dataclass
class Hit:
    id: int
    site: str
    url: str
    title: str | None
    published_at: str | None
    snippet: str
    rank: float


MODES = ("phrase", "near", "all")


def expressions(query: str) -> list[str]:
    """The MATCH expressions to try for a user query, narrowest first: its words as a
    phrase, then near each other, then anywhere. Vietnamese words are several syllables
    long, so `dien chau` means the place, not two syllables anywhere; and a narrower
    match is cheaper to rank."""
    candidates = list(dict.fromkeys(fts_query(query, mode) for mode in MODES))
    if not any(candidates):
        raise ValueError("empty search query")
    return candidates


def match_expression(db: sqlite_utils.Database, query: str) -> str:
    """The narrowest expression that matches any article (the widest if none does)."""
    *narrow, widest = expressions(query)
    for expression in narrow:
        if db.execute("SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1",
                      (expression,)).fetchone():
            return expression
    return widest


def search(db: sqlite_utils.Database, query: str, *, site: str | None = None,
           since: str | None = None, until: str | None = None, limit: int = 20,
           offset: int = 0, marks: tuple[str, str] = ("[", "]")) -> list[Hit]:
    """Ranked hits (best first) with a snippet whose hits are marked in the original text.
    `since`/`until` are ISO dates compared with the publication time."""
    where, params = ["articles_fts MATCH ?"], []
    if site:
        where.append("a.site = ?")
        params.append(site)
    if since:
        where.append("a.published_utc >= ?")
        params.append(since)
    if until:
        where.append("a.published_utc < ?")
        params.append(until)
    # Rank on the index alone; read the (long) article texts for the page of hits only.
    join = " JOIN articles a ON a.id = articles_fts.rowid" if len(where) > 1 else ""
    sql = (f"WITH hits AS (SELECT articles_fts.rowid AS id, bm25(articles_fts, {WEIGHTS}) "
           f"AS rank FROM articles_fts{join} "
           f"WHERE {' AND '.join(where)} ORDER BY rank LIMIT ? OFFSET ?) "
           "SELECT a.id, a.site, a.url, a.title, a.published_at, a.sapo, a.body_text, hits.rank "
           "FROM hits JOIN articles a ON a.id = hits.id ORDER BY hits.rank")
    # The first page tries each expression in turn (an empty page means no match); later
    # pages keep the expression the first page used.
    tries = expressions(query) if offset == 0 else [match_expression(db, query)]
    rows = []
    for expression in tries:
        rows = db.execute(sql, [expression, *params, limit, offset]).fetchall()
        if rows:
            break
    hits = []
    for id_, site_, url, title, published, sapo, body, rank in rows:
        text = next((t for t in (sapo, body) if t and mentions(t, query)), sapo or body or "")
        hits.append(Hit(id_, site_, url, title, published,
                        highlight(text, query, *marks), rank))
    return hits

