"""The places an article names, as plain rows (made by newsarchive/places, handed over by
crawl/ingest): replaced whole each time the article is stored, inside the caller's
transaction."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable

COLUMNS = ("place_code", "level", "as_written", "name_then", "now_code", "name_now",
           "province_now", "province_code", "mentions", "found_in", "note", "tagger_version")


class Places:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def replace(self, article_id: int, rows: Iterable[dict], *, new: bool = False) -> int:
        """Forget what was known of `article_id`'s places and keep `rows` (`new`: the
        article was just inserted, nothing is known of it yet)."""
        if not new:
            self.conn.execute("DELETE FROM article_places WHERE article_id = ?",
                              (article_id,))
        rows = list(rows)
        if not rows:
            return 0
        units = [(row["place_code"], row["level"], row["name_then"], row["now_code"],
                  row["name_now"], row["province_now"]) for row in rows if row.get("place_code")]
        if units:  # before the rows that name them (a foreign key)
            self.conn.executemany(
                "INSERT OR REPLACE INTO places (code, level, name, now_code, name_now,"
                " province_now) VALUES (?, ?, ?, ?, ?, ?)", units)
        self.conn.executemany(
            f"INSERT INTO article_places (article_id, {', '.join(COLUMNS)})"
            f" VALUES (?{', ?' * len(COLUMNS)})",
            [(article_id, *(row.get(c) for c in COLUMNS)) for row in rows])
        return len(rows)

    def of(self, article_id: int) -> list[dict]:
        cur = self.conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM article_places WHERE article_id = ?"
            " ORDER BY mentions DESC, as_written", (article_id,))
        return [dict(zip(COLUMNS, r, strict=True)) for r in cur]


# --- Reading by place: a unit's page and the reader's place filter. A unit's articles
# are those naming it, one of its former units (now_code), or, for a province, anything
# inside it (province_code): the same rule as the `place` canned query. Each of the three
# is an indexed lookup, joined by UNION: `? IN (place_code, now_code, province_code)`
# scans every row (README, "Places": measured by bench/place_page.py).
CODE = re.compile(r"[pdc](?:63|34)-\d{1,6}")
LEVELS = {"p": "province", "d": "district", "c": "commune"}
ABOUT = ("SELECT article_id FROM article_places WHERE place_code = :code UNION "
         "SELECT article_id FROM article_places WHERE now_code = :code UNION "
         "SELECT article_id FROM article_places WHERE province_code = :code")
_NAMES = ":code IN (place_code, now_code, province_code)"


def unit(conn: sqlite3.Connection, code: str) -> dict | None:
    """What the archive knows of unit `code`: its name, level, era, and today's unit
    (`now_code`, `name_now`, `province_now`); None when no article names it."""
    row = conn.execute("SELECT code, level, name, now_code, name_now, province_now "
                       "FROM places WHERE code = ?", (code,)).fetchone()
    if row is None:  # named only as today's unit or province of another mention
        row = conn.execute(
            "SELECT :code, :level, name, :code, name, province_now FROM ("
            "SELECT name_now AS name, province_now FROM article_places WHERE now_code = :code "
            "UNION ALL SELECT province_now, province_now FROM article_places "
            "WHERE province_code = :code) LIMIT 1",
            {"code": code, "level": LEVELS[code[0]]}).fetchone()
    if row is None:
        return None
    keys = ("code", "level", "name", "now_code", "name_now", "province_now")
    found = dict(zip(keys, row, strict=True))
    found["former"] = code.split("-")[0].endswith("63") and found["now_code"] != code
    return found


def timeline(conn: sqlite3.Connection, code: str) -> tuple[int, list[tuple[str, int]]]:
    """(how many articles are about unit `code`, [(YYYY-MM, articles)] oldest first, the
    undated left out of the months but counted)."""
    rows = conn.execute(
        "SELECT substr(published_at, 1, 7) AS month, count(*) FROM articles "
        f"WHERE id IN ({ABOUT}) GROUP BY month ORDER BY month", {"code": code}).fetchall()
    return sum(n for _, n in rows), [(m, n) for m, n in rows if m]


def articles_about(conn: sqlite3.Connection, code: str, limit: int = 50, offset: int = 0,
                   total: int | None = None) -> tuple[int, list[dict]]:
    """(how many articles, one page of them newest first), each with the `names` it used
    for the unit or the units inside it: [{as_written, name_then (the unit at its
    date)}], most mentioned first. Where a unit's
    articles are many (a province's), walking all articles newest first until the page
    is full reads fewer rows than sorting every match; else the matches are sorted."""
    if total is None:
        total = timeline(conn, code)[0]
    archived = conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
    if total and (offset + limit) * archived <= total * total:
        which = ("EXISTS (SELECT 1 FROM article_places p WHERE p.article_id = a.id "
                 f"AND {_NAMES})")
    else:
        which = f"a.id IN ({ABOUT})"
    cursor = conn.execute(
        "SELECT a.id, a.title, a.site, coalesce(s.name, a.site), a.published_at FROM "
        f"articles a LEFT JOIN sites s ON s.id = a.site WHERE {which} "
        "ORDER BY a.published_utc DESC, a.id DESC LIMIT :limit OFFSET :offset",
        {"code": code, "limit": limit, "offset": offset})
    keys = ("id", "title", "site", "paper", "published_at")
    page = [dict(zip(keys, r, strict=True)) for r in cursor]
    names: dict[int, list[dict]] = {}
    for id_, written, then in conn.execute(  # the names each used, for this page only
            "SELECT article_id, as_written, name_then FROM article_places WHERE article_id "
            f"IN (SELECT value FROM json_each(:ids)) AND {_NAMES} "
            "ORDER BY article_id, mentions DESC, rowid",
            {"code": code, "ids": json.dumps([a["id"] for a in page])}):
        if {"as_written": written, "name_then": then} not in names.setdefault(id_, []):
            names[id_].append({"as_written": written, "name_then": then})
    for article in page:
        article["names"] = names.get(article["id"], [])
    return total, page


def formerly(conn: sqlite3.Connection, code: str) -> list[dict]:
    """The former units of today's unit `code` that articles name, with how often."""
    cursor = conn.execute(
        "SELECT place_code, name_then, count(DISTINCT article_id) AS n FROM article_places "
        "WHERE now_code = ? AND place_code != ? GROUP BY place_code ORDER BY n DESC, name_then",
        (code, code))
    return [{"code": c, "name": name, "articles": n} for c, name, n in cursor]


def inside(conn: sqlite3.Connection, code: str, limit: int = 30) -> list[dict]:
    """Today's units inside province `code` that articles name most."""
    cursor = conn.execute(
        "SELECT now_code, name_now, count(DISTINCT article_id) AS n FROM article_places "
        "WHERE province_code = ? AND now_code != ? GROUP BY now_code "
        "ORDER BY n DESC, name_now LIMIT ?", (code, code, limit))
    return [{"code": c, "name": name, "articles": n} for c, name, n in cursor]


def of_articles(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[dict]]:
    """Resolved places of each article in `ids`, most mentioned first: the codes it is
    found under (its unit, today's unit, today's province) and the names to show."""
    out: dict[int, list[dict]] = {}
    cursor = conn.execute(
        "SELECT article_id, place_code, now_code, province_code, as_written, name_then, "
        "name_now FROM article_places WHERE place_code IS NOT NULL AND article_id IN "
        "(SELECT value FROM json_each(?)) ORDER BY article_id, mentions DESC, as_written",
        (json.dumps(ids),))
    for id_, place, now, province, written, then, name_now in cursor:
        out.setdefault(id_, []).append({
            "codes": {place, now, province} - {None}, "now_code": now or place,
            "as_written": written, "name_then": then, "name_now": name_now or then})
    return out
