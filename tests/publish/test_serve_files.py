"""`newsarchive serve` leaves nothing behind: the metadata file it hands Datasette is
removed when the process ends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ARGS = """import sys
from newsarchive.publish import datasette_args
args = datasette_args(sys.argv[1], immutable=True)
meta = args[args.index("--metadata") + 1]
print(meta, open(meta, encoding="utf-8").read(1))
"""


@pytest.mark.slow
def test_the_metadata_file_goes_when_the_process_ends(tmp_path):
    done = subprocess.run([sys.executable, "-c", ARGS, str(tmp_path / "archive.db")],
                          capture_output=True, text=True, timeout=60)
    meta, first = done.stdout.split()
    assert first == "{", done.stderr  # Datasette could read it while the process ran
    assert not Path(meta).exists() and not Path(meta).parent.exists()
