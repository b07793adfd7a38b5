"""The process's address space and the room left under its ceiling (RLIMIT_AS, which an
extraction worker sets: `extract/limits.py`)."""

from __future__ import annotations

import resource


def status_size(field: str) -> int:
    """A size from /proc/self/status (`VmSize:`, `VmPeak:`) in bytes; 0 where none."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def address_space() -> int:
    """The process's current address space (VmSize) in bytes; 0 where /proc is not."""
    return status_size("VmSize:")


def require_room(nbytes: int) -> None:
    """Raise MemoryError unless this process may still map `nbytes` under its ceiling:
    a native library (nh3's Rust code) aborts the process, or panics, where Python
    would have raised, when an allocation is refused."""
    ceiling, _ = resource.getrlimit(resource.RLIMIT_AS)
    if ceiling != resource.RLIM_INFINITY and address_space() + nbytes > ceiling:
        raise MemoryError(f"no room for {nbytes} bytes under the memory ceiling")
