"""The place page's queries at scale: a unit's articles read by three indexed lookups
joined by UNION, beside the single scan they replace, side by side in one run.

    python -m bench.place_page [--articles 300000] [--places 4] [--dir /tmp]

Builds an archive of synthetic articles (titles and dates only), each naming `--places`
communes drawn from the gazetteer: 40 % under a 63-era code (a former commune), the
rest under today's, with today's unit and province as the tagger stores them. Then, for
a commune of today, a former commune and a province, the median time of each query the
page runs (`archive.places`), and of the same queries written as one
`? IN (place_code, now_code, province_code)` over article_places (the first version):
the count and months (`timeline`), the first page and the last page the site serves.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from newsarchive.archive import Archive, places
from newsarchive.places import gazetteer

SCAN = "? IN (p.place_code, p.now_code, p.province_code)"
SCAN_COUNT = f"SELECT count(DISTINCT p.article_id) FROM article_places p WHERE {SCAN}"
SCAN_PAGE = ("SELECT a.id, group_concat(DISTINCT p.as_written) FROM article_places p "
             f"JOIN articles a ON a.id = p.article_id WHERE {SCAN} GROUP BY a.id "
             "ORDER BY a.published_utc IS NULL, a.published_utc DESC, a.id DESC "
             "LIMIT 50 OFFSET ?")
SCAN_MONTHS = ("SELECT substr(a.published_at, 1, 7) AS m, count(DISTINCT a.id) FROM "
               f"article_places p JOIN articles a ON a.id = p.article_id WHERE {SCAN} "
               "AND a.published_at IS NOT NULL GROUP BY m")


def build(path: Path, n: int, per: int) -> dict[str, str]:
    """An archive of `n` articles; returns a code of each kind that articles name."""
    gaz = gazetteer()
    new = [u for u in gaz.units.values() if u.level == "commune" and u.era == 34]
    old = [u for u in gaz.units.values() if u.level == "commune" and u.era == 63
           and u.now in gaz.units]
    rng = random.Random(18)
    archive = Archive(path)
    conn = archive.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT OR IGNORE INTO sites (id, name) VALUES ('bench', 'Báo bench')")
    with conn:
        for i in range(1, n + 1):
            day = f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            conn.execute(
                "INSERT INTO articles (id, url, url_key, site, title, published_at, "
                "published_utc, content_hash, first_seen, last_seen, last_changed, "
                "version_count) VALUES (?, ?, ?, 'bench', ?, ?, ?, ?, ?, ?, ?, 1)",
                (i, f"https://bench.vn/{i}", f"bench.vn/{i}", f"Bài {i}",
                 f"{day}T08:00:00+07:00", f"{day}T01:00:00Z", str(i), day, day, day))
            for _ in range(per):
                u = rng.choice(old) if rng.random() < 0.4 else rng.choice(new)
                now = gaz.now(u)
                province = gaz.units[gaz.province_now(u)]
                row = {"place_code": u.code, "level": u.level, "as_written": u.full.lower(),
                       "name_then": u.full, "now_code": now.code, "name_now": now.full,
                       "province_now": province.full, "province_code": province.code,
                       "mentions": 1, "found_in": "body"}
                conn.execute(
                    "INSERT INTO article_places (article_id, place_code, level, as_written,"
                    " name_then, now_code, name_now, province_now, province_code, mentions,"
                    " found_in) VALUES (:id, :place_code, :level, :as_written, :name_then,"
                    " :now_code, :name_now, :province_now, :province_code, :mentions,"
                    " :found_in)", {"id": i, **row})
                conn.execute("INSERT OR IGNORE INTO places (code, level, name, now_code, "
                             "name_now, province_now) VALUES (?, ?, ?, ?, ?, ?)",
                             (u.code, u.level, u.full, now.code, now.full, province.full))
    pick = conn.execute
    return {
        "commune today": pick("SELECT now_code FROM article_places WHERE now_code LIKE "
                              "'c34-%' GROUP BY now_code ORDER BY count(*) DESC LIMIT 1"
                              ).fetchone()[0],
        "former commune": pick("SELECT place_code FROM article_places WHERE place_code "
                               "LIKE 'c63-%' LIMIT 1").fetchone()[0],
        "province": pick("SELECT province_code FROM article_places GROUP BY province_code "
                         "ORDER BY count(*) DESC LIMIT 1").fetchone()[0],
    }


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300_000)
    parser.add_argument("--places", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = Path(tmp) / "places.db"
        start = time.perf_counter()
        codes = build(path, args.articles, args.places)
        print(f"{args.articles:,} articles, {args.places} places each, built in "
              f"{time.perf_counter() - start:.0f} s")
        conn = Archive(path).conn
        print(f"{'unit':<16} {'query':<8} {'articles':>8} {'ours ms':>9} {'scan ms':>9}"
              f" {'ratio':>6}")
        for kind, code in codes.items():
            total, _ = places.timeline(conn, code)
            deep = max(0, min(total - 50, 24_950))  # the last page the site serves
            pairs = {
                "timeline": (lambda c=code: places.timeline(conn, c),
                             lambda c=code: (conn.execute(SCAN_COUNT, (c,)).fetchall(),
                                             conn.execute(SCAN_MONTHS, (c,)).fetchall())),
                "page 1": (lambda c=code, t=total: places.articles_about(conn, c, 50, 0, t),
                           lambda c=code: conn.execute(SCAN_PAGE, (c, 0)).fetchall()),
                "last": (lambda c=code, t=total, d=deep: places.articles_about(conn, c, 50,
                                                                               d, t),
                         lambda c=code, d=deep: conn.execute(SCAN_PAGE, (c, d)).fetchall()),
            }
            for name, (union, scan) in pairs.items():
                ours, theirs = timed(union, args.repeat), timed(scan, args.repeat)
                print(f"{kind:<16} {name:<8} {total:>8,} {ours:>9.1f} {theirs:>9.1f}"
                      f" {theirs / ours:>5.0f}×")
        conn.close()


if __name__ == "__main__":
    main()
