"""The crawl process's storing of a page, alone: this checkout's code beside another's.

    python -m bench.storing --against DIR [--articles 2000] [--runs 2]

N synthetic articles (bench/synthetic.py), each with its raw page (bench/crawl.py's), its
places tagged and its story signature computed beforehand (the extraction pool's work),
are stored through `crawl.ingest.keep` into a fresh archive, commits grouped as a crawl
groups them; then one page in ten is fetched again (half of them changed, a paragraph
added; some at a second URL, an alias). Each run is a child process whose `newsarchive`
is one checkout's; runs alternate. Printed: CPU per page of each and the ratio (new
pages, then the revisits), the search time over the archive each wrote, whether both
answer every query alike (ids, order and ranks), and whether both stored the same: every
row of every table (names compared by name: their ids follow a set's order) and every
token of both search indexes, with its article, column and position.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.sidebyside import checkout

ROOT = Path(__file__).resolve().parent.parent

# Run in the child, with the checkout measured first on sys.path; reads its arguments
# from argv: articles, archive path, query count.
CHILD = r'''
import hashlib, json, sqlite3, sys, time
from dataclasses import replace
n, path, n_queries = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
compared = json.loads(sys.argv[4])  # STORED and WORDS, below
from bench.crawl import page
from bench.synthetic import article, queries
from newsarchive.archive import Archive
from newsarchive.archive.search import search
from newsarchive.archive.stories import Signed
from newsarchive.crawl.ingest import Reading, keep, places_of
from newsarchive.ground.page import Page

HEADERS = {"content-type": "text/html; charset=utf-8"}


def reading(a):
    return Reading(article=a, places=places_of(a, None), signed=Signed.of(a.body_text))


arts = [article(i) for i in range(n)]
pages = [Page(a.url, page(i), headers=HEADERS,
              fetched_at=f"2026-02-01T00:{i // 3600 % 60:02d}:{i % 60:02d}Z")
         for i, a in enumerate(arts)]
readings = [reading(a) for a in arts]
later = []  # a day later, one page in ten again: unchanged, or a paragraph added
for k, i in enumerate(range(0, n, 10)):
    at = f"2026-02-02T00:{k // 3600 % 60:02d}:{k % 60:02d}Z"
    a, body = arts[i], page(i)
    if k % 2:
        a = replace(a, body_text=a.body_text + "\\nMột đoạn được thêm vào sau.")
        body = body.replace(b"</div>", "<p>Một đoạn được thêm vào sau.</p></div>".encode())
    later.append((Page(a.url, body, headers=HEADERS, fetched_at=at), reading(a),
                  [a.url + "?trang=1"] if k % 3 == 0 else None))
archive = Archive(path)
archive.conn.execute("PRAGMA cache_size = -8192")  # as a crawl: NEWSARCHIVE_SQLITE_CACHE_KIB
archive.group_commits(50, 3600.0)  # as a crawl: NEWSARCHIVE_COMMIT_PAGES
start = time.process_time()
for pg, read in zip(pages, readings):
    keep(archive, pg, read)
archive.flush()
cpu = time.process_time() - start
start = time.process_time()
for pg, read, aliases in later:
    keep(archive, pg, read, aliases=aliases)
archive.flush()
cpu_later = time.process_time() - start
answers, took = hashlib.sha1(), []
for q in queries(n_queries) + ["xa hoi", "phat trien kinh te", '"cong tac"']:
    t = time.perf_counter()
    hits = search(archive.db, q, limit=20)
    took.append(time.perf_counter() - t)
    answers.update(repr([(h.id, round(h.rank, 9), h.snippet) for h in hits]).encode())
archive.close()
stored, conn = hashlib.sha1(), sqlite3.connect(path)
for index in ("articles_fts", "articles_pairs"):
    conn.execute(f"CREATE VIRTUAL TABLE temp.{index}_words USING fts5vocab(main, {index}, "
                 "instance)")
for sql in compared:
    cursor = conn.execute(sql)
    while rows := cursor.fetchmany(10000):
        stored.update(repr(rows).encode())
conn.close()
print(json.dumps({"cpu": cpu, "cpu_later": cpu_later, "revisits": len(later),
                  "search_ms": 1000 * sum(took) / len(took),
                  "answers": answers.hexdigest(), "stored": stored.hexdigest()}))
'''

# What the child compares of the archive it wrote: every stored value, in an order that
# no id given by a set's order decides (authors' and tags' ids), and the search indexes'
# every token (`fts5vocab` instance tables, made by the child over its archive).
STORED = (
    "SELECT * FROM articles ORDER BY id",
    "SELECT * FROM article_versions ORDER BY article_id, version",
    "SELECT * FROM article_urls ORDER BY url_key",
    "SELECT x.article_id, n.name, x.position FROM article_authors x "
    "JOIN authors n ON n.id = x.author_id ORDER BY 1, 3",
    "SELECT x.article_id, n.name, x.position FROM article_tags x "
    "JOIN tags n ON n.id = x.tag_id ORDER BY 1, 3",
    "SELECT * FROM images ORDER BY article_id, position",
    "SELECT * FROM pages ORDER BY id",
    "SELECT id, site, sample_count, ratio, data FROM dictionaries ORDER BY id",
    "SELECT * FROM article_stories ORDER BY article_id",
    "SELECT * FROM story_bands ORDER BY key, article_id",
    "SELECT * FROM places ORDER BY code",
    "SELECT * FROM article_places ORDER BY article_id, rowid",
    "SELECT * FROM gone ORDER BY article_id",
)
WORDS = tuple(f"SELECT term, doc, col, offset FROM temp.{index}_words"
              for index in ("articles_fts", "articles_pairs"))


def run(root: Path, n: int, folder: Path, n_queries: int) -> dict:
    """One child run of `root`'s code: its CPU, search time and answers' digest."""
    db = folder / f"{root.name}-{os.urandom(4).hex()}.db"
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{ROOT}"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(n), str(db), str(n_queries),
                          json.dumps(STORED + WORDS)],
                         env=env, cwd=root, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{root}: {out.stderr[-2000:]}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--against", type=checkout, required=True, metavar="DIR",
                        help="the other checkout (e.g. a git worktree of an earlier commit)")
    parser.add_argument("--dir", help="where the archives are written (default: a temp dir)")
    args = parser.parse_args()
    other = args.against
    results: dict[str, list[dict]] = {"this": [], "other": []}
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for _ in range(args.runs):
            for name, root in (("other", other), ("this", ROOT)):
                results[name].append(run(root, args.articles, Path(tmp), args.queries))
    per_page = {k: [1000 * r["cpu"] / args.articles for r in v] for k, v in results.items()}
    this, it = statistics.median(per_page["this"]), statistics.median(per_page["other"])
    print(f"storing {args.articles} articles, CPU per page (median of {args.runs}): "
          f"this {this:.2f} ms, {other} {it:.2f} ms, this / it {this / it:.2f}")
    print("  runs: this " + ", ".join(f"{v:.2f}" for v in per_page["this"])
          + "; it " + ", ".join(f"{v:.2f}" for v in per_page["other"]))
    revisits = results["this"][0]["revisits"]
    later = {k: [1000 * r["cpu_later"] / revisits for r in v] for k, v in results.items()}
    this, it = statistics.median(later["this"]), statistics.median(later["other"])
    print(f"then {revisits} pages again (half changed), CPU per page: this {this:.2f} ms, "
          f"it {it:.2f} ms, this / it {this / it:.2f}")
    search_this = statistics.median(r["search_ms"] for r in results["this"])
    search_it = statistics.median(r["search_ms"] for r in results["other"])
    alike = {r["answers"] for r in results["this"] + results["other"]}
    print(f"search, ms per query at {args.articles} articles: this {search_this:.2f}, "
          f"it {search_it:.2f}; answers {'the same' if len(alike) == 1 else 'DIFFER'}")
    stored = {r["stored"] for r in results["this"] + results["other"]}
    print(f"stored rows and index tokens: {'the same' if len(stored) == 1 else 'DIFFER'}")
    if len(alike) != 1 or len(stored) != 1:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
