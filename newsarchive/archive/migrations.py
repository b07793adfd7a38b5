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
    authors TEXT,                      -- JSON array of names (for facets and search)
    tags TEXT,                         -- JSON array
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

# Search: one FTS5 index over title, sapo, body, authors and tags, on a folded copy.
# The unicode61 tokenizer with remove_diacritics 2 folds tone and vowel marks (ễ -> e,
# ư -> u) but not đ, a letter of its own: the copy it indexes has đ/Đ written as d/D, so
# `dai` finds `Đài`. External content: the index keeps no second copy of the text, and
# snippet() reads the original. Triggers keep it in sync; `rebuild` must not be used
# (it would index the unfolded text): re-run the INSERT ... SELECT below instead.
FTS_COLUMNS = ("title", "sapo", "body_text", "authors", "tags")
_COLS = ", ".join(FTS_COLUMNS)


def _folded(row: str) -> str:
    """SQL for the folded copy of a row's searchable columns: đ/Đ written as d/D."""
    return ",\n        ".join(f"replace(replace({row}.{c}, 'đ', 'd'), 'Đ', 'D')"
                              for c in FTS_COLUMNS)


def _pairs(row: str) -> str:
    """SQL for the syllable pairs of a row's searchable columns."""
    return ", ".join(f"na_pairs({row}.{c})" for c in FTS_COLUMNS)


def _synced_index(name: str, options: str, text: Callable[[str], str]) -> str:
    """An FTS5 table over FTS_COLUMNS, filled from `articles` and kept in step with it by
    triggers; `text(row)` is the SQL of the text indexed for a row."""
    return f"""
CREATE VIRTUAL TABLE {name} USING fts5(
    {_COLS},
    {options}
);
INSERT INTO {name}(rowid, {_COLS})
    SELECT id, {text("a")} FROM articles a;
CREATE TRIGGER {name}_insert AFTER INSERT ON articles BEGIN
    INSERT INTO {name}(rowid, {_COLS}) VALUES (new.id, {text("new")});
END;
CREATE TRIGGER {name}_delete AFTER DELETE ON articles BEGIN
    INSERT INTO {name}({name}, rowid, {_COLS})
    VALUES ('delete', old.id, {text("old")});
END;
CREATE TRIGGER {name}_update AFTER UPDATE OF {_COLS} ON articles BEGIN
    INSERT INTO {name}({name}, rowid, {_COLS})
    VALUES ('delete', old.id, {text("old")});
    INSERT INTO {name}(rowid, {_COLS}) VALUES (new.id, {text("new")});
END;
"""


M002 = _synced_index(
    "articles_fts",
    "content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'",
    _folded)

# Crawl reports for unattended runs: bytes, duration, fallback share, status.
M003 = """
ALTER TABLE crawl_runs ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN fallback INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'running';
ALTER TABLE pages ADD COLUMN etag TEXT;
ALTER TABLE pages ADD COLUMN last_modified TEXT;
"""


# Publishing: a view with the columns datasette-atom wants, so that any filter or facet
# of the articles has an Atom feed.
M004 = """
CREATE VIEW articles_feed AS
SELECT 'tag:newsarchive,' || url_key AS atom_id, title AS atom_title,
    coalesce(published_utc, first_seen) AS atom_updated, url AS atom_link,
    coalesce(sapo, '') AS atom_content, id, site, section, authors, tags, published_at,
    published_utc
FROM articles;
"""


# Layout-drift alarm: per run, articles that came out incomplete, and example URLs.
M005 = """
ALTER TABLE crawl_runs ADD COLUMN extracted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN missing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN examples TEXT;
ALTER TABLE crawl_runs ADD COLUMN alarm TEXT;
"""


# Discovery responses (feeds, sitemaps, listings) are kept too, once per distinct body,
# so that a WARC export can replay a whole crawl.
M006 = """
ALTER TABLE pages ADD COLUMN kind TEXT NOT NULL DEFAULT 'article';
ALTER TABLE pages ADD COLUMN sha1 TEXT;
"""


