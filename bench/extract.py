"""Extraction speed and accuracy on every captured article, measured side by side.

    python bench/extract.py [--rounds N]

Prints mean time per page of newsarchive's extraction, `trafilatura.extract` and a bare
`lxml.html.fromstring` on the same pages (after one untimed pass, interleaved, so
machine noise hits all three alike) with their ratios, then the share of field checks
(title, sapo, authors, date with time, body) each gets right against the hand-checked
expected records, and how many captured listing/home pages are refused as not articles
(and articles kept).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import lxml.html
import trafilatura

from bench.fixtures import field_checks, fixtures_dir, manifest, registry
from bench.peerpages import trafilatura_record
from newsarchive.extract.core import NotAnArticle, extract

ROOT = Path(__file__).resolve().parent.parent

REGISTRY = registry()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = fixtures_dir()
    pages = [(fx, (folder / fx.file).read_bytes()) for fx in manifest(folder)
             if fx.kind == "article"]
    runners = {
        "newsarchive": lambda fx, data: extract(data, fx.url, site=REGISTRY.for_url(fx.url)),
        "no layouts": lambda fx, data: extract(data, fx.url, site=REGISTRY.for_url(fx.url),
                                               layouts=False),
        "trafilatura": lambda fx, data: trafilatura.extract(data, url=fx.url, with_metadata=True),
        "lxml parse": lambda fx, data: lxml.html.fromstring(data),
    }
    times: dict[str, list[float]] = {name: [] for name in runners}
    for fx, data in pages:  # one untimed pass: lazy imports and caches of every runner
        for run in runners.values():
            run(fx, data)
    for _ in range(args.rounds):
        for fx, data in pages:
            for name, run in runners.items():
                start = time.perf_counter()
                run(fx, data)
                times[name].append(time.perf_counter() - start)
    mean = {name: statistics.fmean(ts) for name, ts in times.items()}
    print(f"{len(pages)} pages x {args.rounds} rounds, mean time per page:")
    for name, value in mean.items():
        print(f"  {name:<12} {value * 1000:8.1f} ms")
    def ratio(a: str, b: str) -> str:
        return f"{mean[a] / mean[b]:.2f}"

    print(f"ratio newsarchive / trafilatura.extract: {ratio('newsarchive', 'trafilatura')}"
          "  (target <= 1.0)")
    print(f"ratio no layouts / trafilatura.extract:  {ratio('no layouts', 'trafilatura')}"
          "  (generic path for unknown sites, target <= 1.0)")
    print(f"ratio newsarchive / lxml parse:          {ratio('newsarchive', 'lxml parse')}")

    print_page_kinds(folder)
    expected_dir = ROOT / "tests" / "expected" / "articles"
    totals = {"newsarchive": [], "newsarchive, no layouts": [], "trafilatura alone": []}
    for fx, data in pages:
        want = json.loads((expected_dir / f"{fx.slug}.json").read_text(encoding="utf-8"))
        records = {
            "newsarchive": extract(data, fx.url, site=REGISTRY.for_url(fx.url)).to_dict(),
            "newsarchive, no layouts": extract(data, fx.url, site=REGISTRY.for_url(fx.url),
                                               layouts=False).to_dict(),
            "trafilatura alone": trafilatura_record(data, fx.url),
        }
        for name, record in records.items():
            totals[name] += list(field_checks(record, want).values())
    print("field checks right (title, sapo, authors, date with time, body):")
    for name, checks in totals.items():
        print(f"  {name:<24} {sum(checks):3d}/{len(checks)} = {sum(checks) / len(checks):.0%}")


def print_page_kinds(folder: Path) -> None:
    """Listing and home pages refused (NotAnArticle), articles kept, layouts on and off."""
    rows = [r for r in manifest(folder) if r.kind in ("article", "listing")]
    print("pages told apart (listings refused, articles kept):")
    for layouts in (True, False):
        refused = kept = 0
        for fx in rows:
            try:
                extract((folder / fx.file).read_bytes(), fx.url,
                        site=REGISTRY.for_url(fx.url), layouts=layouts)
                kept += fx.kind == "article"
            except NotAnArticle:
                refused += fx.kind == "listing"
        listings = sum(r.kind == "listing" for r in rows)
        articles = len(rows) - listings
        name = "newsarchive" if layouts else "newsarchive, no layouts"
        print(f"  {name:<24} listings {refused}/{listings}, articles {kept}/{articles}")


if __name__ == "__main__":
    main()
