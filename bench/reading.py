"""CPU of reading one page (`crawl.ingest.read`: extraction, place tagging, story
signature) with this checkout's code and another's, side by side.

    python -m bench.reading --against DIR [--rounds 6] [--synthetic 300] [--repeat 10]

The pages: every captured article of `$NEWSARCHIVE_FIXTURES` and bench.crawl's synthetic
page. Each checkout reads them in a child process of its own (its code imported from its
directory); the two are asked for one round each in turn, so machine noise hits both
alike (each goes first in turn). Prints the mean CPU per page of each and their ratio
(this one / it), with the median of the rounds' ratios, for the captured articles (read
`--repeat` times a round) and the synthetic pages apart, and whether both read every page
the same (a digest of everything `read` returns: article, places, signature).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _digest(reading) -> str:
    """Everything a reading holds, as one hash (the CPU figures left out)."""
    from dataclasses import asdict

    parts = [repr(asdict(reading.article)) if reading.article else "",
             str(reading.failure), reading.detail, repr(reading.missing),
             repr(reading.places)]
    if reading.signed is not None:
        parts.append(reading.signed.digest.hex())
        minima = reading.signed.minima
        parts.append(minima.tobytes().hex() if minima is not None else "none")
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def child(synthetic: int, repeat: int) -> None:
    """Load the pages, then answer each `round` line on stdin with one round's CPU
    seconds per page (captured, synthetic) and the digests of what was read."""
    import time

    from bench.crawl import page
    from bench.fixtures import fixtures_dir, manifest, registry
    from newsarchive.crawl.ingest import read
    from newsarchive.ground.page import Page
    from newsarchive.sites import Site

    sites = registry()
    folder = fixtures_dir()
    html = {"content-type": "text/html; charset=utf-8"}
    captured = [(Page(url=fx.url, body=(folder / fx.file).read_bytes(), headers=html),
                 sites.for_url(fx.url)) for fx in manifest(folder) if fx.kind == "article"]
    bench_site = Site(id="benchsite", name="Bench", home="http://127.0.0.1:1/", platform=None,
                      article_pattern=r"/bai-\d+\.html$")
    made = [(Page(url=f"http://127.0.0.1:1/bai-{i}.html", body=page(i), headers=html),
             bench_site) for i in range(synthetic)]
    groups = {"captured": captured * repeat, "synthetic": made}
    for pg, site in captured + made:  # caches and lazy imports, untimed
        read(pg, site)
    for line in sys.stdin:
        if line.strip() != "round":
            break
        out: dict = {}
        for name, pages in groups.items():
            start = time.process_time()
            readings = [read(pg, site) for pg, site in pages]
            out[name] = (time.process_time() - start) / len(pages)
            out[name + "_digests"] = [_digest(r) for r in readings]
        print(json.dumps(out), flush=True)


def main() -> None:
    from bench import sidebyside  # not in the child, which runs with the other's bench/

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=sidebyside.checkout, required=True, metavar="DIR",
                        help="the other checkout (e.g. a git worktree of an earlier commit)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--synthetic", type=int, default=300,
                        help="synthetic pages (bench.crawl's) per round")
    parser.add_argument("--repeat", type=int, default=10,
                        help="times the captured articles are read per round")
    args = parser.parse_args()
    cpu: dict[str, dict[str, float]] = {n: {"captured": 0.0, "synthetic": 0.0}
                                        for n in ("this one", "it")}
    ratios: dict[str, list[float]] = {"captured": [], "synthetic": []}
    same = True
    with sidebyside.pair(ROOT, args.against, __file__, args.synthetic, args.repeat) as procs:
        for got in sidebyside.rounds(procs, args.rounds):
            for group in ("captured", "synthetic"):
                for name, out in got.items():
                    cpu[name][group] += out[group] / args.rounds
                ratios[group].append(got["this one"][group] / got["it"][group])
            same = same and all(got["this one"][g + "_digests"] == got["it"][g + "_digests"]
                                for g in ("captured", "synthetic"))
    print(f"CPU per page of read(), mean of {args.rounds} alternating rounds:")
    for group in ("captured", "synthetic"):
        ours, theirs = cpu["this one"][group], cpu["it"][group]
        print(f"  {group:<9} this one {ours * 1000:6.2f} ms, it {theirs * 1000:6.2f} ms "
              f"(this one / it {ours / theirs:.3f}, median of rounds "
              f"{statistics.median(ratios[group]):.3f}; "
              f"{(theirs - ours) * 1000:+.2f} ms a page cut)")
    print("same readings of every page: " + ("yes" if same else "NO"))
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
