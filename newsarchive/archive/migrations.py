"""The schema, as numbered migrations. `PRAGMA user_version` says which have run; each
runs in its own transaction, so a crash leaves the database at the previous version.
Never edit a released migration: add the next one."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import sqlite_utils

M001 = """
CREATE TABLE sites (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, province TEXT, home TEXT, platform TEXT
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    url_key TEXT NOT NULL UNIQUE,      -- identity: see newsarchive.urls.url_key
    url TEXT NOT NULL,                 -- canonical URL as published
    site TEXT NOT NULL,
    title TEXT, sapo TEXT, body_text TEXT, body_html TEXT,
    authors_text TEXT,                 -- "; "-joined, for search and display
    tags_text TEXT,
    source TEXT,
    published_at TEXT,                 -- ISO 8601, +07:00
    published_utc TEXT,                -- ISO 8601 UTC, for sorting
    modified_at TEXT,
    section TEXT, language TEXT,
    provenance TEXT, notes TEXT,       -- JSON
    extractor_version TEXT,
    content_hash TEXT NOT NULL,        -- of title, sapo, body: a change makes a version
    meta_hash TEXT,                    -- of the other fields: updated in place
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, last_changed TEXT NOT NULL,
    version_count INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX articles_site_published ON articles(site, published_utc);
CREATE INDEX articles_published ON articles(published_utc);
CREATE TABLE article_urls (
    url_key TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE TABLE article_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    seen_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT, sapo TEXT, body_text TEXT,
    diff TEXT,                         -- unified diff against the previous version
    UNIQUE (article_id, version)
);
CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES authors(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author ON article_authors(author_id);
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags(tag_id);
CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    url TEXT NOT NULL, caption TEXT
);
CREATE INDEX images_article ON images(article_id);
CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL, url_key TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    status INTEGER, headers TEXT,      -- JSON
    body BLOB,                         -- zlib-compressed response body
    size INTEGER,                      -- uncompressed bytes
    flags TEXT,                        -- e.g. "truncated", "not-article", "unreadable: ..."
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL
);
CREATE INDEX pages_url_key ON pages(url_key, fetched_at);
CREATE INDEX pages_article ON pages(article_id);
CREATE TABLE crawl_runs (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    started_at TEXT NOT NULL, finished_at TEXT,
    discovered INTEGER NOT NULL DEFAULT 0, new INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    errors TEXT                        -- JSON: {reason: count}
);
CREATE INDEX crawl_runs_site ON crawl_runs(site, started_at);
"""

# Search: folded copies beside the originals, one external-content FTS5 index over both
# (the index holds no second copy of the text), kept in sync by triggers.
M002 = """
ALTER TABLE articles ADD COLUMN title_folded TEXT;
ALTER TABLE articles ADD COLUMN sapo_folded TEXT;
ALTER TABLE articles ADD COLUMN body_folded TEXT;
ALTER TABLE articles ADD COLUMN meta_folded TEXT;   -- authors and tags, folded
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, sapo, body_text, authors_text, tags_text,
    title_folded, sapo_folded, body_folded, meta_folded,
    content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
);
"""
M002_TRIGGERS = """
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, sapo, body_text, authors_text, tags_text,
        title_folded, sapo_folded, body_folded, meta_folded)
    VALUES (new.id, new.title, new.sapo, new.body_text, new.authors_text, new.tags_text,
        new.title_folded, new.sapo_folded, new.body_folded, new.meta_folded);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, sapo, body_text, authors_text,
        tags_text, title_folded, sapo_folded, body_folded, meta_folded)
    VALUES ('delete', old.id, old.title, old.sapo, old.body_text, old.authors_text,
        old.tags_text, old.title_folded, old.sapo_folded, old.body_folded, old.meta_folded);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, sapo, body_text, authors_text,
    tags_text, title_folded, sapo_folded, body_folded, meta_folded ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, sapo, body_text, authors_text,
        tags_text, title_folded, sapo_folded, body_folded, meta_folded)
    VALUES ('delete', old.id, old.title, old.sapo, old.body_text, old.authors_text,
        old.tags_text, old.title_folded, old.sapo_folded, old.body_folded, old.meta_folded);
    INSERT INTO articles_fts(rowid, title, sapo, body_text, authors_text, tags_text,
        title_folded, sapo_folded, body_folded, meta_folded)
    VALUES (new.id, new.title, new.sapo, new.body_text, new.authors_text, new.tags_text,
        new.title_folded, new.sapo_folded, new.body_folded, new.meta_folded);
END;
"""

# Crawl reports for unattended runs: bytes, duration, fallback share, status.
M003 = """
ALTER TABLE crawl_runs ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN fallback INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'running';
ALTER TABLE pages ADD COLUMN etag TEXT;
ALTER TABLE pages ADD COLUMN last_modified TEXT;
"""


def _backfill_folded(db: sqlite_utils.Database) -> None:
    """Articles stored before M002 get their folded copies, then the index is built from
    them before the triggers exist (a trigger's 'delete' of a row never indexed would
    corrupt an external-content index)."""
    from .fold import fold

    rows = db.execute("SELECT id, title, sapo, body_text, authors_text, tags_text "
                      "FROM articles").fetchall()
    for id_, title, sapo, body, authors, tags in rows:
        db.execute("UPDATE articles SET title_folded=?, sapo_folded=?, body_folded=?, "
                   "meta_folded=? WHERE id=?",
                   (fold(title), fold(sapo), fold(body), fold(f"{authors or ''} {tags or ''}"),
                    id_))
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def _script(sql: str) -> Callable[[sqlite_utils.Database], None]:
    def run(db: sqlite_utils.Database) -> None:
        for statement in _statements(sql):
            db.execute(statement)
    return run


def _statements(sql: str) -> list[str]:
    """Split a script on `;` at statement ends, keeping trigger bodies whole."""
    out, buf = [], []
    for line in sql.strip().splitlines():
        buf.append(line.split("--", 1)[0].rstrip())
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    return out


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _script(M001),
    lambda db: (_script(M002)(db), _backfill_folded(db), _script(M002_TRIGGERS)(db)),
    _script(M003),
]
LATEST = len(MIGRATIONS)


def version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database, target: int = LATEST) -> int:
    """Run every migration after the database's version, up to `target`."""
    current = version(db)
    for number in range(current + 1, target + 1):
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if version(db) >= number:  # another process got there first
                conn.execute("ROLLBACK")
                continue
            MIGRATIONS[number - 1](db)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version(db)