# Phrase search over common syllables reads their long position lists (`xã` is in most
# articles): a second index holds each two neighbouring syllables as one token, folded
# (`dien_chau`), so a phrase reads short lists. Its text comes from `na_pairs()`, the
# Python function `connect()` registers; contentless, so it keeps no copy of the text.
M007 = _synced_index(
    "articles_pairs",
    "content='', tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\"",
    _pairs)

# Raw pages are kept once per distinct body: a body seen again only moves `last_seen`.
M009 = """
ALTER TABLE pages ADD COLUMN last_seen TEXT;
"""


# Places (newsarchive/places): the administrative units articles name, before and after
# the 2025 reorganisation. `places` holds each unit named at least once; `article_places`
# one row per unit per article (place_code NULL: a name left unresolved, see `note`),
# replaced whole whenever the article is stored or reparsed.
M008 = """
CREATE TABLE places (
    code TEXT PRIMARY KEY,             -- p63-40, d63-425, c63-17392 (before the reform); p34-40
    level TEXT NOT NULL,               -- province | district | commune
    name TEXT NOT NULL,                -- official name: Huyện Diễn Châu
    now_code TEXT,                     -- today's unit
    name_now TEXT,
    province_now TEXT
);
CREATE TABLE article_places (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    place_code TEXT REFERENCES places(code),
    level TEXT NOT NULL,
    as_written TEXT NOT NULL,          -- first mention as the article wrote it: H. Diễn Châu
    name_then TEXT,                    -- the unit at the article's date
    now_code TEXT,
    name_now TEXT,                     -- today's unit
    province_now TEXT,
    province_code TEXT,                -- today's province: p34-40
    mentions INTEGER NOT NULL,
    found_in TEXT NOT NULL,            -- title,sapo,body
    note TEXT,                         -- why it is unresolved, or what it became
    tagger_version TEXT
);
CREATE INDEX article_places_article ON article_places(article_id);
CREATE INDEX article_places_place ON article_places(place_code);
CREATE INDEX article_places_now ON article_places(now_code);
CREATE INDEX article_places_province ON article_places(province_code);
"""


# An article the paper no longer serves: its URL answered 404 or 410, or redirected to a
# page that is no article. The archived copy is untouched; the row goes when the article
# is fetched again.
M010 = """
CREATE TABLE gone (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    since TEXT NOT NULL,               -- first seen gone (UTC)
    status INTEGER NOT NULL,           -- 404, 410, or 301: moved to a page that is no article
    last_checked TEXT NOT NULL
);
"""


# Raw pages stored by difference (archive/compression.py): each row names its codec;
# `dictionary` is the trained dictionary of a first capture, `ref` the page whose raw
# body a later capture was compressed against (never itself a `ref` row: one step).
# Rows written before stay `zlib` until `newsarchive compact` converts them. Neither a
# dictionary nor a page that a row needs can be deleted, even from a plain sqlite3 shell.
M011 = """
CREATE TABLE dictionaries (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,                -- the paper's host, as url_key writes it: baonghean.vn
    created TEXT NOT NULL,
    sample_count INTEGER NOT NULL,     -- first captures it was trained on
    ratio REAL NOT NULL,               -- compressed/raw on held-out pages when trained
    data BLOB NOT NULL                 -- a zstd dictionary, as `zstd --train` writes one
);
CREATE INDEX dictionaries_site ON dictionaries(site, id);
ALTER TABLE pages ADD COLUMN codec TEXT NOT NULL DEFAULT 'zlib';
ALTER TABLE pages ADD COLUMN dictionary INTEGER REFERENCES dictionaries(id);
ALTER TABLE pages ADD COLUMN ref INTEGER REFERENCES pages(id);
CREATE INDEX pages_ref ON pages(ref) WHERE ref IS NOT NULL;
CREATE INDEX pages_dictionary ON pages(dictionary) WHERE dictionary IS NOT NULL;
CREATE TRIGGER pages_ref_kept BEFORE DELETE ON pages
WHEN EXISTS (SELECT 1 FROM pages WHERE ref = old.id) BEGIN
    SELECT RAISE(ABORT, 'page is the reference of a later capture: delete those first');
END;
CREATE TRIGGER dictionaries_kept BEFORE DELETE ON dictionaries
WHEN EXISTS (SELECT 1 FROM pages WHERE dictionary = old.id) BEGIN
    SELECT RAISE(ABORT, 'dictionary is used by stored pages');
END;
"""


