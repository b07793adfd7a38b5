"""The generic path against trafilatura on the peer pages, field by field.

    python -m bench.peers [--pages ../shared/peer-pages] [--show FIELD]

Extracts every page of `--pages` with newsarchive's generic path (layouts off, no
site: a paper no layout was written for) and with `trafilatura.bare_extraction`, and
scores both against the per-publisher parsers' records: exact title, day of
publication, time to the minute, the set of authors, body token F1 (right from 0.9),
and the real articles refused. `--show FIELD` lists the pages where newsarchive misses
that field.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from bench.peerpages import FIELDS, peer_pages, peer_pages_dir, score, trafilatura_record
from newsarchive.extract.core import NotAnArticle, extract
from newsarchive.extract.decode import ExtractError


def newsarchive_record(html: bytes, url: str) -> dict | None:
    try:
        return extract(html, url, layouts=False).to_dict()
    except (NotAnArticle, ExtractError):
        return None


def trafilatura_alone(html: bytes, url: str) -> dict | None:
    return trafilatura_record(html, url) or None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=None)
    parser.add_argument("--show", choices=(*FIELDS, "refused"), default=None)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    pages = peer_pages(args.pages or peer_pages_dir())
    runners = {"newsarchive (generic)": newsarchive_record, "trafilatura": trafilatura_alone}
    results: dict[str, list[dict]] = {name: [] for name in runners}
    for page in pages:
        html = page.html()
        for name, run in runners.items():
            got = run(html, page.url)
            checks = score(got, page.expected)
            results[name].append({**checks, "refused": got is None, "got": got})
    print(f"{len(pages)} peer pages; checks right per field:")
    print(f"  {'extractor':<22} " + " ".join(f"{f:>8}" for f in FIELDS)
          + f" {'body F1':>8} {'refused':>8} {'checks':>8}")
    for name, rows in results.items():
        right = [sum(bool(r[f]) for r in rows) for f in FIELDS]
        mean_f1 = sum(r["f1"] for r in rows) / len(rows)
        refused = sum(r["refused"] for r in rows)
        total = sum(right) / (len(FIELDS) * len(rows))
        print(f"  {name:<22} " + " ".join(f"{n:>8}" for n in right)
              + f" {mean_f1:>8.3f} {refused:>8} {total:>8.3f}")
    if args.show:
        for page, row in zip(pages, results["newsarchive (generic)"], strict=True):
            if row[args.show] == (args.show == "refused"):
                got = row["got"] or {}
                want = page.expected
                print(f"- {page.name}: f1={row['f1']:.2f}"
                      f"\n    got  {got.get('title')!r} {got.get('published_at')} "
                      f"{got.get('authors')} [{got.get('provenance', {}).get('body_text')}]"
                      f"\n    want {want.get('title')!r} {want.get('publishing_date')} "
                      f"{want.get('authors')}")


if __name__ == "__main__":
    main()
