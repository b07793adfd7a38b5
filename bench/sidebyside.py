"""Two checkouts' code measured side by side: each in a process of its own (a bench
file's `child`, run with that checkout's package), asked for one round at a time, which
goes first alternating, so that both see the same machine at the same moment."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def checkout(text: str) -> Path:
    """`--against DIR`'s type: a checkout of newsarchive (a folder holding `newsarchive/`),
    resolved; argparse turns anything else into one line and exit status 2."""
    path = Path(text).resolve()
    if not (path / "newsarchive").is_dir():
        raise argparse.ArgumentTypeError(f"{text}: not a newsarchive checkout (no "
                                         "newsarchive/ folder in it)")
    return path


def spawn(root: Path, script: str, *args: Any) -> subprocess.Popen:
    """`child(*args)` of the bench file `script` run with checkout `root`'s code; it
    answers each `round` line on its stdin with one JSON line."""
    call = ", ".join(repr(a) for a in args)
    code = (f"import sys; sys.path.insert(0, {str(root)!r}); import runpy; "
            f"runpy.run_path({str(Path(script))!r})['child']({call})")
    return subprocess.Popen([sys.executable, "-c", code], cwd=root, text=True,
                            env={**os.environ, "PYTHONPATH": str(root)},
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


@contextmanager
def pair(this: Path, other: Path, script: str, *args: Any
         ) -> Iterator[dict[str, subprocess.Popen]]:
    """The children of this checkout ("this one") and `other` ("it", a `checkout`),
    ended on leaving."""
    procs = {"this one": spawn(this, script, *args), "it": spawn(other, script, *args)}
    try:
        yield procs
    finally:
        for proc in procs.values():
            proc.stdin.close()
            proc.wait()


def rounds(procs: dict[str, subprocess.Popen], count: int) -> Iterator[dict[str, Any]]:
    """Each round's answers by name, the children asked in turn, which first alternating."""
    for r in range(count):
        got = {}
        for name, proc in sorted(procs.items(), reverse=r % 2 == 1):
            proc.stdin.write("round\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
            if not line:
                raise SystemExit(f"{name}: the benchmark's process ended early")
            got[name] = json.loads(line)
        yield got
