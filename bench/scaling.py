"""Extraction time against page size, on real article pages grown to 0.1-20 MB.

    python -m bench.scaling [--sizes 0.1 0.5 1 3 10 20] [--page SLUG]

Each captured article page is grown the way large real pages are large: its article
gets more paragraphs (and a big table), and the page around it gains comment sections,
related-link boxes, inline scripts and styles. Times `newsarchive.extract.core.extract`
(layouts on and off) and `trafilatura.extract` side by side on the same grown page and
prints seconds per MB and the ratios. The target: at most 0.5 s per MB, 20 MB under 10 s.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import time

import lxml.html
import trafilatura

from bench.fixtures import fixtures_dir, manifest, registry
from newsarchive.extract.core import NotAnArticle, extract

MB = 1_000_000
SIZES = (0.1, 0.5, 1, 3, 10, 20)
DEFAULT_PAGE = "baocantho.com.vn/article-a196670.html"

_TEXT = ("người dân tỉnh đã được hỗ trợ kinh phí xây dựng nhà ở mới trong năm "
         "qua theo chương trình của ủy ban nhân dân cùng các sở ngành liên quan")
_WORDS = _TEXT.split(" ")


def _sentence(seed: int, words: int) -> str:
    """Words drawn by `seed`: every sentence of a grown page differs, as on real pages
    (repeated texts would hide the costs that grow with distinct paragraphs and links)."""
    return " ".join(random.Random(seed).choices(_WORDS, k=words)).capitalize() + "."


def _article_holder(doc):
    """The element with the most direct `<p>` children: the article's text."""
    return max(doc.iter(), key=lambda el: sum(1 for c in el if c.tag == "p"))


def _boxes(n: int) -> str:
    """A block of the page chrome large pages carry, numbered `n`: a comment section,
    a related-links box with its teasers' tag links, an inline script and style."""
    comments = "".join(
        f'<div class="comment"><span class="name">Bạn đọc {n}-{i}</span>'
        f"<p>{_sentence(-4 * n - i, 90)}</p></div>" for i in range(4))
    related = "".join(f'<li><a href="/tin-{n}-{i}.html">{_sentence(10**9 + 6 * n + i, 25)}</a></li>'
                      for i in range(6))
    tags = "".join(f'<a href="/tag/chu-de-{n}-{i}.html">Chủ đề {n}-{i}</a>' for i in range(3))
    items = ",".join(f'"{_sentence(n + i, 12)}"' for i in range(200))
    script = f"var data{n} = [{items}];"
    style = "".join(f".box-{n}-{i} {{ margin: {i}px; color: #{i:03d}; }}" for i in range(20))
    return (f'<section class="comments">{comments}</section>'
            f'<div class="related"><h3>Tin liên quan</h3><ul>{related}</ul>{tags}</div>'
            f"<script>{script}</script><style>{style}</style>")


def grow(data: bytes, size: int) -> bytes:
    """`data`, an article page, grown to about `size` bytes: half of the growth in the
    article's text (paragraphs and a table), half in comment, related-link, script and
    style blocks at the end of the page."""
    doc = lxml.html.document_fromstring(data)
    holder = _article_holder(doc)
    page = doc.find("body") if doc.find("body") is not None else doc
    base = len(lxml.html.tostring(doc))
    grown = n = 0
    table = lxml.html.fromstring("<table><tbody></tbody></table>")
    holder.append(table)
    while base + grown < size:
        para = lxml.html.fromstring(f"<p>{_sentence(n, 120)} <b>{n}</b> {_sentence(n + 1, 60)}</p>")
        holder.insert(len(holder) - 1, para)
        row = lxml.html.fromstring(f"<tr><td>{n}</td><td>{_sentence(n, 40)}</td>"
                                   f"<td>{n * 37 % 1000}</td></tr>")
        table[0].append(row)
        boxes = lxml.html.fragments_fromstring(_boxes(n))
        page.extend(boxes)
        n += 1
        grown += sum(len(lxml.html.tostring(el, encoding="utf-8")) for el in (para, row, *boxes))
    return lxml.html.tostring(doc, encoding="utf-8", doctype="<!DOCTYPE html>")


def timed(run, page: bytes) -> float:
    start = time.perf_counter()
    with contextlib.suppress(NotAnArticle):
        run(page)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=SIZES, help="MB")
    parser.add_argument("--page", default=DEFAULT_PAGE, help="fixture file to grow")
    parser.add_argument("--no-trafilatura", action="store_true")
    args = parser.parse_args()
    folder = fixtures_dir()
    fx = next(f for f in manifest(folder) if f.file == args.page)
    site = registry().for_url(fx.url)
    original = (folder / fx.file).read_bytes()
    runners = {
        "layouts": lambda page: extract(page, fx.url, site=site),
        "no layouts": lambda page: extract(page, fx.url, site=site, layouts=False),
    }
    if not args.no_trafilatura:
        runners["trafilatura"] = lambda page: trafilatura.extract(page, url=fx.url,
                                                                  with_metadata=True)
    for run in runners.values():  # imports and caches (jusText's word lists), untimed
        timed(run, original)
    print(f"{fx.file} grown; seconds per MB of HTML (target <= 0.5), ratios to trafilatura")
    print(f"{'MB':>6} {'tags':>7} " + " ".join(f"{name:>12}" for name in runners)
          + ("  layouts/traf  no-layouts/traf" if "trafilatura" in runners else ""))
    for size in args.sizes:
        page = grow(original, int(size * MB))
        mb = len(page) / MB
        secs = {name: timed(run, page) for name, run in runners.items()}
        row = f"{mb:6.2f} {page.count(b'<'):7d} " + " ".join(
            f"{secs[name] / mb:10.2f}/M" for name in runners)
        if "trafilatura" in secs:
            row += (f"  {secs['layouts'] / secs['trafilatura']:12.2f}"
                    f"  {secs['no layouts'] / secs['trafilatura']:15.2f}")
        print(row, flush=True)


if __name__ == "__main__":
    main()
