"""Room under the process's memory ceiling, checked before nh3 is given a large page."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsarchive.ground.memory import require_room, status_size
from newsarchive.ground.safehtml import sanitise

UNDER_A_CEILING = """
import resource
from newsarchive.ground.memory import require_room, status_size
from newsarchive.ground.safehtml import sanitise
size = status_size("VmSize:")
resource.setrlimit(resource.RLIMIT_AS, (size + 64 * 1024 * 1024, resource.RLIM_INFINITY))
require_room(8 * 1024 * 1024)  # room enough
try:
    sanitise("<p>" + "chữ " * 2_000_000 + "</p>")  # 8 M characters: 128 MB asked
except MemoryError as exc:
    print("refused:", exc)
print(sanitise("<p>nhỏ</p>"))
"""


def test_a_fragment_too_large_for_the_ceiling_is_a_memory_error_not_an_abort():
    out = subprocess.run([sys.executable, "-c", UNDER_A_CEILING], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("refused: no room for")
    assert out.stdout.splitlines()[-1] == "<p>nhỏ</p>"


def test_without_a_ceiling_there_is_always_room():
    assert status_size("VmSize:") > 0
    require_room(1 << 40)
    assert sanitise("<p>" + "a" * (1 << 20) + "</p>").startswith("<p>aaa")


def test_an_unknown_field_is_zero():
    assert status_size("NoSuchField:") == 0


@pytest.mark.parametrize("fragment", ["", "<script>x</script><p>ok</p>"])
def test_small_fragments_are_not_checked(fragment):
    assert "script" not in sanitise(fragment)
