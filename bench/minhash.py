"""Story signatures' MinHash minima, side by side: numpy's uint64 modulo (datasketch's
way) against the Mersenne-prime reduction of `archive.stories.minima`, same input.

    python -m bench.minhash [--bodies 300] [--runs 3]
"""

from __future__ import annotations

import argparse
import time
import zlib

import numpy as np

from bench.synthetic import article
from newsarchive.archive.stories import _A, _B, _LOW32, _PRIME, minima


def modulo(hashes: np.ndarray) -> np.ndarray:
    return (((hashes[:, None] * _A + _B) % _PRIME) & _LOW32).min(axis=0).astype("<u4")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    batches = []
    for i in range(args.bodies):
        words = article(i).body_text.encode().split()
        shingles = [b" ".join(words[k:k + 3]) for k in range(len(words) - 2)]
        batches.append(np.fromiter(map(zlib.crc32, shingles), dtype=np.uint64))
    for _ in range(args.runs):
        used = {}
        for name, fn in (("modulo", modulo), ("mersenne", minima)):
            start = time.process_time()
            out = [fn(h) for h in batches]
            used[name] = (time.process_time() - start) / len(batches) * 1000
            used[name + "-out"] = out
        same = all((a == b).all() for a, b in zip(used["modulo-out"], used["mersenne-out"],
                                                   strict=True))
        print(f"minima per body: numpy modulo {used['modulo']:.3f} ms, Mersenne reduction "
              f"{used['mersenne']:.3f} ms ({used['modulo'] / used['mersenne']:.1f}x less); "
              f"identical: {same}", flush=True)


if __name__ == "__main__":
    main()
