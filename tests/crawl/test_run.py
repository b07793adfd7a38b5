"""The crawl's working folder (Scrapy's JOBDIR) beside the archive: fresh for each crawl,
gone when it ends, on error too, and one a killed crawl left is cleared by the next."""

from __future__ import annotations

import pytest

from newsarchive.crawl.run import workdir


def test_the_working_folder_goes_when_the_crawl_ends(tmp_path):
    db = str(tmp_path / "archive.db")
    with workdir(db) as path:
        assert path.is_dir() and path.parent == tmp_path / "archive.db.jobs"
        (path / "requests.queue").write_bytes(b"pending")
    assert list(tmp_path.iterdir()) == []


def test_the_working_folder_goes_when_the_crawl_fails(tmp_path):
    db = str(tmp_path / "archive.db")
    with pytest.raises(RuntimeError), workdir(db) as path:
        (path / "requests.queue").write_bytes(b"pending")
        raise RuntimeError("the crawl failed")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_left_by_a_killed_crawl_is_cleared_by_the_next(tmp_path):
    db = str(tmp_path / "archive.db")
    left = tmp_path / "archive.db.jobs" / "crawl-old"
    left.mkdir(parents=True)
    (left / "requests.queue").write_bytes(b"stale")
    with workdir(db) as path:
        assert list((tmp_path / "archive.db.jobs").iterdir()) == [path]
        assert list(path.iterdir()) == []
    assert list(tmp_path.iterdir()) == []