# One story across papers (archive/stories.py): each article's MinHash signature over its
# body's folded syllable shingles and the story it belongs to (the id of the story's first
# stored copy); its LSH band keys in an indexed table, so that the copies of a new
# article are looked up in SQLite, never held in memory. `signature` NULL: a body too
# short to compare, a story of its own. Filled at ingest; `newsarchive stories` fills
# an older archive's.
M012 = """
CREATE TABLE article_stories (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id INTEGER NOT NULL,
    signature BLOB                     -- 128 little-endian uint32 minima, or NULL
);
CREATE INDEX article_stories_story ON article_stories(story_id);
CREATE TABLE story_bands (
    key INTEGER NOT NULL,              -- a hash of one band of a signature (and its number)
    article_id INTEGER NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
"""

# Trends (archive/trends.py) read the date, paper and section of each of a query's
# matches by id: from the row they sit after its texts (a row spans several pages, 20-40
# us a match at a million articles); from this index, a look-up of a few bytes.
M013 = """
CREATE INDEX articles_dated ON articles(id, published_utc, site, section);
"""


# A crawl commits its pages in groups (archive/grouped.py). Written row by row by the
# triggers above, each article's index entries became an index segment of their own (FTS5
# writes what it holds at every statement of an open transaction), merged again and
# again. While a connection holds them back (`na_index` says so, `indexing.Held`), the
# triggers leave the index alone and the group's rows are indexed at its commit, one
# statement per index (`INDEX_HELD`); an update or delete of a row held skips the index,
# which reads the row as it is at the commit. Any other writer's triggers work as before.
def _held_triggers(name: str, text: Callable[[str], str]) -> str:
    return f"""
DROP TRIGGER {name}_insert;
DROP TRIGGER {name}_delete;
DROP TRIGGER {name}_update;
CREATE TRIGGER {name}_insert AFTER INSERT ON articles WHEN na_index(new.id) BEGIN
    INSERT INTO {name}(rowid, {_COLS}) VALUES (new.id, {text("new")});
END;
CREATE TRIGGER {name}_delete AFTER DELETE ON articles WHEN na_indexed(old.id) BEGIN
    INSERT INTO {name}({name}, rowid, {_COLS})
    VALUES ('delete', old.id, {text("old")});
END;
CREATE TRIGGER {name}_update AFTER UPDATE OF {_COLS} ON articles WHEN na_indexed(old.id)
BEGIN
    INSERT INTO {name}({name}, rowid, {_COLS})
    VALUES ('delete', old.id, {text("old")});
    INSERT INTO {name}(rowid, {_COLS}) VALUES (new.id, {text("new")});
END;
"""


M014 = _held_triggers("articles_fts", _folded) + _held_triggers("articles_pairs", _pairs)

# The rows held back, indexed: `?` is a JSON list of article ids.
INDEX_HELD = tuple(
    f"INSERT INTO {name}(rowid, {_COLS}) SELECT a.id, {text('a')} FROM articles a "
    "WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.id"
    for name, text in (("articles_fts", _folded), ("articles_pairs", _pairs)))


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
    _script(M002),
    _script(M003),
    _script(M004),
    _script(M005),
    _script(M006),
    _script(M007),
    _script(M008),
    _script(M009),
    _script(M010),
    _script(M011),
    _script(M012),
    _script(M013),
    _script(M014),
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
