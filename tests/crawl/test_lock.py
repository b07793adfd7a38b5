"""#17 item 8: a symlinked archive path takes the same lock as the real one."""

from __future__ import annotations

import pytest

from newsarchive.crawl.run import Locked, exclusive


def test_the_lock_follows_the_real_path(tmp_path):
    real = tmp_path / "archive.db"
    real.touch()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    with exclusive(str(real)), pytest.raises(Locked), exclusive(str(link)):
        pass
    with exclusive(str(link)):
        assert (tmp_path / "archive.db.lock").exists()
        assert not (tmp_path / "link.db.lock").exists()
