"""Full-text search that ignores diacritics: `dien chau`, `Diễn Châu` and `DIEN CHAU`
find the same articles, and `dai` finds `Đài`.

A query of several syllables is tried in three tiers, narrowest first, and the first
that finds anything is ranked (bm25, title weighted up):
1. `phrase`: the syllables in order, as Vietnamese writes a word (`dien chau` is the
   place, not two syllables anywhere); matched on the pairs index.
2. `pairs`: every word of the query present, ranked by the neighbouring pairs of it an
   article shares (`xa thao dong moi` -> `xã Thảo Đông` ... `mới`). The best
   `CANDIDATES` articles by shared pairs are checked for every word.
3. `all`: every word anywhere (also the only tier for one word or a prefix `chau*`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from ..ground.fold import fts_query, highlight, mentions, mentions_all
from .migrations import FTS_COLUMNS

# bm25 weights, in the FTS column order (title, sapo, body, authors, tags): the headline
# counts most, then the lead.
WEIGHTS = "10.0, 4.0, 1.0, 3.0, 3.0"
# Tier 2 checks this many articles sharing pairs with the query, best first.
CANDIDATES = 500
# The searchable text of an article, as one string (tier 2 checks it for every word).
TEXT = " || char(10) || ".join(f"coalesce({c}, '')" for c in FTS_COLUMNS)
TIERS = (("phrase", "articles_pairs"), ("pairs", "articles_pairs"), ("all", "articles_fts"))


@dataclass
class Hit:
    id: int
    site: str
    url: str
    title: str | None
    published_at: str | None
    snippet: str
    rank: float


def tiers(query: str) -> list[tuple[str, str, str]]:
    """(mode, FTS table, MATCH expression) for each tier that applies to `query`."""
    out = [(mode, table, expr) for mode, table in TIERS if (expr := fts_query(query, mode))]
    if not out:
        raise ValueError("empty search query")
    return out


def _filters(site: str | None, since: str | None, until: str | None
             ) -> tuple[list[str], list[str]]:
    where, params = [], []
    for clause, value in (("a.site = ?", site), ("a.published_utc >= ?", since),
                          ("a.published_utc < ?", until)):
        if value:
            where.append(clause)
            params.append(value)
    return where, params


def _ranked(db: sqlite_utils.Database, table: str, expression: str,
            filters: tuple[list[str], list[str]], limit: int) -> list[tuple[int, float]]:
    """(article id, rank) best first; ranked on the index alone, joined to the articles
    only when a filter needs them."""
    where, params = filters
    join = f" JOIN articles a ON a.id = {table}.rowid" if where else ""
    sql = (f"SELECT {table}.rowid, bm25({table}, {WEIGHTS}) AS rank FROM {table}{join} "
           f"WHERE {' AND '.join([f'{table} MATCH ?', *where])} ORDER BY rank LIMIT ?")
    return db.execute(sql, [expression, *params, limit]).fetchall()


def _with_every_word(db: sqlite_utils.Database, query: str,
                     candidates: list[tuple[int, float]], wanted: int
                     ) -> list[tuple[int, float]]:
    """The first `wanted` candidates (in their order) whose text has every word."""
    kept: list[tuple[int, float]] = []
    for i in range(0, len(candidates), 50):
        chunk = candidates[i:i + 50]
        texts = dict(db.execute(
            f"SELECT id, {TEXT} FROM articles WHERE id IN ({', '.join('?' * len(chunk))})",
            [c[0] for c in chunk]).fetchall())
        kept += [c for c in chunk if mentions_all(texts.get(c[0]) or "", query)]
        if len(kept) >= wanted:
            break
    return kept[:wanted]


def ranked_ids(db: sqlite_utils.Database, query: str, *, site: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = 20,
               offset: int = 0) -> tuple[str, list[tuple[int, float]]]:
    """(tier, [(article id, rank)]) for one page of results: the first tier that finds
    anything decides every page."""
    filters = _filters(site, since, until)
    for mode, table, expression in tiers(query):
        if mode == "pairs":  # the best candidates, then those that have every word
            candidates = _ranked(db, table, expression, filters, CANDIDATES)
            found = _with_every_word(db, query, candidates, offset + limit)
        else:
            found = _ranked(db, table, expression, filters, offset + limit)
        if found:
            return mode, found[offset:]
    return "all", []


def search(db: sqlite_utils.Database, query: str, *, site: str | None = None,
           since: str | None = None, until: str | None = None, limit: int = 20,
           offset: int = 0, marks: tuple[str, str] = ("[", "]")) -> list[Hit]:
    """Ranked hits (best first) with a snippet whose hits are marked in the original text.
    `since`/`until` are ISO dates compared with the publication time."""
    _, ranked = ranked_ids(db, query, site=site, since=since, until=until, limit=limit,
                           offset=offset)
    if not ranked:
        return []
    rank_of = dict(ranked)
    rows = db.execute(
        "SELECT id, site, url, title, published_at, sapo, body_text FROM articles "
        f"WHERE id IN ({', '.join('?' * len(rank_of))})", list(rank_of)).fetchall()
    hits = []
    for id_, site_, url, title, published, sapo, body in rows:
        text = next((t for t in (sapo, body) if t and mentions(t, query)), sapo or body or "")
        hits.append(Hit(id_, site_, url, title, published,
                        highlight(text, query, *marks), rank_of[id_]))
    return sorted(hits, key=lambda h: h.rank)
