"""One story across papers on the article page: the other copies of the story an article
belongs to (archive/stories.py), each paper and date, its source line, the first
appearance marked."""

from __future__ import annotations

import sqlite3

from .pages import date_vi

MOST_COPIES = 200  # listed on one page; the count says how many there are

COPIES = """
SELECT a.id, a.site, coalesce(p.name, a.site) AS paper, a.title, a.source,
    a.published_at, a.published_utc
FROM article_stories s JOIN articles a ON a.id = s.article_id
LEFT JOIN sites p ON p.id = a.site
WHERE s.story_id = (SELECT story_id FROM article_stories WHERE article_id = :id)
ORDER BY a.published_utc IS NULL, a.published_utc, a.id
LIMIT :most
"""


def story(conn: sqlite3.Connection, article_id: int, root: str = "/") -> dict | None:
    """The copies of `article_id`'s story, first published first, or None when it is the
    only one (or the archive keeps no stories yet). `papers`: how many other papers
    carried it; `here`: how many other copies this article's own paper ran."""
    try:
        rows = conn.execute(COPIES, {"id": article_id, "most": MOST_COPIES}).fetchall()
    except sqlite3.OperationalError as exc:  # an archive older than stories, read as it is
        if "no such table" not in str(exc):
            raise
        return None
    if len(rows) < 2:
        return None
    names = ("id", "site", "paper", "title", "source", "published_at", "published_utc")
    copies = [dict(zip(names, row, strict=True)) for row in rows]
    own = next((c["site"] for c in copies if c["id"] == article_id), None)
    for i, copy in enumerate(copies):
        copy.update(first=i == 0, this=copy["id"] == article_id,
                    date_vi=date_vi(copy["published_at"]),
                    href=f"{root}article/{copy['id']}")
    return {"copies": copies,
            "papers": len({c["site"] for c in copies} - {own}),
            "here": sum(1 for c in copies if c["site"] == own) - 1,
            "more": len(copies) == MOST_COPIES}
