"""CPU counted by part for bench/crawl.py: nested parts are charged their own time only,
nothing is counted when off, and a worker's counts reach the crawl process's file."""

from __future__ import annotations

import json
import time

import pytest

from newsarchive.ground import cpuparts


def _spin(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


@pytest.fixture
def on(monkeypatch, tmp_path):
    monkeypatch.setattr(cpuparts, "ON", True)
    monkeypatch.setenv(cpuparts.ENV, str(tmp_path / "cpu.json"))
    monkeypatch.setattr(cpuparts, "_totals", {})
    monkeypatch.setattr(cpuparts, "_from_workers", {})
    monkeypatch.setattr(cpuparts, "_stack", [])
    return tmp_path / "cpu.json"


def test_a_part_inside_another_pauses_it(on):
    with cpuparts.part("store"):
        _spin(0.02)
        with cpuparts.part("compress"):
            _spin(0.05)
        _spin(0.02)
    assert 0.05 <= cpuparts._totals["compress"] < 0.07
    assert 0.04 <= cpuparts._totals["store"] < 0.06  # its own 0.04 s, not the 0.05 inside


def test_off_nothing_is_counted(monkeypatch):
    monkeypatch.setattr(cpuparts, "ON", False)
    monkeypatch.setattr(cpuparts, "_totals", {})
    with cpuparts.part("extract"):
        _spin(0.01)
    assert cpuparts._totals == {}


def test_a_workers_counts_reach_the_crawl_processs_file(on):
    cpuparts.started()
    with cpuparts.part("extract"):
        _spin(0.03)
    counts = cpuparts.take()
    assert counts["extract"] >= 0.03
    assert counts[cpuparts.WORKERS] >= counts["extract"]  # the worker's whole CPU
    assert "extract" not in cpuparts.take()  # counting starts again from zero
    cpuparts.add(counts)
    cpuparts.add({"extract": 0.5})
    cpuparts.opened()
    cpuparts.write()
    written = json.loads(on.read_text())
    assert written["workers"]["extract"] == pytest.approx(counts["extract"] + 0.5)
    assert written["parts"] == {}
    assert 0 < written["start_up"] <= written["process"]
    assert written["main_thread"] <= written["process"] + 1e-3


def test_a_worker_forked_inside_a_part_counts_from_its_own_start(on):
    """pebble forks its first workers inside the crawl's `pool` part: the worker must
    not charge itself the parent's open part (a negative time)."""
    with cpuparts.part("pool"):
        cpuparts.started()
        with cpuparts.part("extract"):
            _spin(0.01)
    counts = cpuparts.take()
    assert counts["extract"] >= 0.01
    assert all(seconds >= 0 for seconds in counts.values())
